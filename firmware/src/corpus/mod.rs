//! The decision corpus: visits with their expected decisions, as code, so the
//! same table runs in host tests and on boards (feature `corpus`).
//!
//! Every rule of the policy table is exercised on its boundary days (day
//! before, day of, day after), every document kind and every outcome.

mod builder;
mod cases;

pub use builder::{VisitBuilder, insurer};
pub use cases::CASES;

use crate::domain::CopayRate;
use crate::rules::{Basis, Decision, Outcome, Together, Visit};

/// What a case expects of the decision.
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    /// Outcome.
    pub outcome: Outcome,
    /// Basis.
    pub basis: Option<Basis>,
    /// Copay charged.
    pub copay: Option<CopayRate>,
    /// Whether the copay cross-check flags a mismatch.
    pub mismatch: bool,
    /// What is still required: each requirement as its alternatives (any
    /// order); requirements in any order.
    pub required: &'static [&'static [Together]],
    /// Ids of every rule that fires, in any order.
    pub rules: &'static [&'static str],
}

/// One case: a named visit and what it must decide.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Stable name (kebab-case).
    pub name: &'static str,
    /// Builds the visit.
    pub visit: fn() -> Visit,
    /// The expected decision.
    pub expect: Expect,
}

impl Expect {
    /// Whether `d` meets the expectation.
    pub fn matches(&self, d: &Decision) -> bool {
        d.outcome == self.outcome
            && d.basis == self.basis
            && d.copay.map(|c| c.rate) == self.copay
            && matches!(d.copay_check, crate::rules::CopayCheck::Mismatch { .. }) == self.mismatch
            && d.required.len() == self.required.len()
            && self.required.iter().all(|want| d.required.iter().any(|r| same_alternatives(r.alternatives(), want)))
            && d.fired.len() == self.rules.len()
            && d.fired.iter().all(|r| self.rules.contains(&r.id.as_str()))
    }
}

/// Whether two lists of alternatives hold the same ones (any order).
fn same_alternatives(a: &[Together], b: &[Together]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}
