//! PN532 frames (User Manual UM0701-02 §6.2.1), pure.
//!
//! | frame | bytes |
//! |---|---|
//! | normal information | `00 00 FF LEN LCS TFI PD0..PDn DCS 00` |
//! | extended information | `00 00 FF FF FF LENM LENL LCS TFI PD0..PDn DCS 00` |
//! | ACK | `00 00 FF 00 FF 00` |
//! | NACK | `00 00 FF FF 00 00` |
//! | application error | `00 00 FF 01 FF 7F 81 00` |
//!
//! LEN counts TFI and data; `LEN + LCS` and `TFI + PD.. + DCS` are 0 modulo
//! 256. [`Decoder`] takes one byte at a time and resynchronises on the next
//! start code after anything malformed, so it never waits for bytes a short
//! answer does not send.

use core::fmt;

/// Frame identifier: host to PN532.
pub const TFI_HOST: u8 = 0xD4;
/// Frame identifier: PN532 to host.
pub const TFI_PN532: u8 = 0xD5;
/// TFI of the application-level error frame.
pub const TFI_ERROR: u8 = 0x7F;
/// The ACK frame.
pub const ACK: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
/// The NACK frame (asks the PN532 to send its last response again).
pub const NACK: [u8; 6] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];
/// Longest TFI + data this crate sends or accepts: InDataExchange's TFI,
/// code and status around a 256-byte response and SW1 SW2 is 261; the
/// PN532's own buffer holds 264 (§7.3.8).
pub const MAX_INFO: usize = 265;
/// Longest frame on the wire (extended header, data, DCS, postamble).
pub const MAX_FRAME: usize = 8 + MAX_INFO + 2;

/// Why a frame could not be built or was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FrameError {
    /// LEN + LCS is not 0 modulo 256.
    LengthChecksum,
    /// TFI + data + DCS is not 0 modulo 256.
    DataChecksum,
    /// LEN is 0 but the frame is not an ACK.
    Empty,
    /// The frame is longer than [`MAX_INFO`].
    Oversized {
        /// LEN as received.
        len: usize,
    },
    /// The output buffer is too small.
    BufferTooSmall,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthChecksum => f.write_str("PN532 frame: length checksum wrong"),
            Self::DataChecksum => f.write_str("PN532 frame: data checksum wrong"),
            Self::Empty => f.write_str("PN532 frame: empty information frame"),
            Self::Oversized { len } => write!(f, "PN532 frame: {len} bytes is longer than {MAX_INFO}"),
            Self::BufferTooSmall => f.write_str("PN532 frame: output buffer too small"),
        }
    }
}

impl core::error::Error for FrameError {}

/// Writes `info` (TFI and data) as a normal frame, or an extended one when
/// longer than 255 bytes. Returns the bytes written.
pub fn encode(info: &[u8], out: &mut [u8]) -> Result<usize, FrameError> {
    let len = info.len();
    if len == 0 {
        return Err(FrameError::Empty);
    }
    if len > MAX_INFO {
        return Err(FrameError::Oversized { len });
    }
    let header: &[u8] = if len <= 255 {
        let l = len as u8;
        &[0x00, 0x00, 0xFF, l, l.wrapping_neg()]
    } else {
        let (m, l) = ((len >> 8) as u8, len as u8);
        &[0x00, 0x00, 0xFF, 0xFF, 0xFF, m, l, m.wrapping_add(l).wrapping_neg()]
    };
    let total = header.len() + len + 2;
    let out = out.get_mut(..total).ok_or(FrameError::BufferTooSmall)?;
    out[..header.len()].copy_from_slice(header);
    out[header.len()..header.len() + len].copy_from_slice(info);
    let sum = info.iter().fold(0u8, |a, b| a.wrapping_add(*b));
    out[total - 2] = sum.wrapping_neg();
    out[total - 1] = 0x00;
    Ok(total)
}

/// Writes a host command frame: TFI `D4`, then `command` (code and
/// parameters). Returns the bytes written.
pub fn encode_command(command: &[u8], out: &mut [u8]) -> Result<usize, FrameError> {
    let mut info = [0u8; MAX_INFO];
    let n = command.len();
    let body = info.get_mut(1..1 + n).ok_or(FrameError::Oversized { len: n + 1 })?;
    body.copy_from_slice(command);
    info[0] = TFI_HOST;
    let written = encode(&info[..1 + n], out);
    // The command may be a VERIFY: leave no copy on the stack.
    info.fill(0);
    written
}

