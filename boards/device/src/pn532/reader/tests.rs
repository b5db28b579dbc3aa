//! The reader against a scripted PN532: a fake UART whose receive queue the
//! test fills with the PN532's bytes (frames built by hand from the manual's
//! layout, not by the encoder under test where it matters).

use super::*;
use crate::pn532::frame::{ACK, Decoder, NACK};
use core::cell::RefCell;
use embedded_io::{ErrorKind, ErrorType};

extern crate std;
use std::collections::VecDeque;
use std::vec;
use std::vec::Vec;

#[derive(Debug, Default)]
struct Wire {
    rx: VecDeque<u8>,
    tx: Vec<u8>,
    broken: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UartError;
impl core::fmt::Display for UartError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("UART error")
    }
}
impl core::error::Error for UartError {}
impl embedded_io::Error for UartError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

struct FakeUart<'a>(&'a RefCell<Wire>);
impl ErrorType for FakeUart<'_> {
    type Error = UartError;
}
impl Read for FakeUart<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, UartError> {
        let mut w = self.0.borrow_mut();
        let mut n = 0;
        while n < buf.len() {
            match w.rx.pop_front() {
                Some(b) => {
                    buf[n] = b;
                    n += 1;
                }
                None => break,
            }
        }
        Ok(n)
    }
}
impl ReadReady for FakeUart<'_> {
    fn read_ready(&mut self) -> Result<bool, UartError> {
        Ok(!self.0.borrow().rx.is_empty())
    }
}
impl Write for FakeUart<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, UartError> {
        let mut w = self.0.borrow_mut();
        if w.broken {
            return Err(UartError);
        }
        w.tx.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> Result<(), UartError> {
        Ok(())
    }
}

/// A PN532 answer: LEN, LCS, D5, data, DCS, written out as the manual does.
fn frame(info: &[u8]) -> Vec<u8> {
    let len = info.len() as u8;
    let sum = info.iter().fold(0u8, |a, b| a.wrapping_add(*b));
    let mut f = vec![0x00, 0x00, 0xFF, len, len.wrapping_neg()];
    f.extend_from_slice(info);
    f.extend([sum.wrapping_neg(), 0x00]);
    f
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Placed,
    Response(Vec<u8>),
    Removed,
    Broken,
    Working,
}

struct Harness<'a> {
    wire: &'a RefCell<Wire>,
    reader: Reader<FakeUart<'a>>,
    now: u64,
}

impl<'a> Harness<'a> {
    fn new(wire: &'a RefCell<Wire>) -> Self {
        Self { wire, reader: Reader::new(FakeUart(wire)), now: 0 }
    }

    /// Lets `ms` pass (in 10 ms steps), collecting events.
    fn run(&mut self, ms: u64) -> Vec<Ev> {
        let mut out = Vec::new();
        let end = self.now + ms;
        loop {
            while let Some(e) = self.reader.poll(Millis(self.now)) {
                out.push(match e {
                    ReaderEvent::CardPlaced => Ev::Placed,
                    ReaderEvent::CardResponse(b) => Ev::Response(b.to_vec()),
                    ReaderEvent::CardRemoved => Ev::Removed,
                    ReaderEvent::Broken => Ev::Broken,
                    ReaderEvent::Working => Ev::Working,
                });
            }
            if self.now >= end {
                return out;
            }
            self.now += 10;
        }
    }

    /// The commands sent since the last call (code and parameters), the
    /// wake-up preamble and ACK/NACK frames left out.
    fn sent(&mut self) -> Vec<Vec<u8>> {
        let tx = core::mem::take(&mut self.wire.borrow_mut().tx);
        let mut d = Decoder::new();
        tx.iter()
            .filter_map(|&b| d.push(b).map(|r| (r, d.info().to_vec())))
            .filter_map(|(r, info)| (r == Ok(Decoded::Info)).then(|| info[1..].to_vec()))
            .collect()
    }

    /// The reader dropped everything and is bringing the PN532 up again
    /// (wake-up and SAMConfiguration sent, waiting for the ACK).
    fn assert_restarting(&mut self) {
        assert_eq!(self.reader.status(), ReaderStatus::Busy);
        assert_eq!(self.sent().last(), Some(&vec![0x14, 0x01, 0x14, 0x01]));
    }

    fn raw_sent(&mut self) -> Vec<u8> {
        core::mem::take(&mut self.wire.borrow_mut().tx)
    }

    /// The PN532 ACKs and answers with `info`.
    fn answer(&mut self, info: &[u8]) {
        let mut w = self.wire.borrow_mut();
        w.rx.extend(ACK);
        w.rx.extend(frame(info));
    }

    fn push_raw(&mut self, bytes: &[u8]) {
        self.wire.borrow_mut().rx.extend(bytes.iter().copied());
    }

