//! Temporary measures (2025-12-02 .. 2026-03-31 as announced on 2025-11-12,
//! extended to 2026-07-31 on 2026-03-19): an expired old card, or the notice
//! alone, accepted when the facility confirms coverage online by the printed
//! numbers. From 2026-08-01 the measure has ended, and says so.

use super::notice::{StandIn, coverage_of};
use super::old_card::{OldCardState, judge};
use super::{PathResult, Stated};
use crate::domain::{Document, InsurerNumber, QueryKey, Validity};
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
use crate::rules::rule::RuleKind;

pub(crate) fn expired_old_card<'v>(cx: &mut Cx<'v>) -> PathResult<'v> {
    let mut candidate = None;
    for doc in cx.documents() {
        let Document::OldCard(card) = doc else { continue };
        // Already judged (and its rules fired) by the old-card path.
        if judge(cx, card).0 == OldCardState::Expired {
            candidate = Some(&card.coverage.insurer);
            break;
        }
    }
    match candidate {
        Some(insurer) => confirmed_online(cx, RuleKind::TemporaryExpiredOldCard, Basis::OldCardOnlineChecked, insurer),
        None => PathResult::NotPresented,
    }
}

pub(crate) fn notice_alone<'v>(cx: &mut Cx<'v>) -> PathResult<'v> {
    if cx.card().is_some() {
        return PathResult::NotPresented;
    }
    match cx.documents().find_map(|d| coverage_of(d, StandIn::Notice)) {
        Some(coverage) => {
            confirmed_online(cx, RuleKind::TemporaryNoticeAlone, Basis::NoticeOnlineChecked, &coverage.insurer)
        }
        None => PathResult::NotPresented,
    }
}

fn confirmed_online<'v>(cx: &mut Cx<'v>, kind: RuleKind, basis: Basis, insurer: &'v InsurerNumber) -> PathResult<'v> {
    if !cx.in_force(kind, Some(insurer)) {
        if let Some(rule) = cx.fire(RuleKind::TemporaryMeasureEnded, Some(insurer)) {
            cx.refusal = cx.refusal.or(Some(rule));
            return PathResult::Rejected;
        }
        return PathResult::NotPresented;
    }
    match cx.answer(QueryKey::Numbers) {
        Some(answer) if answer.validity == Validity::Valid => match cx.fire(kind, Some(insurer)) {
            Some(rule) => {
                let stated: Stated = answer.stated_copay(cx.visit.date).map(|c| (c, CopaySource::Online));
                PathResult::Accepted { basis, rule, stated, insurer: Some(insurer) }
            }
            None => PathResult::Rejected,
        },
        // Asked, and the service did not confirm coverage.
        Some(_) => PathResult::Rejected,
        // Not asked yet: the measure applies once the facility checks online.
        None if cx.visit.facility.can_query_by_numbers() => match cx.fire(kind, Some(insurer)) {
            Some(rule) => PathResult::NeedsMore { rule },
            None => PathResult::Rejected,
        },
        None => PathResult::NotPresented,
    }
}
