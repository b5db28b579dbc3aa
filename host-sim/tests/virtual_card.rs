//! The virtual card against the firmware's own card code: `CertReader`, the
//! JPKI command builders, the status-word classification.

use chrono::{NaiveDate, NaiveDateTime};
use firmware::card::apdu::Response;
use firmware::card::cert_reader::{CertReadError, CertReader, ReadStep, Step};
use firmware::card::der::Header;
use firmware::card::jpki::{self, Ef, TokenKind};
use firmware::card::pin::Pin;
use firmware::card::status::{Status, StatusWord};
use host_sim::virtual_card::card::{KENMEN_KAKUNIN_AID, KENMEN_NYURYOKU_HOJO_AID, MAX_PIN_TRIES};
use host_sim::virtual_card::cert_gen::DEFAULT_CERT_LEN;
use host_sim::virtual_card::{
    CardGone, CardProfile, CardToken, CertParams, CertificateSource, CommandKind, Fault, ReadError, VirtualCard,
    read_certificate, run_cert_reader, select_jpki,
};
use proptest::prelude::*;

const HOLDER: &str = "漏洩 検査子";

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap()
}

fn params(serial: &[u8], target_len: Option<usize>) -> CertParams {
    CertParams {
        serial: serial.to_vec(),
        not_before: at(2023, 6, 1, 3, 0, 0),
        not_after: at(2028, 5, 31, 14, 59, 59),
        holder_name: HOLDER.to_owned(),
        target_len,
    }
}

fn card_with(params: CertParams) -> VirtualCard {
    VirtualCard::new(CardProfile { certificate: CertificateSource::Generate(params), ..CardProfile::default() })
        .unwrap()
}

fn status_of(response: &[u8]) -> StatusWord {
    Response::new_checked(response).unwrap().status()
}

fn send(card: &mut VirtualCard, apdu: &[u8]) -> StatusWord {
    status_of(&card.transmit(apdu).unwrap())
}

fn pin(digits: [u8; 4]) -> Pin {
    let mut p = Pin::new();
    for d in digits {
        p.push_digit(d).unwrap();
    }
    p
}

fn verify(card: &mut VirtualCard, digits: [u8; 4]) -> StatusWord {
    send(card, jpki::verify_pin(&pin(digits)).unwrap().as_bytes())
}

fn counter(card: &mut VirtualCard) -> StatusWord {
    send(card, jpki::pin_retry_counter().as_bytes())
}

/// A card with the JPKI AP and EF 0018 selected.
fn card_at_pin(profile: CardProfile) -> VirtualCard {
    let mut card = VirtualCard::new(profile).unwrap();
    select_jpki(&mut card).unwrap();
    assert_eq!(send(&mut card, jpki::select_ef(Ef::AuthPin).as_bytes()), StatusWord::OK);
    card
}

#[test]
fn cert_reader_reads_a_typical_certificate() {
    let p = params(&[0x0A, 0x1B, 0x2C, 0x3D, 0x4E, 0x5F, 0x60, 0x71], None);
    let mut card = card_with(CertParams { target_len: Some(DEFAULT_CERT_LEN), ..p.clone() });
    let info = read_certificate(&mut card).unwrap();
    assert_eq!(info.serial.as_slice(), p.serial.as_slice());
    assert_eq!(info.not_before, p.not_before);
    assert_eq!(info.not_after, p.not_after);
    // 1400 bytes: content 1396 after `30 82 05 74`, so 2 + ceil(1396 / 255) = 8.
    let counters = card.counters();
    assert_eq!(counters.apdus_after_jpki_select, 8);
    assert_eq!(counters.apdus, 9, "the SELECT of the AP, then the reader's 8");
    assert_eq!(counters.forbidden_selects, 0);
    assert_eq!(counters.verify_attempts, 0, "the certificate is read without the PIN");
    // SELECT AP, SELECT EF, header read, six content reads.
    let transcript = card.transcript();
    assert_eq!(transcript.len(), 9);
    assert!(transcript.iter().all(|e| e.status() == StatusWord::OK));
    assert_eq!(transcript[2].command, [0x00, 0xB0, 0x00, 0x00, 0x04]);
    assert_eq!(transcript[3].command, [0x00, 0xB0, 0x00, 0x04, 0xFF]);
    assert_eq!(transcript[8].command, [0x00, 0xB0, 0x04, 0xFF, 0x79], "last read: 121 bytes at 1279");
}