    /// Brings the reader up and lets it poll once without a card.
    fn bring_up(&mut self) {
        assert!(self.run(0).is_empty());
        let raw = self.wire.borrow().tx.clone();
        assert_eq!(&raw[..2], [0x55, 0x55], "wake-up first");
        assert_eq!(self.sent(), [vec![0x14, 0x01, 0x14, 0x01]]);
        self.answer(&[0xD5, 0x15]);
        assert!(self.run(0).is_empty());
        assert_eq!(self.sent(), [vec![0x32, 0x05, 0xFF, 0x01, 0x02]]);
        self.answer(&[0xD5, 0x33]);
        assert!(self.run(0).is_empty());
        assert_eq!(self.sent(), [vec![0x4A, 0x01, 0x03, 0x00]]);
        self.answer(&[0xD5, 0x4B, 0x00]);
        assert!(self.run(0).is_empty());
        assert_eq!(self.reader.status(), ReaderStatus::Polling);
    }

    /// Polls and finds a Type B card (ATQB and ATTRIB_RES as a My Number card gives them).
    fn place_card(&mut self) {
        // Up to the next poll.
        let mut sent = Vec::new();
        for _ in 0..=POLL_INTERVAL_MS / 10 {
            self.run(10);
            sent = self.sent();
            if !sent.is_empty() {
                break;
            }
        }
        assert_eq!(sent, [vec![0x4A, 0x01, 0x03, 0x00]]);
        let mut found = vec![0xD5, 0x4B, 0x01, 0x01];
        found.extend([0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00, 0x71, 0x71]);
        found.extend([0x01, 0x00]);
        self.answer(&found);
        assert_eq!(self.run(0), [Ev::Placed]);
        assert_eq!(self.reader.status(), ReaderStatus::CardPresent);
    }

    fn select(&mut self) -> Vec<u8> {
        let apdu = vec![0x00, 0xA4, 0x04, 0x0C, 0x02, 0xD3, 0x92];
        self.reader.exchange(&apdu);
        assert!(self.run(0).is_empty());
        let mut want = vec![0x40, 0x01];
        want.extend(&apdu);
        assert_eq!(self.sent(), [want]);
        apdu
    }
}

#[test]
fn wake_up_poll_exchange_and_release() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    // No card: the next poll waits POLL_INTERVAL_MS.
    h.run(POLL_INTERVAL_MS - 20);
    assert!(h.sent().is_empty());
    h.place_card();
    h.select();
    h.answer(&[0xD5, 0x41, 0x00, 0x90, 0x00]);
    assert_eq!(h.run(0), [Ev::Response(vec![0x90, 0x00])]);
    // Idle card: presence checks.
    h.run(PRESENCE_INTERVAL_MS);
    assert_eq!(h.sent(), [vec![0x00, 0x06]]);
    h.answer(&[0xD5, 0x01, 0x00]);
    assert!(h.run(0).is_empty());
    // The card is lifted: the next check says so, the target is released.
    h.run(PRESENCE_INTERVAL_MS);
    assert_eq!(h.sent(), [vec![0x00, 0x06]]);
    h.answer(&[0xD5, 0x01, 0x01]);
    assert_eq!(h.run(0), [Ev::Removed]);
    assert_eq!(h.sent(), [vec![0x52, 0x00]]);
    h.answer(&[0xD5, 0x53, 0x00]);
    assert!(h.run(0).is_empty());
    assert_eq!(h.reader.status(), ReaderStatus::Polling);
}

#[test]
fn a_long_read_binary_comes_in_an_extended_frame() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    h.reader.exchange(&[0x00, 0xB0, 0x00, 0x00, 0xFF]);
    h.run(0);
    h.sent();
    let mut info = vec![0xD5, 0x41, 0x00];
    info.extend((0..255u32).map(|i| (i * 7) as u8));
    info.extend([0x90, 0x00]);
    // Extended frame: 00 00 FF FF FF LENM LENL LCS (UM0701-02 §6.2.1.2).
    let sum = info.iter().fold(0u8, |a, b| a.wrapping_add(*b));
    let mut f = vec![0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x04, 0xFB];
    f.extend(&info);
    f.extend([sum.wrapping_neg(), 0x00]);
    h.push_raw(&ACK);
    h.push_raw(&f);
    assert_eq!(h.run(0), [Ev::Response(info[3..].to_vec())]);
}

#[test]
fn a_verify_leaves_no_pin_behind() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    h.reader.exchange(&[0x00, 0x20, 0x00, 0x80, 0x04, 0x31, 0x32, 0x33, 0x34]);
    assert!(h.reader.holds_apdu_bytes());
    h.run(0);
    h.answer(&[0xD5, 0x41, 0x00, 0x90, 0x00]);
    assert_eq!(h.run(0), [Ev::Response(vec![0x90, 0x00])]);
    assert!(!h.reader.holds_apdu_bytes());
    assert!(h.reader.hsu.tx_is_clear());
}

// ---- faults: one test each, each ending in a stated state ---------------

