//! The virtual PN532 driven as a board's driver would, with the byte
//! vectors of UM0701-02 where the manual gives them.

use super::frame::{ACK, ERROR_FRAME, NACK};
use super::*;
use crate::virtual_card::{CardProfile, VirtualCard};

/// HSU wake-up then SAMConfiguration (normal mode, timeout 0x14, IRQ on),
/// as in UM0701-02 §6.3.2.3 / §7.2.10.
const WAKE_AND_SAM: [u8; 28] = [
    0x55, 0x55, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
    0x00, 0x00, 0xFF, 0x05, 0xFB, 0xD4, 0x14, 0x01, 0x14, 0x01, 0x02, 0x00,
];
/// SAMConfiguration's answer.
const SAM_ANSWER: [u8; 9] = [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD5, 0x15, 0x16, 0x00];
/// GetFirmwareVersion and its answer (UM0701-02 §7.2.2).
const GET_FIRMWARE_VERSION: [u8; 9] = [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00];
const FIRMWARE_ANSWER: [u8; 13] = [0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xE8, 0x00];
/// InListPassiveTarget, one target, 106 kbps type B, AFI 0: `D4 4A 01 03 00`.
const LIST_TYPE_B: [u8; 12] = [0x00, 0x00, 0xFF, 0x05, 0xFB, 0xD4, 0x4A, 0x01, 0x03, 0x00, 0xDE, 0x00];
/// RFConfiguration MaxRetries: ATR 0xFF, PSL 0x01, passive activation 0x02.
const RETRIES_2: [u8; 14] = [0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD4, 0x32, 0x05, 0xFF, 0x01, 0x02, 0xF3, 0x00, 0x00];

fn ack_then(frame: &[u8]) -> Vec<u8> {
    let mut v = ACK.to_vec();
    v.extend_from_slice(frame);
    v
}

fn host(data: &[u8]) -> Vec<u8> {
    encode_info(frame::TFI_HOST, data).unwrap()
}

fn answer(data: &[u8]) -> Vec<u8> {
    ack_then(&encode_info(frame::TFI_PN532, data).unwrap())
}

fn card() -> VirtualCard {
    VirtualCard::new(CardProfile::default()).unwrap()
}

/// Awake, configured, with finite retries.
fn ready() -> VirtualPn532 {
    let mut r = VirtualPn532::new();
    assert_eq!(r.receive(&WAKE_AND_SAM), ack_then(&SAM_ANSWER));
    assert_eq!(r.receive(&RETRIES_2), answer(&[0x33]));
    r
}

fn select_jpki() -> Vec<u8> {
    let mut d = vec![0x40, 0x01, 0x00, 0xA4, 0x04, 0x0C, 0x0A];
    d.extend(firmware::card::jpki::JPKI_AID);
    host(&d)
}

/// Listed answer for the n-th placement: `D5 4B 01 01 <ATQB> 01 00`.
fn listed(n: u8) -> Vec<u8> {
    let d = vec![0x4B, 0x01, 0x01, 0x50, 0x4A, 0x50, 0x00, n, 0, 0, 0, 0, 0x00, 0x81, 0x71, 0x01, 0x00];
    answer(&d)
}

#[test]
fn asleep_until_the_wake_up_byte() {
    let mut r = VirtualPn532::new();
    assert_eq!(r.receive(&GET_FIRMWARE_VERSION), Vec::<u8>::new());
    assert!(!r.is_awake());
    assert_eq!(r.receive(&WAKE_AND_SAM), ack_then(&SAM_ANSWER));
    assert_eq!(r.receive(&GET_FIRMWARE_VERSION), ack_then(&FIRMWARE_ANSWER));
    assert!(r.take_log()[0].contains("after 9 bytes ignored"));
}

#[test]
fn reader_commands_need_sam_configuration_first() {
    let mut r = VirtualPn532::new();
    let mut bytes = vec![0x55, 0x00, 0x00, 0x00];
    bytes.extend(LIST_TYPE_B);
    assert_eq!(r.receive(&bytes), ack_then(&ERROR_FRAME));
}

#[test]
fn type_b_card_is_listed_and_answers_apdus() {
    let mut r = ready();
    assert_eq!(r.receive(&LIST_TYPE_B), answer(&[0x4B, 0x00]), "empty field, finite retries");
    r.place_card(card());
    assert_eq!(r.receive(&LIST_TYPE_B), listed(1));
    assert_eq!(r.receive(&select_jpki()), answer(&[0x41, 0x00, 0x90, 0x00]));
    assert!(r.card().unwrap().jpki_selected());
    // A type A poll never finds the type B card.
    assert_eq!(r.receive(&host(&[0x4A, 0x01, 0x00])), answer(&[0x4B, 0x00]));
}

