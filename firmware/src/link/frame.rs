//! The decoded frame: a checked view ([`Frame`]) and its parsed form
//! ([`FrameRepr`]), after smoltcp's wire types.
//!
//! Layout (after COBS decoding):
//!
//! | offset | size | field |
//! |---|---|---|
//! | 0 | 1 | protocol version |
//! | 1 | 1 | sequence number |
//! | 2 | n | payload (postcard) |
//! | 2+n | 4 | CRC-32 (ISO-HDLC) of bytes 0..2+n, little endian |

use super::LinkError;
use crc::{CRC_32_ISO_HDLC, Crc};

/// Version byte of the current link protocol.
pub const PROTOCOL_VERSION: u8 = 1;
/// Bytes before the payload.
pub const HEADER_LEN: usize = 2;
/// Bytes of the CRC trailer.
pub const CRC_LEN: usize = 4;

const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// A read-only view over a decoded frame whose lengths and CRC were checked.
#[derive(Debug, Clone, Copy)]
pub struct Frame<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Frame<T> {
    /// Wraps `buffer` after checking its length, version and CRC.
    pub fn new_checked(buffer: T) -> Result<Self, LinkError> {
        let bytes = buffer.as_ref();
        let len = bytes.len();
        if len < HEADER_LEN + CRC_LEN {
            return Err(LinkError::Truncated { len });
        }
        let (body, trailer) = bytes.split_at(len - CRC_LEN);
        let received = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let computed = CRC32.checksum(body);
        if received != computed {
            return Err(LinkError::BadCrc { received, computed });
        }
        if body[0] != PROTOCOL_VERSION {
            return Err(LinkError::UnsupportedVersion(body[0]));
        }
        Ok(Self { buffer })
    }

    /// Sequence number.
    pub fn seq(&self) -> u8 {
        self.buffer.as_ref()[1]
    }

    /// Payload bytes.
    pub fn payload(&self) -> &[u8] {
        let bytes = self.buffer.as_ref();
        &bytes[HEADER_LEN..bytes.len() - CRC_LEN]
    }
}

/// A frame's contents, to parse from a [`Frame`] or emit into a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRepr<'a> {
    /// Sequence number.
    pub seq: u8,
    /// Payload bytes.
    pub payload: &'a [u8],
}

impl<'a> FrameRepr<'a> {
    /// Parses a checked frame.
    pub fn parse<T: AsRef<[u8]> + ?Sized>(frame: &'a Frame<&'a T>) -> Self {
        Self { seq: frame.seq(), payload: frame.payload() }
    }

    /// Bytes [`emit`](Self::emit) writes.
    pub fn buffer_len(&self) -> usize {
        HEADER_LEN + self.payload.len() + CRC_LEN
    }

    /// Writes the frame into `out`, returning the bytes written.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, LinkError> {
        let len = self.buffer_len();
        let out = out.get_mut(..len).ok_or(LinkError::BufferTooSmall)?;
        out[0] = PROTOCOL_VERSION;
        out[1] = self.seq;
        out[HEADER_LEN..len - CRC_LEN].copy_from_slice(self.payload);
        let crc = CRC32.checksum(&out[..len - CRC_LEN]);
        out[len - CRC_LEN..].copy_from_slice(&crc.to_le_bytes());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emit_then_parse_round_trips() {
        let mut buf = [0u8; 32];
        let n = FrameRepr { seq: 7, payload: b"abc" }.emit(&mut buf).unwrap();
        assert_eq!(n, 9);
        let frame = Frame::new_checked(&buf[..n]).unwrap();
        assert_eq!(FrameRepr::parse(&frame), FrameRepr { seq: 7, payload: b"abc" });
    }

    #[test]
    fn every_single_bit_flip_is_detected() {
        let mut buf = [0u8; 32];
        let n = FrameRepr { seq: 1, payload: b"hello" }.emit(&mut buf).unwrap();
        for bit in 0..n * 8 {
            let mut bad = buf;
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(Frame::new_checked(&bad[..n]).is_err(), "flip of bit {bit} not detected");
        }
    }

    #[test]
    fn short_frames_are_truncated_not_panics() {
        for len in 0..HEADER_LEN + CRC_LEN {
            assert_eq!(Frame::new_checked(&[0u8; 8][..len]).unwrap_err(), LinkError::Truncated { len });
        }
    }

    #[test]
    fn small_output_buffer_is_an_error() {
        let mut buf = [0u8; 6];
        assert_eq!(FrameRepr { seq: 0, payload: b"x" }.emit(&mut buf), Err(LinkError::BufferTooSmall));
    }
}
