//! マイナ保険証: the card, identity, and the online answer.

use super::alternatives::{CARD_WITH_PAPER, PAPER};
use super::{PathResult, Stated};
use crate::domain::{OnlineStatus, QueryKey, Validity};
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
use crate::rules::required::Together;
use crate::rules::rule::RuleKind;

/// Whether the card on the counter cannot be checked online here (so the
/// notice or portal screen may stand in for the online answer).
pub(crate) fn card_unreadable_online(cx: &Cx<'_>) -> bool {
    let Some(card) = cx.card() else { return false };
    let f = cx.visit.facility;
    !f.can_read_card_online()
        || cx.visit.date > card.certificate_valid_until
        || matches!(cx.visit.online, OnlineStatus::Timeout | OnlineStatus::ServiceError)
}

pub(crate) fn evaluate<'v>(cx: &mut Cx<'v>) -> PathResult<'v> {
    let Some(card) = cx.card() else { return PathResult::NotPresented };
    let facility = cx.visit.facility;
    if !facility.online_capable {
        return needs(cx, RuleKind::OfflineCardNeedsNotice, &CARD_WITH_PAPER);
    }
    if cx.visit.date > card.certificate_valid_until {
        return needs(cx, RuleKind::CardCertificateExpired, &PAPER);
    }
    if !card.registered {
        return needs(cx, RuleKind::CardNotRegistered, &[]);
    }
    if facility.equipment_failed() || matches!(cx.visit.online, OnlineStatus::Timeout | OnlineStatus::ServiceError) {
        return match cx.fire(RuleKind::SystemFailure, None) {
            Some(rule) => PathResult::SelfDeclaration { rule },
            None => PathResult::Rejected,
        };
    }
    let answer = match (cx.visit.identity, cx.answer(QueryKey::Card)) {
        (Some(_), Some(answer)) => answer,
        _ => return needs(cx, RuleKind::IdentityRequired, &[]),
    };
    let insurer = answer.insurer.as_ref();
    match answer.validity {
        Validity::Valid => match cx.fire(RuleKind::OnlineValid, insurer) {
            Some(rule) => {
                let stated: Stated = answer.stated_copay(cx.visit.date).map(|c| (c, CopaySource::Online));
                PathResult::Accepted { basis: Basis::Online, rule, stated, insurer }
            }
            None => PathResult::Rejected,
        },
        Validity::Invalid | Validity::NotFound => {
            let kind =
                if answer.validity == Validity::Invalid { RuleKind::OnlineInvalid } else { RuleKind::OnlineNotFound };
            match cx.fire(kind, insurer) {
                Some(rule) => PathResult::SelfDeclaration { rule },
                None => PathResult::Rejected,
            }
        }
        // A newer coverage exists but is not on the card yet: as with an
        // invalid answer, the self-declaration form at the normal copay,
        // unless the patient holds a document of the new coverage.
        Validity::InvalidNewerExists => match cx.fire(RuleKind::OnlineNewerCoverage, insurer) {
            Some(rule) => PathResult::SelfDeclaration { rule },
            None => PathResult::Rejected,
        },
        Validity::Multiple => needs(cx, RuleKind::OnlineMultiple, &[]),
    }
}

fn needs<'v>(cx: &mut Cx<'v>, kind: RuleKind, one_of: &[Together]) -> PathResult<'v> {
    match cx.fire(kind, None) {
        Some(rule) => {
            if !one_of.is_empty() {
                cx.want_one_of(one_of);
            }
            PathResult::NeedsMore { rule }
        }
        None => PathResult::Rejected,
    }
}
