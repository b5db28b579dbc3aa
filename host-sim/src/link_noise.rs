//! `host-sim serve --noise-secs N`: before the usual session, feed the board
//! random bytes on its link for a bounded time and check that it keeps
//! answering and never resets.
//!
//! Each round sends one burst of noise (random bytes, random bytes cut by
//! frame delimiters, a real frame with one byte flipped, a real frame cut
//! short, or a real frame with a wrong protocol version), then a frame
//! delimiter and a `SmokeChallenge` with a random date. The board must send
//! the right `SmokeAnswer` within [`ANSWER_WAIT`], and never a second
//! `Hello` (which would mean it restarted). Noise never holds a frame that
//! passes the CRC, so the board cannot mistake it for a command.

use crate::board_peer::expected;
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::smoke::{SmokeChallenge, Ymd};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// How long the board may take to answer the challenge after a burst.
pub const ANSWER_WAIT: Duration = Duration::from_secs(10);

/// Largest burst of noise, bytes.
const MAX_BURST: usize = 600;

/// What a noise phase did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct NoiseReport {
    /// Rounds played (bursts sent, each followed by a challenge answered).
    pub rounds: u32,
    /// Bytes of noise sent.
    pub noise_bytes: u64,
    /// Bursts per kind, in [`NoiseKind::ALL`] order.
    pub per_kind: [u32; NoiseKind::ALL.len()],
    /// Sequence number of the board's last answer (the session goes on
    /// from there: its next frame is not a duplicate).
    pub last_board_seq: Option<u8>,
}

/// The kinds of noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoiseKind {
    /// Uniformly random bytes.
    Random,
    /// Random bytes with frame delimiters (0x00) sprinkled in.
    Delimited,
    /// A real frame with one byte flipped.
    Flipped,
    /// A real frame cut short, without its delimiter.
    Truncated,
    /// A real frame whose protocol version byte is wrong.
    WrongVersion,
}

impl NoiseKind {
    /// Every kind, in report order.
    pub const ALL: [NoiseKind; 5] = [Self::Random, Self::Delimited, Self::Flipped, Self::Truncated, Self::WrongVersion];

    /// Name for the report.
    pub fn name(self) -> &'static str {
        match self {
            Self::Random => "random bytes",
            Self::Delimited => "random bytes with delimiters",
            Self::Flipped => "frame with a flipped byte",
            Self::Truncated => "truncated frame",
            Self::WrongVersion => "frame of another protocol version",
        }
    }
}

/// A small deterministic generator (xorshift64*): the same seed gives the
/// same noise, so a failure can be replayed.
#[derive(Debug, Clone)]
pub struct Noise(u64);

