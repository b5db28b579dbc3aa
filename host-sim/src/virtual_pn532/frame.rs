//! HSU frames of the PN532 (UM0701-02 §6.2.1), written from the manual:
//!
//! | frame | bytes |
//! |---|---|
//! | normal information | `00 00 FF LEN LCS TFI PD0..PDn DCS 00`, LEN = bytes of TFI+PD (1..=255), `LEN+LCS = 0`, `TFI+PD0+..+PDn+DCS = 0` (mod 256) |
//! | extended information | `00 00 FF FF FF LENM LENL LCS TFI PD0..PDn DCS 00`, `LENM+LENL+LCS = 0`, at most 265 bytes of TFI+PD |
//! | ACK | `00 00 FF 00 FF 00` |
//! | NACK | `00 00 FF FF 00 00` |
//! | error (application level) | `00 00 FF 01 FF 7F 81 00` |
//!
//! Preamble and postamble "can be composed of an undetermined number of
//! bytes" (§6.2.1.6): the parser looks for the start code `00 FF` and skips
//! whatever comes before it.

use std::fmt;

/// TFI of a frame from the host controller to the PN532.
pub const TFI_HOST: u8 = 0xD4;
/// TFI of a frame from the PN532 to the host controller.
pub const TFI_PN532: u8 = 0xD5;
/// The ACK frame.
pub const ACK: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
/// The NACK frame.
pub const NACK: [u8; 6] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];
/// The syntax error frame (an error at the application level).
pub const ERROR_FRAME: [u8; 8] = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00];
/// Most bytes of TFI and packet data the PN532 firmware takes in one frame.
pub const MAX_FRAME_DATA: usize = 265;
/// Most bytes of TFI and packet data a normal frame carries.
pub const MAX_NORMAL_DATA: usize = 255;

/// The checksum byte that makes `bytes` plus itself sum to 0 (mod 256).
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |sum, b| sum.wrapping_add(*b)).wrapping_neg()
}

/// An information frame with `tfi` and `data` (`PD0..PDn`): normal up to
/// 255 bytes of TFI+PD, extended above, as the PN532 sends them. `None`
/// when TFI+PD would exceed [`MAX_FRAME_DATA`].
pub fn encode_info(tfi: u8, data: &[u8]) -> Option<Vec<u8>> {
    let len = data.len() + 1;
    if len > MAX_FRAME_DATA {
        return None;
    }
    let mut out = vec![0x00, 0x00, 0xFF];
    if len <= MAX_NORMAL_DATA {
        let len = len as u8;
        out.extend([len, len.wrapping_neg()]);
    } else {
        let [m, l] = (len as u16).to_be_bytes();
        out.extend([0xFF, 0xFF, m, l, checksum(&[m, l])]);
    }
    out.push(tfi);
    out.extend_from_slice(data);
    let dcs = checksum(data).wrapping_add(tfi.wrapping_neg());
    out.push(dcs);
    out.push(0x00);
    Some(out)
}

/// A frame taken out of the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// An information frame: TFI, then `PD0..PDn`.
    Info {
        /// The frame identifier.
        tfi: u8,
        /// `PD0..PDn`; `PD0` is the command code.
        data: Vec<u8>,
        /// Whether it came as an extended frame.
        extended: bool,
    },
    /// An ACK frame.
    Ack,
    /// A NACK frame.
    Nack,
    /// The syntax error frame.
    Error,
}

/// Why bytes that began like a frame are not one. The stream goes on: the
/// parser looks for the next start code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameError {
    /// `LEN + LCS` (or `LENM + LENL + LCS`) is not 0.
    LengthChecksum {
        /// The length field.
        len: u16,
        /// The LCS byte received.
        lcs: u8,
    },
    /// LEN of 0 in an information frame (there must be a TFI).
    Empty,
    /// An extended frame longer than [`MAX_FRAME_DATA`].
    TooLong {
        /// The length announced.
        len: u16,
    },
    /// The data checksum is wrong.
    DataChecksum {
        /// The DCS byte received.
        got: u8,
        /// The DCS the data needs.
        want: u8,
    },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthChecksum { len, lcs } => {
                write!(f, "length checksum 0x{lcs:02X} does not complete length {len} to 0 (mod 256)")
            }
            Self::Empty => f.write_str("information frame of length 0 (no TFI)"),
            Self::TooLong { len } => write!(f, "frame of {len} data bytes exceeds the PN532's {MAX_FRAME_DATA}"),
            Self::DataChecksum { got, want } => write!(f, "data checksum 0x{got:02X}, the data needs 0x{want:02X}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Looking for `00 FF`; `zero`: the last byte was `00`.
    Start {
        zero: bool,
    },
    Len,
    Lcs {
        len: u8,
    },
    ExtLenM,
    ExtLenL {
        m: u8,
    },
    ExtLcs {
        len: u16,
    },
    Body {
        len: u16,
        extended: bool,
    },
    Dcs {
        extended: bool,
    },
}

