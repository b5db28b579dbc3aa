//! A bounds-checked DER walker: tag, length, value, nothing more.
//!
//! Only what X.509 certificates use: single-byte tags (the high-tag-number
//! form is rejected) and definite lengths of at most 4 length bytes in their
//! minimal encoding (indefinite and overlong lengths are rejected). Every
//! length is checked against the bytes actually present before a value is
//! sliced, so no input can make it panic.

use core::fmt;

/// ASN.1 INTEGER.
pub const TAG_INTEGER: u8 = 0x02;
/// ASN.1 OCTET STRING.
pub const TAG_OCTET_STRING: u8 = 0x04;
/// ASN.1 UTCTime.
pub const TAG_UTC_TIME: u8 = 0x17;
/// ASN.1 GeneralizedTime.
pub const TAG_GENERALIZED_TIME: u8 = 0x18;
/// ASN.1 SEQUENCE (constructed).
pub const TAG_SEQUENCE: u8 = 0x30;
/// ASN.1 SET (constructed).
pub const TAG_SET: u8 = 0x31;
/// Context-specific constructed tag `[0]` (the X.509 version).
pub const TAG_CONTEXT_0: u8 = 0xA0;

/// Bit of the tag byte that marks a constructed encoding.
const CONSTRUCTED: u8 = 0x20;
/// Deepest nesting [`validate`] follows (X.509 needs about 7).
pub const MAX_DEPTH: usize = 16;

/// Why DER bytes were rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DerError {
    /// The input ends inside a header or value.
    Truncated {
        /// Bytes the element needs.
        needed: usize,
        /// Bytes present.
        available: usize,
    },
    /// A multi-byte (high-tag-number) tag, which X.509 does not use.
    HighTagNumber,
    /// Length byte `80`: indefinite length, not allowed in DER.
    IndefiniteLength,
    /// More than 4 length bytes.
    LengthTooLong,
    /// A length not in its shortest form.
    NonMinimalLength,
    /// A different element than the structure requires.
    UnexpectedTag {
        /// Tag required.
        expected: u8,
        /// Tag found.
        found: u8,
    },
    /// A required element is missing at the end of its parent.
    MissingElement {
        /// Tag required.
        expected: u8,
    },
    /// Bytes left after the last element of a structure.
    TrailingData {
        /// Bytes left over.
        len: usize,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// An INTEGER that is empty or not minimally encoded.
    BadInteger,
    /// A serial number longer than 20 bytes.
    SerialTooLong {
        /// Bytes of the serial number.
        len: usize,
    },
    /// A UTCTime or GeneralizedTime that is not `YYMMDDHHMMSSZ` /
    /// `YYYYMMDDHHMMSSZ` or names an impossible date or time.
    BadTime,
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated { needed, available } => {
                write!(f, "DER element needs {needed} bytes, only {available} present")
            }
            Self::HighTagNumber => write!(f, "multi-byte DER tags are not supported"),
            Self::IndefiniteLength => write!(f, "indefinite length is not allowed in DER"),
            Self::LengthTooLong => write!(f, "DER length of more than 4 bytes"),
            Self::NonMinimalLength => write!(f, "DER length not in its shortest form"),
            Self::UnexpectedTag { expected, found } => {
                write!(f, "expected DER tag {expected:#04x}, found {found:#04x}")
            }
            Self::MissingElement { expected } => write!(f, "DER element with tag {expected:#04x} is missing"),
            Self::TrailingData { len } => write!(f, "{len} bytes after the last DER element"),
            Self::TooDeep => write!(f, "DER nesting deeper than {MAX_DEPTH} levels"),
            Self::BadInteger => write!(f, "INTEGER empty or not minimally encoded"),
            Self::SerialTooLong { len } => write!(f, "serial number of {len} bytes exceeds 20"),
            Self::BadTime => write!(f, "malformed or impossible certificate time"),
        }
    }
}

impl core::error::Error for DerError {}

/// A decoded tag-and-length header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Header {
    /// The tag byte.
    pub tag: u8,
    /// Bytes of tag and length.
    pub header_len: usize,
    /// Bytes of the value that follows.
    pub content_len: usize,
}

