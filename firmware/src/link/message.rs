//! Messages carried in link frames (postcard-encoded).
//!
//! Variants are only ever appended: postcard encodes the variant index, so
//! reordering would break older peers.

use super::eligibility::{EligibilityQuery, EligibilityReply};
use crate::rules::DecisionDigest;
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
    /// Peer → terminal: decide every case of the built-in corpus and send
    /// each digest.
    RunCorpus,
    /// Terminal → peer: the decision digest of corpus case `index`.
    CaseResult {
        /// Index into the corpus.
        index: u16,
        /// The decision, rules as policy-table indices.
        digest: DecisionDigest,
    },
    /// Terminal → peer: every corpus case was sent.
    CorpusDone {
        /// Number of cases decided.
        count: u16,
    },
    /// Peer → terminal: time `rounds` passes of `decide` over the corpus.
    BenchRequest {
        /// Passes over the corpus.
        rounds: u16,
    },
    /// Terminal → peer: what the timed passes took.
    BenchResult {
        /// Decisions made.
        decisions: u32,
        /// SysTick ticks spent inside `decide` (core clock).
        ticks: u64,
        /// SysTick ticks of a loop of exactly 1,000,000 instructions
        /// (calibrates ticks per instruction on the same run).
        calibration_ticks: u64,
    },
    /// Peer → terminal: the session is over; exit with this verdict.
    Done {
        /// Whether everything the peer checked was right.
        ok: bool,
    },
    /// Terminal → service: who is covered on which day?
    Query(EligibilityQuery),
    /// Service → terminal: the answer to a query.
    Reply(EligibilityReply),
}
