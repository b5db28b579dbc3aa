//! The online eligibility service's answer, shaped after the fields receipt
//! software reads (DOMAIN.md §4), kept small.

use super::{CopayRate, InsurerNumber, LimitClass, SpecificDisease};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `QualificationValidity` of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Validity {
    /// 1: valid (有効).
    Valid,
    /// 2: invalid (資格(無効)).
    Invalid,
    /// 3: invalid, a newer coverage exists (新しい資格あり).
    InvalidNewerExists,
    /// 4: no coverage found (資格情報なし).
    NotFound,
    /// 5: several coverages found (複数該当).
    Multiple,
    /// 6: valid, not registered as an insurance coverage: public assistance
    /// (医療扶助) only.
    PublicAssistance,
}

impl Validity {
    /// From the service's code 1..=5.
    pub const fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Self::Valid),
            2 => Some(Self::Invalid),
            3 => Some(Self::InvalidNewerExists),
            4 => Some(Self::NotFound),
            5 => Some(Self::Multiple),
            6 => Some(Self::PublicAssistance),
            _ => None,
        }
    }

    /// The service's code.
    pub const fn code(self) -> u8 {
        match self {
            Self::Valid => 1,
            Self::Invalid => 2,
            Self::InvalidNewerExists => 3,
            Self::NotFound => 4,
            Self::Multiple => 5,
            Self::PublicAssistance => 6,
        }
    }
}

/// `InsuredCardClassification` of the answer, as far as the rules tell them
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CardClass {
    /// `A1`: public assistance (医療扶助, 医療券).
    PublicAssistance,
    /// Any other two-character code (insurance cards and certificates).
    Other([u8; 2]),
}

impl CardClass {
    /// From the service's two-character code; `None` when not two ASCII
    /// letters or digits.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.as_bytes() {
            b"A1" => Some(Self::PublicAssistance),
            &[a, b] if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => Some(Self::Other([a, b])),
            _ => None,
        }
    }
}

/// `ElderlyRecipientCertificateInfo`: the 70–74 copay the service holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ElderlyInfo {
    /// Copay ratio (2割 or 3割).
    pub copay: CopayRate,
    /// First day the ratio applies.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_from: Option<NaiveDate>,
    /// Last day the ratio applies.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: Option<NaiveDate>,
}

/// What the service answered for one query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OnlineAnswer {
    /// `QualificationValidity`.
    pub validity: Validity,
    /// `InsurerNumber` of the coverage found.
    pub insurer: Option<InsurerNumber>,
    /// `InsuredCardClassification` (A1: public assistance).
    #[serde(default)]
    pub card_class: Option<CardClass>,
    /// `InsuredPartialContributionRatio`.
    pub copay: Option<CopayRate>,
    /// `PreschoolClassification`: the patient is below school age.
    pub preschool: bool,
    /// `ElderlyRecipientCertificateInfo`.
    pub elderly: Option<ElderlyInfo>,
    /// `LimitApplicationCertificateRelatedInfo` classification.
    pub limit: Option<LimitClass>,
    /// `SpecificDiseasesCertificateInfo`.
    pub disease: Option<SpecificDisease>,
    /// `QualificationDate`: coverage start.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub qualified_on: Option<NaiveDate>,
    /// `DisqualificationDate` (資格喪失日): the first day *without* coverage, if any.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub disqualified_on: Option<NaiveDate>,
    /// `Birthdate` of the insured person (for the copay cross-check).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub birth_date: Option<NaiveDate>,
}

impl OnlineAnswer {
    /// A plain "valid" answer with the given copay and nothing else.
    pub fn valid(copay: CopayRate) -> Self {
        Self {
            validity: Validity::Valid,
            insurer: None,
            card_class: None,
            copay: Some(copay),
            preschool: false,
            elderly: None,
            limit: None,
            disease: None,
            qualified_on: None,
            disqualified_on: None,
            birth_date: None,
        }
    }

    /// An answer carrying only a validity code other than "valid".
    pub fn with_validity(validity: Validity) -> Self {
        Self { validity, copay: None, ..Self::valid(CopayRate::Thirty) }
    }

    /// The copay the answer states for `date`: the elderly ratio on the days
    /// its validity covers, the plain ratio otherwise.
    pub fn stated_copay(&self, date: NaiveDate) -> Option<CopayRate> {
        self.elderly
            .filter(|e| e.valid_from.is_none_or(|f| f <= date) && e.valid_until.is_none_or(|u| date <= u))
            .map(|e| e.copay)
            .or(self.copay)
    }
}

/// How the facility asked the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum QueryKey {
    /// With the My Number card's certificate after identity verification.
    Card,
    /// With insurer number + symbol/number/branch + birth date keyed in from
    /// a paper document.
    Numbers,
}

/// The outcome of asking the online service for this visit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum OnlineStatus {
    /// Not asked (offline facility, or nothing to ask with).
    NotQueried,
    /// The service answered.
    Answered {
        /// How it was asked.
        by: QueryKey,
        /// The answer.
        answer: OnlineAnswer,
    },
    /// No answer in time.
    Timeout,
    /// The service answered with an error.
    ServiceError,
}
