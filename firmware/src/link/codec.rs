//! Whole messages to and from wire bytes: postcard + [`FrameRepr`] + COBS.

use super::{Frame, FrameRepr, LinkError, MAX_FRAME, MAX_PAYLOAD, Message};

/// Encodes `message` with sequence number `seq` into `out` as one wire frame
/// (COBS, ending with the `0x00` delimiter). Returns the bytes written.
pub fn encode_message(seq: u8, message: &Message, out: &mut [u8]) -> Result<usize, LinkError> {
    let mut payload = [0u8; MAX_PAYLOAD];
    let payload = postcard::to_slice(message, &mut payload).map_err(|_| LinkError::BufferTooSmall)?;
    let mut raw = [0u8; MAX_FRAME];
    let raw_len = FrameRepr { seq, payload }.emit(&mut raw)?;
    let raw = &raw[..raw_len];
    if out.len() < cobs::max_encoding_length(raw_len) + 1 {
        return Err(LinkError::BufferTooSmall);
    }
    let n = cobs::encode(raw, out);
    out[n] = 0;
    Ok(n + 1)
}

/// Collects bytes from a stream and yields each complete frame's message.
///
/// Garbage between frames, truncated frames and corrupted frames come out as
/// errors, and the reader resynchronises on the next `0x00` delimiter.
#[derive(Debug)]
pub struct FrameReader {
    buf: [u8; MAX_FRAME + MAX_FRAME / 254 + 1],
    len: usize,
    overflowed: bool,
}

impl Default for FrameReader {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameReader {
    /// An empty reader.
    pub const fn new() -> Self {
        Self { buf: [0; MAX_FRAME + MAX_FRAME / 254 + 1], len: 0, overflowed: false }
    }

    /// Feeds one byte. Returns `Some` when the byte completed a frame: the
    /// sequence number and message, or why the frame was rejected.
    pub fn push(&mut self, byte: u8) -> Option<Result<(u8, Message), LinkError>> {
        if byte != 0 {
            if self.len < self.buf.len() {
                self.buf[self.len] = byte;
                self.len += 1;
            } else {
                self.overflowed = true;
            }
            return None;
        }
        let len = core::mem::take(&mut self.len);
        if core::mem::take(&mut self.overflowed) {
            return Some(Err(LinkError::Oversized));
        }
        if len == 0 {
            // Back-to-back delimiters: an idle line, not a frame.
            return None;
        }
        Some(Self::decode(&mut self.buf[..len]))
    }

    fn decode(encoded: &mut [u8]) -> Result<(u8, Message), LinkError> {
        let n = cobs::decode_in_place(encoded).map_err(|_| LinkError::BadCobs)?;
        let frame = Frame::new_checked(&encoded[..n])?;
        let repr = FrameRepr::parse(&frame);
        let message = postcard::from_bytes(repr.payload).map_err(|_| LinkError::BadPayload)?;
        Ok((repr.seq, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::MAX_WIRE_FRAME;
    use crate::smoke::{SmokeChallenge, Ymd};

    fn challenge() -> Message {
        Message::SmokeChallenge(SmokeChallenge { date: Ymd { year: 2025, month: 12, day: 1 }, add_days: 1 })
    }

    fn feed(reader: &mut FrameReader, bytes: &[u8]) -> Vec<Result<(u8, Message), LinkError>> {
        bytes.iter().filter_map(|&b| reader.push(b)).collect()
    }

    #[test]
    fn round_trip_through_the_wire() {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(42, &challenge(), &mut wire).unwrap();
        assert_eq!(wire[n - 1], 0);
        assert!(!wire[..n - 1].contains(&0));
        let mut reader = FrameReader::new();
        assert_eq!(feed(&mut reader, &wire[..n]), vec![Ok((42, challenge()))]);
    }

    #[test]
    fn truncated_frame_is_rejected_and_the_next_one_is_read() {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(1, &challenge(), &mut wire).unwrap();
        let mut stream = Vec::new();
        stream.extend_from_slice(&wire[..n / 2]);
        stream.push(0); // the rest was lost
        stream.extend_from_slice(&wire[..n]);
        let mut reader = FrameReader::new();
        let got = feed(&mut reader, &stream);
        assert_eq!(got.len(), 2);
        assert!(got[0].is_err());
        assert_eq!(got[1], Ok((1, challenge())));
    }

    #[test]
    fn corrupted_byte_is_rejected() {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(3, &challenge(), &mut wire).unwrap();
        for i in 0..n - 1 {
            let mut bad = wire;
            bad[i] = bad[i].wrapping_add(1).max(1);
            if bad[i] == wire[i] {
                continue;
            }
            let mut reader = FrameReader::new();
            let got = feed(&mut reader, &bad[..n]);
            assert!(got.iter().all(|r| r.is_err()), "corruption at byte {i} accepted: {got:?}");
        }
    }

    #[test]
    fn largest_eligibility_messages_fit_a_frame() {
        use crate::domain::*;
        use crate::link::{EligibilityQuery, EligibilityReply, QueryBy};
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let insurer = InsurerNumber::parse("39131016").unwrap();
        let member = MemberId::parse("立川市ひまわり", "12345678901234567890123456789012", Some("99")).unwrap();
        let answer = OnlineAnswer {
            validity: Validity::Valid,
            insurer: Some(insurer.clone()),
            card_class: Some(CardClass::Other(*b"01")),
            copay: Some(CopayRate::Thirty),
            preschool: true,
            elderly: Some(ElderlyInfo {
                copay: CopayRate::Twenty,
                valid_from: Some(d(2025, 8, 1)),
                valid_until: Some(d(2026, 7, 31)),
            }),
            limit: Some(LimitClass::GenekiNamiIII),
            disease: Some(SpecificDisease::Dialysis),
            qualified_on: Some(d(2019, 5, 1)),
            disqualified_on: Some(d(2030, 3, 31)),
            birth_date: Some(d(1950, 2, 28)),
        };
        let messages = [
            Message::Query(EligibilityQuery {
                id: u16::MAX,
                date: d(2026, 3, 31),
                by: QueryBy::Numbers { insurer, member, birth_date: d(1950, 2, 28) },
            }),
            Message::Query(EligibilityQuery {
                id: 1,
                date: d(2026, 3, 31),
                by: QueryBy::CardSerial(heapless::Vec::from_slice(&[0xAB; 20]).unwrap()),
            }),
            Message::Reply(EligibilityReply { id: 7, result: Ok(answer) }),
            Message::Reply(EligibilityReply { id: 8, result: Err(crate::link::ServiceError::Unavailable) }),
        ];
        for m in messages {
            let mut wire = [0u8; MAX_WIRE_FRAME];
            let n = encode_message(5, &m, &mut wire).unwrap();
            let mut reader = FrameReader::new();
            assert_eq!(feed(&mut reader, &wire[..n]), vec![Ok((5, m))]);
        }
    }

    #[test]
    fn endless_garbage_is_oversized_then_recovers() {
        let mut reader = FrameReader::new();
        let garbage = vec![0x55u8; 4 * MAX_WIRE_FRAME];
        assert!(feed(&mut reader, &garbage).is_empty());
        assert_eq!(reader.push(0), Some(Err(LinkError::Oversized)));
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(9, &challenge(), &mut wire).unwrap();
        assert_eq!(feed(&mut reader, &wire[..n]), vec![Ok((9, challenge()))]);
    }
}
