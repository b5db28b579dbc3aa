//! What would establish coverage at this counter, for a decision that asks
//! for more or refuses: the alternatives the counter names, preferred first.

use super::myna::card_unreadable_online;
use crate::domain::DocumentKind as K;
use crate::rules::context::Cx;
use crate::rules::required::{MAX_ALTERNATIVES, Together};
use heapless::Vec;

/// The card together with the お知らせ, or with the マイナポータル screen.
pub(crate) const CARD_WITH_PAPER: [Together; 2] =
    [Together::one(K::MynaCard).with(K::Notice), Together::one(K::MynaCard).with(K::Portal)];

/// A 資格確認書, or the card with the お知らせ or the マイナポータル screen:
/// what settles a visit where the card cannot be read online.
pub(crate) const PAPER: [Together; 3] = [Together::one(K::Certificate), CARD_WITH_PAPER[0], CARD_WITH_PAPER[1]];

/// What would prove coverage at this facility on this day: the card where
/// it can be read online, a 資格確認書, the card with its お知らせ or
/// マイナポータル screen where it cannot.
pub(crate) fn coverage_proofs(cx: &Cx<'_>) -> Vec<Together, MAX_ALTERNATIVES> {
    let mut out = Vec::new();
    let readable = match cx.card() {
        Some(_) => !card_unreadable_online(cx),
        None => cx.visit.facility.can_read_card_online(),
    };
    if readable {
        let _ = out.push(Together::one(K::MynaCard));
        let _ = out.push(Together::one(K::Certificate));
    } else {
        for t in PAPER {
            let _ = out.push(t);
        }
    }
    out
}
