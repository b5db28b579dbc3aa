//! Sans-IO reading of the user-authentication certificate (EF `000A`).
//!
//! The JPKI application must be selected already
//! ([`select_jpki`](super::jpki::select_jpki)). Then:
//!
//! 1. SELECT EF `000A`;
//! 2. READ BINARY the first 4 bytes, the DER header (`30 82 LL LL`, or
//!    `30 81 LL` / `30 LL` followed by the first content bytes);
//! 3. READ BINARY the rest, 255 bytes at most a read, as few reads as
//!    possible;
//! 4. parse the serial number and validity ([`CertificateInfo`]).
//!
//! For a certificate whose outer SEQUENCE announces `len` content bytes
//! (`len` ≥ 3, i.e. any real certificate) this takes exactly
//! `2 + ceil(len / 255)` exchanges. A certificate larger than the
//! [`CERT_BUFFER_LEN`]-byte buffer is refused from its header, before it is
//! read.
//!
//! The reader owns no I/O: [`CertReader::start`] and
//! [`CertReader::on_response`] return the next [`Command`] to send, and the
//! caller feeds back each response. The certificate bytes (which include the
//! holder's name) are zeroised as soon as the fields are extracted, and on
//! failure and on drop; only [`CertificateInfo`] leaves the reader.

use super::apdu::{ApduError, Command, Response};
use super::certificate::CertificateInfo;
use super::der::{DerError, Header, TAG_SEQUENCE};
use super::jpki::{self, Ef};
use super::status::StatusWord;
use core::fmt;

/// Largest certificate (header included) the reader accepts, in bytes.
pub const CERT_BUFFER_LEN: usize = 2048;
/// Most bytes asked of one READ BINARY.
pub const MAX_CHUNK: u16 = 255;
/// Bytes of the first READ BINARY, which holds the DER header.
pub const HEADER_READ_LEN: u16 = 4;

/// Which exchange of the read an error happened in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReadStep {
    /// SELECT EF `000A`.
    SelectEf,
    /// READ BINARY of the DER header.
    ReadHeader,
    /// READ BINARY of the content.
    ReadContent {
        /// Offset read from.
        offset: u16,
    },
}

impl fmt::Display for ReadStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SelectEf => write!(f, "SELECT EF 000A"),
            Self::ReadHeader => write!(f, "READ BINARY of the certificate header"),
            Self::ReadContent { offset } => write!(f, "READ BINARY at offset {offset}"),
        }
    }
}

/// Why the certificate could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CertReadError {
    /// A response arrived while no command was outstanding (before
    /// [`CertReader::start`], or after the read ended).
    NotExpectingResponse,
    /// The response has no status word, or a command could not be built.
    Apdu(ApduError),
    /// The card answered a status other than `9000`.
    Status {
        /// The exchange.
        step: ReadStep,
        /// The card's answer.
        status: StatusWord,
    },
    /// Fewer data bytes than asked for.
    ShortData {
        /// The exchange.
        step: ReadStep,
        /// Bytes asked for.
        expected: usize,
        /// Bytes received.
        got: usize,
    },
    /// More data bytes than asked for.
    ExtraData {
        /// The exchange.
        step: ReadStep,
        /// Bytes asked for.
        expected: usize,
        /// Bytes received.
        got: usize,
    },
    /// The file does not start with a SEQUENCE.
    NotASequence {
        /// The first byte.
        tag: u8,
    },
    /// The DER header is malformed.
    Header(DerError),
    /// The certificate announced is larger than the buffer.
    TooLarge {
        /// Announced size, header included (a lower bound when the length
        /// field itself is longer than the 4 bytes read).
        len: usize,
        /// Buffer size.
        capacity: usize,
    },
    /// The certificate bytes are not a well-formed certificate.
    Certificate(DerError),
}