impl Header {
    /// Parses the tag and length at the start of `bytes` (the value need not
    /// be present: the certificate reader parses the header alone).
    pub fn parse(bytes: &[u8]) -> Result<Self, DerError> {
        let truncated = |needed| DerError::Truncated { needed, available: bytes.len() };
        let (&tag, rest) = bytes.split_first().ok_or(truncated(2))?;
        if tag & 0x1F == 0x1F {
            return Err(DerError::HighTagNumber);
        }
        let (&first, rest) = rest.split_first().ok_or(truncated(2))?;
        if first < 0x80 {
            return Ok(Self { tag, header_len: 2, content_len: usize::from(first) });
        }
        let n = usize::from(first & 0x7F);
        match n {
            0 => return Err(DerError::IndefiniteLength),
            5.. => return Err(DerError::LengthTooLong),
            _ => {}
        }
        let len_bytes = rest.get(..n).ok_or(truncated(2 + n))?;
        if len_bytes.first() == Some(&0) {
            return Err(DerError::NonMinimalLength);
        }
        let len = len_bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        if len < 0x80 {
            return Err(DerError::NonMinimalLength);
        }
        let content_len = usize::try_from(len).map_err(|_| DerError::LengthTooLong)?;
        Ok(Self { tag, header_len: 2 + n, content_len })
    }

    /// Bytes of the whole element, header and value.
    pub fn total_len(&self) -> Option<usize> {
        self.header_len.checked_add(self.content_len)
    }

    /// Whether the value is itself a sequence of elements.
    pub fn is_constructed(&self) -> bool {
        self.tag & CONSTRUCTED != 0
    }
}

/// One element: its tag and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Tlv<'a> {
    /// The tag byte.
    pub tag: u8,
    /// The value bytes.
    pub value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Splits the first element off `bytes`, returning it and the rest.
    pub fn split(bytes: &'a [u8]) -> Result<(Self, &'a [u8]), DerError> {
        let header = Header::parse(bytes)?;
        let truncated = DerError::Truncated { needed: usize::MAX, available: bytes.len() };
        let total = header.total_len().ok_or(truncated)?;
        let (element, rest) =
            bytes.split_at_checked(total).ok_or(DerError::Truncated { needed: total, available: bytes.len() })?;
        let value = element.get(header.header_len..).ok_or(truncated)?;
        Ok((Self { tag: header.tag, value }, rest))
    }
}

/// Walks the elements of one level, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over the concatenated elements in `bytes`.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether all elements were read.
    pub const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Tag of the next element, without reading it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element.
    pub fn read(&mut self) -> Result<Tlv<'a>, DerError> {
        let (tlv, rest) = Tlv::split(self.rest)?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next element, which must have tag `expected`; returns its value.
    pub fn expect(&mut self, expected: u8) -> Result<&'a [u8], DerError> {
        let found = self.peek_tag().ok_or(DerError::MissingElement { expected })?;
        if found != expected {
            return Err(DerError::UnexpectedTag { expected, found });
        }
        Ok(self.read()?.value)
    }

    /// Reads the next element if it has tag `tag`.
    pub fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, DerError> {
        if self.peek_tag() == Some(tag) { self.expect(tag).map(Some) } else { Ok(None) }
    }

    /// Checks that every element was read.
    pub fn finish(self) -> Result<(), DerError> {
        if self.rest.is_empty() { Ok(()) } else { Err(DerError::TrailingData { len: self.rest.len() }) }
    }
}

/// Checks that `bytes` is a sequence of well-formed elements, following
/// constructed elements down to [`MAX_DEPTH`] levels: every length must end
/// exactly where its parent ends.
pub fn validate(bytes: &[u8]) -> Result<(), DerError> {
    validate_level(bytes, 0)
}

fn validate_level(bytes: &[u8], depth: usize) -> Result<(), DerError> {
    if depth >= MAX_DEPTH {
        return Err(DerError::TooDeep);
    }
    let mut reader = Reader::new(bytes);
    while !reader.is_empty() {
        let tlv = reader.read()?;
        if tlv.tag & CONSTRUCTED != 0 {
            validate_level(tlv.value, depth + 1)?;
        }
    }
    Ok(())
}

