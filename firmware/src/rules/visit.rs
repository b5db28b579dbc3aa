//! Everything `decide` looks at: one patient at one counter on one day.

use crate::domain::{Document, Facility, OnlineStatus, Person};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Most documents one visit can carry.
pub const MAX_DOCUMENTS: usize = 8;

/// How the card holder's identity was proven at the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum IdentityMethod {
    /// Face authentication.
    Face,
    /// 4-digit PIN.
    Pin,
    /// Staff visual check (目視確認モード).
    VisualCheck,
    /// The holder authenticated on the smartphone itself (iPhone: Face ID /
    /// Touch ID).
    Phone,
}

/// What the patient says about their situation (the clerk asks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Circumstances {
    /// Receives a public-expense programme (マル乳, マル障 ...).
    pub public_expense: bool,
    /// Needs the high-cost monthly cap applied (e.g. admission, costly care).
    pub high_cost_care: bool,
    /// Is in the specific-disease programme (dialysis, hemophilia, HIV).
    pub specific_disease: bool,
    /// Non-taxed household with more than 90 inpatient days in 12 months.
    pub non_taxed_long_stay: bool,
    /// Household in premium arrears.
    pub premium_arrears: bool,
}

/// One visit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Visit {
    /// The day of the visit (Japan time).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub date: NaiveDate,
    /// Where.
    pub facility: Facility,
    /// Who; `None` when the terminal does not know the birth date (a card
    /// session that failed before the online answer). Age checks are then
    /// skipped: no copay from age, no cross-check.
    pub patient: Option<Person>,
    /// What the patient says.
    pub circumstances: Circumstances,
    /// What is on the counter.
    pub documents: heapless::Vec<Document, MAX_DOCUMENTS>,
    /// How the card holder was identified, if a card was used at the reader.
    pub identity: Option<IdentityMethod>,
    /// What the online service said.
    pub online: OnlineStatus,
}