#[test]
fn exchange_count_is_two_plus_content_chunks() {
    let mut measured = Vec::new();
    for content_len in [1019, 1020, 1021, 1274, 1275, 1276, 1396, 1529, 1530, 1531, 1784, 1785, 1786, 2039, 2040, 2044]
    {
        let total = content_len + 4;
        let serial = [0x40, (content_len >> 8) as u8, content_len as u8];
        let mut card = card_with(params(&serial, Some(total)));
        let der = card.certificate();
        assert_eq!(der.len(), total);
        assert_eq!(Header::parse(der).unwrap().content_len, content_len);
        let info = read_certificate(&mut card).unwrap_or_else(|e| panic!("{content_len}: {e}"));
        assert_eq!(info.serial.as_slice(), &serial);
        assert_eq!(info.not_after, at(2028, 5, 31, 14, 59, 59));
        let exchanges = card.counters().apdus_after_jpki_select;
        assert_eq!(exchanges, 2 + content_len.div_ceil(255), "content length {content_len}");
        measured.push((content_len, exchanges));
    }
    assert_eq!(
        measured,
        [
            (1019, 6),
            (1020, 6),
            (1021, 7),
            (1274, 7),
            (1275, 7),
            (1276, 8),
            (1396, 8),
            (1529, 8),
            (1530, 8),
            (1531, 9),
            (1784, 9),
            (1785, 9),
            (1786, 10),
            (2039, 10),
            (2040, 10),
            (2044, 11)
        ]
    );
}

#[test]
fn certificate_beyond_the_reader_buffer_is_refused_from_its_header() {
    let mut card = card_with(params(&[0x01], Some(2049)));
    let err = read_certificate(&mut card).unwrap_err();
    assert_eq!(err, ReadError::Reader(CertReadError::TooLarge { len: 2049, capacity: 2048 }));
    assert_eq!(card.counters().apdus_after_jpki_select, 2);
}

#[test]
fn many_serials_dates_and_sizes_read_back() {
    let dates = [
        (at(2016, 1, 1, 0, 0, 0), at(2020, 12, 31, 14, 59, 59)),
        (at(2024, 2, 29, 15, 0, 0), at(2049, 12, 31, 23, 59, 59)),
        (at(2049, 12, 31, 15, 0, 0), at(2050, 1, 1, 0, 0, 0)),
        (at(2045, 7, 7, 7, 7, 7), at(2099, 1, 1, 0, 0, 0)),
    ];
    let serials: [&[u8]; 5] = [&[0x00], &[0x7F], &[0x80], &[0xFF; 20], &[0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]];
    let mut n = 0;
    for (i, &serial) in serials.iter().enumerate() {
        for (j, &(not_before, not_after)) in dates.iter().enumerate() {
            let target = [None, Some(1200), Some(1400), Some(1600), Some(2048)][(i + j) % 5];
            let p = CertParams { not_before, not_after, ..params(serial, target) };
            let mut card = card_with(p);
            let info = read_certificate(&mut card).unwrap();
            assert_eq!(info.serial.as_slice(), serial);
            assert_eq!((info.not_before, info.not_after), (not_before, not_after));
            n += 1;
        }
    }
    assert_eq!(n, 20);
}

#[test]
fn forbidden_applications_are_refused_and_counted() {
    let mut card = VirtualCard::new(CardProfile::default()).unwrap();
    for aid in [KENMEN_NYURYOKU_HOJO_AID, KENMEN_KAKUNIN_AID] {
        let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
        select.extend(aid);
        assert_eq!(send(&mut card, &select), StatusWord(0x6A82));
    }
    assert_eq!(card.counters().forbidden_selects, 2);
    assert!(!card.jpki_selected());
    // Another unknown AID is refused but not counted.
    assert_eq!(send(&mut card, &[0x00, 0xA4, 0x04, 0x0C, 0x03, 0xA0, 0x00, 0x00]), StatusWord(0x6A82));
    assert_eq!(card.counters().forbidden_selects, 2);
}

