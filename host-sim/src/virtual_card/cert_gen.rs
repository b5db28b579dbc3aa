//! Test X.509 user-authentication certificates (利用者証明用電子証明書), built
//! by hand as DER.
//!
//! The certificates look like JPKI ones from the outside (sizes, structure,
//! algorithms) but are not real: the issuer is a fixed fake CA
//! ([`ISSUER_CN`]), the public key is deterministic pseudo-random bytes in an
//! RSA-2048 shape, and the signature is pseudo-random too. Nothing verifies.
//!
//! ```text
//! Certificate SEQUENCE {
//!   tbsCertificate SEQUENCE {
//!     [0] { INTEGER 2 }                         -- v3
//!     INTEGER serial                            -- 1..=20 bytes, positive
//!     SEQUENCE { sha256WithRSAEncryption, NULL }
//!     issuer  C=JP, O=JPKI, CN=JPKI test CA
//!     validity { notBefore, notAfter }          -- UTCTime 1950..=2049, else GeneralizedTime
//!     subject C=JP, CN=<holder name>            -- UTF8String
//!     SubjectPublicKeyInfo { rsaEncryption, BIT STRING { RSAPublicKey { n (2048 bits), e } } }
//!     [2] subjectUniqueID                       -- padded certificates only: the filler
//!     [3] { keyUsage, subjectKeyIdentifier, authorityKeyIdentifier,
//!           certificatePolicies, cRLDistributionPoints, [padding] } }
//!   SEQUENCE { sha256WithRSAEncryption, NULL }
//!   BIT STRING signature                        -- 256 bytes
//! }
//! ```
//!
//! A real JPKI user-authentication certificate does not carry the holder's
//! name in its subject (the signing certificate does). These test
//! certificates put it there on purpose: tests can then check that the name
//! never reaches a log, since the firmware must skip the subject.
//!
//! Sizes: without padding a certificate is about 900 bytes (depending on the
//! name and serial). [`CertParams::target_len`] asks for an exact total size
//! ([`DEFAULT_CERT_LEN`] by default), reached with a padding extension (OID
//! 1.3.6.1.4.1.32473.1.2, pseudo-random bytes) and a filler of up to 16 bytes in a
//! subjectUniqueID: the filler lies outside the extensions, so it reaches the
//! sizes the padding skips when a length field of the extensions grows.
//! Every size from the smallest padded one (about 20 bytes above the natural
//! size) to [`MAX_CERT_LEN`] is reachable, as is the natural size itself.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::Deserialize;
use std::fmt;

/// Default total size of a generated certificate, header included (real
/// JPKI user-authentication certificates are about 1.2–1.6 KB).
pub const DEFAULT_CERT_LEN: usize = 1400;
/// Largest certificate this module builds: READ BINARY offsets stop at 0x7FFF.
pub const MAX_CERT_LEN: usize = 0x8000;
/// Largest serial number, in bytes (RFC 5280).
pub const MAX_SERIAL_LEN: usize = 20;
/// Common name of the fake issuing CA.
pub const ISSUER_CN: &str = "JPKI test CA";
/// Holder name of the default parameters (a made-up name).
pub const DEFAULT_HOLDER_NAME: &str = "試験 花子";

/// Bytes of the RSA modulus (2048 bits) and of the signature.
const RSA_BYTES: usize = 256;
/// Pad bytes of the small filler that fills the sizes the big pad skips.
const FILLER_MAX: usize = 16;

const OID_SHA256_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const OID_COUNTRY: &[u8] = &[0x55, 0x04, 0x06];
const OID_ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0A];
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const OID_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x0F];
const OID_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1D, 0x0E];
const OID_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1D, 0x23];
const OID_CERT_POLICIES: &[u8] = &[0x55, 0x1D, 0x20];
const OID_CRL_DP: &[u8] = &[0x55, 0x1D, 0x1F];
/// 1.3.6.1.4.1.32473.1.1: a test policy under the private enterprise number
/// reserved for documentation (RFC 5612). The earlier 2.999.x arc (ITU-T
/// example) has a second arc above 39, which common X.509 parsers (RustCrypto
/// `const-oid`/`x509-cert`) reject.
const OID_TEST_POLICY: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x81, 0xFD, 0x59, 0x01, 0x01];
/// 1.3.6.1.4.1.32473.1.2: the padding extension, same arc.
const OID_PADDING: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x81, 0xFD, 0x59, 0x01, 0x02];
const CRL_URI: &[u8] = b"http://crl.jpki.invalid/test/auth.crl";