impl Noise {
    /// A generator from `seed` (0 is replaced by a fixed odd value).
    pub fn new(seed: u64) -> Self {
        Self(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// A challenge with a real date between 1900 and 2199.
    pub fn challenge(&mut self) -> SmokeChallenge {
        let year = 1900 + self.below(300) as i32;
        let month = 1 + self.below(12) as u8;
        let day = 1 + self.below(28) as u8;
        SmokeChallenge { date: Ymd { year, month, day }, add_days: self.below(40_000) as u32 }
    }

    /// One burst of `kind`; `frame` is a real encoded frame to damage.
    pub fn burst(&mut self, kind: NoiseKind, frame: &[u8]) -> Vec<u8> {
        match kind {
            NoiseKind::Random => {
                let len = 1 + self.below(MAX_BURST as u64) as usize;
                self.bytes(len)
            }
            NoiseKind::Delimited => {
                let len = 1 + self.below(MAX_BURST as u64) as usize;
                let mut out = self.bytes(len);
                for b in out.iter_mut() {
                    if self.below(16) == 0 {
                        *b = 0;
                    }
                }
                out
            }
            NoiseKind::Flipped => {
                let mut out = frame.to_vec();
                // Any byte but the final delimiter; flip at least one bit.
                let at = self.below(out.len().saturating_sub(1) as u64) as usize;
                out[at] ^= 1 + self.below(255) as u8;
                out
            }
            NoiseKind::Truncated => {
                let keep = self.below(frame.len().saturating_sub(1) as u64) as usize;
                frame[..keep].to_vec()
            }
            NoiseKind::WrongVersion => frame.to_vec(),
        }
    }
}

/// Encodes `message` as a frame with protocol version `version` (the real
/// one is the link's; any other makes a frame the board must refuse).
fn frame_with_version(seq: u8, message: &Message, version: Option<u8>) -> Result<Vec<u8>, String> {
    let mut wire = [0u8; MAX_WIRE_FRAME];
    let n = encode_message(seq, message, &mut wire).map_err(|e| e.to_string())?;
    let wire = wire[..n].to_vec();
    let Some(version) = version else { return Ok(wire) };
    // Decode the COBS body, change the version byte, re-encode with a valid
    // CRC over the changed bytes so only the version is wrong.
    let body = cobs::decode_vec(&wire[..n - 1]).map_err(|e| format!("cobs: {e:?}"))?;
    let mut body = body;
    body[0] = version;
    let crc_at = body.len() - 4;
    let crc = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(&body[..crc_at]);
    body[crc_at..].copy_from_slice(&crc.to_le_bytes());
    let mut out = cobs::encode_vec(&body);
    out.push(0);
    Ok(out)
}

/// Runs the noise phase on `stream` for `length`, after the board's first
/// `Hello`. `seq` is this side's link sequence number (advanced here).
pub fn run<S: Read + Write>(
    stream: &mut S,
    reader: &mut FrameReader,
    seq: &mut u8,
    length: Duration,
    seed: u64,
) -> Result<NoiseReport, String> {
    let mut noise = Noise::new(seed);
    let mut report = NoiseReport::default();
    let start = Instant::now();
    while start.elapsed() < length {
        let kind = NoiseKind::ALL[noise.below(NoiseKind::ALL.len() as u64) as usize];
        let challenge = noise.challenge();
        let message = Message::SmokeChallenge(challenge);
        let version = match kind {
            NoiseKind::WrongVersion => Some(firmware::link::PROTOCOL_VERSION.wrapping_add(1 + noise.below(254) as u8)),
            _ => None,
        };
        let damaged_source = frame_with_version(seq.wrapping_add(100), &message, version)?;
        let burst = noise.burst(kind, &damaged_source);
        let round = report.rounds + 1;
        stream
            .write_all(&burst)
            .and_then(|()| stream.write_all(&[0]))
            .map_err(|e| format!("noise round {round}: cannot write to the board: {e}"))?;
        let real = frame_with_version(*seq, &message, None)?;
        *seq = seq.wrapping_add(1);
        stream.write_all(&real).and_then(|()| stream.flush()).map_err(|e| format!("noise round {round}: {e}"))?;
        report.noise_bytes += burst.len() as u64 + 1;
        report.per_kind[NoiseKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)] += 1;
        let want = expected(&challenge).ok_or("noise: generated an impossible date")?;
        report.last_board_seq = Some(await_answer(stream, reader, round, kind, want)?);
        report.rounds = round;
    }
    Ok(report)
}

/// Reads frames until the challenge's answer (returns its sequence
/// number); fails on a wrong answer, a
/// `Hello` (the board restarted), silence or a closed link.
fn await_answer<S: Read>(
    stream: &mut S,
    reader: &mut FrameReader,
    round: u32,
    kind: NoiseKind,
    want: firmware::smoke::SmokeAnswer,
) -> Result<u8, String> {
    let deadline = Instant::now() + ANSWER_WAIT;
    let mut buf = [0u8; 256];
    loop {
        if Instant::now() > deadline {
            return Err(format!(
                "noise round {round} ({}): the board did not answer within {} s",
                kind.name(),
                ANSWER_WAIT.as_secs()
            ));
        }
        let n = match stream.read(&mut buf) {
            Ok(0) => return Err(format!("noise round {round} ({}): the board closed the link", kind.name())),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
            Err(e) => return Err(format!("noise round {round}: {e}")),
        };
        for &byte in &buf[..n] {
            match reader.push(byte) {
                None | Some(Err(_)) => {}
                Some(Ok((seq, Message::SmokeAnswer(got)))) if got == want => return Ok(seq),
                Some(Ok((_, Message::SmokeAnswer(got)))) => {
                    return Err(format!(
                        "noise round {round} ({}): wrong answer {got:?}, expected {want:?}",
                        kind.name()
                    ));
                }
                Some(Ok((_, Message::Hello { .. }))) => {
                    return Err(format!("noise round {round} ({}): the board restarted (a second Hello)", kind.name()));
                }
                Some(Ok((_, other))) => {
                    return Err(format!("noise round {round} ({}): unexpected message {other:?}", kind.name()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmware::link::FrameReader;

    fn real_frame() -> Vec<u8> {
        frame_with_version(3, &Message::SmokeChallenge(Noise::new(1).challenge()), None).unwrap()
    }

    /// No burst ever holds a frame the link would accept.
    #[test]
    fn no_burst_decodes_to_a_message() {
        let mut noise = Noise::new(7);
        let frame = real_frame();
        for i in 0..5_000 {
            let kind = NoiseKind::ALL[i % NoiseKind::ALL.len()];
            let source = match kind {
                NoiseKind::WrongVersion => frame_with_version(3, &Message::RunCorpus, Some(9)).unwrap(),
                _ => frame.clone(),
            };
            let burst = noise.burst(kind, &source);
            let mut reader = FrameReader::new();
            let accepted: Vec<_> =
                burst.iter().chain(&[0]).filter_map(|&b| reader.push(b)).filter(|f| f.is_ok()).collect();
            assert!(accepted.is_empty(), "{kind:?} burst {i} decoded to {accepted:?}");
        }
    }

    /// After any burst and a delimiter, the real frame is read.
    #[test]
    fn the_frame_after_a_burst_is_read() {
        let mut noise = Noise::new(11);
        let frame = real_frame();
        for i in 0..2_000 {
            let kind = NoiseKind::ALL[i % NoiseKind::ALL.len()];
            let mut bytes = noise.burst(kind, &frame);
            bytes.push(0);
            bytes.extend(&frame);
            let mut reader = FrameReader::new();
            let last = bytes.iter().filter_map(|&b| reader.push(b)).last();
            assert!(matches!(last, Some(Ok((3, Message::SmokeChallenge(_))))), "{kind:?} burst {i}: {last:?}");
        }
    }

    /// The wrong-version frame differs from the real one only in its version.
    #[test]
    fn wrong_version_frame_is_refused_for_its_version() {
        let frame = frame_with_version(3, &Message::RunCorpus, Some(firmware::link::PROTOCOL_VERSION + 1)).unwrap();
        let mut reader = FrameReader::new();
        let got = frame.iter().filter_map(|&b| reader.push(b)).next().unwrap();
        let err = got.unwrap_err().to_string();
        assert!(err.contains("version"), "{err}");
    }
}