impl fmt::Display for CertReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotExpectingResponse => write!(f, "card response while no certificate read was in progress"),
            Self::Apdu(e) => write!(f, "certificate read: {e}"),
            Self::Status { step, status } => write!(f, "{step} failed: {status} ({})", status.classify()),
            Self::ShortData { step, expected, got } => {
                write!(f, "{step} returned {got} bytes, fewer than the {expected} asked for")
            }
            Self::ExtraData { step, expected, got } => {
                write!(f, "{step} returned {got} bytes, more than the {expected} asked for")
            }
            Self::NotASequence { tag } => write!(f, "certificate file starts with {tag:#04x}, not a SEQUENCE"),
            Self::Header(e) => write!(f, "certificate header: {e}"),
            Self::TooLarge { len, capacity } => {
                write!(f, "certificate of {len} bytes exceeds the {capacity}-byte buffer")
            }
            Self::Certificate(e) => write!(f, "certificate: {e}"),
        }
    }
}

impl core::error::Error for CertReadError {}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[expect(
    clippy::large_enum_variant,
    reason = "no heap to box the command into; a Step is returned by value and consumed at once"
)]
pub enum Step {
    /// Send this command to the card and feed its response back.
    Send(Command),
    /// The certificate was read.
    Done(CertificateInfo),
    /// The read failed; no more commands.
    Failed(CertReadError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    SelectingEf,
    ReadingHeader,
    ReadingContent { offset: u16, requested: usize },
    Finished,
}

/// Plans the card exchanges that read the user-authentication certificate.
pub struct CertReader {
    state: State,
    buf: heapless::Vec<u8, CERT_BUFFER_LEN>,
    total: usize,
}

impl CertReader {
    /// A reader with nothing sent yet.
    pub const fn new() -> Self {
        Self { state: State::Idle, buf: heapless::Vec::new(), total: 0 }
    }

    /// Begins (or restarts) the read: SELECT EF `000A`.
    pub fn start(&mut self) -> Command {
        self.wipe();
        self.total = 0;
        self.state = State::SelectingEf;
        jpki::select_ef(Ef::AuthCert)
    }

    /// Takes the response (data + SW1 SW2) to the last command sent.
    pub fn on_response(&mut self, response: &[u8]) -> Step {
        let state = core::mem::replace(&mut self.state, State::Finished);
        let step = match self.advance(state, response) {
            Ok(step) => step,
            Err(e) => Step::Failed(e),
        };
        match step {
            Step::Send(_) => {}
            Step::Done(_) | Step::Failed(_) => {
                self.wipe();
                self.state = State::Finished;
            }
        }
        step
    }

    /// Bytes of the certificate read so far.
    pub fn bytes_read(&self) -> usize {
        self.buf.len()
    }

    /// Size of the certificate, header included, once its header was read (0 before).
    pub fn total_len(&self) -> usize {
        self.total
    }

    fn advance(&mut self, state: State, response: &[u8]) -> Result<Step, CertReadError> {
        let response = Response::new_checked(response).map_err(CertReadError::Apdu)?;
        match state {
            State::Idle | State::Finished => Err(CertReadError::NotExpectingResponse),
            State::SelectingEf => {
                expect(&response, ReadStep::SelectEf, 0)?;
                self.state = State::ReadingHeader;
                Ok(Step::Send(jpki::read_binary(0, HEADER_READ_LEN).map_err(CertReadError::Apdu)?))
            }
            State::ReadingHeader => {
                let data = expect(&response, ReadStep::ReadHeader, usize::from(HEADER_READ_LEN))?;
                self.total = announced_len(data)?;
                // A certificate shorter than the header read ends inside it.
                let first = data.get(..self.total).unwrap_or(data);
                self.buf.clear();
                self.buf.extend_from_slice(first).map_err(|_| self.too_large())?;
                self.next_read()
            }
            State::ReadingContent { offset, requested } => {
                let data = expect(&response, ReadStep::ReadContent { offset }, requested)?;
                self.buf.extend_from_slice(data).map_err(|_| self.too_large())?;
                self.next_read()
            }
        }
    }