#[test]
fn fault_bus_error_ends_the_session_and_three_make_the_reader_broken() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    wire.borrow_mut().broken = true;
    h.reader.exchange(&[0x00, 0xA4, 0x00, 0x00]);
    // Exchange fails to send: the card session ends.
    assert_eq!(h.run(0), [Ev::Removed]);
    // The wake-ups fail too: the third error in a row makes the reader
    // broken. Nothing hangs; it tries again every RECOVER_MS.
    assert_eq!(h.run(10), [Ev::Broken]);
    assert!(h.reader.is_broken());
    assert_eq!(h.reader.status(), ReaderStatus::Starting);
    // The UART works again: bring-up, and one good answer says working.
    wire.borrow_mut().broken = false;
    h.raw_sent();
    h.run(RECOVER_MS);
    assert_eq!(h.sent(), [vec![0x14, 0x01, 0x14, 0x01]]);
    h.answer(&[0xD5, 0x15]);
    h.run(0);
    h.answer(&[0xD5, 0x33]);
    h.run(0);
    h.answer(&[0xD5, 0x4B, 0x00]);
    assert_eq!(h.run(0), [Ev::Working]);
    assert_eq!(h.reader.status(), ReaderStatus::Polling);
}

#[test]
fn fault_bad_checksum_is_nacked_once_then_a_reader_error() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    h.select();
    let mut bad = frame(&[0xD5, 0x41, 0x00, 0x90, 0x00]);
    let dcs = bad.len() - 2;
    bad[dcs] ^= 0xFF;
    h.push_raw(&ACK);
    h.push_raw(&bad);
    assert!(h.run(0).is_empty());
    assert_eq!(h.raw_sent(), NACK, "asks for the answer again");
    // The PN532 sends it again, good this time.
    h.push_raw(&frame(&[0xD5, 0x41, 0x00, 0x90, 0x00]));
    assert_eq!(h.run(0), [Ev::Response(vec![0x90, 0x00])]);
    // Garbled twice: the session ends, the reader starts again.
    h.select();
    h.push_raw(&ACK);
    h.push_raw(&bad);
    h.run(0);
    h.raw_sent();
    h.push_raw(&bad);
    assert_eq!(h.run(0), [Ev::Removed]);
    h.assert_restarting();
}

#[test]
fn fault_nack_from_the_pn532_resends_the_command_once() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    let apdu = h.select();
    h.push_raw(&NACK);
    h.run(0);
    let mut want = vec![0x40, 0x01];
    want.extend(&apdu);
    assert_eq!(h.sent(), [want]);
    h.push_raw(&NACK);
    assert_eq!(h.run(0), [Ev::Removed]);
    h.assert_restarting();
}

#[test]
fn fault_error_frame_ends_the_card_session() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    h.select();
    h.push_raw(&[0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00]);
    assert_eq!(h.run(0), [Ev::Removed]);
    h.assert_restarting();
    assert!(!h.reader.is_broken());
}

#[test]
fn fault_status_timeout_or_card_gone_is_card_removed() {
    for status in [0x01, 0x2B] {
        let wire = RefCell::new(Wire::default());
        let mut h = Harness::new(&wire);
        h.bring_up();
        h.place_card();
        h.select();
        h.answer(&[0xD5, 0x41, status]);
        assert_eq!(h.run(0), [Ev::Removed], "status {status:#04x}");
        assert_eq!(h.sent(), [vec![0x52, 0x00]]);
        h.answer(&[0xD5, 0x53, 0x00]);
        h.run(0);
        assert_eq!(h.reader.status(), ReaderStatus::Polling);
        // A card exchange without a card is answered at once.
        h.reader.exchange(&[0x00, 0xB0, 0x00, 0x00, 0x04]);
        assert_eq!(h.run(0), [Ev::Removed]);
    }
}

#[test]
fn fault_other_status_is_retried_once_then_card_removed() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    let apdu = h.select();
    h.answer(&[0xD5, 0x41, 0x02]); // CRC error from the card
    assert!(h.run(0).is_empty());
    let mut want = vec![0x40, 0x01];
    want.extend(&apdu);
    assert_eq!(h.sent(), [want]);
    h.answer(&[0xD5, 0x41, 0x02]);
    assert_eq!(h.run(0), [Ev::Removed]);
}

#[test]
fn fault_silence_is_retried_after_a_wake_up_then_a_reader_error() {
    let wire = RefCell::new(Wire::default());
    let mut h = Harness::new(&wire);
    h.bring_up();
    h.place_card();
    h.select();
    // No ACK: after ACK_TIMEOUT_MS the command goes again, after a wake-up.
    assert!(h.run(ACK_TIMEOUT_MS + 10).is_empty());
    let raw = h.raw_sent();
    assert_eq!(&raw[..2], [0x55, 0x55]);
    // Still nothing: the session ends.
    assert_eq!(h.run(ACK_TIMEOUT_MS + 10), [Ev::Removed]);
    // A silent PN532 from here on: bring-up fails twice more, broken.
    let mut events = Vec::new();
    events.extend(h.run(2_000));
    assert_eq!(events, [Ev::Broken]);
    // ACK but never an answer is a reader error too (no hang).
    h.raw_sent();
    for _ in 0..=RECOVER_MS / 10 {
        h.run(10);
        if !h.sent().is_empty() {
            break;
        }
    }
    h.push_raw(&ACK);
    assert!(h.run(RESPONSE_TIMEOUT_MS + 20).is_empty());
    assert!(h.reader.is_broken());
    assert_eq!(h.reader.status(), ReaderStatus::Starting);
}
