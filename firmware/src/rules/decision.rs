//! The result of `decide`: outcome, basis, copay, what else the counter must
//! see, and the rules that fired.

use super::Policy;
use super::required::Required;
use super::rule::Rule;
use crate::domain::{CopayRate, DocumentKind};
use serde::{Deserialize, Serialize};

/// Most rules one decision records.
pub const MAX_FIRED: usize = 16;

/// What happens with the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Covered by insurance on the given basis.
    Accepted,
    /// Not covered: nothing presented proves coverage.
    Refused,
    /// Something specific is missing (a document, an identity check, a choice).
    NeedsMore,
    /// Covered on the self-declaration form at the normal copay.
    SelfDeclaration,
}

/// What the coverage was established on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// マイナ保険証 checked online.
    Online,
    /// 資格確認書.
    Certificate,
    /// 資格情報のお知らせ with the card.
    NoticeWithCard,
    /// マイナポータル screen with the card.
    PortalWithCard,
    /// 健康保険証 within its validity.
    OldCard,
    /// Expired 健康保険証, coverage confirmed online (temporary measure).
    OldCardOnlineChecked,
    /// お知らせ alone, coverage confirmed online (temporary measure).
    NoticeOnlineChecked,
    /// 被保険者資格申立書.
    SelfDeclaration,
    /// Public assistance (医療扶助) confirmed online with the card.
    PublicAssistance,
}

/// Where the copay ratio came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CopaySource {
    /// The online answer.
    Online,
    /// A printed document.
    Document(DocumentKind),
    /// The patient's declaration on the form.
    Declared,
    /// Derived from age, because nothing stated it.
    Age,
}

/// The copay the counter charges, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Copay {
    /// The ratio.
    pub rate: CopayRate,
    /// Its source.
    pub source: CopaySource,
}

/// Copay ratios the law allows for a patient's age on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ExpectedCopay {
    /// Exactly one ratio (preschool 20%, working age 30%).
    Exactly(CopayRate),
    /// 70–74: 20%, or 30% for high earners.
    TwentyOrThirty,
    /// Late-stage elderly: 10%, 20% or 30%.
    AnyLateElderly,
}

impl ExpectedCopay {
    /// Whether `rate` is allowed.
    pub fn allows(self, rate: CopayRate) -> bool {
        match self {
            Self::Exactly(r) => r == rate,
            Self::TwentyOrThirty => matches!(rate, CopayRate::Twenty | CopayRate::Thirty),
            Self::AnyLateElderly => true,
        }
    }

    /// The ratio when only one is allowed.
    pub fn unique(self) -> Option<CopayRate> {
        match self {
            Self::Exactly(r) => Some(r),
            _ => None,
        }
    }
}

/// Result of cross-checking the copay against age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CopayCheck {
    /// No stated copay to check (none, or derived from age).
    NotChecked,
    /// The stated copay fits the age.
    Consistent,
    /// The stated copay does not fit the age; it is kept, and flagged.
    Mismatch {
        /// What the age allows.
        expected: ExpectedCopay,
        /// What was stated.
        stated: CopayRate,
    },
}

/// The decision for one visit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Decision {
    /// What happens.
    pub outcome: Outcome,
    /// What the coverage rests on (accepted and self-declaration outcomes).
    pub basis: Option<Basis>,
    /// The copay to charge, when known.
    pub copay: Option<Copay>,
    /// The copay cross-check.
    pub copay_check: CopayCheck,
    /// What the counter must still see to settle the visit: for a refused
    /// or needs-more visit, what would make it valid; for an accepted one,
    /// the accompanying documents still missing.
    pub required: Required,
    /// Every rule that fired, in order.
    pub fired: heapless::Vec<&'static Rule, MAX_FIRED>,
    /// The rule that settled the outcome: its text is the counter guidance.
    pub deciding: &'static Rule,
}

impl Decision {
    /// Guidance for the counter (Japanese).
    pub fn guidance_ja(&self) -> &'static str {
        self.deciding.ja
    }

    /// Guidance for logs and reports (English).
    pub fn guidance_en(&self) -> &'static str {
        self.deciding.en
    }

    /// Whether the rule with this id fired.
    pub fn fired(&self, id: &str) -> bool {
        self.fired.iter().any(|r| r.id.as_str() == id)
    }

    /// A compact, serialisable form for comparing decisions across targets
    /// (rules as indices into `policy`).
    pub fn digest(&self, policy: &Policy) -> DecisionDigest {
        let index = |r: &Rule| policy.index_of(r).and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX);
        DecisionDigest {
            outcome: self.outcome,
            basis: self.basis,
            copay: self.copay,
            copay_check: self.copay_check,
            required: self.required.clone(),
            fired: self.fired.iter().map(|r| index(r)).collect(),
            deciding: index(self.deciding),
        }
    }
}

impl DecisionDigest {
    /// The decision this digest stands for, with the rules of `policy`;
    /// `None` when an index is not in the table.
    pub fn to_decision(&self, policy: &Policy) -> Option<Decision> {
        let rule = |i: u8| policy.rules().get(usize::from(i));
        let mut fired = heapless::Vec::new();
        for &i in &self.fired {
            fired.push(rule(i)?).ok()?;
        }
        Some(Decision {
            outcome: self.outcome,
            basis: self.basis,
            copay: self.copay,
            copay_check: self.copay_check,
            required: self.required.clone(),
            fired,
            deciding: rule(self.deciding)?,
        })
    }
}

/// [`Decision`] with rules as table indices: what a board sends back to the
/// host so both runs can be compared exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DecisionDigest {
    /// Outcome.
    pub outcome: Outcome,
    /// Basis.
    pub basis: Option<Basis>,
    /// Copay.
    pub copay: Option<Copay>,
    /// Copay cross-check.
    pub copay_check: CopayCheck,
    /// What is still required.
    pub required: Required,
    /// Fired rules (table indices).
    pub fired: heapless::Vec<u8, MAX_FIRED>,
    /// Deciding rule (table index).
    pub deciding: u8,
}