    fn next_read(&mut self) -> Result<Step, CertReadError> {
        let remaining = self.total.saturating_sub(self.buf.len());
        if remaining == 0 {
            return CertificateInfo::parse(&self.buf).map(Step::Done).map_err(CertReadError::Certificate);
        }
        let chunk = remaining.min(usize::from(MAX_CHUNK));
        // The buffer bounds the offset to 2048 and the chunk to 255: both fit.
        let offset = u16::try_from(self.buf.len()).map_err(|_| self.too_large())?;
        let le = u16::try_from(chunk).map_err(|_| self.too_large())?;
        let command = jpki::read_binary(offset, le).map_err(CertReadError::Apdu)?;
        self.state = State::ReadingContent { offset, requested: chunk };
        Ok(Step::Send(command))
    }

    fn too_large(&self) -> CertReadError {
        CertReadError::TooLarge { len: self.total, capacity: CERT_BUFFER_LEN }
    }

    /// Zeroises and empties the buffer.
    fn wipe(&mut self) {
        super::zeroize(&mut self.buf);
        self.buf.clear();
    }
}

impl Default for CertReader {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for CertReader {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl fmt::Debug for CertReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Progress only: the bytes hold the holder's name.
        f.debug_struct("CertReader")
            .field("state", &self.state)
            .field("bytes_read", &self.buf.len())
            .field("total_len", &self.total)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for CertReader {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "CertReader {{ bytes_read: {=usize}, total_len: {=usize} }}", self.buf.len(), self.total)
    }
}

/// Checks a `9000` answer with exactly `expected` data bytes; returns the data.
fn expect<'a>(response: &'a Response<&[u8]>, step: ReadStep, expected: usize) -> Result<&'a [u8], CertReadError> {
    let status = response.status();
    if !status.is_ok() {
        return Err(CertReadError::Status { step, status });
    }
    let data = response.data();
    let got = data.len();
    match got.cmp(&expected) {
        core::cmp::Ordering::Less => Err(CertReadError::ShortData { step, expected, got }),
        core::cmp::Ordering::Greater => Err(CertReadError::ExtraData { step, expected, got }),
        core::cmp::Ordering::Equal => Ok(data),
    }
}