const TAG_BOOLEAN: u8 = 0x01;
const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;
const TAG_UTF8_STRING: u8 = 0x0C;
const TAG_PRINTABLE_STRING: u8 = 0x13;
const TAG_UTC_TIME: u8 = 0x17;
const TAG_GENERALIZED_TIME: u8 = 0x18;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
const TAG_CONTEXT_0: u8 = 0xA0;
const TAG_CONTEXT_3: u8 = 0xA3;
const TAG_CONTEXT_PRIM_0: u8 = 0x80;
const TAG_CONTEXT_PRIM_2: u8 = 0x82;
const TAG_CONTEXT_PRIM_6: u8 = 0x86;

/// What certificate to build.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CertParams {
    /// Serial number, big endian, 1..=20 bytes, without leading zero bytes
    /// (a single `00` is allowed). It is encoded as a positive INTEGER, and
    /// the firmware's `CertificateInfo::serial` gives back exactly these bytes.
    pub serial: Vec<u8>,
    /// Start of validity, UTC. Sub-second parts are dropped.
    pub not_before: NaiveDateTime,
    /// End of validity, UTC. Sub-second parts are dropped. It may be before
    /// `not_before` (a broken certificate, for tests).
    pub not_after: NaiveDateTime,
    /// The holder's name, put in the subject CN (test certificates only; see
    /// the module docs).
    pub holder_name: String,
    /// Exact total size in bytes, header included (`None`: no padding, the
    /// natural size).
    pub target_len: Option<usize>,
}

impl Default for CertParams {
    fn default() -> Self {
        Self {
            serial: vec![0x1A, 0x2B, 0x3C, 0x4D, 0x5E, 0x6F],
            not_before: utc(2024, 4, 1, 0, 0, 0),
            // 23:59:59 JST on the expiry day.
            not_after: utc(2029, 3, 31, 14, 59, 59),
            holder_name: DEFAULT_HOLDER_NAME.to_owned(),
            target_len: Some(DEFAULT_CERT_LEN),
        }
    }
}

impl fmt::Debug for CertParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The name is personal data even in tests: logs must never show it.
        f.debug_struct("CertParams")
            .field("serial_len", &self.serial.len())
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("holder_name", &"<redacted>")
            .field("target_len", &self.target_len)
            .finish()
    }
}

/// `year-month-day hour:minute:second`, or the Unix epoch for an impossible
/// date (only called with constants).
fn utc(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day).and_then(|d| d.and_hms_opt(hour, minute, second)).unwrap_or_default()
}

/// Why a certificate could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertGenError {
    /// The serial number is empty or longer than 20 bytes.
    SerialLength {
        /// Bytes given.
        len: usize,
    },
    /// The serial number starts with a redundant `00` byte.
    SerialLeadingZero,
    /// A validity year outside 0..=9999, which no ASN.1 time can hold.
    YearOutOfRange {
        /// The year given.
        year: i32,
    },
    /// The target size is below the smallest padded certificate (and is not
    /// the natural size either).
    TargetTooSmall {
        /// Size asked for.
        target: usize,
        /// Natural size, without padding.
        natural: usize,
        /// Smallest size with the padding extension.
        smallest_padded: usize,
    },
    /// The certificate would exceed [`MAX_CERT_LEN`].
    TooLarge {
        /// Size asked for or reached.
        len: usize,
    },
    /// No padding reaches the target exactly (not expected to happen).
    Unreachable {
        /// Size asked for.
        target: usize,
    },
}

