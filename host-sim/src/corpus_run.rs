//! `host-sim run` without scenario files: the built-in checks, run in this
//! process through the same firmware code a board runs.

use crate::board_peer::{CHALLENGE, expected};
use firmware::corpus::CASES;
use firmware::rules::{Policy, decide};
use std::time::Instant;

/// Runs the smoke check and the decision corpus; prints one line per failed
/// case and a summary. Fails when anything does not match.
pub fn run() -> Result<(), String> {
    let start = Instant::now();
    let smoke_ok = Some(firmware::smoke::answer(&CHALLENGE)) == expected(&CHALLENGE);
    println!("smoke: date check {}", if smoke_ok { "passed" } else { "FAILED" });
    let policy = Policy::national();
    let mut failed = 0;
    for case in CASES {
        let decision = decide(&(case.visit)(), &policy);
        if case.expect.matches(&decision) {
            continue;
        }
        failed += 1;
        println!("FAIL {}", case.name);
        println!("  expected: {:?}", case.expect);
        println!(
            "  got:      outcome {:?}, basis {:?}, copay {:?}, check {:?}, required {:?}, rules {:?}",
            decision.outcome,
            decision.basis,
            decision.copay,
            decision.copay_check,
            decision.required,
            decision.fired.iter().map(|r| r.id.as_str()).collect::<Vec<_>>()
        );
    }
    println!(
        "decision corpus: {} cases, {} passed, {failed} failed ({:.1} ms)",
        CASES.len(),
        CASES.len() - failed,
        start.elapsed().as_secs_f64() * 1e3
    );
    if failed == 0 && smoke_ok { Ok(()) } else { Err(format!("{failed} case(s) failed")) }
}