/// The content of a DER INTEGER, checked for minimal encoding.
pub fn integer(value: &[u8]) -> Result<&[u8], DerError> {
    match value {
        [] => Err(DerError::BadInteger),
        [0x00, next, ..] if *next < 0x80 => Err(DerError::BadInteger),
        [0xFF, next, ..] if *next >= 0x80 => Err(DerError::BadInteger),
        _ => Ok(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_and_long_lengths() {
        assert_eq!(Header::parse(&[0x30, 0x05]), Ok(Header { tag: 0x30, header_len: 2, content_len: 5 }));
        assert_eq!(Header::parse(&[0x30, 0x81, 0x80]), Ok(Header { tag: 0x30, header_len: 3, content_len: 128 }));
        assert_eq!(
            Header::parse(&[0x30, 0x82, 0x04, 0xB0]),
            Ok(Header { tag: 0x30, header_len: 4, content_len: 1200 })
        );
        assert_eq!(
            Header::parse(&[0x30, 0x84, 0x01, 0x00, 0x00, 0x00]),
            Ok(Header { tag: 0x30, header_len: 6, content_len: 1 << 24 })
        );
    }

    #[test]
    fn bad_lengths_are_rejected() {
        assert_eq!(Header::parse(&[0x30, 0x80]), Err(DerError::IndefiniteLength));
        assert_eq!(Header::parse(&[0x30, 0x85, 1, 1, 1, 1, 1]), Err(DerError::LengthTooLong));
        assert_eq!(Header::parse(&[0x30, 0xFF]), Err(DerError::LengthTooLong));
        assert_eq!(Header::parse(&[0x30, 0x81, 0x7F]), Err(DerError::NonMinimalLength));
        assert_eq!(Header::parse(&[0x30, 0x82, 0x00, 0xFF]), Err(DerError::NonMinimalLength));
        assert_eq!(Header::parse(&[0x1F, 0x01]), Err(DerError::HighTagNumber));
        assert_eq!(Header::parse(&[]), Err(DerError::Truncated { needed: 2, available: 0 }));
        assert_eq!(Header::parse(&[0x30]), Err(DerError::Truncated { needed: 2, available: 1 }));
        assert_eq!(Header::parse(&[0x30, 0x82, 0x01]), Err(DerError::Truncated { needed: 4, available: 3 }));
    }

    #[test]
    fn reader_walks_and_checks() {
        let bytes = [0x02, 0x01, 0x05, 0x04, 0x02, 0xAA, 0xBB];
        let mut r = Reader::new(&bytes);
        assert_eq!(r.optional(TAG_SEQUENCE), Ok(None));
        assert_eq!(r.expect(TAG_INTEGER), Ok(&[0x05][..]));
        assert_eq!(r.expect(TAG_INTEGER), Err(DerError::UnexpectedTag { expected: 0x02, found: 0x04 }));
        assert_eq!(r.expect(TAG_OCTET_STRING), Ok(&[0xAA, 0xBB][..]));
        assert_eq!(r.expect(TAG_INTEGER), Err(DerError::MissingElement { expected: 0x02 }));
        assert_eq!(r.finish(), Ok(()));
        assert_eq!(Reader::new(&bytes[..6]).read().unwrap().value, &[0x05]);
        let mut r = Reader::new(&bytes[..6]);
        r.read().unwrap();
        assert_eq!(r.read(), Err(DerError::Truncated { needed: 4, available: 3 }));
        let mut r = Reader::new(&bytes);
        r.read().unwrap();
        assert_eq!(r.finish(), Err(DerError::TrailingData { len: 4 }));
    }

    #[test]
    fn validate_follows_nesting() {
        assert_eq!(validate(&[0x30, 0x03, 0x02, 0x01, 0x00]), Ok(()));
        // Inner length one too long / too short for its parent.
        assert!(validate(&[0x30, 0x03, 0x02, 0x02, 0x00]).is_err());
        assert!(validate(&[0x30, 0x03, 0x02, 0x00, 0x00]).is_err());
        // Primitive values are not looked into.
        assert_eq!(validate(&[0x04, 0x02, 0x02, 0x05]), Ok(()));
        let mut deep = std::vec::Vec::new();
        for _ in 0..MAX_DEPTH {
            deep = [&[0x30, deep.len() as u8][..], &deep].concat();
        }
        assert_eq!(validate(&deep), Err(DerError::TooDeep));
        assert_eq!(validate(&deep[2..]), Ok(()));
    }

    #[test]
    fn integers_must_be_minimal() {
        assert_eq!(integer(&[0x00]), Ok(&[0x00][..]));
        assert_eq!(integer(&[0x00, 0x80]), Ok(&[0x00, 0x80][..]));
        assert_eq!(integer(&[0x00, 0x7F]), Err(DerError::BadInteger));
        assert_eq!(integer(&[0xFF, 0x80]), Err(DerError::BadInteger));
        assert_eq!(integer(&[]), Err(DerError::BadInteger));
    }

    proptest! {
        #[test]
        fn walking_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = validate(&bytes);
            if let Ok(h) = Header::parse(&bytes) {
                prop_assert!(h.header_len <= bytes.len());
            }
            let mut r = Reader::new(&bytes);
            while let Ok(tlv) = r.read() {
                prop_assert!(tlv.value.len() <= bytes.len());
            }
        }
    }
}
