//! Documents the counter must see besides the basis: 公費 tickets always,
//! limit and specific-disease certificates when the online answer does not
//! cover them, the 高齢受給者証 for 70–74 on an old card.

use crate::domain::{Document, DocumentKind, OnlineAnswer};
use crate::rules::age::bracket;
use crate::rules::context::Cx;
use crate::rules::decision::Basis;
use crate::rules::rule::RuleKind;

/// Fires the accompanying-document rules for an accepted visit.
pub(crate) fn evaluate(cx: &mut Cx<'_>, basis: Basis, answer: Option<&OnlineAnswer>, copay_known: bool) {
    let date = cx.visit.date;
    let c = cx.visit.circumstances;
    if c.public_expense {
        cx.fire(RuleKind::PublicExpenseSeparate, None);
        if !valid_present(cx, DocumentKind::PublicExpense) {
            cx.require(DocumentKind::PublicExpense);
        }
    }
    if c.non_taxed_long_stay || c.premium_arrears {
        cx.fire(RuleKind::LimitMustApply, None);
        if !valid_present(cx, DocumentKind::Limit) {
            cx.require(DocumentKind::Limit);
        }
    } else if c.high_cost_care {
        if answer.is_some_and(|a| a.limit.is_some()) {
            cx.fire(RuleKind::LimitFromOnline, None);
        } else {
            cx.fire(RuleKind::LimitOnPaper, None);
            if !valid_present(cx, DocumentKind::Limit) {
                cx.require(DocumentKind::Limit);
            }
        }
    }
    if c.specific_disease {
        if answer.is_some_and(|a| a.disease.is_some()) {
            cx.fire(RuleKind::SpecificDiseaseFromOnline, None);
        } else {
            cx.fire(RuleKind::SpecificDiseaseOnPaper, None);
            if !valid_present(cx, DocumentKind::SpecificDisease) {
                cx.require(DocumentKind::SpecificDisease);
            }
        }
    }
    let seventy_to_74 =
        cx.visit.patient.as_ref().is_some_and(|p| bracket(p, date, false).0 == RuleKind::CopaySeventyToSeventyFour);
    if basis == Basis::OldCard && seventy_to_74 && !copay_known {
        cx.fire(RuleKind::ElderlyRecipientOnPaper, None);
        cx.require(DocumentKind::ElderlyRecipient);
    }
}

/// Whether a document of `kind` within its validity is on the counter.
fn valid_present(cx: &Cx<'_>, kind: DocumentKind) -> bool {
    let date = cx.visit.date;
    cx.documents().any(|d| match d {
        Document::Limit(l) => kind == DocumentKind::Limit && l.valid_until >= date,
        Document::SpecificDisease(s) => {
            kind == DocumentKind::SpecificDisease && s.valid_until.is_none_or(|u| u >= date)
        }
        Document::PublicExpense(p) => kind == DocumentKind::PublicExpense && p.valid_until.is_none_or(|u| u >= date),
        Document::ElderlyRecipient(e) => kind == DocumentKind::ElderlyRecipient && e.in_effect(date),
        _ => false,
    })
}
