//! 健康保険証 (old paper card): until its printed expiry, never past the
//! national cap or its insurer's unified expiry, only if issued before
//! 2024-12-02, and only while nothing printed on it changed.

use super::{PathResult, Stated};
use crate::domain::{Document, DocumentKind, OldInsuranceCard, Scheme};
use crate::rules::age::late_elderly_first_day;
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
use crate::rules::rule::RuleKind;

/// Why an old card was turned down (the temporary measure only rescues
/// cards that merely expired).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OldCardState {
    Valid,
    Expired,
    Invalid,
}

pub(crate) fn evaluate<'v>(cx: &mut Cx<'v>) -> PathResult<'v> {
    let mut result = PathResult::NotPresented;
    for doc in cx.documents() {
        let Document::OldCard(card) = doc else { continue };
        let (state, rule) = judge(cx, card);
        result = match (state, rule) {
            (OldCardState::Valid, Some(rule)) => {
                let insurer = Some(&card.coverage.insurer);
                return PathResult::Accepted { basis: Basis::OldCard, rule, stated: stated_copay(cx, card), insurer };
            }
            _ => PathResult::Rejected,
        };
    }
    result
}

/// Judges one card, firing the rules that settle it.
pub(crate) fn judge(cx: &mut Cx<'_>, card: &OldInsuranceCard) -> (OldCardState, Option<&'static crate::rules::Rule>) {
    let date = cx.visit.date;
    let insurer = &card.coverage.insurer;
    if let Some((end, rule)) = cx.old_card_issue_end(insurer)
        && card.issued_on >= end
    {
        return (OldCardState::Invalid, Some(cx.fire_rule(rule)));
    }
    if card.face_changed_on.is_some_and(|d| d <= date) {
        return (OldCardState::Invalid, cx.fire(RuleKind::OldCardFaceChanged, Some(insurer)));
    }
    let turned_75 = cx.visit.patient.as_ref().and_then(late_elderly_first_day).is_some_and(|d| d <= date);
    if insurer.scheme() != Scheme::LateElderly && turned_75 {
        return (OldCardState::Invalid, cx.fire(RuleKind::OldCardSchemeEndedAt75, Some(insurer)));
    }
    // The card's last day: the earliest of its printed expiry and every cap
    // in force; on a tie the cap explains why the printed date is what it is.
    let cap = cx.old_card_last_day(insurer);
    let expired = match (card.valid_until, cap) {
        (Some(printed), Some((last, rule))) if last <= printed => (date > last).then_some(Some(rule)),
        (Some(printed), _) => (date > printed).then_some(None),
        (None, Some((last, rule))) => (date > last).then_some(Some(rule)),
        (None, None) => None,
    };
    match expired {
        Some(Some(cap_rule)) => (OldCardState::Expired, Some(cx.fire_rule(cap_rule))),
        Some(None) => (OldCardState::Expired, cx.fire(RuleKind::OldCardPrintedExpiry, Some(insurer))),
        None => (OldCardState::Valid, cx.fire(RuleKind::OldCardValid, Some(insurer))),
    }
}

fn stated_copay(cx: &Cx<'_>, card: &OldInsuranceCard) -> Stated {
    if let Some(c) = card.coverage.copay {
        return Some((c, CopaySource::Document(DocumentKind::OldCard)));
    }
    cx.documents().find_map(|d| match d {
        Document::ElderlyRecipient(e) if e.in_effect(cx.visit.date) => {
            Some((e.copay, CopaySource::Document(DocumentKind::ElderlyRecipient)))
        }
        _ => None,
    })
}
