//! マイナ保険証: the card, identity, and the online answer.

use super::{PathResult, Stated};
use crate::domain::{DocumentKind, OnlineStatus, QueryKey, Validity};
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
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
        return needs(cx, RuleKind::OfflineCardNeedsNotice, Some(DocumentKind::Notice));
    }
    if cx.visit.date > card.certificate_valid_until {
        return needs(cx, RuleKind::CardCertificateExpired, Some(DocumentKind::Certificate));
    }
    if !card.registered {
        return needs(cx, RuleKind::CardNotRegistered, None);
    }
    if facility.equipment_failed() || matches!(cx.visit.online, OnlineStatus::Timeout | OnlineStatus::ServiceError) {
        return match cx.fire(RuleKind::SystemFailure, None) {
            Some(rule) => PathResult::SelfDeclaration { rule },
            None => PathResult::Rejected,
        };
    }
    let answer = match (cx.visit.identity, cx.answer(QueryKey::Card)) {
        (Some(_), Some(answer)) => answer,
        _ => return needs(cx, RuleKind::IdentityRequired, None),
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
        Validity::InvalidNewerExists => needs(cx, RuleKind::OnlineNewerCoverage, None),
        Validity::Multiple => needs(cx, RuleKind::OnlineMultiple, None),
    }
}

fn needs<'v>(cx: &mut Cx<'v>, kind: RuleKind, want: Option<DocumentKind>) -> PathResult<'v> {
    match cx.fire(kind, None) {
        Some(rule) => {
            if let Some(k) = want {
                cx.want(k);
            }
            PathResult::NeedsMore { rule }
        }
        None => PathResult::Rejected,
    }
}
