//! 資格情報のお知らせ and the マイナポータル screen: only together with the
//! card, where the card cannot be read online.

use super::myna::card_unreadable_online;
use super::{PathResult, Stated};
use crate::domain::{Coverage, Document, DocumentKind};
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
use crate::rules::required::Together;
use crate::rules::rule::RuleKind;

/// Which of the two stand-ins to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StandIn {
    Notice,
    Portal,
}

pub(crate) fn coverage_of(doc: &Document, which: StandIn) -> Option<&Coverage> {
    match (doc, which) {
        (Document::Notice(n), StandIn::Notice) => Some(&n.coverage),
        (Document::Portal(p), StandIn::Portal) => Some(&p.coverage),
        _ => None,
    }
}

pub(crate) fn evaluate<'v>(cx: &mut Cx<'v>, which: StandIn) -> PathResult<'v> {
    let Some(coverage) = cx.documents().find_map(|d| coverage_of(d, which)) else {
        return PathResult::NotPresented;
    };
    let insurer = Some(&coverage.insurer);
    let (with_card, needs_card, basis, kind) = match which {
        StandIn::Notice => {
            (RuleKind::NoticeWithCard, RuleKind::NoticeNeedsCard, Basis::NoticeWithCard, DocumentKind::Notice)
        }
        StandIn::Portal => {
            (RuleKind::PortalWithCard, RuleKind::PortalNeedsCard, Basis::PortalWithCard, DocumentKind::Portal)
        }
    };
    if cx.card().is_none() {
        return match cx.fire(needs_card, insurer) {
            Some(rule) => {
                // This together with the card.
                cx.want_one_of(&[Together::one(DocumentKind::MynaCard).with(kind)]);
                PathResult::NeedsMore { rule }
            }
            None => PathResult::Rejected,
        };
    }
    if !card_unreadable_online(cx) {
        // The card can be read online here: the stand-in is not what counts.
        return PathResult::NotPresented;
    }
    match cx.fire(with_card, insurer) {
        Some(rule) => {
            let stated: Stated = coverage.copay.map(|c| (c, CopaySource::Document(kind)));
            PathResult::Accepted { basis, rule, stated, insurer }
        }
        None => PathResult::Rejected,
    }
}
