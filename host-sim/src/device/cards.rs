//! Ready-made cards for the device demo, and the online service that knows
//! them: each card has its own certificate serial and one coverage record.

use crate::virtual_card::{CardProfile, CertParams, CertificateSource, VirtualCard};
use crate::virtual_service::{CertSerial, CoverageDb, CoverageRecord, FaultPlan, VirtualService};
use chrono::{Days, NaiveDate, NaiveTime};
use firmware::domain::{InsurerNumber, MemberId, parse_copay_ratio};
use std::fmt;
use std::str::FromStr;

/// A card the operator can put on the virtual reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadyCard {
    /// Registered, certificate valid, PIN 1234, covered: the ordinary visit.
    Valid,
    /// Registered, but the certificate expired yesterday.
    Expired,
    /// Certificate valid, not registered for insurance use.
    NotRegistered,
    /// 顔認証マイナンバーカード: no PIN.
    PinLess,
    /// PIN 1234, no tries left.
    PinBlocked,
}

impl ReadyCard {
    /// Every card, in menu order.
    pub const ALL: [Self; 5] = [Self::Valid, Self::Expired, Self::NotRegistered, Self::PinLess, Self::PinBlocked];

    /// Name on the console.
    pub fn name(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Expired => "expired",
            Self::NotRegistered => "not-registered",
            Self::PinLess => "pin-less",
            Self::PinBlocked => "pin-blocked",
        }
    }

    /// One line for the console's help.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Valid => "registered, certificate valid, PIN 1234, covered (3割)",
            Self::Expired => "registered, certificate expired the day before the visit",
            Self::NotRegistered => "certificate valid, not registered for insurance use",
            Self::PinLess => "顔認証マイナンバーカード: no PIN, face or visual check only",
            Self::PinBlocked => "PIN 1234 locked (no tries left)",
        }
    }

    fn serial(self) -> Vec<u8> {
        vec![0x3D, 0x45, 0x4D, 0x4F, 0x00, self as u8 + 1]
    }

    /// The card, for a visit on `date`.
    pub fn card(self, date: NaiveDate) -> Result<VirtualCard, String> {
        let end_of_day = |d: NaiveDate| d.and_time(NaiveTime::from_hms_opt(14, 59, 59).unwrap_or_default());
        let valid_until = date.checked_add_days(Days::new(5 * 365)).unwrap_or(date);
        let not_after = match self {
            Self::Expired => date.checked_sub_days(Days::new(1)).unwrap_or(date),
            _ => valid_until,
        };
        let profile = CardProfile {
            pin: (self != Self::PinLess).then_some([1, 2, 3, 4]),
            pin_tries_left: if self == Self::PinBlocked { 0 } else { 3 },
            certificate: CertificateSource::Generate(CertParams {
                serial: self.serial(),
                not_after: end_of_day(not_after),
                holder_name: "試験 受診者".into(),
                ..CertParams::default()
            }),
            ..CardProfile::default()
        };
        VirtualCard::new(profile).map_err(|e| format!("ready-made card {self}: {e}"))
    }

    fn record(self) -> Result<CoverageRecord, String> {
        let birth = match self {
            Self::Valid | Self::NotRegistered => NaiveDate::from_ymd_opt(1980, 5, 5),
            Self::Expired => NaiveDate::from_ymd_opt(1975, 1, 20),
            Self::PinLess => NaiveDate::from_ymd_opt(1950, 8, 1),
            Self::PinBlocked => NaiveDate::from_ymd_opt(1992, 11, 3),
        }
        .ok_or("bad birth date")?;
        Ok(CoverageRecord {
            person: Some(self.name().into()),
            serials: vec![CertSerial::new(&self.serial()).map_err(|e| e.to_string())?],
            card_registered: self != Self::NotRegistered,
            insurer: InsurerNumber::parse("01130012").map_err(|e| e.to_string())?,
            member: MemberId::parse("12", &format!("34{}", self as u8 + 1), Some("01")).map_err(|e| e.to_string())?,
            birth_date: birth,
            qualified_on: NaiveDate::from_ymd_opt(2020, 4, 1).ok_or("bad date")?,
            disqualified_on: None,
            copay: Some(parse_copay_ratio("3割").map_err(|e| e.to_string())?),
            preschool: false,
            elderly: None,
            limit: None,
            disease: None,
            public_assistance: false,
        })
    }
}

impl fmt::Display for ReadyCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ReadyCard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|c| c.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|c| c.name()).collect();
            format!("no ready-made card {s:?}; one of: {}", names.join(", "))
        })
    }
}

/// The online service holding a record for every ready-made card.
pub fn service() -> Result<VirtualService, String> {
    let records = ReadyCard::ALL.into_iter().map(ReadyCard::record).collect::<Result<Vec<_>, _>>()?;
    let db = CoverageDb::new(records).map_err(|e| e.to_string())?;
    Ok(VirtualService::new(db, FaultPlan::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::virtual_card::{read_certificate, select_jpki};
    use crate::virtual_service::CardLookup;

    #[test]
    fn every_ready_card_reads_and_the_service_knows_it_as_described() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let service = service().unwrap();
        for ready in ReadyCard::ALL {
            let mut card = ready.card(date).unwrap();
            select_jpki(&mut card).unwrap();
            let info = read_certificate(&mut card).unwrap();
            assert_eq!(info.serial.as_slice(), ready.serial().as_slice(), "{ready}");
            let lookup = service.db.answer_for_card(&ready.serial(), date);
            match ready {
                ReadyCard::NotRegistered => assert!(matches!(lookup, CardLookup::NotRegistered), "{ready}"),
                _ => assert!(!matches!(lookup, CardLookup::NotRegistered), "{ready}"),
            }
            assert_eq!(
                card.pin_tries_left(),
                match ready {
                    ReadyCard::PinLess => None,
                    ReadyCard::PinBlocked => Some(0),
                    _ => Some(3),
                }
            );
        }
        assert_eq!("pin-less".parse(), Ok(ReadyCard::PinLess));
        assert!("gold".parse::<ReadyCard>().unwrap_err().contains("valid, expired"));
    }
}
