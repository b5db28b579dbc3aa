//! The fields of the user-authentication certificate the terminal needs: its
//! serial number and its validity. Nothing else is kept; in particular the
//! subject (the holder's name) is skipped, never copied.
//!
//! ```text
//! Certificate ::= SEQUENCE {
//!   tbsCertificate SEQUENCE {
//!     version [0] EXPLICIT INTEGER OPTIONAL,
//!     serialNumber INTEGER,
//!     signature AlgorithmIdentifier (SEQUENCE),
//!     issuer Name (SEQUENCE),
//!     validity SEQUENCE { notBefore Time, notAfter Time },
//!     ... },
//!   signatureAlgorithm, signatureValue }
//! Time ::= UTCTime "YYMMDDHHMMSSZ" | GeneralizedTime "YYYYMMDDHHMMSSZ"
//! ```
//!
//! JPKI certificate times are UTC. The counter works in Japan time (JST,
//! UTC+9, no daylight saving), so validity is compared in JST: see
//! [`CertificateInfo::is_valid_on`] and [`CertificateInfo::expires_jst`].

use super::der::{self, DerError, Reader};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use core::fmt;

/// Largest serial number RFC 5280 allows, in bytes.
pub const MAX_SERIAL_LEN: usize = 20;

/// Japan Standard Time minus UTC.
const JST_OFFSET: TimeDelta = TimeDelta::hours(9);

/// Serial number and validity of an X.509 certificate.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CertificateInfo {
    /// Serial number: the INTEGER's content bytes, big endian, without the
    /// leading `00` that DER adds to keep a positive number positive.
    pub serial: heapless::Vec<u8, MAX_SERIAL_LEN>,
    /// Start of validity, UTC.
    pub not_before: NaiveDateTime,
    /// End of validity (inclusive), UTC.
    pub not_after: NaiveDateTime,
}

impl CertificateInfo {
    /// Extracts serial number and validity from a DER certificate. The whole
    /// input must be one well-formed certificate and nothing more.
    pub fn parse(der: &[u8]) -> Result<Self, DerError> {
        let mut top = Reader::new(der);
        let certificate = top.expect(der::TAG_SEQUENCE)?;
        top.finish()?;
        der::validate(certificate)?;

        let mut cert = Reader::new(certificate);
        let tbs = cert.expect(der::TAG_SEQUENCE)?;
        let _signature_algorithm = cert.expect(der::TAG_SEQUENCE)?;
        let _signature_value = cert.read()?;
        cert.finish()?;

        let mut tbs = Reader::new(tbs);
        if let Some(version) = tbs.optional(der::TAG_CONTEXT_0)? {
            let mut version = Reader::new(version);
            der::integer(version.expect(der::TAG_INTEGER)?)?;
            version.finish()?;
        }
        let serial = serial(tbs.expect(der::TAG_INTEGER)?)?;
        let _signature = tbs.expect(der::TAG_SEQUENCE)?;
        let _issuer = tbs.expect(der::TAG_SEQUENCE)?;
        let mut validity = Reader::new(tbs.expect(der::TAG_SEQUENCE)?);
        let not_before = time(&mut validity)?;
        let not_after = time(&mut validity)?;
        validity.finish()?;
        // The subject and the rest are not read: `validate` checked their framing.
        Ok(Self { serial, not_before, not_after })
    }

    /// Start of validity in JST.
    pub fn not_before_jst(&self) -> NaiveDateTime {
        to_jst(self.not_before)
    }

    /// End of validity in JST: the 有効期限 shown at the counter.
    pub fn expires_jst(&self) -> NaiveDateTime {
        to_jst(self.not_after)
    }

    /// Whether the certificate is valid on `date_jst`, a JST calendar day:
    /// from the JST day of notBefore to the JST day of notAfter, both
    /// included. This is the expiry decision at the counter.
    pub fn is_valid_on(&self, date_jst: NaiveDate) -> bool {
        self.not_before_jst().date() <= date_jst && date_jst <= self.expires_jst().date()
    }

    /// Whether the certificate is valid at the instant `now_jst` (JST wall
    /// time), to the second.
    pub fn is_valid_at(&self, now_jst: NaiveDateTime) -> bool {
        self.not_before_jst() <= now_jst && now_jst <= self.expires_jst()
    }
}