#[test]
fn efs_need_the_jpki_application() {
    let mut card = VirtualCard::new(CardProfile::default()).unwrap();
    assert_eq!(send(&mut card, jpki::select_ef(Ef::AuthCert).as_bytes()), StatusWord(0x6A82));
    assert_eq!(send(&mut card, jpki::read_binary(0, 4).unwrap().as_bytes()), StatusWord(0x6986));
    // The reader, started without the AP, fails at its first step.
    let err = run_cert_reader(&mut card, &mut CertReader::new()).unwrap_err();
    assert_eq!(err, ReadError::Reader(CertReadError::Status { step: ReadStep::SelectEf, status: StatusWord(0x6A82) }));
    assert_eq!(card.counters().apdus_after_jpki_select, 0);
}

#[test]
fn token_tells_card_from_smartphone() {
    for (token, kind) in [
        (CardToken::Card, TokenKind::Card),
        (CardToken::Smartphone, TokenKind::Smartphone),
        (CardToken::Other("JPKIAPICCTOKEN".into()), TokenKind::Unknown),
    ] {
        let mut card = VirtualCard::new(CardProfile { token, ..CardProfile::default() }).unwrap();
        select_jpki(&mut card).unwrap();
        assert_eq!(send(&mut card, jpki::select_ef(Ef::Token).as_bytes()), StatusWord::OK);
        let response = card.transmit(jpki::read_binary(0, 32).unwrap().as_bytes()).unwrap();
        let response = Response::new_checked(&response[..]).unwrap();
        assert_eq!(response.status(), StatusWord::OK);
        assert_eq!(response.data().len(), 32);
        assert_eq!(TokenKind::parse(response.data()), kind);
    }
}

#[test]
fn wrong_wrong_right_resets_the_counter() {
    let mut card = card_at_pin(CardProfile { pin: Some([2, 4, 6, 8]), ..CardProfile::default() });
    assert_eq!(counter(&mut card), StatusWord(0x63C3));
    assert_eq!(verify(&mut card, [1, 1, 1, 1]), StatusWord(0x63C2));
    assert_eq!(counter(&mut card), StatusWord(0x63C2), "asking does not spend a try");
    assert_eq!(verify(&mut card, [8, 6, 4, 2]), StatusWord(0x63C1));
    assert_eq!(StatusWord(0x63C1).classify(), Status::WrongPin { tries_left: 1 });
    assert_eq!(card.pin_tries_left(), Some(1));
    assert_eq!(verify(&mut card, [2, 4, 6, 8]), StatusWord::OK);
    assert!(card.pin_verified());
    assert_eq!(card.pin_tries_left(), Some(MAX_PIN_TRIES));
    assert_eq!(counter(&mut card), StatusWord(0x63C3));
    let c = card.counters();
    assert_eq!((c.verify_attempts, c.wrong_pins, c.pin_counter_queries), (3, 2, 3));
    // Selecting the AP again forgets the verification, not the counter.
    select_jpki(&mut card).unwrap();
    assert!(!card.pin_verified());
}

#[test]
fn three_wrong_block_the_pin_for_good() {
    let mut card = card_at_pin(CardProfile::default());
    assert_eq!(counter(&mut card).pin_tries_left(), Some(3));
    assert_eq!(verify(&mut card, [0, 0, 0, 0]), StatusWord(0x63C2));
    assert_eq!(verify(&mut card, [0, 0, 0, 1]), StatusWord(0x63C1));
    assert_eq!(verify(&mut card, [0, 0, 0, 2]), StatusWord(0x6983));
    assert_eq!(card.pin_tries_left(), Some(0));
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord(0x6983), "even the right PIN");
    assert!(!card.pin_verified());
    let blocked = counter(&mut card);
    assert_eq!(blocked, StatusWord(0x6983));
    assert_eq!(blocked.classify(), Status::PinBlocked);
    assert_eq!(blocked.pin_tries_left(), Some(0));
    assert_eq!(card.counters().wrong_pins, 3, "blocked tries spend nothing");
    // A power cycle does not unblock it.
    card.reinsert();
    select_jpki(&mut card).unwrap();
    send(&mut card, jpki::select_ef(Ef::AuthPin).as_bytes());
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord(0x6983));
}

