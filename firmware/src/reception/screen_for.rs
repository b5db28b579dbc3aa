//! Which screen shows a decision.

use crate::domain::{DocumentKind, OnlineAnswer};
use crate::rules::{Basis, Decision, Outcome};
use crate::ui::{FallbackKind, RuleTag, Screen};

/// Shown when a rule id does not fit a tag (ids are checked by a test).
const UNTAGGED: RuleTag = match RuleTag::new("RULE") {
    Some(t) => t,
    None => panic!("RULE is a valid tag"),
};

/// The screen for `decision`; `answer` is the online answer it rests on, if
/// any (limit class, disease and elderly status come from it).
pub fn screen_for(decision: &Decision, answer: Option<&OnlineAnswer>) -> Screen {
    let rule = RuleTag::new(decision.deciding.id.as_str()).unwrap_or(UNTAGGED);
    let fallback = |kind| Screen::Fallback { kind, rule };
    match decision.outcome {
        // The welfare office pays: no insurance copay to show.
        Outcome::Accepted if decision.basis == Some(Basis::PublicAssistance) => Screen::PublicAssistance,
        Outcome::Accepted => match decision.copay {
            Some(copay) => Screen::Result {
                copay: copay.rate,
                limit: answer.and_then(|a| a.limit),
                disease: answer.and_then(|a| a.disease),
                elderly: answer.is_some_and(|a| a.elderly.is_some()),
            },
            // Accepted, but the copay must come from a document still missing
            // (70–74 on an old card without the 高齢受給者証).
            None => fallback(wanted(decision)),
        },
        Outcome::SelfDeclaration => match wanted(decision) {
            FallbackKind::PaperOrSelfDeclaration => fallback(FallbackKind::PaperOrSelfDeclaration),
            _ => fallback(FallbackKind::SelfDeclaration),
        },
        Outcome::NeedsMore => fallback(wanted(decision)),
        // Nothing presented is valid: staff explain at the counter.
        Outcome::Refused => fallback(FallbackKind::AtCounter),
    }
}

/// What the first requirement asks the patient to show: one document, or
/// the choice it offers; staff at the counter when nothing is to be shown.
fn wanted(decision: &Decision) -> FallbackKind {
    let Some(first) = decision.required.iter().next() else { return FallbackKind::AtCounter };
    if first.alternatives().len() > 1 {
        return if first.mentions(DocumentKind::SelfDeclaration) {
            FallbackKind::PaperOrSelfDeclaration
        } else if first.mentions(DocumentKind::Certificate) && first.mentions(DocumentKind::Notice) {
            FallbackKind::CertificateOrNotice
        } else if first.mentions(DocumentKind::Notice) && first.mentions(DocumentKind::Portal) {
            FallbackKind::NoticeOrPortal
        } else {
            FallbackKind::AtCounter
        };
    }
    // One alternative: the document besides the card names the screen.
    let only = first.alternatives().first().copied();
    let kind = only.and_then(|t| t.kinds().find(|k| *k != DocumentKind::MynaCard).or_else(|| t.kinds().next()));
    match kind {
        Some(DocumentKind::Portal) => FallbackKind::PortalScreen,
        Some(DocumentKind::Notice | DocumentKind::MynaCard) => FallbackKind::NoticeWithCard,
        Some(DocumentKind::Certificate) => FallbackKind::Certificate,
        Some(DocumentKind::SelfDeclaration) => FallbackKind::SelfDeclaration,
        Some(DocumentKind::OldCard) => FallbackKind::OldCard,
        Some(DocumentKind::ElderlyRecipient) => FallbackKind::ElderlyRecipient,
        _ => FallbackKind::AtCounter,
    }
}
