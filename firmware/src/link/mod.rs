//! Framed messages between the terminal and its peer over any byte stream.
//!
//! Layers, from the wire up:
//! 1. COBS: each frame is COBS-encoded and ends with a `0x00` delimiter, so a
//!    receiver can resynchronise after any garbage ([`FrameReader`]).
//! 2. [`Frame`]: a bounds-checked view over the decoded bytes: protocol
//!    version, sequence number, payload, CRC-32 trailer ([`FrameRepr`]
//!    parses and emits it).
//! 3. [`Message`]: the payload, serialised with postcard.
//!
//! A truncated, corrupted or oversized frame is reported as a [`LinkError`],
//! never trusted; sequence numbers let the receiver spot lost and duplicated
//! frames.

mod codec;
mod eligibility;
mod error;
mod frame;
mod message;

pub use codec::{FrameReader, encode_message};
pub use eligibility::{EligibilityQuery, EligibilityReply, MAX_SERIAL, QueryBy, ServiceError};
pub use error::LinkError;
pub use frame::{CRC_LEN, Frame, FrameRepr, HEADER_LEN, PROTOCOL_VERSION};
pub use message::Message;

/// Largest postcard payload a frame may carry.
pub const MAX_PAYLOAD: usize = 1024;
/// Largest decoded frame: header + payload + CRC.
pub const MAX_FRAME: usize = HEADER_LEN + MAX_PAYLOAD + CRC_LEN;
/// Largest frame on the wire: COBS overhead plus the `0x00` delimiter.
pub const MAX_WIRE_FRAME: usize = MAX_FRAME + MAX_FRAME / 254 + 2;