/// A complete frame out of the [`Decoder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Decoded {
    /// ACK.
    Ack,
    /// NACK.
    Nack,
    /// The application-level error frame (syntax error in the command).
    ErrorFrame,
    /// An information frame; its TFI and data are [`Decoder::info`].
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for the start code's `00`.
    Idle,
    /// Saw `00`.
    Zero,
    /// Saw `00 FF`: LEN (or the first byte of ACK / NACK / extended).
    Len,
    /// Saw LEN = `x`: LCS (or ACK `00 FF`, NACK `FF 00`, extended `FF FF`).
    Lcs(u8),
    /// Extended: LENM.
    ExtM,
    /// Extended: LENL.
    ExtL(u8),
    /// Extended: LCS.
    ExtLcs(u16),
    /// Reading TFI and data.
    Body,
    /// Waiting for DCS.
    Dcs,
}

/// Collects bytes from the PN532 and yields whole frames.
#[derive(Debug, Clone)]
pub struct Decoder {
    state: State,
    buf: [u8; MAX_INFO],
    want: usize,
    len: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// An empty decoder, waiting for a start code.
    pub const fn new() -> Self {
        Self { state: State::Idle, buf: [0; MAX_INFO], want: 0, len: 0 }
    }

    /// Forgets any partial frame.
    pub fn reset(&mut self) {
        self.state = State::Idle;
        self.len = 0;
    }

