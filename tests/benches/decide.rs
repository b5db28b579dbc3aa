//! Host benchmark of `decide` over the whole decision corpus. Throughput is
//! reported in decisions per second (one element = one decision).
//! Run: `cargo bench -p tests --bench decide` (or `cargo xtask bench`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use firmware::corpus::CASES;
use firmware::rules::{Policy, Visit, decide};
use std::hint::black_box;

fn corpus(c: &mut Criterion) {
    let policy = Policy::national();
    let visits: Vec<Visit> = CASES.iter().map(|case| (case.visit)()).collect();
    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(visits.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for v in &visits {
                black_box(decide(black_box(v), &policy));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
