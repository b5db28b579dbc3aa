//! Where the visit happens: the kind of facility and the state of its
//! eligibility equipment.

use serde::{Deserialize, Serialize};

/// Kind of medical facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FacilityKind {
    /// 診療所.
    Clinic,
    /// 病院.
    Hospital,
    /// 歯科.
    Dental,
    /// 薬局.
    Pharmacy,
}

/// State of the face-authentication card reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReaderState {
    /// Working.
    Working,
    /// Out of order.
    Broken,
}

/// State of the line to the online eligibility service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum NetworkState {
    /// Up.
    Up,
    /// Down.
    Down,
}

/// A facility and its equipment on the day of the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Facility {
    /// Kind of facility.
    pub kind: FacilityKind,
    /// Whether the facility has introduced online eligibility checks
    /// (オンライン資格確認). Some small facilities are exempt.
    pub online_capable: bool,
    /// The card reader.
    pub reader: ReaderState,
    /// The network.
    pub network: NetworkState,
    /// Whether the facility added a general-purpose NFC reader for
    /// smartphones (optional for the facility).
    #[serde(default)]
    pub phone_reader: bool,
}

impl Facility {
    /// Whether a My Number card can be checked online here right now.
    pub fn can_read_card_online(&self) -> bool {
        self.online_capable && self.reader == ReaderState::Working && self.network == NetworkState::Up
    }

    /// Whether the facility can query the service by insurer number and
    /// member id (no card needed; the reader may be broken).
    pub fn can_query_by_numbers(&self) -> bool {
        self.online_capable && self.network == NetworkState::Up
    }

    /// Whether the facility is online-capable but its equipment has failed.
    pub fn equipment_failed(&self) -> bool {
        self.online_capable && (self.reader == ReaderState::Broken || self.network == NetworkState::Down)
    }
}
