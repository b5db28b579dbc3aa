//! Machine-readable reports of a run: JUnit XML (for CI test tabs) and JSON.

use super::expect::{basis_name, outcome_name};
use super::run::{RunSummary, ScenarioResult, Status, shown};
use serde_json::{Value, json};
use std::fmt::Write;
use std::str::FromStr;

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// JUnit XML.
    Junit,
    /// JSON.
    Json,
}

/// An unknown report format name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl std::fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown report format \"{}\": use junit or json", self.0)
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for ReportFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, UnknownFormat> {
        match s {
            "junit" => Ok(Self::Junit),
            "json" => Ok(Self::Json),
            other => Err(UnknownFormat(other.to_string())),
        }
    }
}

/// The report text of `summary` in `format`.
pub fn render(summary: &RunSummary, format: ReportFormat) -> String {
    match format {
        ReportFormat::Junit => junit(summary),
        ReportFormat::Json => json(summary),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn diff_text(r: &ScenarioResult) -> String {
    let Status::Failed(diffs) = &r.status else { return String::new() };
    let mut s = String::new();
    for d in diffs.iter().filter(|d| d.differs) {
        let _ = writeln!(s, "{}: expected {}; actual {}", d.field, d.expected, d.actual);
        if let Some(detail) = &d.detail {
            let _ = writeln!(s, "  {detail}");
        }
    }
    s
}

/// JUnit XML: one test suite, one test case per scenario (classname: the
/// lesson folder).
pub fn junit(summary: &RunSummary) -> String {
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<testsuites name="host-sim scenarios" tests="{}" failures="{}" errors="{}" time="{:.3}">"#,
        summary.results.len(),
        summary.failed(),
        summary.errors(),
        summary.elapsed.as_secs_f64()
    );
    let _ = writeln!(
        x,
        r#"  <testsuite name="scenarios" tests="{}" failures="{}" errors="{}" time="{:.3}">"#,
        summary.results.len(),
        summary.failed(),
        summary.errors(),
        summary.elapsed.as_secs_f64()
    );
    for r in &summary.results {
        let class = r.id.rsplit_once('/').map_or("scenarios", |(dir, _)| dir);
        let name = match &r.title {
            Some(t) => format!("{} {t}", r.id),
            None => r.id.clone(),
        };
        let _ = write!(x, r#"    <testcase classname="{}" name="{}""#, escape(class), escape(&name));
        match &r.status {
            Status::Passed => {
                let _ = writeln!(x, "/>");
            }
            Status::Failed(_) => {
                let _ = writeln!(x, ">");
                let _ = writeln!(
                    x,
                    r#"      <failure message="decision differs from the expectation">{}</failure>"#,
                    escape(&diff_text(r))
                );
                let _ = writeln!(x, "    </testcase>");
            }
            Status::Error(e) => {
                let _ = writeln!(x, ">");
                let _ = writeln!(x, r#"      <error message="{}"/>"#, escape(&e.to_string()));
                let _ = writeln!(x, "    </testcase>");
            }
        }
    }
    let _ = writeln!(x, "  </testsuite>");
    let _ = writeln!(x, "</testsuites>");
    x
}

/// JSON: counts, elapsed time, and per scenario its status, decision and
/// differing fields.
pub fn json(summary: &RunSummary) -> String {
    let scenarios: Vec<Value> = summary
        .results
        .iter()
        .map(|r| {
            let (status, diff, error) = match &r.status {
                Status::Passed => ("passed", Value::Null, Value::Null),
                Status::Failed(diffs) => (
                    "failed",
                    diffs
                        .iter()
                        .filter(|d| d.differs)
                        .map(|d| json!({"field": d.field, "expected": d.expected, "actual": d.actual, "detail": d.detail}))
                        .collect(),
                    Value::Null,
                ),
                Status::Error(e) => ("error", Value::Null, Value::String(e.to_string())),
            };
            let decision = r.actual.as_ref().map(|a| {
                json!({
                    "outcome": outcome_name(a.outcome),
                    "basis": a.basis.map(basis_name),
                    "copay": a.copay.map(|c| c.ja()),
                    "copay_mismatch": a.copay_mismatch,
                    "required": a.required,
                    "rules": a.rules,
                    "deciding_rule": r.deciding,
                })
            });
            json!({
                "id": r.id,
                "file": shown(&r.path),
                "title": r.title,
                "status": status,
                "decision": decision,
                "differences": diff,
                "error": error,
            })
        })
        .collect();
    let doc = json!({
        "total": summary.results.len(),
        "passed": summary.passed(),
        "failed": summary.failed(),
        "errors": summary.errors(),
        "elapsed_ms": summary.elapsed.as_secs_f64() * 1e3,
        "rules_expected": summary.rules_expected,
        "scenarios": scenarios,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
