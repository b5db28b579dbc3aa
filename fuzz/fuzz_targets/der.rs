//! DER: the walker, the validator and the certificate fields on any bytes.
//! Oracles: no panic; a certificate that parses validates as DER; a TLV
//! never overlaps what follows it.
#![no_main]

use firmware::card::CertificateInfo;
use firmware::card::der;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let valid = der::validate(data).is_ok();
    if let Ok(header) = der::Header::parse(data) {
        let _ = header.total_len();
        let _ = header.is_constructed();
    }
    if let Ok((tlv, rest)) = der::Tlv::split(data) {
        assert!(tlv.value.len() + rest.len() < data.len(), "a TLV consumes its header");
    }
    if let Ok(info) = CertificateInfo::parse(data) {
        assert!(valid, "a certificate that parses is valid DER");
        let _ = info.expires_jst();
        let _ = info.not_before_jst();
        let _ = info.is_valid_on(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    }
});
