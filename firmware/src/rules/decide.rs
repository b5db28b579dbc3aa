//! `decide`: the decision for one visit.
//!
//! The paths are tried in order of preference: the card online, the 資格確認書,
//! the notice or portal screen with the card, the old card, then the
//! temporary measures. The first path that establishes coverage wins; the
//! rules fired by the paths before it stay in the decision as the "why".
//! When no path accepts, a self-declaration (system failure, invalid answer)
//! comes before "needs more", and "refused" is what remains.

use super::age::bracket;
use super::context::Cx;
use super::decision::{Basis, Copay, CopayCheck, CopaySource, Decision, Outcome};
use super::paths::alternatives::{PAPER, coverage_proofs};
use super::paths::notice::StandIn;
use super::paths::{PathResult, Stated, accompanying, certificate, myna, notice, old_card, temporary};
use super::policy::Policy;
use super::required::Together;
use super::rule::{Known, Period, Rule, RuleId, RuleKind, Scope, Source};
use super::visit::Visit;
use crate::domain::{Document, DocumentKind, InsurerNumber, OnlineAnswer, QueryKey, Scheme};

/// Stands in as the deciding rule when a custom policy lacks the row a path
/// needs, so that a decision always names a rule.
static NO_RULE: Rule = Rule {
    id: RuleId("NO-RULE-IN-FORCE"),
    kind: RuleKind::NoValidDocument,
    scope: Scope::All,
    applies: Period::ALWAYS,
    known: Known::ALWAYS,
    ja: "この日に適用できる規則がありません。管理者に連絡してください。",
    en: "No rule of the policy table is in force for this case; contact the administrator.",
    source: Source::Inferred("policy table incomplete"),
};

/// Decides one visit under `policy`. Deterministic, allocation-free, and
/// total: every input gives a decision.
pub fn decide(visit: &Visit, policy: &Policy) -> Decision {
    decide_in(Cx::new(visit, policy))
}

