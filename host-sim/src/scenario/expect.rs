//! What a scenario expects of the decision, and the field-by-field
//! comparison with what `decide` returned.

use super::format::{ExpectSpec, requirement_name};
use firmware::domain::{CopayRate, DocumentKind};
use firmware::rules::{Basis, CopayCheck, Decision, Outcome, Required};
use std::collections::BTreeSet;

/// The expectation of one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// Outcome.
    pub outcome: Outcome,
    /// Basis (`None`: the decision has none).
    pub basis: Option<Basis>,
    /// Copay charged (`None`: none charged).
    pub copay: Option<CopayRate>,
    /// What is still required, as a set of canonical requirement texts
    /// ("certificate | myna_card + notice").
    pub required: BTreeSet<String>,
    /// The same requirements as the firmware states them.
    pub required_docs: Required,
    /// Rule ids that fire, as a set.
    pub rules: BTreeSet<&'static str>,
    /// Whether the copay cross-check flags a mismatch.
    pub copay_mismatch: bool,
    /// Text the terminal's last screen must show.
    pub screen_text: Option<String>,
    /// Texts screens of the visit showed, in order.
    pub screens_shown: Vec<String>,
    /// Texts no screen of the visit showed.
    pub screens_not_shown: Vec<String>,
    /// The key-in the terminal refused: field and problem.
    pub keyin_rejected: Option<super::format::KeyInRejectedSpec>,
}

/// The comparable fields of a decision, as the same kind of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actual {
    /// Outcome.
    pub outcome: Outcome,
    /// Basis.
    pub basis: Option<Basis>,
    /// Copay charged.
    pub copay: Option<CopayRate>,
    /// What is still required (canonical requirement texts).
    pub required: BTreeSet<String>,
    /// Rules fired.
    pub rules: BTreeSet<&'static str>,
    /// Copay mismatch flagged.
    pub copay_mismatch: bool,
}

/// One compared field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    /// Field name as in `[expect]`.
    pub field: &'static str,
    /// Expected, as text.
    pub expected: String,
    /// Actual, as text.
    pub actual: String,
    /// Whether they differ.
    pub differs: bool,
    /// For sets: what is missing and what is unexpected.
    pub detail: Option<String>,
}

/// The scenario-file name of an outcome.
pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Accepted => "accepted",
        Outcome::Refused => "refused",
        Outcome::NeedsMore => "needs_more",
        Outcome::SelfDeclaration => "self_declaration",
    }
}

/// The scenario-file name of a basis.
pub fn basis_name(b: Basis) -> &'static str {
    match b {
        Basis::Online => "online",
        Basis::Certificate => "certificate",
        Basis::NoticeWithCard => "notice_with_card",
        Basis::PortalWithCard => "portal_with_card",
        Basis::OldCard => "old_card",
        Basis::OldCardOnlineChecked => "old_card_online_checked",
        Basis::NoticeOnlineChecked => "notice_online_checked",
        Basis::SelfDeclaration => "self_declaration",
        Basis::PublicAssistance => "public_assistance",
    }
}

/// The scenario-file name of a document kind.
pub fn kind_name(k: DocumentKind) -> &'static str {
    super::format::document_kind_name(k)
}

/// The canonical names of every requirement of `r`.
pub fn required_names(r: &Required) -> BTreeSet<String> {
    r.iter().map(requirement_name).collect()
}