#[test]
fn long_card_answers_come_in_an_extended_frame() {
    let mut r = ready();
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    r.receive(&select_jpki());
    // SELECT EF 000A, READ BINARY 256 bytes (Le = 00).
    assert_eq!(r.receive(&host(&[0x40, 0x01, 0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A])), answer(&[0x41, 0, 0x90, 0]));
    let out = r.receive(&host(&[0x40, 0x01, 0x00, 0xB0, 0x00, 0x00, 0x00]));
    // ACK, then 00 00 FF FF FF 01 05 LCS: TFI + 41 00 + 256 data + 90 00 = 261 = 0x0105.
    assert_eq!(&out[..14], &[0, 0, 0xFF, 0, 0xFF, 0, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x05, 0xFA]);
    let mut p = FrameParser::new();
    let frames: Vec<_> = out.iter().filter_map(|&b| p.push(b)).collect();
    let Some(Ok(Frame::Info { data, extended: true, .. })) = frames.get(1) else { panic!("{frames:?}") };
    assert_eq!(&data[..2], &[0x41, 0x00]);
    assert_eq!(data.len(), 2 + 256 + 2);
    assert_eq!(&data[2..258], &r.card().unwrap().certificate()[..256]);
}

#[test]
fn default_retries_wait_for_a_card_and_an_ack_aborts() {
    let mut r = VirtualPn532::new();
    r.receive(&WAKE_AND_SAM);
    assert_eq!(r.receive(&LIST_TYPE_B), ACK.to_vec());
    assert!(r.is_waiting_for_card());
    assert_eq!(r.place_card(card()), listed(1)[6..].to_vec(), "the answer follows the placement");
    r.remove_card();
    assert_eq!(r.receive(&LIST_TYPE_B), ACK.to_vec());
    assert_eq!(r.receive(&ACK), Vec::<u8>::new());
    assert!(!r.is_waiting_for_card());
    assert_eq!(r.place_card(card()), Vec::<u8>::new(), "aborted: nothing more comes");
}

#[test]
fn a_removed_card_times_out_and_a_release_forgets_it() {
    let mut r = ready();
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    r.remove_card();
    assert_eq!(r.receive(&select_jpki()), answer(&[0x41, STATUS_TIMEOUT]));
    assert_eq!(r.receive(&host(&[0x52, 0x00])), answer(&[0x53, 0x00]));
    assert_eq!(r.receive(&select_jpki()), answer(&[0x41, STATUS_NOT_IN_CONTEXT]));
    assert_eq!(r.receive(&host(&[0x52, 0x05])), answer(&[0x53, STATUS_NOT_IN_CONTEXT]));
}

#[test]
fn release_powers_the_card_afresh() {
    let mut r = ready();
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    r.receive(&select_jpki());
    r.receive(&host(&[0x52, 0x01]));
    assert!(!r.card().unwrap().jpki_selected());
    assert_eq!(r.receive(&LIST_TYPE_B), listed(1));
}

#[test]
fn damaged_host_frames_get_no_ack_and_nack_repeats_the_answer() {
    let mut r = ready();
    let mut bad = GET_FIRMWARE_VERSION;
    bad[7] ^= 0x01;
    assert_eq!(r.receive(&bad), Vec::<u8>::new());
    assert!(r.take_log().iter().any(|l| l.contains("data checksum 0x2B, the data needs 0x2A")));
    assert_eq!(r.receive(&GET_FIRMWARE_VERSION), ack_then(&FIRMWARE_ANSWER));
    assert_eq!(r.receive(&NACK), FIRMWARE_ANSWER.to_vec());
}

#[test]
fn unknown_commands_and_bad_parameters_get_the_error_frame() {
    let mut r = ready();
    assert_eq!(r.receive(&host(&[0x60, 0x01])), ack_then(&ERROR_FRAME));
    assert_eq!(r.receive(&host(&[0x4A, 0x01, 0x03])), ack_then(&ERROR_FRAME), "type B without AFI");
    assert_eq!(r.receive(&host(&[0x14, 0x09])), ack_then(&ERROR_FRAME));
    // A frame from a PN532 (TFI D5) is not a command.
    assert_eq!(r.receive(&encode_info(0xD5, &[0x02]).unwrap()), Vec::<u8>::new());
}

#[test]
fn host_chaining_joins_the_apdu() {
    let mut r = ready();
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    let mut first = vec![0x40, 0x41, 0x00, 0xA4, 0x04, 0x0C, 0x0A];
    first.extend(&firmware::card::jpki::JPKI_AID[..4]);
    let mut rest = vec![0x40, 0x01];
    rest.extend(&firmware::card::jpki::JPKI_AID[4..]);
    assert_eq!(r.receive(&host(&first)), answer(&[0x41, 0x00]));
    assert_eq!(r.receive(&host(&rest)), answer(&[0x41, 0x00, 0x90, 0x00]));
}

