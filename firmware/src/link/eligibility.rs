//! Messages between the terminal and the online eligibility service.

use crate::domain::{InsurerNumber, MemberId, OnlineAnswer};
use chrono::NaiveDate;
use core::fmt;
use serde::{Deserialize, Serialize};

/// Longest certificate serial number (RFC 5280: at most 20 octets).
pub const MAX_SERIAL: usize = 20;

/// What identifies the patient to the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum QueryBy {
    /// The serial number of the card's user-authentication certificate,
    /// after identity verification (never the My Number).
    CardSerial(heapless::Vec<u8, MAX_SERIAL>),
    /// Numbers keyed in from a paper document.
    Numbers {
        /// 保険者番号.
        insurer: InsurerNumber,
        /// 記号・番号・枝番.
        member: MemberId,
        /// 生年月日.
        #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
        birth_date: NaiveDate,
    },
}

/// One eligibility query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EligibilityQuery {
    /// Query id: a retry carries the same id, so a late or duplicated reply
    /// is recognised.
    pub id: u16,
    /// The day of the visit the coverage is asked for.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub date: NaiveDate,
    /// Who.
    pub by: QueryBy,
}

/// Why the service could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ServiceError {
    /// Maintenance or overload: try later.
    Unavailable,
    /// The query was malformed.
    BadRequest,
    /// The service failed internally.
    Internal,
    /// The card is not registered for insurance use (保険証利用登録なし).
    CardNotRegistered,
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unavailable => "service unavailable",
            Self::BadRequest => "query rejected as malformed",
            Self::Internal => "service internal error",
            Self::CardNotRegistered => "card not registered for insurance use",
        })
    }
}

/// The service's reply to query `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EligibilityReply {
    /// The query this answers.
    pub id: u16,
    /// The answer, or why there is none.
    pub result: Result<OnlineAnswer, ServiceError>,
}
