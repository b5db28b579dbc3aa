//! Shared helpers for the cross-crate tests in `tests/tests/`.

use firmware::corpus::{Case, Expect};
use firmware::rules::Decision;
use std::fmt::Write as _;

/// A readable expected-vs-actual report for a case that failed.
pub fn diff(case: &Case, got: &Decision) -> String {
    let e: &Expect = &case.expect;
    let mut out = format!("case {}:\n", case.name);
    let mut line = |what: &str, want: String, have: String| {
        let mark = if want == have { " " } else { "✗" };
        let _ = writeln!(out, "  {mark} {what:<9} expected {want:<40} got {have}");
    };
    line("outcome", format!("{:?}", e.outcome), format!("{:?}", got.outcome));
    line("basis", format!("{:?}", e.basis), format!("{:?}", got.basis));
    line("copay", format!("{:?}", e.copay), format!("{:?}", got.copay.map(|c| c.rate)));
    let flagged = matches!(got.copay_check, firmware::rules::CopayCheck::Mismatch { .. });
    line("mismatch", format!("{}", e.mismatch), format!("{flagged}"));
    let mut want_req: Vec<_> = e.required.iter().map(|k| format!("{k:?}")).collect();
    let mut have_req: Vec<_> = got.required.iter().map(|k| format!("{k:?}")).collect();
    want_req.sort();
    have_req.sort();
    line("required", want_req.join(","), have_req.join(","));
    let mut want_rules: Vec<_> = e.rules.to_vec();
    let mut have_rules: Vec<_> = got.fired.iter().map(|r| r.id.as_str()).collect();
    want_rules.sort();
    have_rules.sort();
    line("rules", want_rules.join(","), have_rules.join(","));
    out
}