impl Expectation {
    /// From the `[expect]` table; duplicate entries in a list are reported
    /// as `(key path, message)`.
    pub fn from_spec(e: &ExpectSpec) -> Result<Self, (String, String)> {
        let (outcome, basis) = (e.outcome, e.basis);
        let mut required = BTreeSet::new();
        let mut required_docs = Required::none();
        for (i, r) in e.required.iter().enumerate() {
            let name = requirement_name(&r.0);
            if !required.insert(name.clone()) {
                return Err((format!("expect.required[{i}]"), format!("\"{name}\" is listed twice")));
            }
            required_docs.add(r.0.clone());
        }
        let mut rules = BTreeSet::new();
        for (i, r) in e.rules.iter().enumerate() {
            if !rules.insert(r.0) {
                return Err((format!("expect.rules[{i}]"), format!("\"{}\" is listed twice", r.0)));
            }
        }
        Ok(Self {
            outcome,
            basis,
            copay: e.copay.map(|c| c.0),
            required,
            required_docs,
            rules,
            copay_mismatch: e.copay_mismatch,
            screen_text: e.screen_text.clone(),
            screens_shown: e.screens_shown.clone(),
            screens_not_shown: e.screens_not_shown.clone(),
            keyin_rejected: e.keyin_rejected,
        })
    }

    /// Compares every field with `actual`.
    pub fn compare(&self, actual: &Actual) -> Vec<FieldDiff> {
        fn opt<T>(v: Option<T>, f: impl Fn(T) -> &'static str) -> String {
            v.map_or_else(|| "(none)".to_string(), |x| f(x).to_string())
        }
        fn set<T: AsRef<str>>(s: &BTreeSet<T>) -> String {
            if s.is_empty() {
                "(none)".to_string()
            } else {
                s.iter().map(|x| x.as_ref()).collect::<Vec<_>>().join(", ")
            }
        }
        fn set_detail<T: AsRef<str> + Ord>(e: &BTreeSet<T>, a: &BTreeSet<T>) -> Option<String> {
            let missing: Vec<&str> = e.difference(a).map(|x| x.as_ref()).collect();
            let extra: Vec<&str> = a.difference(e).map(|x| x.as_ref()).collect();
            let mut parts = Vec::new();
            if !missing.is_empty() {
                parts.push(format!("missing: {}", missing.join(", ")));
            }
            if !extra.is_empty() {
                parts.push(format!("unexpected: {}", extra.join(", ")));
            }
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        let field = |field, expected: String, actual: String, detail| FieldDiff {
            field,
            differs: expected != actual,
            expected,
            actual,
            detail,
        };
        vec![
            field("outcome", outcome_name(self.outcome).into(), outcome_name(actual.outcome).into(), None),
            field("basis", opt(self.basis, basis_name), opt(actual.basis, basis_name), None),
            field("copay", opt(self.copay, CopayRate::ja), opt(actual.copay, CopayRate::ja), None),
            field("copay_mismatch", self.copay_mismatch.to_string(), actual.copay_mismatch.to_string(), None),
            field(
                "required",
                set(&self.required),
                set(&actual.required),
                required_detail(&self.required, &actual.required),
            ),
            field("rules", set(&self.rules), set(&actual.rules), set_detail(&self.rules, &actual.rules)),
        ]
    }
}

/// The difference of two requirement sets, and the line to write in the
/// file when they differ (files written before requirements could offer
/// alternatives list single kinds).
fn required_detail(e: &BTreeSet<String>, a: &BTreeSet<String>) -> Option<String> {
    let missing: Vec<&str> = e.difference(a).map(String::as_str).collect();
    let extra: Vec<&str> = a.difference(e).map(String::as_str).collect();
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("missing: {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("unexpected: {}", extra.join(", ")));
    }
    let quoted: Vec<String> = a.iter().map(|r| format!("\"{r}\"")).collect();
    parts.push(format!(
        "to expect what the terminal decided, write required = [{}] (\"|\": one of these, \"+\": together)",
        quoted.join(", ")
    ));
    Some(parts.join("; "))
}

impl Actual {
    /// The comparable fields of `d`.
    pub fn of(d: &Decision) -> Self {
        Self {
            outcome: d.outcome,
            basis: d.basis,
            copay: d.copay.map(|c| c.rate),
            required: required_names(&d.required),
            rules: d.fired.iter().map(|r| r.id.as_str()).collect(),
            copay_mismatch: matches!(d.copay_check, CopayCheck::Mismatch { .. }),
        }
    }
}