impl fmt::Display for CertGenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SerialLength { len } => write!(f, "serial number of {len} bytes is outside 1..={MAX_SERIAL_LEN}"),
            Self::SerialLeadingZero => write!(f, "serial number starts with a redundant 00 byte"),
            Self::YearOutOfRange { year } => write!(f, "validity year {year} is outside 0..=9999"),
            Self::TargetTooSmall { target, natural, smallest_padded } => write!(
                f,
                "certificate of {target} bytes is impossible: it is {natural} bytes unpadded, \
                 at least {smallest_padded} bytes padded"
            ),
            Self::TooLarge { len } => write!(f, "certificate of {len} bytes exceeds {MAX_CERT_LEN} bytes"),
            Self::Unreachable { target } => write!(f, "no padding gives a certificate of exactly {target} bytes"),
        }
    }
}

impl std::error::Error for CertGenError {}

/// Builds the certificate `params` describes, as DER.
pub fn generate(params: &CertParams) -> Result<Vec<u8>, CertGenError> {
    check_serial(&params.serial)?;
    let parts = Parts::new(params)?;
    let natural = parts.build(None);
    let Some(target) = params.target_len else {
        return within_max(natural);
    };
    if target == natural.len() {
        return Ok(natural);
    }
    if target > MAX_CERT_LEN {
        return Err(CertGenError::TooLarge { len: target });
    }
    let smallest_padded = parts.build(Some((0, 0))).len();
    if target < smallest_padded {
        return Err(CertGenError::TargetTooSmall { target, natural: natural.len(), smallest_padded });
    }
    // Each pad byte adds at least one byte, so the pad is at most this; the
    // length fields that grow with it cost a few bytes more, and the filler
    // fills the sizes skipped when a length field grows.
    let most = target - smallest_padded;
    for pad in (most.saturating_sub(32)..=most).rev() {
        for filler in 0..FILLER_MAX {
            let cert = parts.build(Some((pad, filler)));
            match cert.len().cmp(&target) {
                std::cmp::Ordering::Equal => return Ok(cert),
                std::cmp::Ordering::Greater => break,
                std::cmp::Ordering::Less => {}
            }
        }
    }
    Err(CertGenError::Unreachable { target })
}

/// The certificate of the fake CA (for EF `000B`): self-issued, natural size.
pub fn ca_certificate() -> Result<Vec<u8>, CertGenError> {
    generate(&CertParams {
        serial: vec![0x01],
        not_before: utc(2014, 1, 1, 0, 0, 0),
        not_after: utc(2034, 1, 1, 0, 0, 0),
        holder_name: ISSUER_CN.to_owned(),
        target_len: None,
    })
}

fn within_max(cert: Vec<u8>) -> Result<Vec<u8>, CertGenError> {
    if cert.len() > MAX_CERT_LEN { Err(CertGenError::TooLarge { len: cert.len() }) } else { Ok(cert) }
}

fn check_serial(serial: &[u8]) -> Result<(), CertGenError> {
    if serial.is_empty() || serial.len() > MAX_SERIAL_LEN {
        return Err(CertGenError::SerialLength { len: serial.len() });
    }
    if serial.len() > 1 && serial.first() == Some(&0) {
        return Err(CertGenError::SerialLeadingZero);
    }
    Ok(())
}

/// The parts of a certificate that do not depend on the padding.
struct Parts {
    /// TBS elements before the extensions.
    tbs_head: Vec<u8>,
    /// The fixed extensions (each a complete Extension SEQUENCE).
    extensions: Vec<u8>,
    /// Seed of the padding bytes.
    seed: u64,
    /// Signature value (BIT STRING content, leading unused-bits byte included).
    signature: Vec<u8>,
}

