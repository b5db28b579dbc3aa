//! `cargo xtask fuzz [--seconds N] [--target T]`: runs every cargo-fuzz
//! target in `fuzz/` for N seconds on the corpus kept in `fuzz/corpus/<t>`
//! (new inputs go to `target/fuzz/corpus/<t>`, crashes to
//! `target/fuzz/artifacts/<t>/`), and prints executions and coverage.
//!
//! cargo-fuzz needs nightly flags; on a stable toolchain `RUSTC_BOOTSTRAP=1`
//! lets rustc take them. Built without a sanitizer (`-s none`): the code
//! under test has no `unsafe`, and coverage-guided runs go faster without
//! AddressSanitizer.

use crate::root::{host_cargo, step, workspace};
use std::path::PathBuf;
use std::process::Stdio;

/// Every target: those in `fuzz/Cargo.toml`, then `scenario` in
/// `fuzz/scenario/` (its own package: it builds host-sim, without the
/// browser training). CI runs them all for a few seconds each.
pub const TARGETS: [&str; 7] = ["link_frame", "apdu", "der", "text", "terminal", "pn532", "scenario"];

/// The cargo-fuzz project holding `target`.
fn project(target: &str) -> PathBuf {
    let fuzz = workspace().join("fuzz");
    if target == "scenario" { fuzz.join("scenario") } else { fuzz }
}

/// What one target's run did.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Target name.
    pub target: String,
    /// Inputs executed.
    pub executions: u64,
    /// Coverage points (libFuzzer's `cov`).
    pub coverage: u64,
    /// Features (libFuzzer's `ft`).
    pub features: u64,
    /// Inputs in the corpus at the end.
    pub corpus: u64,
    /// Seconds run.
    pub seconds: u64,
}

/// Fails with the install command when cargo-fuzz is missing.
fn check_cargo_fuzz() -> Result<(), String> {
    let ok = host_cargo()
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok { Ok(()) } else { Err("cargo-fuzz is not installed: cargo install cargo-fuzz --locked".into()) }
}

/// Builds then runs `targets` for `seconds` each; prints a table.
pub fn run(seconds: u64, targets: &[String]) -> Result<Vec<Stats>, String> {
    check_cargo_fuzz()?;
    let chosen: Vec<&str> = if targets.is_empty() {
        TARGETS.to_vec()
    } else {
        for t in targets {
            if !TARGETS.contains(&t.as_str()) {
                return Err(format!("no fuzz target `{t}` (targets: {})", TARGETS.join(", ")));
            }
        }
        targets.iter().map(String::as_str).collect()
    };
    let root = workspace();
    let mut projects: Vec<PathBuf> = chosen.iter().map(|t| project(t)).collect();
    projects.dedup();
    for dir in &projects {
        step(&format!("cargo fuzz build in {} (RUSTC_BOOTSTRAP=1)", dir.display()));
        crate::root::run("cargo fuzz build", cargo_fuzz(dir, "build").args(["-O", "-s", "none"]))?;
    }
    let mut all = Vec::new();
    for t in chosen {
        let fuzz_dir = project(t);
        step(&format!("fuzz {t} for {seconds} s"));
        let work = root.join("target/fuzz/corpus").join(t);
        let artifacts = root.join("target/fuzz/artifacts").join(t);
        std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
        std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
        let seeds = root.join("fuzz/corpus").join(t);
        let output = cargo_fuzz(&fuzz_dir, "run")
            .args(["-O", "-s", "none", t])
            .arg(&work)
            .arg(&seeds)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .args(["-print_final_stats=1", "-rss_limit_mb=1024", "-max_len=4096"])
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cargo fuzz run {t}: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "fuzz target {t} failed ({}); crash input in {}\n{}",
                output.status,
                artifacts.display(),
                tail.join("\n")
            ));
        }
        let stats = parse_stats(t, &log, seconds);
        println!(
            "{t}: {} executions, cov {}, ft {}, corpus {}",
            stats.executions, stats.coverage, stats.features, stats.corpus
        );
        all.push(stats);
    }
    print_table(&all);
    Ok(all)
}

/// `cargo fuzz <sub> --fuzz-dir <dir>` (cargo-fuzz would otherwise take
/// the first `fuzz/` above the current folder).
fn cargo_fuzz(dir: &PathBuf, sub: &str) -> std::process::Command {
    let mut cmd = host_cargo();
    cmd.env("RUSTC_BOOTSTRAP", "1").args(["fuzz", sub, "--fuzz-dir"]).arg(dir);
    cmd
}

/// Reads libFuzzer's final statistics and its last status line.
fn parse_stats(target: &str, log: &str, seconds: u64) -> Stats {
    let mut s = Stats { target: target.into(), seconds, ..Stats::default() };
    for line in log.lines() {
        if let Some(v) = line.strip_prefix("stat::number_of_executed_units:") {
            s.executions = v.trim().parse().unwrap_or(0);
        }
        // "#12345\tDONE   cov: 812 ft: 2301 corp: 140/9Kb ..."
        if line.starts_with('#') && (line.contains("DONE") || line.contains("pulse") || line.contains("NEW")) {
            let mut words = line.split_whitespace();
            while let Some(w) = words.next() {
                match w {
                    "cov:" => s.coverage = words.next().and_then(|v| v.parse().ok()).unwrap_or(s.coverage),
                    "ft:" => s.features = words.next().and_then(|v| v.parse().ok()).unwrap_or(s.features),
                    "corp:" => {
                        s.corpus = words
                            .next()
                            .and_then(|v| v.split('/').next())
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(s.corpus)
                    }
                    _ => {}
                }
            }
        }
    }
    s
}

/// A Markdown table of the runs.
pub fn print_table(stats: &[Stats]) {
    println!("\n| target | seconds | executions | coverage (cov) | features (ft) | corpus |");
    println!("|---|---:|---:|---:|---:|---:|");
    for s in stats {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            s.target, s.seconds, s.executions, s.coverage, s.features, s.corpus
        );
    }
    let total: u64 = stats.iter().map(|s| s.executions).sum();
    println!("| **all** | | **{total}** | | | |");
}
