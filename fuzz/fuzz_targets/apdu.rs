//! APDUs and the certificate reader: any bytes as a command and as a
//! response; the certificate reader fed any sequence of card answers.
//! Oracles: no panic; a parsed command emits its own bytes; the reader ends
//! (done or failed) within a bounded number of exchanges and never holds more
//! than the certificate it announced (or the header probe before that).
#![no_main]

use firmware::card::{CertReader, CommandRepr, Response, ResponseRepr, Step};
use libfuzzer_sys::fuzz_target;

/// Answers fed at most (the reader asks for up to 256 bytes at a time, so
/// a real read takes a dozen exchanges).
const MAX_EXCHANGES: usize = 64;

/// Bytes the reader reads before it knows the certificate's size.
const HEADER_PROBE: usize = 4;

fuzz_target!(|data: &[u8]| {
    if let Ok(repr) = CommandRepr::parse(data) {
        let mut out = vec![0u8; repr.buffer_len()];
        assert_eq!(repr.emit(&mut out).ok(), Some(data.len()));
        assert_eq!(out, data, "a parsed command emits its own bytes");
    }
    if let Ok(response) = Response::new_checked(data) {
        let repr = ResponseRepr::parse(&response);
        let _ = response.status().classify();
        let mut out = vec![0u8; repr.buffer_len()];
        assert_eq!(repr.emit(&mut out).ok(), Some(data.len()));
    }
    // The certificate reader: chunks of the input are the card's answers,
    // each prefixed by its length (u16, little endian).
    let mut reader = CertReader::new();
    let _ = reader.start();
    let mut rest = data;
    for _ in 0..MAX_EXCHANGES {
        let Some((&[lo, hi], tail)) = rest.split_first_chunk::<2>() else { return };
        let len = usize::from(u16::from_le_bytes([lo, hi])).min(tail.len());
        let (answer, tail) = tail.split_at(len);
        rest = tail;
        match reader.on_response(answer) {
            Step::Send(_) => assert!(reader.bytes_read() <= reader.total_len().max(HEADER_PROBE)),
            Step::Failed(_) | Step::Done(_) => {
                // Ended: any further answer is an error, never a panic.
                assert!(matches!(reader.on_response(answer), Step::Failed(_)));
                return;
            }
        }
    }
});