impl Parts {
    fn new(params: &CertParams) -> Result<Self, CertGenError> {
        let mut rng = SplitMix::new(seed_of(params));
        let mut tbs_head = Vec::new();
        tbs_head.extend(tlv(TAG_CONTEXT_0, &tlv(TAG_INTEGER, &[0x02])));
        tbs_head.extend(tlv(TAG_INTEGER, &positive_integer(&params.serial)));
        tbs_head.extend(algorithm(OID_SHA256_RSA));
        tbs_head.extend(name(&[
            (OID_COUNTRY, TAG_PRINTABLE_STRING, b"JP"),
            (OID_ORGANIZATION, TAG_PRINTABLE_STRING, b"JPKI"),
            (OID_COMMON_NAME, TAG_UTF8_STRING, ISSUER_CN.as_bytes()),
        ]));
        tbs_head.extend(tlv(TAG_SEQUENCE, &[time(params.not_before)?, time(params.not_after)?].concat()));
        tbs_head.extend(name(&[
            (OID_COUNTRY, TAG_PRINTABLE_STRING, b"JP"),
            (OID_COMMON_NAME, TAG_UTF8_STRING, params.holder_name.as_bytes()),
        ]));
        tbs_head.extend(public_key(&mut rng));

        let key_id = rng.bytes(20);
        let authority_key_id = SplitMix::new(seed_of_str(ISSUER_CN)).bytes(20);
        let mut extensions = Vec::new();
        // keyUsage: digitalSignature, critical.
        extensions.extend(extension(OID_KEY_USAGE, true, &tlv(TAG_BIT_STRING, &[0x07, 0x80])));
        extensions.extend(extension(OID_SUBJECT_KEY_ID, false, &tlv(TAG_OCTET_STRING, &key_id)));
        extensions.extend(extension(
            OID_AUTHORITY_KEY_ID,
            false,
            &tlv(TAG_SEQUENCE, &tlv(TAG_CONTEXT_PRIM_0, &authority_key_id)),
        ));
        extensions.extend(extension(
            OID_CERT_POLICIES,
            true,
            &tlv(TAG_SEQUENCE, &tlv(TAG_SEQUENCE, &tlv(TAG_OID, OID_TEST_POLICY))),
        ));
        // cRLDistributionPoints: { { distributionPoint [0] { fullName [0] { URI } } } }
        let uri = tlv(TAG_CONTEXT_PRIM_6, CRL_URI);
        let point = tlv(TAG_SEQUENCE, &tlv(TAG_CONTEXT_0, &tlv(TAG_CONTEXT_0, &uri)));
        extensions.extend(extension(OID_CRL_DP, false, &tlv(TAG_SEQUENCE, &point)));

        let mut signature = vec![0x00];
        signature.extend(rng.bytes(RSA_BYTES));
        Ok(Self { tbs_head, extensions, seed: rng.next(), signature })
    }

    /// The certificate, with the padding extension when `pad` gives its
    /// (big pad, filler) sizes.
    fn build(&self, pad: Option<(usize, usize)>) -> Vec<u8> {
        let mut tbs = self.tbs_head.clone();
        let mut extensions = self.extensions.clone();
        if let Some((big, filler)) = pad {
            // The filler sits directly in the TBS, outside the extensions: it
            // fills the sizes skipped when a length field of the extensions
            // grows by a byte.
            let mut unique_id = vec![0x00];
            unique_id.resize(1 + filler, 0x00);
            tbs.extend(tlv(TAG_CONTEXT_PRIM_2, &unique_id));
            let value = tlv(TAG_OCTET_STRING, &SplitMix::new(self.seed).bytes(big));
            extensions.extend(extension(OID_PADDING, false, &value));
        }
        tbs.extend(tlv(TAG_CONTEXT_3, &tlv(TAG_SEQUENCE, &extensions)));
        let content =
            [tlv(TAG_SEQUENCE, &tbs), algorithm(OID_SHA256_RSA), tlv(TAG_BIT_STRING, &self.signature)].concat();
        tlv(TAG_SEQUENCE, &content)
    }
}

/// One DER element with its minimal length encoding.
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = value.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    match u8::try_from(len) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            // Long form: 0x80 | number of length bytes, then the big-endian length.
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            let significant = bytes.get(skip..).unwrap_or_default();
            out.push(0x80 | significant.len() as u8);
            out.extend_from_slice(significant);
        }
    }
    out.extend_from_slice(value);
    out
}

/// INTEGER content of a positive number given as its magnitude.
fn positive_integer(magnitude: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_some_and(|&b| b >= 0x80) {
        out.push(0x00);
    }
    out.extend_from_slice(magnitude);
    out
}