impl fmt::Debug for CertificateInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The serial identifies a person's certificate: print its size only.
        f.debug_struct("CertificateInfo")
            .field("serial_len", &self.serial.len())
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for CertificateInfo {
    fn format(&self, f: defmt::Formatter<'_>) {
        use chrono::{Datelike, Timelike};
        let (b, a) = (self.not_before, self.not_after);
        defmt::write!(
            f,
            "CertificateInfo {{ serial_len: {=usize}, not_before: {=i32}-{=u32:02}-{=u32:02}T{=u32:02}:{=u32:02}:{=u32:02}Z, not_after: {=i32}-{=u32:02}-{=u32:02}T{=u32:02}:{=u32:02}:{=u32:02}Z }}",
            self.serial.len(),
            b.year(),
            b.month(),
            b.day(),
            b.hour(),
            b.minute(),
            b.second(),
            a.year(),
            a.month(),
            a.day(),
            a.hour(),
            a.minute(),
            a.second()
        )
    }
}

fn to_jst(utc: NaiveDateTime) -> NaiveDateTime {
    // Parsed years are 1950..=9999, far inside chrono's range.
    utc.checked_add_signed(JST_OFFSET).unwrap_or(NaiveDateTime::MAX)
}

fn serial(value: &[u8]) -> Result<heapless::Vec<u8, MAX_SERIAL_LEN>, DerError> {
    let value = der::integer(value)?;
    let magnitude = match value {
        [0x00, rest @ ..] if !rest.is_empty() => rest,
        _ => value,
    };
    heapless::Vec::from_slice(magnitude).map_err(|_| DerError::SerialTooLong { len: magnitude.len() })
}

fn time(reader: &mut Reader<'_>) -> Result<NaiveDateTime, DerError> {
    let tlv = reader.read()?;
    match tlv.tag {
        der::TAG_UTC_TIME => utc_time(tlv.value),
        der::TAG_GENERALIZED_TIME => generalized_time(tlv.value),
        found => Err(DerError::UnexpectedTag { expected: der::TAG_UTC_TIME, found }),
    }
}

/// `YYMMDDHHMMSSZ`; YY < 50 is 20YY, else 19YY (RFC 5280 §4.1.2.5.1).
fn utc_time(value: &[u8]) -> Result<NaiveDateTime, DerError> {
    let [y @ .., mo1, mo2, d1, d2, h1, h2, mi1, mi2, s1, s2, b'Z'] = value else {
        return Err(DerError::BadTime);
    };
    let [y1, y2] = y else { return Err(DerError::BadTime) };
    let yy = digits(&[*y1, *y2])?;
    let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
    datetime(year, [*mo1, *mo2, *d1, *d2, *h1, *h2, *mi1, *mi2, *s1, *s2])
}

/// `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.2: no fractions, always Z).
fn generalized_time(value: &[u8]) -> Result<NaiveDateTime, DerError> {
    let [y1, y2, y3, y4, rest @ ..] = value else { return Err(DerError::BadTime) };
    let [mo1, mo2, d1, d2, h1, h2, mi1, mi2, s1, s2, b'Z'] = rest else {
        return Err(DerError::BadTime);
    };
    let year = digits(&[*y1, *y2, *y3, *y4])?;
    datetime(year, [*mo1, *mo2, *d1, *d2, *h1, *h2, *mi1, *mi2, *s1, *s2])
}

fn datetime(year: u32, rest: [u8; 10]) -> Result<NaiveDateTime, DerError> {
    let [mo1, mo2, d1, d2, h1, h2, mi1, mi2, s1, s2] = rest;
    let year = i32::try_from(year).map_err(|_| DerError::BadTime)?;
    let date = NaiveDate::from_ymd_opt(year, digits(&[mo1, mo2])?, digits(&[d1, d2])?).ok_or(DerError::BadTime)?;
    date.and_hms_opt(digits(&[h1, h2])?, digits(&[mi1, mi2])?, digits(&[s1, s2])?).ok_or(DerError::BadTime)
}