/// Takes frames out of a byte stream, one byte at a time.
#[derive(Debug, Clone)]
pub struct FrameParser {
    state: State,
    body: Vec<u8>,
}

impl Default for FrameParser {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameParser {
    /// A parser looking for a start code.
    pub fn new() -> Self {
        Self { state: State::Start { zero: false }, body: Vec::new() }
    }

    /// Whether the parser is between frames (no frame begun).
    pub fn is_idle(&self) -> bool {
        matches!(self.state, State::Start { .. })
    }

    /// Feeds one byte; returns a frame or an error when one ends here.
    pub fn push(&mut self, byte: u8) -> Option<Result<Frame, FrameError>> {
        let (next, out) = match self.state {
            State::Start { zero } => match byte {
                0xFF if zero => (State::Len, None),
                _ => (State::Start { zero: byte == 0x00 }, None),
            },
            State::Len => (State::Lcs { len: byte }, None),
            State::Lcs { len } => match (len, byte) {
                (0x00, 0xFF) => (State::Start { zero: false }, Some(Ok(Frame::Ack))),
                (0xFF, 0x00) => (State::Start { zero: false }, Some(Ok(Frame::Nack))),
                (0xFF, 0xFF) => (State::ExtLenM, None),
                (len, lcs) if len.wrapping_add(lcs) != 0 => {
                    (State::Start { zero: lcs == 0 }, Some(Err(FrameError::LengthChecksum { len: len.into(), lcs })))
                }
                (0, _) => (State::Start { zero: false }, Some(Err(FrameError::Empty))),
                (len, _) => {
                    self.body.clear();
                    (State::Body { len: len.into(), extended: false }, None)
                }
            },
            State::ExtLenM => (State::ExtLenL { m: byte }, None),
            State::ExtLenL { m } => (State::ExtLcs { len: u16::from_be_bytes([m, byte]) }, None),
            State::ExtLcs { len } => {
                let [m, l] = len.to_be_bytes();
                if m.wrapping_add(l).wrapping_add(byte) != 0 {
                    (State::Start { zero: byte == 0 }, Some(Err(FrameError::LengthChecksum { len, lcs: byte })))
                } else if len == 0 {
                    (State::Start { zero: false }, Some(Err(FrameError::Empty)))
                } else if usize::from(len) > MAX_FRAME_DATA {
                    (State::Start { zero: false }, Some(Err(FrameError::TooLong { len })))
                } else {
                    self.body.clear();
                    (State::Body { len, extended: true }, None)
                }
            }
            State::Body { len, extended } => {
                self.body.push(byte);
                if self.body.len() == usize::from(len) {
                    (State::Dcs { extended }, None)
                } else {
                    (State::Body { len, extended }, None)
                }
            }
            State::Dcs { extended } => {
                let want = checksum(&self.body);
                let out = if byte != want {
                    Err(FrameError::DataChecksum { got: byte, want })
                } else {
                    let tfi = self.body[0];
                    let data = self.body[1..].to_vec();
                    match (tfi, data.as_slice()) {
                        (0x7F, []) if !extended => Ok(Frame::Error),
                        _ => Ok(Frame::Info { tfi, data, extended }),
                    }
                };
                (State::Start { zero: false }, Some(out))
            }
        };
        self.state = next;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Vec<Result<Frame, FrameError>> {
        let mut p = FrameParser::new();
        bytes.iter().filter_map(|&b| p.push(b)).collect()
    }

    fn info(tfi: u8, data: &[u8]) -> Result<Frame, FrameError> {
        Ok(Frame::Info { tfi, data: data.to_vec(), extended: false })
    }

    // UM0701-02 §7.2.2: GetFirmwareVersion, command and answer.
    const GET_FIRMWARE_VERSION: [u8; 9] = [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00];
    const FIRMWARE_VERSION: [u8; 13] = [0x00, 0x00, 0xFF, 0x06, 0xFA, 0xD5, 0x03, 0x32, 0x01, 0x06, 0x07, 0xE8, 0x00];

    #[test]
    fn manual_frames_parse() {
        assert_eq!(parse(&GET_FIRMWARE_VERSION), vec![info(0xD4, &[0x02])]);
        assert_eq!(parse(&FIRMWARE_VERSION), vec![info(0xD5, &[0x03, 0x32, 0x01, 0x06, 0x07])]);
        assert_eq!(parse(&ACK), vec![Ok(Frame::Ack)]);
        assert_eq!(parse(&NACK), vec![Ok(Frame::Nack)]);
        assert_eq!(parse(&ERROR_FRAME), vec![Ok(Frame::Error)]);
    }

    #[test]
    fn manual_frames_encode() {
        assert_eq!(encode_info(0xD4, &[0x02]).unwrap(), GET_FIRMWARE_VERSION);
        assert_eq!(encode_info(0xD5, &[0x03, 0x32, 0x01, 0x06, 0x07]).unwrap(), FIRMWARE_VERSION);
        // SAMConfiguration, normal mode (UM0701-02 §7.2.10), and its answer.
        assert_eq!(
            encode_info(0xD4, &[0x14, 0x01]).unwrap(),
            [0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00]
        );
        assert_eq!(encode_info(0xD5, &[0x15]).unwrap(), [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD5, 0x15, 0x16, 0x00]);
        // InListPassiveTarget, one target at 106 kbps type A (UM0701-02 §7.3.5).
        assert_eq!(
            encode_info(0xD4, &[0x4A, 0x01, 0x00]).unwrap(),
            [0x00, 0x00, 0xFF, 0x04, 0xFC, 0xD4, 0x4A, 0x01, 0x00, 0xE1, 0x00]
        );
    }

    #[test]
    fn wake_up_preamble_and_long_postambles_are_skipped() {
        // HSU wake-up (UM0701-02 §6.3.2.3): 55 55 and zeros, then a frame.
        let mut bytes = vec![0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        bytes.extend([0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00, 0x00, 0x00]);
        bytes.extend(GET_FIRMWARE_VERSION);
        assert_eq!(parse(&bytes), vec![info(0xD4, &[0x14, 0x01]), info(0xD4, &[0x02])]);
    }

    #[test]
    fn extended_frame_of_a_short_command_is_accepted() {
        // §6.2.1.2: the host may use an extended frame for fewer than 255 bytes.
        let bytes = [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00];
        assert_eq!(parse(&bytes), vec![Ok(Frame::Info { tfi: 0xD4, data: vec![0x02], extended: true })]);
    }

    #[test]
    fn long_answers_become_extended_frames_and_round_trip() {
        let data: Vec<u8> = (0..=255u8).cycle().take(263).collect();
        let frame = encode_info(TFI_PN532, &data).unwrap();
        // LEN = 264 = 0x0108; LCS completes 01 + 08 to 0.
        assert_eq!(&frame[..8], &[0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x08, 0xF7]);
        assert_eq!(frame.len(), 264 + 10);
        assert_eq!(parse(&frame), vec![Ok(Frame::Info { tfi: TFI_PN532, data, extended: true })]);
        // 254 data bytes + TFI = 255 still fit a normal frame.
        let frame = encode_info(TFI_PN532, &[0xAB; 254]).unwrap();
        assert_eq!(&frame[3..5], &[0xFF, 0x01]);
        assert_eq!(parse(&frame), vec![info(TFI_PN532, &[0xAB; 254])]);
        assert_eq!(encode_info(TFI_PN532, &[0; 265]), None);
    }

    #[test]
    fn damaged_frames_are_named_and_the_stream_resynchronises() {
        let mut bad_dcs = GET_FIRMWARE_VERSION;
        bad_dcs[7] = 0x2B;
        let mut bytes = bad_dcs.to_vec();
        bytes.extend(GET_FIRMWARE_VERSION);
        assert_eq!(parse(&bytes), vec![Err(FrameError::DataChecksum { got: 0x2B, want: 0x2A }), info(0xD4, &[0x02])]);
        let mut bad_lcs = GET_FIRMWARE_VERSION;
        bad_lcs[4] = 0xFD;
        let mut bytes = bad_lcs.to_vec();
        bytes.extend(GET_FIRMWARE_VERSION);
        assert_eq!(parse(&bytes), vec![Err(FrameError::LengthChecksum { len: 2, lcs: 0xFD }), info(0xD4, &[0x02])]);
        let too_long = [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x01, 0x0A, 0xF5];
        assert_eq!(parse(&too_long), vec![Err(FrameError::TooLong { len: 266 })]);
        assert_eq!(parse(&[0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00]), vec![Err(FrameError::Empty)]);
    }

    #[test]
    fn every_checksum_error_is_caught() {
        // Flipping any bit of the LCS, the data or the DCS is never accepted.
        let frame = encode_info(TFI_HOST, &[0x40, 0x01, 0x00, 0xA4, 0x04, 0x0C]).unwrap();
        for i in 4..frame.len() - 1 {
            for bit in 0..8 {
                let mut bad = frame.clone();
                bad[i] ^= 1 << bit;
                let frames = parse(&bad);
                assert!(
                    !frames.iter().any(|f| matches!(f, Ok(Frame::Info { data, .. }) if data[0] == 0x40)),
                    "byte {i} bit {bit}: {frames:?}"
                );
            }
        }
    }
}
