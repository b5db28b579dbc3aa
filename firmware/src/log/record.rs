//! One log record as stored: a format byte, then the record in postcard.

use crate::reception::LogRecord;
use core::fmt;

/// Format of the stored bytes.
const FORMAT: u8 = 1;

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
            Self::UnknownFormat(b) => write!(f, "log record of unknown format {b}"),
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