#[test]
fn a_card_configured_blocked_or_low() {
    let mut card = card_at_pin(CardProfile { pin_tries_left: 1, ..CardProfile::default() });
    assert_eq!(counter(&mut card), StatusWord(0x63C1));
    assert_eq!(verify(&mut card, [9, 9, 9, 9]), StatusWord(0x6983));
    let mut card = card_at_pin(CardProfile { pin_tries_left: 0, ..CardProfile::default() });
    assert_eq!(counter(&mut card), StatusWord(0x6983));
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord(0x6983));
}

#[test]
fn pinless_card_answers_reference_data_not_usable() {
    let mut card = card_at_pin(CardProfile { pin: None, ..CardProfile::default() });
    assert_eq!(card.pin_tries_left(), None);
    assert_eq!(counter(&mut card), StatusWord(0x6984));
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord(0x6984));
    // The firmware tells a card without a PIN from a blocked PIN (6983), so
    // the terminal takes its PIN-less branch.
    assert_eq!(StatusWord(0x6984).classify(), Status::PinNotUsable);
    assert_eq!(StatusWord(0x6983).classify(), Status::PinBlocked);
    assert_eq!(StatusWord(0x6984).pin_tries_left(), None);
    // The certificate is still readable.
    assert!(read_certificate(&mut card).is_ok());
}

#[test]
fn android_phone_gives_its_certificate_only_after_the_pin() {
    let profile = CardProfile {
        token: CardToken::Smartphone,
        pin_before_cert: true,
        pin: Some([4, 3, 2, 1]),
        ..CardProfile::default()
    };
    let mut phone = card_at_pin(profile);
    // Certificate EF selected, but not readable before VERIFY.
    assert_eq!(send(&mut phone, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]), StatusWord::OK);
    assert_eq!(send(&mut phone, &[0x00, 0xB0, 0x00, 0x00, 0x04]), StatusWord(0x6982));
    assert_eq!(send(&mut phone, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18]), StatusWord::OK);
    assert_eq!(verify(&mut phone, [4, 3, 2, 1]), StatusWord::OK);
    assert_eq!(send(&mut phone, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]), StatusWord::OK);
    assert_eq!(send(&mut phone, &[0x00, 0xB0, 0x00, 0x00, 0x04]), StatusWord::OK);
}

#[test]
fn verify_needs_the_pin_ef_and_four_bytes() {
    let mut card = VirtualCard::new(CardProfile::default()).unwrap();
    select_jpki(&mut card).unwrap();
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord(0x6986), "no EF selected");
    send(&mut card, jpki::select_ef(Ef::AuthCert).as_bytes());
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord(0x6986), "EF 000A selected");
    send(&mut card, jpki::select_ef(Ef::AuthPin).as_bytes());
    assert_eq!(send(&mut card, &[0x00, 0x20, 0x00, 0x80, 0x03, b'1', b'2', b'3']), StatusWord(0x6700));
    assert_eq!(send(&mut card, &[0x00, 0x20, 0x00, 0x81, 0x04, b'1', b'2', b'3', b'4']), StatusWord(0x6A88));
    assert_eq!(send(&mut card, &[0x00, 0x20, 0x01, 0x80, 0x04, b'1', b'2', b'3', b'4']), StatusWord(0x6A86));
    assert_eq!(card.pin_tries_left(), Some(3), "no try spent on refused commands");
    assert_eq!(verify(&mut card, [1, 2, 3, 4]), StatusWord::OK);
}

#[test]
fn transcript_masks_the_pin() {
    let mut card = card_at_pin(CardProfile { pin: Some([7, 3, 5, 9]), ..CardProfile::default() });
    verify(&mut card, [7, 3, 5, 1]);
    verify(&mut card, [7, 3, 5, 9]);
    counter(&mut card);
    let transcript = card.transcript();
    let debug = format!("{transcript:?}");
    assert!(debug.contains("00 20 00 80 04 ** ** ** **"), "{debug}");
    assert!(debug.contains("response: <0 data bytes> 63C2"), "{debug}");
    assert!(!debug.contains("37 33 35"), "{debug}");
    for e in transcript {
        assert!(!e.command.windows(3).any(|w| w == b"735"), "PIN kept in {e:?}");
    }
    assert_eq!(transcript[3].command, b"\x00\x20\x00\x80\x04****");
    assert_eq!(transcript[3].masked, 4);
    assert_eq!(transcript[4].command, [0x00, 0x20, 0x00, 0x80], "the counter query carries nothing to mask");
    let debug = format!("{card:?}");
    assert!(!debug.contains("7359") && !debug.contains("55, 51"), "{debug}");
}