/// Decimal value of ASCII digits (at most 4, so no overflow).
fn digits(ascii: &[u8]) -> Result<u32, DerError> {
    ascii.iter().try_fold(0u32, |acc, &c| {
        if c.is_ascii_digit() { Ok(acc * 10 + u32::from(c - b'0')) } else { Err(DerError::BadTime) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::testutil::{CertSpec, SMALLEST, Time, build_cert};
    use proptest::prelude::*;

    fn ymd_hms(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap()
    }

    #[test]
    fn parses_serial_and_utc_validity() {
        let spec = CertSpec {
            serial: &[0x01, 0x23, 0x45],
            not_before: Time::Utc("210401000000Z"),
            not_after: Time::Utc("260331145959Z"),
            ..CertSpec::default()
        };
        let info = CertificateInfo::parse(&build_cert(&spec)).unwrap();
        assert_eq!(info.serial.as_slice(), &[0x01, 0x23, 0x45]);
        assert_eq!(info.not_before, ymd_hms(2021, 4, 1, 0, 0, 0));
        assert_eq!(info.not_after, ymd_hms(2026, 3, 31, 14, 59, 59));
        assert_eq!(info.expires_jst(), ymd_hms(2026, 3, 31, 23, 59, 59));
        assert_eq!(info.not_before_jst(), ymd_hms(2021, 4, 1, 9, 0, 0));
    }

    #[test]
    fn parses_generalized_time() {
        let spec = CertSpec {
            not_before: Time::Generalized("20491231150000Z"),
            not_after: Time::Generalized("20550101000000Z"),
            ..CertSpec::default()
        };
        let info = CertificateInfo::parse(&build_cert(&spec)).unwrap();
        assert_eq!(info.not_before, ymd_hms(2049, 12, 31, 15, 0, 0));
        assert_eq!(info.not_after, ymd_hms(2055, 1, 1, 0, 0, 0));
        // 2049-12-31 15:00 UTC is already 2050 in Japan.
        assert_eq!(info.not_before_jst(), ymd_hms(2050, 1, 1, 0, 0, 0));
    }

    #[test]
    fn utc_time_century_boundary() {
        let parse = |s: &'static str| {
            let spec = CertSpec { not_before: Time::Utc(s), not_after: Time::Utc(s), ..CertSpec::default() };
            CertificateInfo::parse(&build_cert(&spec)).map(|i| i.not_after)
        };
        assert_eq!(parse("491231235959Z"), Ok(ymd_hms(2049, 12, 31, 23, 59, 59)));
        assert_eq!(parse("500101000000Z"), Ok(ymd_hms(1950, 1, 1, 0, 0, 0)));
        assert_eq!(parse("000101000000Z"), Ok(ymd_hms(2000, 1, 1, 0, 0, 0)));
        assert_eq!(parse("991231235959Z"), Ok(ymd_hms(1999, 12, 31, 23, 59, 59)));
    }

    #[test]
    fn malformed_times_are_rejected() {
        for bad in [
            "2604011200Z",  // no seconds
            "260401120000", // no Z
            "260401120000+0900",
            "261301120000Z", // month 13
            "260230120000Z", // 30 February
            "260401240000Z", // hour 24
            "260401125960Z", // second 60
            "2604011200a0Z",
        ] {
            let spec = CertSpec { not_after: Time::Utc(bad), ..CertSpec::default() };
            assert_eq!(CertificateInfo::parse(&build_cert(&spec)), Err(DerError::BadTime), "{bad}");
        }
        for bad in ["20260401120000", "20260401120000.5Z", "2026040112000Z", "+0260401120000Z"] {
            let spec = CertSpec { not_after: Time::Generalized(bad), ..CertSpec::default() };
            assert_eq!(CertificateInfo::parse(&build_cert(&spec)), Err(DerError::BadTime), "{bad}");
        }
    }

    #[test]
    fn validity_is_decided_in_jst() {
        // notAfter 2026-03-31 15:00:00 UTC = 2026-04-01 00:00:00 JST.
        let spec = CertSpec {
            not_before: Time::Utc("210331150000Z"),
            not_after: Time::Utc("260331150000Z"),
            ..CertSpec::default()
        };
        let info = CertificateInfo::parse(&build_cert(&spec)).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(!info.is_valid_on(day(2021, 3, 31)));
        assert!(info.is_valid_on(day(2021, 4, 1)));
        assert!(info.is_valid_on(day(2026, 3, 31)));
        assert!(info.is_valid_on(day(2026, 4, 1)), "valid until midnight JST, 2026-04-01 00:00");
        assert!(!info.is_valid_on(day(2026, 4, 2)));
        assert!(info.is_valid_at(ymd_hms(2026, 4, 1, 0, 0, 0)));
        assert!(!info.is_valid_at(ymd_hms(2026, 4, 1, 0, 0, 1)));
        assert!(!info.is_valid_at(ymd_hms(2021, 3, 31, 23, 59, 59)));
        assert!(info.is_valid_at(ymd_hms(2021, 4, 1, 0, 0, 0)));
    }

    #[test]
    fn serial_sign_byte_is_dropped_and_length_is_capped() {
        let serial = |s: &'static [u8]| {
            CertificateInfo::parse(&build_cert(&CertSpec { serial: s, ..CertSpec::default() })).map(|i| i.serial)
        };
        assert_eq!(serial(&[0x00, 0x80]).unwrap().as_slice(), &[0x80]);
        assert_eq!(serial(&[0x00]).unwrap().as_slice(), &[0x00]);
        assert_eq!(serial(&[0x00, 0x01]), Err(DerError::BadInteger));
        assert_eq!(serial(&[]), Err(DerError::BadInteger));
        let twenty_one = &[0x00, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
        assert_eq!(serial(twenty_one).unwrap().len(), 20);
        let too_long = &[0x7F, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
        assert_eq!(serial(too_long), Err(DerError::SerialTooLong { len: 21 }));
    }

    #[test]
    fn version_is_optional() {
        let spec = CertSpec { version: false, ..CertSpec::default() };
        assert!(CertificateInfo::parse(&build_cert(&spec)).is_ok());
    }

    #[test]
    fn debug_hides_the_serial() {
        let info = CertificateInfo::parse(&build_cert(&CertSpec::default())).unwrap();
        let s = format!("{info:?}");
        assert!(s.contains("serial_len: 4"), "{s}");
        assert!(!s.contains("serial:"));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let cert = build_cert(&CertSpec { total_content_len: Some(1200), ..CertSpec::default() });
        assert!(CertificateInfo::parse(&cert).is_ok());
        for len in 0..cert.len() {
            assert!(CertificateInfo::parse(&cert[..len]).is_err(), "prefix of {len} bytes accepted");
        }
        let mut longer = cert.clone();
        longer.push(0);
        assert_eq!(CertificateInfo::parse(&longer), Err(DerError::TrailingData { len: 1 }));
    }

    #[test]
    fn flipped_length_bytes_are_errors() {
        let cert = build_cert(&CertSpec { total_content_len: Some(600), ..CertSpec::default() });
        let original = CertificateInfo::parse(&cert).unwrap();
        // Positions of every length byte of every element, found by walking the structure.
        let mut positions = std::vec::Vec::new();
        collect_length_positions(&cert, 0, &mut positions);
        assert!(positions.len() > 20);
        let mut accepted = std::vec::Vec::new();
        for &pos in &positions {
            let mut variants = std::vec::Vec::new();
            for bit in 0..8 {
                variants.push(cert[pos] ^ (1 << bit));
            }
            variants.extend([cert[pos].wrapping_add(1), cert[pos].wrapping_sub(1)]);
            for byte in variants {
                let mut bad = cert.clone();
                bad[pos] = byte;
                match CertificateInfo::parse(&bad) {
                    Err(_) => {}
                    Ok(info) => {
                        assert_eq!(info, original, "length byte {pos} = {byte:#04x} changed the fields");
                        accepted.push((pos, byte));
                    }
                }
            }
        }
        // The only flips that leave valid DER: an AlgorithmIdentifier's OID length 09 -> 0B
        // swallows the NULL parameters that follow (still a valid AlgorithmIdentifier, and
        // not a field the terminal reads).
        assert_eq!(accepted.len(), 3, "{accepted:?}");
        for (pos, byte) in accepted {
            assert_eq!((cert[pos - 1], cert[pos], byte, cert[pos + 10]), (0x06, 0x09, 0x0B, 0x05));
        }
    }

    fn collect_length_positions(bytes: &[u8], base: usize, out: &mut std::vec::Vec<usize>) {
        let mut rest = bytes;
        let mut offset = base;
        while !rest.is_empty() {
            let h = der::Header::parse(rest).unwrap();
            out.extend(offset + 1..offset + h.header_len);
            let total = h.total_len().unwrap();
            if h.is_constructed() {
                collect_length_positions(&rest[h.header_len..total], offset + h.header_len, out);
            }
            offset += total;
            rest = &rest[total..];
        }
    }

    proptest! {
        #[test]
        fn parse_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = CertificateInfo::parse(&bytes);
        }

        #[test]
        fn truncated_certificates_are_errors(content in SMALLEST..1500, cut in any::<prop::sample::Index>()) {
            let cert = build_cert(&CertSpec { total_content_len: Some(content), ..CertSpec::default() });
            prop_assert!(CertificateInfo::parse(&cert).is_ok());
            let len = cut.index(cert.len());
            prop_assert!(CertificateInfo::parse(&cert[..len]).is_err());
        }

        #[test]
        fn mutated_certificates_never_panic(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut cert = build_cert(&CertSpec { total_content_len: Some(400), ..CertSpec::default() });
            let i = pos.index(cert.len());
            cert[i] = byte;
            let _ = CertificateInfo::parse(&cert);
        }
    }
}
