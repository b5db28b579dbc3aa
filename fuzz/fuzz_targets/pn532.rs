//! The board's PN532 driver (`boards/device`): the frame decoder on any
//! bytes, and the reader state machine fed any PN532 bytes (raw noise,
//! well-formed frames with any content, ACKs), APDU requests, time steps and
//! UART write failures.
//!
//! Oracles besides "no panic, no hang":
//! - a decoded information frame re-encodes to bytes that decode to the same
//!   frame;
//! - `poll` settles: a handful of calls always drain its events;
//! - every requested exchange ends in exactly one `CardResponse` or
//!   `CardRemoved`, and a `CardResponse` never comes without one;
//! - `CardPlaced` / `CardRemoved` and `Broken` / `Working` alternate;
//! - after the input, with the PN532 silent, a card session and a pending
//!   exchange end within 30 s, and the reader reports itself broken;
//! - the same input gives the same events.
#![no_main]

use core::cell::RefCell;
use device::pn532::frame::{ACK, MAX_INFO, TFI_PN532, encode};
use device::pn532::{Decoded, Decoder, Reader, ReaderEvent};
use embedded_io::{ErrorKind, ErrorType, Read, ReadReady, Write};
use firmware::reception::Millis;
use libfuzzer_sys::fuzz_target;
use std::collections::VecDeque;

#[derive(Default)]
struct Wire {
    rx: VecDeque<u8>,
    write_fails: bool,
}

#[derive(Debug)]
struct UartError;
impl std::fmt::Display for UartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UART write failed")
    }
}
impl std::error::Error for UartError {}
impl embedded_io::Error for UartError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

struct Uart<'a>(&'a RefCell<Wire>);
impl ErrorType for Uart<'_> {
    type Error = UartError;
}
impl Read for Uart<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, UartError> {
        let mut w = self.0.borrow_mut();
        let mut n = 0;
        while n < buf.len() {
            let Some(b) = w.rx.pop_front() else { break };
            buf[n] = b;
            n += 1;
        }
        Ok(n)
    }
}
impl ReadReady for Uart<'_> {
    fn read_ready(&mut self) -> Result<bool, UartError> {
        Ok(!self.0.borrow().rx.is_empty())
    }
}
impl Write for Uart<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, UartError> {
        if self.0.borrow().write_fails { Err(UartError) } else { Ok(buf.len()) }
    }
    fn flush(&mut self) -> Result<(), UartError> {
        Ok(())
    }
}

/// What the reader reported, data reduced to its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Placed,
    Response(usize),
    Removed,
    Broken,
    Working,
}

/// Checks the alternations and the exchange bookkeeping as events arrive.
#[derive(Default)]
struct Oracle {
    card: bool,
    broken: bool,
    exchange_pending: bool,
    events: Vec<Seen>,
}

impl Oracle {
    fn see(&mut self, e: Seen) {
        match e {
            Seen::Placed => {
                assert!(!self.card, "CardPlaced twice without CardRemoved");
                self.card = true;
            }
            Seen::Removed => {
                // A removal also answers a pending exchange.
                self.card = false;
                self.exchange_pending = false;
            }
            Seen::Response(_) => {
                assert!(self.exchange_pending, "a CardResponse nobody asked for");
                self.exchange_pending = false;
            }
            Seen::Broken => {
                assert!(!self.broken, "Broken twice without Working");
                self.broken = true;
            }
            Seen::Working => {
                assert!(self.broken, "Working without Broken");
                self.broken = false;
            }
        }
        self.events.push(e);
    }
}

/// Polls until no event comes; a settled reader needs few calls.
fn drain(reader: &mut Reader<Uart<'_>>, now: Millis, oracle: &mut Oracle) {
    for _ in 0..64 {
        let Some(event) = reader.poll(now) else { return };
        oracle.see(match event {
            ReaderEvent::CardPlaced => Seen::Placed,
            ReaderEvent::CardResponse(data) => Seen::Response(data.len()),
            ReaderEvent::CardRemoved => Seen::Removed,
            ReaderEvent::Broken => Seen::Broken,
            ReaderEvent::Working => Seen::Working,
        });
    }
    panic!("poll did not settle within 64 calls");
}

fn run(data: &[u8]) -> Vec<Seen> {
    let wire = RefCell::new(Wire::default());
    let mut reader = Reader::new(Uart(&wire));
    let mut oracle = Oracle::default();
    let mut now = Millis(0);
    let mut bytes = data.iter().copied();
    while let Some(op) = bytes.next() {
        let len = usize::from(bytes.next().unwrap_or(0));
        match op % 6 {
            0 => wire.borrow_mut().rx.extend(bytes.by_ref().take(len)),
            1 => {
                let mut info = vec![TFI_PN532];
                info.extend(bytes.by_ref().take(len));
                let mut out = [0u8; MAX_INFO + 10];
                if let Ok(n) = encode(&info, &mut out) {
                    wire.borrow_mut().rx.extend(&out[..n]);
                }
            }
            2 => wire.borrow_mut().rx.extend(ACK),
            3 => now = now + (len as u32) * 10,
            // One exchange at a time, as the terminal asks.
            4 if !oracle.exchange_pending => {
                let apdu: Vec<u8> = (0..len + usize::from(op >> 7) * 10).map(|i| i as u8).collect();
                reader.exchange(&apdu);
                oracle.exchange_pending = true;
            }
            _ => {
                let mut w = wire.borrow_mut();
                w.write_fails = !w.write_fails;
            }
        }
        drain(&mut reader, now, &mut oracle);
    }
    // The PN532 falls silent and the UART works: everything must end.
    wire.borrow_mut().write_fails = false;
    wire.borrow_mut().rx.clear();
    let end = now + 30_000;
    while now < end {
        now = now + 50;
        drain(&mut reader, now, &mut oracle);
    }
    assert!(!oracle.card, "a card session outlived 30 s of a silent PN532");
    assert!(!oracle.exchange_pending, "an exchange outlived 30 s of a silent PN532");
    assert!(oracle.broken, "30 s of a silent PN532 and the reader is not broken");
    oracle.events
}

fuzz_target!(|data: &[u8]| {
    let mut decoder = Decoder::new();
    for &byte in data {
        if let Some(Ok(Decoded::Info)) = decoder.push(byte) {
            let info = decoder.info().to_vec();
            let mut out = [0u8; MAX_INFO + 10];
            let n = encode(&info, &mut out).expect("a decoded frame re-encodes");
            let mut again = Decoder::new();
            let back = out[..n].iter().find_map(|&b| again.push(b));
            assert_eq!(back, Some(Ok(Decoded::Info)), "re-encoded frame not read back");
            assert_eq!(again.info(), &info[..], "round trip changed the frame");
        }
    }
    let first = run(data);
    assert_eq!(first, run(data), "the same input gave other events");
});