/// The certificate's total size (header + content) from its first 4 bytes,
/// refused when it exceeds the buffer.
fn announced_len(first: &[u8]) -> Result<usize, CertReadError> {
    let tag = first.first().copied().unwrap_or_default();
    if tag != TAG_SEQUENCE {
        return Err(CertReadError::NotASequence { tag });
    }
    let too_large = |len| CertReadError::TooLarge { len, capacity: CERT_BUFFER_LEN };
    match Header::parse(first) {
        Ok(header) => {
            let total = header.total_len().ok_or(too_large(usize::MAX))?;
            if total > CERT_BUFFER_LEN { Err(too_large(total)) } else { Ok(total) }
        }
        // `30 83 ..` / `30 84 ..`: the length field does not fit the 4 bytes
        // read. In DER its first byte is non-zero, so the content is at least
        // 64 KiB: far beyond the buffer, no need to read the rest.
        Err(DerError::Truncated { needed, .. }) => match first {
            [_, _, 0, ..] => Err(CertReadError::Header(DerError::NonMinimalLength)),
            [_, _, a, b, ..] => {
                // needed is 5 or 6 here: shift by 8 or 16 bits, at most 32 bits in all.
                let shift = u32::try_from(needed.saturating_sub(4)).unwrap_or(0).saturating_mul(8);
                let known = (usize::from(*a) << 8 | usize::from(*b)).checked_shl(shift).unwrap_or(usize::MAX);
                Err(too_large(needed.saturating_add(known)))
            }
            _ => Err(CertReadError::Header(DerError::Truncated { needed, available: first.len() })),
        },
        Err(e) => Err(CertReadError::Header(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::apdu::{CommandRepr, ResponseRepr};
    use crate::card::testutil::{CertSpec, SMALLEST, build_cert};
    use proptest::prelude::*;
    use std::vec::Vec;

    /// A JPKI application with EF 000A holding `file`.
    struct VirtualCard {
        file: Vec<u8>,
        selected: bool,
        exchanges: usize,
        reads: Vec<(u16, u16)>,
    }

    impl VirtualCard {
        fn new(file: Vec<u8>) -> Self {
            Self { file, selected: false, exchanges: 0, reads: Vec::new() }
        }

        fn respond(&mut self, command: &[u8]) -> Vec<u8> {
            self.exchanges += 1;
            let cmd = CommandRepr::parse(command).unwrap();
            let (data, sw): (&[u8], u16) = match (cmd.ins, cmd.p1, cmd.p2) {
                (0xA4, 0x02, 0x0C) if cmd.data == [0x00, 0x0A] => {
                    self.selected = true;
                    (&[], 0x9000)
                }
                (0xA4, ..) => (&[], 0x6A82),
                (0xB0, hi, lo) if self.selected => {
                    let offset = u16::from_be_bytes([hi, lo]);
                    let le = cmd.le.unwrap();
                    self.reads.push((offset, le));
                    let start = usize::from(offset);
                    let end = start + usize::from(le);
                    if end <= self.file.len() { (&self.file[start..end], 0x9000) } else { (&[], 0x6B00) }
                }
                _ => (&[], 0x6986),
            };
            let mut out = vec![0u8; data.len() + 2];
            ResponseRepr { data, status: StatusWord(sw) }.emit(&mut out).unwrap();
            out
        }
    }

    /// Runs a reader against `card` to the end.
    fn run(card: &mut VirtualCard) -> Result<CertificateInfo, CertReadError> {
        let mut reader = CertReader::new();
        let mut cmd = reader.start();
        for _ in 0..100 {
            let response = card.respond(cmd.as_bytes());
            match reader.on_response(&response) {
                Step::Send(next) => cmd = next,
                Step::Done(info) => return Ok(info),
                Step::Failed(e) => return Err(e),
            }
        }
        panic!("reader did not finish");
    }

    /// The EF is larger than the certificate and padded, as on a real card.
    fn card_with(content_len: usize) -> VirtualCard {
        let mut file = build_cert(&CertSpec { total_content_len: Some(content_len), ..CertSpec::default() });
        file.resize(file.len() + 64, 0xFF);
        VirtualCard::new(file)
    }

    #[test]
    fn exchanges_are_two_plus_content_chunks() {
        for len in [SMALLEST, 127, 128, 134, 200, 254, 255, 256, 300, 509, 510, 511, 765, 766, 1200, 2040] {
            let mut card = card_with(len);
            let info = run(&mut card).unwrap_or_else(|e| panic!("content length {len}: {e}"));
            assert_eq!(info.serial.as_slice(), &[0x12, 0x34, 0x56, 0x78]);
            let expected = 2 + len.div_ceil(255);
            assert_eq!(card.exchanges, expected, "content length {len}: {:?}", card.reads);
            // Every READ BINARY but the header read asks 255 bytes, except the last one.
            let content_reads = &card.reads[1..];
            assert!(content_reads.iter().rev().skip(1).all(|&(_, le)| le == 255), "{len}: {content_reads:?}");
        }
    }

    #[test]
    fn exchange_counts_of_the_brief() {
        let counts: Vec<(usize, usize)> = [SMALLEST, 254, 255, 256, 510, 1200]
            .into_iter()
            .map(|len| {
                let mut card = card_with(len);
                run(&mut card).unwrap();
                (len, card.exchanges)
            })
            .collect();
        assert_eq!(counts, [(126, 3), (254, 3), (255, 3), (256, 4), (510, 4), (1200, 7)]);
    }

    #[test]
    fn reads_follow_the_header_form() {
        // 30 82 04 B0: header read is all header; content from offset 4.
        let mut card = card_with(1200);
        run(&mut card).unwrap();
        assert_eq!(card.reads, [(0, 4), (4, 255), (259, 255), (514, 255), (769, 255), (1024, 180)]);
        // 30 81 FF: one content byte came with the header read.
        let mut card = card_with(255);
        run(&mut card).unwrap();
        assert_eq!(card.reads, [(0, 4), (4, 254)]);
        // 30 7F: two content bytes came with the header read.
        let mut card = card_with(127);
        run(&mut card).unwrap();
        assert_eq!(card.reads, [(0, 4), (4, 125)]);
    }

    #[test]
    fn file_exactly_the_certificate_size() {
        let file = build_cert(&CertSpec { total_content_len: Some(600), ..CertSpec::default() });
        let mut card = VirtualCard::new(file);
        assert!(run(&mut card).is_ok());
    }

    #[test]
    fn oversized_certificate_is_refused_from_its_header() {
        // 2048 bytes fit: header 4 + content 2044.
        let mut card = card_with(2044);
        assert!(run(&mut card).is_ok());
        let mut card = card_with(2045);
        assert_eq!(run(&mut card), Err(CertReadError::TooLarge { len: 2049, capacity: 2048 }));
        assert_eq!(card.exchanges, 2, "refused before reading the content");
        let mut card = VirtualCard::new(vec![0x30, 0x83, 0x01, 0x00, 0x00]);
        assert_eq!(run(&mut card), Err(CertReadError::TooLarge { len: 0x10005, capacity: 2048 }));
        let mut card = VirtualCard::new(vec![0x30, 0x84, 0x01, 0x00, 0x00, 0x00]);
        assert_eq!(run(&mut card), Err(CertReadError::TooLarge { len: 0x0100_0006, capacity: 2048 }));
        let mut card = VirtualCard::new(vec![0x30, 0x83, 0x00, 0x10, 0x00]);
        assert_eq!(run(&mut card), Err(CertReadError::Header(DerError::NonMinimalLength)));
    }

    #[test]
    fn bad_headers_are_refused() {
        for (file, err) in [
            (vec![0x31, 0x82, 0x01, 0x00], CertReadError::NotASequence { tag: 0x31 }),
            (vec![0xFF, 0xFF, 0xFF, 0xFF], CertReadError::NotASequence { tag: 0xFF }),
            (vec![0x30, 0x80, 0x00, 0x00], CertReadError::Header(DerError::IndefiniteLength)),
            (vec![0x30, 0x85, 0x00, 0x00], CertReadError::Header(DerError::LengthTooLong)),
            (vec![0x30, 0x81, 0x10, 0x00], CertReadError::Header(DerError::NonMinimalLength)),
        ] {
            let mut card = VirtualCard::new(file);
            assert_eq!(run(&mut card), Err(err));
        }
        // A "certificate" shorter than the header read: parsed, and rejected as bad DER.
        let mut card = VirtualCard::new(vec![0x30, 0x00, 0xFF, 0xFF]);
        assert!(matches!(run(&mut card), Err(CertReadError::Certificate(_))));
    }

    /// Drives the reader with scripted responses; returns the final step.
    fn script(responses: &[&[u8]]) -> Step {
        let mut reader = CertReader::new();
        let _ = reader.start();
        let mut last = None;
        for r in responses {
            last = Some(reader.on_response(r));
        }
        last.unwrap()
    }

    #[test]
    fn card_errors_are_precise() {
        let header: &[u8] = &[0x30, 0x82, 0x01, 0x00, 0x90, 0x00];
        assert_eq!(
            script(&[&[0x6A, 0x82]]),
            Step::Failed(CertReadError::Status { step: ReadStep::SelectEf, status: StatusWord(0x6A82) })
        );
        assert_eq!(
            script(&[&[0x01, 0x90, 0x00]]),
            Step::Failed(CertReadError::ExtraData { step: ReadStep::SelectEf, expected: 0, got: 1 })
        );
        assert_eq!(script(&[&[0x90]]), Step::Failed(CertReadError::Apdu(ApduError::ResponseTooShort { len: 1 })));
        assert_eq!(
            script(&[&[0x90, 0x00], &[0x69, 0x82]]),
            Step::Failed(CertReadError::Status { step: ReadStep::ReadHeader, status: StatusWord(0x6982) })
        );
        assert_eq!(
            script(&[&[0x90, 0x00], &[0x30, 0x82, 0x01, 0x90, 0x00]]),
            Step::Failed(CertReadError::ShortData { step: ReadStep::ReadHeader, expected: 4, got: 3 })
        );
        assert_eq!(
            script(&[&[0x90, 0x00], &[0x30, 0x82, 0x01, 0x00, 0x00, 0x90, 0x00]]),
            Step::Failed(CertReadError::ExtraData { step: ReadStep::ReadHeader, expected: 4, got: 5 })
        );
        let mut short = vec![0u8; 100];
        short.extend([0x90, 0x00]);
        assert_eq!(
            script(&[&[0x90, 0x00], header, &short]),
            Step::Failed(CertReadError::ShortData {
                step: ReadStep::ReadContent { offset: 4 },
                expected: 255,
                got: 100
            })
        );
        let mut long = vec![0u8; 256];
        long.extend([0x90, 0x00]);
        assert_eq!(
            script(&[&[0x90, 0x00], header, &long]),
            Step::Failed(CertReadError::ExtraData {
                step: ReadStep::ReadContent { offset: 4 },
                expected: 255,
                got: 256
            })
        );
        assert_eq!(
            script(&[&[0x90, 0x00], header, &[0x62, 0x82]]),
            Step::Failed(CertReadError::Status {
                step: ReadStep::ReadContent { offset: 4 },
                status: StatusWord(0x6282)
            })
        );
        // Content of the announced length but not a certificate.
        let mut junk = vec![0x04u8; 255];
        junk.extend([0x90, 0x00]);
        let last: &[u8] = &[0x00, 0x90, 0x00];
        assert!(matches!(script(&[&[0x90, 0x00], header, &junk, last]), Step::Failed(CertReadError::Certificate(_))));
    }

    #[test]
    fn responses_out_of_turn_are_refused() {
        let mut reader = CertReader::new();
        assert_eq!(reader.on_response(&[0x90, 0x00]), Step::Failed(CertReadError::NotExpectingResponse));
        let mut card = card_with(300);
        let mut cmd = reader.start();
        let info = loop {
            match reader.on_response(&card.respond(cmd.as_bytes())) {
                Step::Send(next) => cmd = next,
                Step::Done(info) => break info,
                Step::Failed(e) => panic!("{e}"),
            }
        };
        assert_eq!(info.serial.as_slice(), &[0x12, 0x34, 0x56, 0x78]);
        assert_eq!(reader.bytes_read(), 0, "certificate bytes are wiped once parsed");
        assert_eq!(reader.on_response(&[0x90, 0x00]), Step::Failed(CertReadError::NotExpectingResponse));
        // start() begins afresh.
        assert_eq!(reader.start(), jpki::select_ef(Ef::AuthCert));
        assert_eq!(reader.total_len(), 0);
    }

    #[test]
    fn truncated_file_fails_at_every_length() {
        let cert = build_cert(&CertSpec { total_content_len: Some(700), ..CertSpec::default() });
        for len in 0..cert.len() {
            let mut card = VirtualCard::new(cert[..len].to_vec());
            assert!(run(&mut card).is_err(), "file of {len} bytes accepted");
        }
    }

    #[test]
    fn error_messages_are_english() {
        let e = CertReadError::Status { step: ReadStep::SelectEf, status: StatusWord(0x6A82) };
        assert_eq!(e.to_string(), "SELECT EF 000A failed: SW 6A82 (file or application not found)");
        let e = CertReadError::TooLarge { len: 2049, capacity: 2048 };
        assert_eq!(e.to_string(), "certificate of 2049 bytes exceeds the 2048-byte buffer");
    }

    proptest! {
        #[test]
        fn arbitrary_responses_never_panic(responses in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..300), 0..12)
        ) {
            let mut reader = CertReader::new();
            let _ = reader.start();
            for r in &responses {
                let _ = reader.on_response(r);
            }
        }

        #[test]
        fn plausible_responses_never_panic(
            header in proptest::array::uniform4(any::<u8>()),
            rest in proptest::collection::vec(any::<u8>(), 0..2100),
        ) {
            // A card that answers every read with 9000 and whatever bytes were asked for.
            let mut file = header.to_vec();
            file.extend(rest);
            let mut card = VirtualCard::new(file);
            let _ = run(&mut card);
        }
    }
}