    /// TFI and data of the last [`Decoded::Info`] frame.
    pub fn info(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// Feeds one byte; `Some` when it completed a frame or made the current
    /// one invalid (the decoder then waits for the next start code).
    pub fn push(&mut self, byte: u8) -> Option<Result<Decoded, FrameError>> {
        match self.state {
            State::Idle => {
                if byte == 0x00 {
                    self.state = State::Zero;
                }
                None
            }
            State::Zero => {
                self.state = match byte {
                    0xFF => State::Len,
                    0x00 => State::Zero,
                    _ => State::Idle,
                };
                None
            }
            State::Len => {
                self.state = State::Lcs(byte);
                None
            }
            State::Lcs(len) => match (len, byte) {
                (0x00, 0xFF) => self.done(Ok(Decoded::Ack)),
                (0xFF, 0x00) => self.done(Ok(Decoded::Nack)),
                (0xFF, 0xFF) => {
                    self.state = State::ExtM;
                    None
                }
                (l, c) if l.wrapping_add(c) != 0 => self.done(Err(FrameError::LengthChecksum)),
                (0, _) => self.done(Err(FrameError::Empty)),
                (l, _) => self.start_body(usize::from(l)),
            },
            State::ExtM => {
                self.state = State::ExtL(byte);
                None
            }
            State::ExtL(m) => {
                self.state = State::ExtLcs(u16::from_be_bytes([m, byte]));
                None
            }
            State::ExtLcs(len) => {
                let [m, l] = len.to_be_bytes();
                if m.wrapping_add(l).wrapping_add(byte) != 0 {
                    return self.done(Err(FrameError::LengthChecksum));
                }
                if len == 0 {
                    return self.done(Err(FrameError::Empty));
                }
                self.start_body(usize::from(len))
            }
            State::Body => {
                if let Some(slot) = self.buf.get_mut(self.len) {
                    *slot = byte;
                }
                self.len += 1;
                if self.len == self.want {
                    self.state = State::Dcs;
                }
                None
            }
            State::Dcs => {
                let sum = self.info().iter().fold(byte, |a, b| a.wrapping_add(*b));
                if sum != 0 {
                    self.len = 0;
                    return self.done(Err(FrameError::DataChecksum));
                }
                if self.info() == [TFI_ERROR] {
                    self.len = 0;
                    return self.done(Ok(Decoded::ErrorFrame));
                }
                self.done(Ok(Decoded::Info))
            }
        }
    }

    fn start_body(&mut self, len: usize) -> Option<Result<Decoded, FrameError>> {
        if len > MAX_INFO {
            return self.done(Err(FrameError::Oversized { len }));
        }
        self.want = len;
        self.len = 0;
        self.state = State::Body;
        None
    }

    fn done(&mut self, result: Result<Decoded, FrameError>) -> Option<Result<Decoded, FrameError>> {
        self.state = State::Idle;
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    fn decode_all(bytes: &[u8]) -> Vec<(Result<Decoded, FrameError>, Vec<u8>)> {
        let mut d = Decoder::new();
        let mut out = Vec::new();
        for &b in bytes {
            if let Some(r) = d.push(b) {
                out.push((r, d.info().to_vec()));
            }
        }
        out
    }

    // UM0701-02 §6.2.1 and §7.2.2: GetFirmwareVersion, host to PN532.
    const GET_FIRMWARE_VERSION: [u8; 9] = [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00];

    #[test]
    fn encodes_get_firmware_version_as_in_the_manual() {
        let mut out = [0u8; 16];
        let n = encode_command(&[0x02], &mut out).unwrap();
        assert_eq!(&out[..n], GET_FIRMWARE_VERSION);
    }

    #[test]
    fn decodes_ack_nack_and_the_error_frame_from_the_manual() {
        // §6.2.1.3 ACK, §6.2.1.4 NACK, §6.2.1.5 error frame.
        let stream = [&ACK[..], &NACK[..], &[0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00][..]].concat();
        let got: Vec<_> = decode_all(&stream).into_iter().map(|(r, _)| r).collect();
        assert_eq!(got, [Ok(Decoded::Ack), Ok(Decoded::Nack), Ok(Decoded::ErrorFrame)]);
    }

    #[test]
    fn decodes_a_firmware_version_answer() {
        // §7.2.2: D5 03 IC Ver Rev Support, here PN532 v1.6 (32 01 06 07).
        let mut wire = [0u8; 32];
        let n = encode(&[0xD5, 0x03, 0x32, 0x01, 0x06, 0x07], &mut wire).unwrap();
        assert_eq!(&wire[..n], [0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xE8, 0x00]);
        assert_eq!(decode_all(&wire[..n]), [(Ok(Decoded::Info), std::vec![0xD5, 0x03, 0x32, 0x01, 0x06, 0x07])]);
    }

    #[test]
    fn extended_frames_round_trip_for_long_answers() {
        // A 255-byte READ BINARY: D5 41 status + 255 data + SW1 SW2 = 260 bytes.
        let mut info = std::vec![0xD5, 0x41, 0x00];
        info.extend((0..255).map(|i| i as u8));
        info.extend([0x90, 0x00]);
        let mut wire = [0u8; MAX_FRAME];
        let n = encode(&info, &mut wire).unwrap();
        assert_eq!(&wire[..8], [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x04, 0xFB]);
        assert_eq!(n, 8 + 260 + 2);
        assert_eq!(decode_all(&wire[..n]), [(Ok(Decoded::Info), info)]);
    }

    #[test]
    fn bad_checksums_are_errors_and_the_next_frame_is_read() {
        let mut bad_dcs = GET_FIRMWARE_VERSION;
        bad_dcs[7] ^= 0x01;
        let mut bad_lcs = GET_FIRMWARE_VERSION;
        bad_lcs[4] = 0xFF;
        let stream = [&bad_dcs[..], &bad_lcs[..], &[0x55, 0x13][..], &GET_FIRMWARE_VERSION[..]].concat();
        let got: Vec<_> = decode_all(&stream).into_iter().map(|(r, _)| r).collect();
        assert_eq!(got, [Err(FrameError::DataChecksum), Err(FrameError::LengthChecksum), Ok(Decoded::Info)]);
    }

    #[test]
    fn oversized_frames_are_refused_without_overrun() {
        let mut wire = [0u8; 8];
        wire[..8].copy_from_slice(&[0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x02, 0x00, 0xFE]);
        assert_eq!(decode_all(&wire), [(Err(FrameError::Oversized { len: 512 }), Vec::new())]);
        let mut out = [0u8; MAX_FRAME];
        assert_eq!(encode(&[0u8; MAX_INFO + 1], &mut out), Err(FrameError::Oversized { len: MAX_INFO + 1 }));
        assert_eq!(encode(&[0xD4, 0x02], &mut out[..5]), Err(FrameError::BufferTooSmall));
    }
}