#[test]
fn the_holder_name_does_not_appear_in_debug_output() {
    let mut card = card_with(params(&[0x33], Some(1400)));
    let name = HOLDER.as_bytes();
    assert!(card.certificate().windows(name.len()).any(|w| w == name), "the name is in the certificate");
    let info = read_certificate(&mut card).unwrap();
    for debug in [format!("{info:?}"), format!("{card:?}"), format!("{:?}", card.transcript())] {
        assert!(!debug.contains(HOLDER), "{debug}");
    }
    let profile =
        CardProfile { certificate: CertificateSource::Generate(params(&[1], None)), ..CardProfile::default() };
    assert!(!format!("{profile:?}").contains(HOLDER));
}

#[test]
fn card_muted_mid_read_is_card_removed() {
    // SELECT AP, SELECT EF, header, one content read: then silence.
    let profile = CardProfile { mute_after: Some(4), ..CardProfile::default() };
    let mut card = VirtualCard::new(profile).unwrap();
    let err = read_certificate(&mut card).unwrap_err();
    assert_eq!(err, ReadError::CardRemoved);
    assert_eq!(err.to_string(), "card removed during the read");
    assert!(!card.is_present());
    let c = card.counters();
    assert_eq!((c.apdus, c.unanswered), (4, 1));

    // The same with the bare reader loop: the transport error is CardGone.
    let mut card = VirtualCard::new(CardProfile { mute_after: Some(3), ..CardProfile::default() }).unwrap();
    select_jpki(&mut card).unwrap();
    let mut reader = CertReader::new();
    let mut command = reader.start();
    let gone = loop {
        match card.transmit(command.as_bytes()) {
            Ok(response) => match reader.on_response(&response) {
                Step::Send(next) => command = next,
                other => panic!("read ended with the card mute: {other:?}"),
            },
            Err(e) => break e,
        }
    };
    assert_eq!(gone, CardGone);
    assert_eq!(reader.bytes_read(), 4, "only the header arrived");
    drop(reader);
    assert_eq!(card.transmit(&[0x00, 0xA4, 0x04, 0x0C]), Err(CardGone), "stays gone");

    // Put back, it answers again, from a fresh power-up.
    card.reinsert();
    assert!(card.is_present());
    assert!(!card.jpki_selected());
    assert!(read_certificate(&mut card).is_ok());
}

#[test]
fn removed_card_answers_nothing() {
    let mut card = VirtualCard::new(CardProfile::default()).unwrap();
    card.remove();
    assert_eq!(read_certificate(&mut card), Err(ReadError::CardRemoved));
    assert_eq!(card.counters().apdus, 0);
    assert!(card.transcript().is_empty());
}

#[test]
fn injected_fault_stops_the_reader_with_the_status() {
    let fault = Fault { command: Some(CommandKind::ReadBinary), ef: Some(0x000A), nth: Some(3), status: 0x6581 };
    let mut card = VirtualCard::new(CardProfile { faults: vec![fault], ..CardProfile::default() }).unwrap();
    let err = read_certificate(&mut card).unwrap_err();
    // Reads: header (1), offset 4 (2), offset 259 (3).
    assert_eq!(
        err,
        ReadError::Reader(CertReadError::Status {
            step: ReadStep::ReadContent { offset: 259 },
            status: StatusWord(0x6581)
        })
    );
    assert_eq!(card.counters().faults_injected, 1);
    // The fault was for the 3rd read only: a second read goes through.
    card.reset_log();
    assert!(read_certificate(&mut card).is_ok());
    assert_eq!(card.counters().faults_injected, 0);
}