/// Plays `fault` on the 2nd APDU of a read; returns what the board got for it.
fn fault_on_second_apdu(fault: Pn532Fault) -> (Vec<u8>, VirtualPn532) {
    let mut r = ready();
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    r.arm(fault, FaultAim::DataExchange { skip: 1, times: 1 });
    assert_eq!(r.receive(&select_jpki()), answer(&[0x41, 0x00, 0x90, 0x00]), "1st APDU unaffected");
    let out = r.receive(&select_jpki());
    (out, r)
}

#[test]
fn each_fault_replaces_one_answer() {
    let ok = answer(&[0x41, 0x00, 0x90, 0x00]);
    let (out, _) = fault_on_second_apdu(Pn532Fault::NoAck);
    assert_eq!(out, Vec::<u8>::new());
    let (out, _) = fault_on_second_apdu(Pn532Fault::NoAnswer);
    assert_eq!(out, ACK.to_vec());
    let (out, _) = fault_on_second_apdu(Pn532Fault::SyntaxError);
    assert_eq!(out, ack_then(&ERROR_FRAME));
    let (out, _) = fault_on_second_apdu(Pn532Fault::Timeout);
    assert_eq!(out, answer(&[0x41, 0x01]));
    let (out, mut r) = fault_on_second_apdu(Pn532Fault::TargetReleased);
    assert_eq!(out, answer(&[0x41, 0x2B]));
    assert!(!r.target_active());
    assert_eq!(r.receive(&select_jpki()), answer(&[0x41, STATUS_NOT_IN_CONTEXT]));
    let (out, mut r) = fault_on_second_apdu(Pn532Fault::BadChecksum);
    assert_eq!(out.len(), ok.len());
    assert_ne!(out, ok);
    let mut p = FrameParser::new();
    let frames: Vec<_> = out.iter().filter_map(|&b| p.push(b)).collect();
    assert!(matches!(frames[1], Err(FrameError::DataChecksum { .. })), "{frames:?}");
    assert_eq!(r.receive(&NACK), ok[6..].to_vec(), "a NACK gets the right frame");
    // Every fault is one-shot: the next APDU is answered.
    for fault in Pn532Fault::ALL {
        let (_, mut r) = fault_on_second_apdu(fault);
        if fault == Pn532Fault::TargetReleased {
            r.receive(&LIST_TYPE_B);
        }
        assert_eq!(r.receive(&select_jpki()), ok, "{fault}");
    }
}

#[test]
fn diagnose_reports_card_presence() {
    let presence = host(&[0x00, 0x06]);
    assert_eq!(presence, [0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x00, 0x06, 0x26, 0x00]);
    let mut r = ready();
    assert_eq!(r.receive(&presence), answer(&[0x01, STATUS_NOT_IN_CONTEXT]), "nothing listed");
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    assert_eq!(r.receive(&presence), answer(&[0x01, STATUS_OK]));
    r.remove_card();
    assert_eq!(r.receive(&presence), answer(&[0x01, STATUS_TIMEOUT]));
}

#[test]
fn faults_can_hit_several_exchanges_or_every_command() {
    let ok = answer(&[0x41, 0x00, 0x90, 0x00]);
    let mut r = ready();
    r.place_card(card());
    r.receive(&LIST_TYPE_B);
    r.arm(Pn532Fault::NoAck, FaultAim::DataExchange { skip: 0, times: 2 });
    assert_eq!(r.receive(&select_jpki()), Vec::<u8>::new());
    assert_eq!(r.receive(&select_jpki()), Vec::<u8>::new(), "the re-sent command is lost too");
    assert_eq!(r.receive(&select_jpki()), ok);
    r.arm(Pn532Fault::NoAnswer, FaultAim::EveryCommand);
    for _ in 0..3 {
        assert_eq!(r.receive(&GET_FIRMWARE_VERSION), ACK.to_vec());
        assert_eq!(r.receive(&LIST_TYPE_B), ACK.to_vec());
    }
    r.clear_faults();
    assert_eq!(r.receive(&GET_FIRMWARE_VERSION), ack_then(&FIRMWARE_ANSWER));
    r.arm(Pn532Fault::Timeout, FaultAim::EveryCommand);
    assert_eq!(r.receive(&host(&[0x00, 0x06])), answer(&[0x01, STATUS_TIMEOUT]), "status faults hit Diagnose");
    assert_eq!(r.receive(&GET_FIRMWARE_VERSION), ack_then(&FIRMWARE_ANSWER), "and spare the others");
}
