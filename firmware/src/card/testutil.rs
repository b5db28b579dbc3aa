//! Test-only DER builder: X.509-shaped certificates with a chosen serial,
//! validity and exact size. The subject is always empty.

use std::vec::Vec;

/// A certificate time, as its ASN.1 string.
#[derive(Debug, Clone, Copy)]
pub enum Time {
    /// UTCTime, tag 0x17.
    Utc(&'static str),
    /// GeneralizedTime, tag 0x18.
    Generalized(&'static str),
}

/// What to build.
#[derive(Debug, Clone, Copy)]
pub struct CertSpec {
    /// Include the `[0]` version (v3).
    pub version: bool,
    /// serialNumber INTEGER content bytes, written as given.
    pub serial: &'static [u8],
    /// validity.notBefore.
    pub not_before: Time,
    /// validity.notAfter.
    pub not_after: Time,
    /// Exact content length of the outer SEQUENCE, reached with an
    /// extension-like OCTET STRING and the signature length; `None`: smallest.
    pub total_content_len: Option<usize>,
}

impl Default for CertSpec {
    fn default() -> Self {
        Self {
            version: true,
            serial: &[0x12, 0x34, 0x56, 0x78],
            not_before: Time::Utc("210401000000Z"),
            not_after: Time::Utc("260331145959Z"),
            total_content_len: None,
        }
    }
}

const SHA256_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
const RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1D, 0x0E];
const ISSUER: &[u8] = b"JPKI Test CA";

/// Bytes of the length field for a value of `n` bytes.
fn len_len(n: usize) -> usize {
    match n {
        0..0x80 => 1,
        0x80..0x100 => 2,
        0x100..0x10000 => 3,
        _ => 4,
    }
}

fn tlv_len(n: usize) -> usize {
    1 + len_len(n) + n
}

/// One DER element with a minimal length.
pub fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let n = value.len();
    let mut out = vec![tag];
    match len_len(n) {
        1 => out.push(n as u8),
        k => {
            out.push(0x80 | (k - 1) as u8);
            out.extend_from_slice(&n.to_be_bytes()[size_of::<usize>() - (k - 1)..]);
        }
    }
    out.extend_from_slice(value);
    out
}

fn time(t: Time) -> Vec<u8> {
    match t {
        Time::Utc(s) => tlv(0x17, s.as_bytes()),
        Time::Generalized(s) => tlv(0x18, s.as_bytes()),
    }
}

fn algorithm(oid: &[u8]) -> Vec<u8> {
    tlv(0x30, &[tlv(0x06, oid), vec![0x05, 0x00]].concat())
}

/// Extensions `[3]` holding one extension whose value is `pad` bytes of 0xFF.
fn extensions(pad: usize) -> Vec<u8> {
    let ext = tlv(0x30, &[tlv(0x06, SUBJECT_KEY_ID), tlv(0x04, &vec![0xFF; pad])].concat());
    tlv(0xA3, &tlv(0x30, &ext))
}

fn extensions_len(pad: usize) -> usize {
    tlv_len(tlv_len(tlv_len(tlv_len(SUBJECT_KEY_ID.len()) + tlv_len(pad))))
}

fn tbs_parts(spec: &CertSpec) -> Vec<u8> {
    let mut tbs = Vec::new();
    if spec.version {
        tbs.extend(tlv(0xA0, &tlv(0x02, &[0x02])));
    }
    tbs.extend(tlv(0x02, spec.serial));
    tbs.extend(algorithm(SHA256_RSA));
    let cn = tlv(0x30, &[tlv(0x06, COMMON_NAME), tlv(0x13, ISSUER)].concat());
    tbs.extend(tlv(0x30, &tlv(0x31, &cn)));
    tbs.extend(tlv(0x30, &[time(spec.not_before), time(spec.not_after)].concat()));
    tbs.extend(tlv(0x30, &[])); // subject: empty, the tests carry no personal data
    tbs.extend(tlv(0x30, &[algorithm(RSA), tlv(0x03, &[0x00, 0xFF])].concat()));
    tbs
}

/// Content length of the outer SEQUENCE for a padding and signature size.
fn content_len(base_tbs: usize, pad: Option<usize>, sig: usize) -> usize {
    let tbs = base_tbs + pad.map_or(0, extensions_len);
    tlv_len(tbs) + tlv_len(SHA256_RSA.len() + 2 + 2) + tlv_len(sig)
}

/// Content length of the smallest certificate the default spec builds.
pub const SMALLEST: usize = 126;

/// Builds the certificate `spec` describes.
pub fn build_cert(spec: &CertSpec) -> Vec<u8> {
    let base = tbs_parts(spec);
    let (pad, sig) = match spec.total_content_len {
        None => (None, 1),
        Some(target) => (0..=target)
            .map(Some)
            .chain([None])
            .flat_map(|pad| (1..=16).map(move |sig| (pad, sig)))
            .find(|&(pad, sig)| content_len(base.len(), pad, sig) == target)
            .unwrap_or_else(|| panic!("no certificate of content length {target}")),
    };
    let mut tbs = base;
    if let Some(pad) = pad {
        tbs.extend(extensions(pad));
    }
    let mut signature = vec![0x00];
    signature.resize(sig, 0xFF);
    let content = [tlv(0x30, &tbs), algorithm(SHA256_RSA), tlv(0x03, &signature)].concat();
    if let Some(target) = spec.total_content_len {
        assert_eq!(content.len(), target);
    }
    tlv(0x30, &content)
}

#[test]
fn builder_hits_exact_sizes() {
    let smallest = |version| {
        let cert = build_cert(&CertSpec { version, ..CertSpec::default() });
        super::der::Header::parse(&cert).unwrap().content_len
    };
    assert_eq!((smallest(true), smallest(false)), (SMALLEST, SMALLEST - 5));
    for target in [SMALLEST, 127, 128, 200, 254, 255, 256, 300, 510, 1200, 2000] {
        let cert = build_cert(&CertSpec { total_content_len: Some(target), ..CertSpec::default() });
        let h = super::der::Header::parse(&cert).unwrap();
        assert_eq!(h.content_len, target);
        assert_eq!(cert.len(), h.header_len + target);
    }
}
