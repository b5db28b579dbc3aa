//! Compact stored forms of two log-record fields, so that a record fits the
//! flash log's 32 bytes: the visit date as a day number, and the deciding
//! rule as the CRC-32 of its id.
//!
//! Human-readable formats (JSON) keep the rule id text; compact formats
//! (postcard: the flash log and the link) carry the code. Rule ids are
//! stable and rows are never removed (an ended rule keeps its row), so a
//! code in an old log still finds its rule; a test checks that no two ids
//! share a code.

use crate::rules::RuleId;
use crate::rules::policy::NATIONAL;
use chrono::{Datelike, NaiveDate};
use crc::{CRC_32_ISO_HDLC, Crc};
use serde::de::{Error as _, Unexpected};
use serde::{Deserialize, Deserializer, Serializer};

const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// The stored code of a rule id: CRC-32 (ISO-HDLC) of its text.
pub fn rule_code(id: RuleId) -> u32 {
    CRC32.checksum(id.as_str().as_bytes())
}

/// The rule of the national table whose id has `code`.
pub fn rule_by_code(code: u32) -> Option<RuleId> {
    NATIONAL.iter().map(|r| r.id).find(|&id| rule_code(id) == code)
}

/// `#[serde(with)]` for a rule id: the code in compact formats, the text otherwise.
pub mod rule {
    use super::*;

    /// Serialises `id`.
    pub fn serialize<S: Serializer>(id: &RuleId, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() { s.serialize_str(id.as_str()) } else { s.serialize_u32(rule_code(*id)) }
    }

    /// Deserialises a rule id; a code or id the national table lacks is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RuleId, D::Error> {
        if d.is_human_readable() {
            RuleId::deserialize(d)
        } else {
            let code = u32::deserialize(d)?;
            rule_by_code(code)
                .ok_or_else(|| D::Error::invalid_value(Unexpected::Unsigned(code.into()), &"the code of a known rule"))
        }
    }
}

/// `#[serde(with)]` for a calendar day: days since 0001-01-01 (day 1), as
/// chrono counts them (`num_days_from_ce`).
pub mod day {
    use super::*;

    /// Serialises `date`.
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(date.num_days_from_ce())
    }

    /// Deserialises a day; a number outside chrono's range is an error.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n)
            .ok_or_else(|| D::Error::invalid_value(Unexpected::Signed(n.into()), &"a day number in chrono's range"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_own_code() {
        for (i, a) in NATIONAL.iter().enumerate() {
            assert_eq!(rule_by_code(rule_code(a.id)), Some(a.id), "{} is found by its code", a.id);
            for b in &NATIONAL[i + 1..] {
                if a.id != b.id {
                    assert_ne!(rule_code(a.id), rule_code(b.id), "{} and {} share a code", a.id, b.id);
                }
            }
        }
    }

    #[test]
    fn an_unknown_code_is_no_rule() {
        let codes: heapless::Vec<u32, 256> = NATIONAL.iter().map(|r| rule_code(r.id)).collect();
        let unknown = (0..).find(|c| !codes.contains(c)).unwrap();
        assert_eq!(rule_by_code(unknown), None);
    }
}
