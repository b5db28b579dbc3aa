//! Messages carried in link frames (postcard-encoded).
//!
//! Variants are only ever appended: postcard encodes the variant index, so
//! reordering would break older peers.

use crate::smoke::{SmokeAnswer, SmokeChallenge};
use heapless::String;
use serde::{Deserialize, Serialize};

/// One message between a terminal and its peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Message {
    /// First message from a terminal: who it is.
    Hello {
        /// Board name, e.g. `qemu-lm3s6965`.
        board: String<24>,
        /// Firmware version.
        firmware: String<16>,
    },
    /// Peer → terminal: bring-up check to compute.
    SmokeChallenge(SmokeChallenge),
    /// Terminal → peer: the computed answer.
    SmokeAnswer(SmokeAnswer),
    /// Peer → terminal: whether the answer was right.
    SmokeVerdict {
        /// `true` when the answer matched the peer's own computation.
        ok: bool,
    },
}
