//! マイナ保険証: the card or a smartphone, identity, and the online answer.

use super::alternatives::{CARD_WITH_PAPER, PAPER};
use super::{PathResult, Stated};
use crate::domain::{DocumentKind, MynaCard, OnlineStatus, QueryKey, Validity};
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
use crate::rules::required::Together;
use crate::rules::rule::RuleKind;
use crate::rules::validity;

/// Whether the card on the counter cannot be checked online here (so the
/// notice or portal screen may stand in for the online answer).
pub(crate) fn card_unreadable_online(cx: &Cx<'_>) -> bool {
    let Some(card) = cx.card() else { return false };
    let f = cx.visit.facility;
    !f.can_read_card_online()
        || !usable_on_reader(cx, card)
        || matches!(cx.visit.online, OnlineStatus::Timeout | OnlineStatus::ServiceError)
}

fn usable_on_reader(cx: &Cx<'_>, card: &MynaCard) -> bool {
    validity::usable_at_reader(cx.policy, card, &cx.visit.facility, cx.visit.date)
}

pub(crate) fn evaluate<'v>(cx: &mut Cx<'v>) -> PathResult<'v> {
    let Some(card) = cx.card() else { return PathResult::NotPresented };
    let facility = cx.visit.facility;
    let date = cx.visit.date;
    if !facility.online_capable {
        return needs(cx, RuleKind::OfflineCardNeedsNotice, &CARD_WITH_PAPER);
    }
    if card.medium.is_phone() {
        if cx.in_force(RuleKind::PhoneNotYetAccepted, None) {
            return needs(
                cx,
                RuleKind::PhoneNotYetAccepted,
                &[Together::one(DocumentKind::MynaCard), Together::one(DocumentKind::Certificate)],
            );
        }
        if !facility.phone_reader {
            return needs(
                cx,
                RuleKind::PhoneNeedsReader,
                &[Together::one(DocumentKind::MynaCard).with(DocumentKind::Portal)],
            );
        }
        if date > card.certificate_valid_until {
            // No grace for phones.
            return needs(
                cx,
                RuleKind::PhoneCertificateExpired,
                &[Together::one(DocumentKind::MynaCard), Together::one(DocumentKind::Certificate)],
            );
        }
    } else if date > card.certificate_valid_until {
        match validity::grace_last_day(cx.policy, card.certificate_valid_until, date) {
            Some((last, rule)) if date <= last => {
                cx.fire_rule(rule);
            }
            _ => return needs(cx, RuleKind::CardCertificateExpired, &PAPER),
        }
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
    // The card was read and checked online: the reader warns around the
    // certificate's expiry.
    if !card.medium.is_phone() {
        renewal_alert(cx, card);
    }
    if card.medium.is_phone() {
        cx.fire(RuleKind::PhoneAccepted, None);
    }
    let insurer = answer.insurer.as_ref();
    match answer.validity {
        Validity::Valid => match cx.fire(RuleKind::OnlineValid, insurer) {
            Some(rule) => {
                let stated: Stated = answer.stated_copay(cx.visit.date).map(|c| (c, CopaySource::Online));
                PathResult::Accepted { basis: Basis::Online, rule, stated, insurer }
            }
            None => PathResult::Rejected,
        },
        Validity::PublicAssistance => match cx.fire(RuleKind::OnlinePublicAssistance, None) {
            // The welfare office pays; no insurance copay to state or derive.
            Some(rule) => PathResult::Accepted { basis: Basis::PublicAssistance, rule, stated: None, insurer: None },
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

/// Fires the renewal alert when the visit falls in its window around the
/// card certificate's expiry.
fn renewal_alert(cx: &mut Cx<'_>, card: &MynaCard) {
    if let Some(rule) = validity::renewal_alert(cx.policy, card.certificate_valid_until, cx.visit.date) {
        cx.fire_rule(rule);
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