fn algorithm(oid: &[u8]) -> Vec<u8> {
    tlv(TAG_SEQUENCE, &[tlv(TAG_OID, oid), vec![0x05, 0x00]].concat())
}

/// A Name: one RDN (SET of one attribute) per entry.
fn name(attributes: &[(&[u8], u8, &[u8])]) -> Vec<u8> {
    let rdns: Vec<u8> = attributes
        .iter()
        .flat_map(|&(oid, tag, value)| tlv(TAG_SET, &tlv(TAG_SEQUENCE, &[tlv(TAG_OID, oid), tlv(tag, value)].concat())))
        .collect();
    tlv(TAG_SEQUENCE, &rdns)
}

fn extension(oid: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let mut content = tlv(TAG_OID, oid);
    if critical {
        content.extend(tlv(TAG_BOOLEAN, &[0xFF]));
    }
    content.extend(tlv(TAG_OCTET_STRING, value));
    tlv(TAG_SEQUENCE, &content)
}

/// SubjectPublicKeyInfo of a made-up RSA-2048 key (e = 65537).
fn public_key(rng: &mut SplitMix) -> Vec<u8> {
    let mut modulus = rng.bytes(RSA_BYTES);
    if let Some(first) = modulus.first_mut() {
        *first |= 0x80;
    }
    if let Some(last) = modulus.last_mut() {
        *last |= 0x01;
    }
    let rsa_key = tlv(
        TAG_SEQUENCE,
        &[tlv(TAG_INTEGER, &positive_integer(&modulus)), tlv(TAG_INTEGER, &[0x01, 0x00, 0x01])].concat(),
    );
    let bits = [&[0x00][..], &rsa_key].concat();
    tlv(TAG_SEQUENCE, &[algorithm(OID_RSA), tlv(TAG_BIT_STRING, &bits)].concat())
}

/// UTCTime for 1950..=2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
fn time(t: NaiveDateTime) -> Result<Vec<u8>, CertGenError> {
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return Err(CertGenError::YearOutOfRange { year });
    }
    // A leap second (chrono's second 59 with nanos past 1e9) prints as 59.
    let rest = format!("{:02}{:02}{:02}{:02}{:02}Z", t.month(), t.day(), t.hour(), t.minute(), t.second());
    Ok(if (1950..2050).contains(&year) {
        tlv(TAG_UTC_TIME, format!("{:02}{rest}", year % 100).as_bytes())
    } else {
        tlv(TAG_GENERALIZED_TIME, format!("{year:04}{rest}").as_bytes())
    })
}

fn seed_of(params: &CertParams) -> u64 {
    let mut h = Fnv::new();
    h.write(&params.serial);
    h.write(params.holder_name.as_bytes());
    h.finish()
}

fn seed_of_str(s: &str) -> u64 {
    let mut h = Fnv::new();
    h.write(s.as_bytes());
    h.finish()
}

/// FNV-1a, 64 bits: a stable seed (std's hasher may change between releases).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xCBF2_9CE4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// SplitMix64: deterministic, random-looking bytes.
struct SplitMix(u64);

impl SplitMix {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            out.extend(self.next().to_be_bytes());
        }
        out.truncate(n);
        out
    }
}

#[cfg(test)]
mod tests {

    /// Decodes an OID's content octets into its arcs.
    fn arcs(der: &[u8]) -> Vec<u64> {
        let mut out = Vec::new();
        let mut n = 0u64;
        for &b in der {
            n = (n << 7) | u64::from(b & 0x7F);
            if b & 0x80 == 0 {
                if out.is_empty() {
                    let first = n.min(80) / 40;
                    out.extend([first, n - first * 40]);
                } else {
                    out.push(n);
                }
                n = 0;
            }
        }
        out
    }