fn decide_in<'v>(mut cx: Cx<'v>) -> Decision {
    let mut self_declaration = None;
    let mut needs_more = None;
    let paths: [fn(&mut Cx<'v>) -> PathResult<'v>; 7] = [
        |cx| myna::evaluate(cx),
        |cx| certificate::evaluate(cx),
        |cx| notice::evaluate(cx, StandIn::Notice),
        |cx| notice::evaluate(cx, StandIn::Portal),
        |cx| old_card::evaluate(cx),
        |cx| temporary::expired_old_card(cx),
        |cx| temporary::notice_alone(cx),
    ];
    for path in paths {
        match path(&mut cx) {
            PathResult::Accepted { basis, rule, stated, insurer } => {
                return accepted(cx, basis, rule, stated, insurer);
            }
            PathResult::SelfDeclaration { rule } => self_declaration = self_declaration.or(Some(rule)),
            PathResult::NeedsMore { rule } => needs_more = needs_more.or(Some(rule)),
            PathResult::NotPresented | PathResult::Rejected => {}
        }
    }
    if let Some(rule) = self_declaration {
        return declared(cx, rule);
    }
    if let Some(rule) = needs_more {
        return finish(cx, Outcome::NeedsMore, None, None, CopayCheck::NotChecked, rule);
    }
    let no_valid = cx.fire(RuleKind::NoValidDocument, None).unwrap_or(&NO_RULE);
    // A rule that says why (the measure ended ...) guides the counter better.
    let rule = cx.refusal.unwrap_or(no_valid);
    // What the paths asked for lost to "nothing valid": the counter names
    // what would prove coverage here instead.
    cx.proof.clear();
    cx.want_one_of(&coverage_proofs(&cx));
    finish(cx, Outcome::Refused, None, None, CopayCheck::NotChecked, rule)
}

fn accepted(
    mut cx: Cx<'_>,
    basis: Basis,
    rule: &'static Rule,
    stated: Stated,
    insurer: Option<&InsurerNumber>,
) -> Decision {
    // Documents asked for by paths that lost to this one are not needed.
    cx.proof.clear();
    let answer = match basis {
        Basis::Online | Basis::PublicAssistance => cx.answer(QueryKey::Card),
        Basis::OldCardOnlineChecked | Basis::NoticeOnlineChecked => cx.answer(QueryKey::Numbers),
        _ => None,
    };
    let late_elderly = insurer.is_some_and(|i| i.scheme() == Scheme::LateElderly);
    let (copay, check) = if basis == Basis::PublicAssistance {
        // The welfare office pays: no insurance copay, none from age.
        (None, CopayCheck::NotChecked)
    } else {
        settle_copay(&mut cx, stated, late_elderly, answer)
    };
    accompanying::evaluate(&mut cx, basis, answer, copay.is_some());
    finish(cx, Outcome::Accepted, Some(basis), copay, check, rule)
}

fn declared(mut cx: Cx<'_>, rule: &'static Rule) -> Decision {
    cx.proof.clear();
    let form = cx.documents().find_map(|d| match d {
        Document::SelfDeclaration(f) => Some(f),
        _ => None,
    });
    let (stated, late_elderly) = match form {
        Some(f) => {
            cx.fire(RuleKind::SelfDeclarationAccepted, None);
            let late = f.insurer.as_ref().is_some_and(|i| i.scheme() == Scheme::LateElderly);
            (f.declared_copay.map(|c| (c, CopaySource::Declared)), late)
        }
        None => {
            let form = Together::one(DocumentKind::SelfDeclaration);
            match rule.kind {
                // A failure of the equipment: a paper proof settles the
                // visit with less trouble than the form, when the patient
                // holds one.
                RuleKind::SystemFailure => {
                    let [a, b, c] = PAPER;
                    cx.want_one_of(&[a, b, c, form]);
                }
                // A newer coverage: a document of it, or the form.
                RuleKind::OnlineNewerCoverage => {
                    cx.want_one_of(&[Together::one(DocumentKind::Certificate), form]);
                }
                _ => cx.want(DocumentKind::SelfDeclaration),
            }
            (None, false)
        }
    };
    if stated.is_none() && cx.visit.patient.is_some() {
        // Not confirmed: the normal copay by age, never 10割.
        cx.fire(RuleKind::CopayUnconfirmedByAge, None);
    }
    let (copay, check) = settle_copay(&mut cx, stated, late_elderly, None);
    accompanying::evaluate(&mut cx, Basis::SelfDeclaration, None, copay.is_some());
    finish(cx, Outcome::SelfDeclaration, Some(Basis::SelfDeclaration), copay, check, rule)
}

/// The copay to charge: the stated one, cross-checked against age; or the
/// age-derived one when the age allows only one ratio.
fn settle_copay(
    cx: &mut Cx<'_>,
    stated: Stated,
    late_elderly: bool,
    answer: Option<&OnlineAnswer>,
) -> (Option<Copay>, CopayCheck) {
    let late =
        late_elderly || answer.and_then(|a| a.insurer.as_ref()).is_some_and(|i| i.scheme() == Scheme::LateElderly);
    let Some(patient) = cx.visit.patient.as_ref() else {
        // Birth date unknown: keep a stated copay unchecked, derive nothing.
        return (stated.map(|(rate, source)| Copay { rate, source }), CopayCheck::NotChecked);
    };
    let (kind, expected) = bracket(patient, cx.visit.date, late);
    match stated {
        Some((rate, source)) if expected.allows(rate) => (Some(Copay { rate, source }), CopayCheck::Consistent),
        Some((rate, source)) => {
            cx.fire(RuleKind::CopayMismatch, None);
            cx.fire(kind, None);
            (Some(Copay { rate, source }), CopayCheck::Mismatch { expected, stated: rate })
        }
        None => {
            cx.fire(kind, None);
            (expected.unique().map(|rate| Copay { rate, source: CopaySource::Age }), CopayCheck::NotChecked)
        }
    }
}

fn finish(
    cx: Cx<'_>,
    outcome: Outcome,
    basis: Option<Basis>,
    copay: Option<crate::rules::decision::Copay>,
    copay_check: CopayCheck,
    deciding: &'static Rule,
) -> Decision {
    Decision { outcome, basis, copay, copay_check, required: cx.required(), fired: cx.fired, deciding }
}