#[test]
fn der_certificate_is_served_as_given() {
    let der = host_sim::virtual_card::generate(&params(&[0x05, 0x06], Some(1300))).unwrap();
    let profile = CardProfile { certificate: CertificateSource::Der(der.clone()), ..CardProfile::default() };
    let mut card = VirtualCard::new(profile).unwrap();
    assert_eq!(card.certificate(), &der[..]);
    assert_eq!(read_certificate(&mut card).unwrap().serial.as_slice(), &[0x05, 0x06]);
    // A file with trailing padding (as EF 000A is on a real card) reads the same.
    let mut padded = der.clone();
    padded.resize(2048, 0xFF);
    let profile = CardProfile { certificate: CertificateSource::Der(padded), ..CardProfile::default() };
    let mut card = VirtualCard::new(profile).unwrap();
    assert_eq!(read_certificate(&mut card).unwrap().serial.as_slice(), &[0x05, 0x06]);
    // Garbage is served too, and the reader refuses it.
    let profile = CardProfile { certificate: CertificateSource::Der(vec![0x31, 0x00]), ..CardProfile::default() };
    let mut card = VirtualCard::new(profile).unwrap();
    assert!(matches!(read_certificate(&mut card), Err(ReadError::Reader(_))));
}

#[test]
fn profile_deserializes_from_scenario_json() {
    let json = r#"{
        "pin": null,
        "pin_tries_left": 2,
        "certificate": { "generate": {
            "serial": [1, 2, 3],
            "not_after": "2030-01-31T14:59:59",
            "holder_name": "x",
            "target_len": 1500
        } },
        "token": "smartphone",
        "mute_after": 7,
        "faults": [ { "command": "read_binary", "nth": 2, "status": 25985 } ]
    }"#;
    let profile: CardProfile = serde_json::from_str(json).unwrap();
    assert_eq!(profile.pin, None);
    assert_eq!(profile.pin_tries_left, 2);
    assert_eq!(profile.token, CardToken::Smartphone);
    assert_eq!(profile.mute_after, Some(7));
    assert_eq!(
        profile.faults,
        [Fault { command: Some(CommandKind::ReadBinary), ef: None, nth: Some(2), status: 0x6581 }]
    );
    let CertificateSource::Generate(p) = &profile.certificate else { panic!("generate expected") };
    assert_eq!(p.serial, [1, 2, 3]);
    assert_eq!(p.not_after, at(2030, 1, 31, 14, 59, 59));
    assert_eq!(p.not_before, CertParams::default().not_before, "missing fields take the defaults");
    let card = VirtualCard::new(profile).unwrap();
    assert_eq!(card.certificate().len(), 1500);

    let empty: CardProfile = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, CardProfile::default());
    let der: CardProfile = serde_json::from_str(r#"{"pin": [0, 0, 0, 7], "certificate": {"der": [48, 0]}}"#).unwrap();
    assert_eq!(der.certificate, CertificateSource::Der(vec![0x30, 0x00]));
    assert_eq!(der.pin, Some([0, 0, 0, 7]));
    // Registration for insurance use is the service's knowledge, not the card's.
    assert!(serde_json::from_str::<CardProfile>(r#"{"registered_for_insurance": true}"#).is_err());
    assert!(serde_json::from_str::<CardProfile>(r#"{"token": "juki"}"#).is_err());
}

#[test]
fn response_status_words_classify_as_the_firmware_expects() {
    let mut card = VirtualCard::new(CardProfile::default()).unwrap();
    let r = card.transmit(&[0x00, 0xA4, 0x04, 0x0C, 0x01, 0x00]).unwrap();
    assert_eq!(status_of(&r).classify(), Status::FileNotFound);
}

/// A card in one of a few states, for the property tests.
fn card_in_state(state: u8) -> VirtualCard {
    let pin = if state & 4 == 0 { Some([1, 2, 3, 4]) } else { None };
    let mut card = VirtualCard::new(CardProfile { pin, ..CardProfile::default() }).unwrap();
    if state & 1 != 0 {
        select_jpki(&mut card).unwrap();
        let ef = [Ef::Token, Ef::AuthCert, Ef::AuthCaCert, Ef::AuthPin][usize::from((state >> 1) & 3)];
        card.transmit(jpki::select_ef(ef).as_bytes()).unwrap();
    }
    card
}

proptest! {
    #[test]
    fn garbled_apdus_never_panic(state in 0u8..16, apdus in proptest::collection::vec(
        proptest::collection::vec(any::<u8>(), 0..300), 1..8)
    ) {
        let mut card = card_in_state(state);
        for apdu in &apdus {
            let response = card.transmit(apdu).unwrap();
            prop_assert!(response.len() >= 2 && response.len() <= 258);
        }
        prop_assert_eq!(card.transcript().len(), card.counters().apdus);
    }

    #[test]
    fn plausible_apdus_never_panic(
        state in 0u8..16,
        cla in prop_oneof![Just(0x00u8), any::<u8>()],
        ins in prop_oneof![Just(0xA4u8), Just(0xB0), Just(0x20), any::<u8>()],
        p1 in prop_oneof![Just(0x00u8), Just(0x02), Just(0x04), any::<u8>()],
        p2 in prop_oneof![Just(0x0Cu8), Just(0x80), any::<u8>()],
        body in proptest::collection::vec(any::<u8>(), 0..12),
    ) {
        let mut card = card_in_state(state);
        let mut apdu = vec![cla, ins, p1, p2];
        apdu.extend(body);
        let response = card.transmit(&apdu).unwrap();
        let status = status_of(&response);
        if !status.is_ok() {
            prop_assert_eq!(response.len(), 2, "errors carry no data");
        }
        // Whatever happened, the certificate can still be read afterwards.
        prop_assert!(read_certificate(&mut card).is_ok());
    }
}

/// An independent reader check: RustCrypto's `x509-cert` (whose `const-oid`
/// rejects the 2.999 arc the padding extension used before) parses every
/// certificate the virtual card hands out, padded or not, and finds the
/// same serial, validity and padding extension.
#[test]
fn x509_cert_parses_the_test_certificates() {
    use host_sim::virtual_card::cert_gen::{ca_certificate, generate};
    use x509_cert::Certificate;
    use x509_cert::der::Decode;
    use x509_cert::der::oid::ObjectIdentifier;

    let padding = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.1.2");
    let policy = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.1.1");
    let mut certs = Vec::new();
    for target_len in [None, Some(DEFAULT_CERT_LEN), Some(1200)] {
        let p = params(&[0x5A, 0x01, 0x02], target_len);
        certs.push((generate(&p).unwrap(), p));
    }
    certs.push((ca_certificate().unwrap(), params(&[0x01], None)));
    for (i, (der, p)) in certs.iter().enumerate() {
        let cert = Certificate::from_der(der).unwrap_or_else(|e| panic!("certificate {i}: x509-cert rejects it: {e}"));
        let tbs = cert.tbs_certificate();
        let extensions = tbs.extensions().map(|e| e.as_slice()).unwrap_or_default();
        let ids: Vec<ObjectIdentifier> = extensions.iter().map(|e| e.extn_id).collect();
        if i == certs.len() - 1 {
            // The CA certificate: no holder, no padding.
            assert!(!ids.contains(&padding), "CA: {ids:?}");
            continue;
        }
        assert_eq!(tbs.serial_number().as_bytes(), p.serial.as_slice(), "certificate {i}");
        let not_after = tbs.validity().not_after.to_unix_duration().as_secs();
        assert_eq!(not_after, u64::try_from(p.not_after.and_utc().timestamp()).unwrap(), "certificate {i}");
        // The test policy sits inside certificatePolicies (2.5.29.32).
        let policies = extensions
            .iter()
            .find(|e| e.extn_id == ObjectIdentifier::new_unwrap("2.5.29.32"))
            .unwrap_or_else(|| panic!("certificate {i}: no certificatePolicies"));
        let value = policies.extn_value.as_bytes();
        assert!(value.windows(policy.as_bytes().len()).any(|w| w == policy.as_bytes()), "certificate {i}");
        assert_eq!(ids.contains(&padding), p.target_len.is_some(), "certificate {i}: {ids:?}");
        if let Some(len) = p.target_len {
            assert_eq!(der.len(), len);
        }
    }
    // Why the OID moved: the 2.999.1.2 encoding the padding had before is
    // refused by the same parser.
    assert!(ObjectIdentifier::from_bytes(&[0x88, 0x37, 0x01, 0x02]).is_err());
}