    #[test]
    fn test_oids_are_under_the_documentation_enterprise_arc() {
        assert_eq!(arcs(OID_TEST_POLICY), [1, 3, 6, 1, 4, 1, 32473, 1, 1]);
        assert_eq!(arcs(OID_PADDING), [1, 3, 6, 1, 4, 1, 32473, 1, 2]);
        // The first octet holds both leading arcs (second arc below 40), as
        // RustCrypto's const-oid requires; 2.999 needed two octets.
        for oid in [OID_TEST_POLICY, OID_PADDING] {
            assert!(oid[0] < 0x80 && oid[0] % 40 < 40);
        }
        let der = generate(&CertParams::default()).unwrap();
        assert!(!der.windows(5).any(|w| w == [0x06, 0x04, 0x88, 0x37, 0x01]), "a 2.999 OID is left in the certificate");
        assert!(der.windows(OID_PADDING.len()).any(|w| w == OID_PADDING), "no padding extension");
    }

    use super::*;
    use firmware::card::certificate::CertificateInfo;
    use firmware::card::der::{Header, validate};
    use proptest::prelude::*;

    fn parse(cert: &[u8]) -> CertificateInfo {
        CertificateInfo::parse(cert).unwrap_or_else(|e| panic!("firmware rejects the certificate: {e}"))
    }

    #[test]
    fn default_certificate_is_1400_bytes_and_parses() {
        let params = CertParams::default();
        let cert = generate(&params).unwrap();
        assert_eq!(cert.len(), DEFAULT_CERT_LEN);
        let info = parse(&cert);
        assert_eq!(info.serial.as_slice(), params.serial.as_slice());
        assert_eq!(info.not_before, params.not_before);
        assert_eq!(info.not_after, params.not_after);
        let header = Header::parse(&cert).unwrap();
        assert_eq!((header.header_len, header.content_len), (4, DEFAULT_CERT_LEN - 4));
    }

    #[test]
    fn natural_size_is_plausible_and_deterministic() {
        let params = CertParams { target_len: None, ..CertParams::default() };
        let cert = generate(&params).unwrap();
        assert!((850..1100).contains(&cert.len()), "{}", cert.len());
        assert_eq!(generate(&params).unwrap(), cert);
        parse(&cert);
        let other = generate(&CertParams { serial: vec![0x02], ..params }).unwrap();
        assert_ne!(other[300..600], cert[300..600], "key bytes depend on the serial");
    }

    #[test]
    fn subject_holds_the_name_in_utf8() {
        let cert = generate(&CertParams::default()).unwrap();
        let name = DEFAULT_HOLDER_NAME.as_bytes();
        assert!(cert.windows(name.len()).any(|w| w == name));
        let issuer = ISSUER_CN.as_bytes();
        assert!(cert.windows(issuer.len()).any(|w| w == issuer));
    }

    #[test]
    fn every_size_from_smallest_padded_to_max_is_reached() {
        let params = CertParams::default();
        let natural = generate(&CertParams { target_len: None, ..params.clone() }).unwrap().len();
        let Err(CertGenError::TargetTooSmall { smallest_padded, .. }) =
            generate(&CertParams { target_len: Some(natural + 1), ..params.clone() })
        else {
            panic!("natural + 1 should be below the smallest padded size");
        };
        for target in (smallest_padded..=2100).chain([4096, 0x7FFF, MAX_CERT_LEN]) {
            let cert = generate(&CertParams { target_len: Some(target), ..params.clone() })
                .unwrap_or_else(|e| panic!("{target}: {e}"));
            assert_eq!(cert.len(), target);
            let info = parse(&cert);
            assert_eq!(info.serial.as_slice(), params.serial.as_slice());
        }
        assert_eq!(generate(&CertParams { target_len: Some(natural), ..params.clone() }).unwrap().len(), natural);
    }

    #[test]
    fn serial_encoding() {
        for serial in [vec![0x00], vec![0x01], vec![0x7F], vec![0x80], vec![0xFF; 20], vec![0x01; 20]] {
            let cert = generate(&CertParams { serial: serial.clone(), ..CertParams::default() }).unwrap();
            assert_eq!(parse(&cert).serial.as_slice(), serial.as_slice());
        }
        let bad = |serial: Vec<u8>| generate(&CertParams { serial, ..CertParams::default() }).unwrap_err();
        assert_eq!(bad(vec![]), CertGenError::SerialLength { len: 0 });
        assert_eq!(bad(vec![1; 21]), CertGenError::SerialLength { len: 21 });
        assert_eq!(bad(vec![0, 1]), CertGenError::SerialLeadingZero);
    }

