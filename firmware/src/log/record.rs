//! One log record as stored: a format byte, then the record in postcard.
//!
//! Format 2 (format 1 had neither the date nor the basis): the monotonic
//! milliseconds (varint), the day (days from 0001-01-01, zigzag varint),
//! the event; a decision carries its outcome, basis, the deciding rule as
//! the CRC-32 of its id, and the phone and asked-again flags. The largest
//! record is 26 bytes (a decision at `u64::MAX` ms on `NaiveDate::MAX`).

use crate::reception::LogRecord;
use core::fmt;

/// Format of the stored bytes.
pub const FORMAT: u8 = 2;

/// Largest stored record, bytes.
pub const RECORD_MAX: usize = 32;

/// Why stored bytes are not a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RecordError {
    /// The record does not fit [`RECORD_MAX`] bytes.
    TooLarge,
    /// An unknown format byte (or no bytes).
    UnknownFormat(u8),
    /// The bytes do not decode, or bytes are left over.
    Malformed,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(f, "log record larger than {RECORD_MAX} bytes"),
            Self::UnknownFormat(b) => write!(f, "log record of format {b}; this version reads format {FORMAT}"),
            Self::Malformed => f.write_str("log record bytes do not decode"),
        }
    }
}

/// Writes `record` into `out`; returns the bytes used.
pub fn encode<'a>(record: &LogRecord, out: &'a mut [u8; RECORD_MAX]) -> Result<&'a [u8], RecordError> {
    let (format, body) = out.split_first_mut().ok_or(RecordError::TooLarge)?;
    *format = FORMAT;
    let used = postcard::to_slice(record, body).map_err(|_| RecordError::TooLarge)?.len();
    Ok(&out[..1 + used])
}

/// Reads a record from its stored bytes.
pub fn decode(bytes: &[u8]) -> Result<LogRecord, RecordError> {
    match bytes.split_first() {
        Some((&FORMAT, body)) => match postcard::take_from_bytes::<LogRecord>(body) {
            Ok((record, [])) => Ok(record),
            _ => Err(RecordError::Malformed),
        },
        Some((&other, _)) => Err(RecordError::UnknownFormat(other)),
        None => Err(RecordError::UnknownFormat(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reception::{LogEvent, Millis};
    use crate::rules::policy::NATIONAL;
    use crate::rules::{Basis, Outcome};
    use chrono::NaiveDate;

    fn decided(rule: crate::rules::RuleId) -> LogRecord {
        LogRecord {
            at: Millis(u64::MAX),
            date: NaiveDate::MAX,
            event: LogEvent::Decided {
                outcome: Outcome::SelfDeclaration,
                basis: Some(Basis::OldCardOnlineChecked),
                rule,
                phone: true,
                again: true,
            },
        }
    }

    #[test]
    fn the_largest_decision_fits_and_reads_back() {
        for rule in NATIONAL {
            let record = decided(rule.id);
            let mut buf = [0u8; RECORD_MAX];
            let bytes = encode(&record, &mut buf).expect("fits");
            assert!(bytes.len() <= 26, "{} bytes", bytes.len());
            assert_eq!(decode(bytes), Ok(record));
        }
    }

    #[test]
    fn another_format_is_named() {
        let mut buf = [0u8; RECORD_MAX];
        let len = encode(&decided(NATIONAL[0].id), &mut buf).unwrap().len();
        buf[0] = 1;
        assert_eq!(decode(&buf[..len]), Err(RecordError::UnknownFormat(1)));
        assert_eq!(decode(&[]), Err(RecordError::UnknownFormat(0)));
    }

    #[test]
    fn an_unknown_rule_code_or_leftover_bytes_do_not_decode() {
        let mut buf = [0u8; RECORD_MAX];
        let len = encode(&decided(NATIONAL[0].id), &mut buf).unwrap().len();
        let mut extra = buf;
        extra[len] = 0;
        assert_eq!(decode(&extra[..len + 1]), Err(RecordError::Malformed));
        // The same record with rule code 0, which is no rule's code.
        assert!(crate::reception::rule_by_code(0).is_none());
        let mut code = [0u8; 5];
        let code = postcard::to_slice(&crate::reception::rule_code(NATIONAL[0].id), &mut code).unwrap();
        let at = buf[..len].windows(code.len()).position(|w| w == code).expect("the code is stored");
        let mut bad = heapless::Vec::<u8, RECORD_MAX>::new();
        bad.extend_from_slice(&buf[..at]).unwrap();
        bad.push(0).unwrap();
        bad.extend_from_slice(&buf[at + code.len()..len]).unwrap();
        assert_eq!(decode(&bad), Err(RecordError::Malformed));
    }
}