    #[test]
    fn time_forms() {
        let at = |y, mo, d| utc(y, mo, d, 12, 34, 56);
        for (not_before, not_after) in [
            (at(1950, 1, 1), at(2049, 12, 31)),
            (at(2049, 12, 31), at(2050, 1, 1)),
            (at(1949, 12, 31), at(9999, 12, 31)),
            (at(2024, 2, 29), at(2000, 1, 1)),
        ] {
            let cert =
                generate(&CertParams { not_before, not_after, target_len: None, ..CertParams::default() }).unwrap();
            let info = parse(&cert);
            assert_eq!((info.not_before, info.not_after), (not_before, not_after));
        }
        let cert = generate(&CertParams { not_after: at(2049, 1, 2), ..CertParams::default() }).unwrap();
        assert!(cert.windows(13).any(|w| w == b"490102123456Z"));
        let cert = generate(&CertParams { not_after: at(2050, 1, 2), ..CertParams::default() }).unwrap();
        assert!(cert.windows(15).any(|w| w == b"20500102123456Z"));
        let err = generate(&CertParams { not_after: at(10000, 1, 1), ..CertParams::default() }).unwrap_err();
        assert_eq!(err, CertGenError::YearOutOfRange { year: 10000 });
        assert_eq!(err.to_string(), "validity year 10000 is outside 0..=9999");
    }

    #[test]
    fn too_large_and_too_small() {
        let err = generate(&CertParams { target_len: Some(MAX_CERT_LEN + 1), ..CertParams::default() }).unwrap_err();
        assert_eq!(err, CertGenError::TooLarge { len: MAX_CERT_LEN + 1 });
        assert!(matches!(
            generate(&CertParams { target_len: Some(100), ..CertParams::default() }),
            Err(CertGenError::TargetTooSmall { target: 100, .. })
        ));
        let long_name = "名".repeat(MAX_CERT_LEN);
        assert!(matches!(
            generate(&CertParams { holder_name: long_name, target_len: None, ..CertParams::default() }),
            Err(CertGenError::TooLarge { .. })
        ));
    }

    #[test]
    fn ca_certificate_parses() {
        let ca = ca_certificate().unwrap();
        let info = parse(&ca);
        assert_eq!(info.serial.as_slice(), &[0x01]);
    }

    #[test]
    fn debug_hides_the_name() {
        let s = format!("{:?}", CertParams::default());
        assert!(!s.contains(DEFAULT_HOLDER_NAME), "{s}");
        assert!(s.contains("<redacted>"));
    }

    proptest! {
        #[test]
        fn generated_certificates_parse(
            serial in proptest::collection::vec(any::<u8>(), 1..=MAX_SERIAL_LEN),
            before in 0i64..4_000_000_000,
            span in -1_000_000i64..3_000_000_000,
            name in "\\PC{0,40}",
            target in proptest::option::of(1100usize..2200),
        ) {
            let serial = match serial.iter().position(|&b| b != 0) {
                Some(i) => serial[i..].to_vec(),
                None => vec![0],
            };
            let not_before = chrono::DateTime::from_timestamp(before, 0).unwrap().naive_utc();
            let not_after = chrono::DateTime::from_timestamp(before + span, 0).unwrap().naive_utc();
            let params = CertParams { serial: serial.clone(), not_before, not_after, holder_name: name, target_len: target };
            let cert = generate(&params).unwrap();
            if let Some(target) = target {
                prop_assert_eq!(cert.len(), target);
            }
            validate(&cert).unwrap();
            let info = CertificateInfo::parse(&cert).unwrap();
            prop_assert_eq!(info.serial.as_slice(), serial.as_slice());
            prop_assert_eq!(info.not_before, not_before);
            prop_assert_eq!(info.not_after, not_after);
        }
    }
}
