//! Messages carried in link frames (postcard-encoded).
//!
//! Variants are only ever appended: postcard encodes the variant index, so
//! reordering would break older peers.

use super::eligibility::{EligibilityQuery, EligibilityReply};
use crate::domain::{Facility, ReaderState};
use crate::reception::{MAX_RESPONSE, Now, State, TerminalConfig, WireAction, WireEvent};
use crate::rules::DecisionDigest;
use crate::smoke::{SmokeAnswer, SmokeChallenge};
use crate::ui::Screen;
use heapless::String;
use serde::{Deserialize, Serialize};

/// One message between a terminal and its peer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(clippy::large_enum_variant, reason = "no heap to box into; one message lives at a time")]
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
    /// Host → terminal: start a reception terminal with this configuration
    /// (a remote session: the host plays card, service and people). The
    /// configuration is the host's own, so both decide alike: the facility,
    /// the waits, and the visual-check password as salt + hash.
    StartTerminal {
        /// The terminal's configuration.
        config: TerminalConfig,
        /// The current time.
        now: Now,
    },
    /// Host → terminal: this happened at time `now`.
    TerminalEvent {
        /// The current time.
        now: Now,
        /// What happened.
        event: WireEvent,
    },
    /// Host → terminal: the card's answer to the last APDU.
    CardResponse {
        /// The current time.
        now: Now,
        /// Data and SW1 SW2.
        bytes: heapless::Vec<u8, MAX_RESPONSE>,
    },
    /// Host → terminal: the service's reply, delivered at time `now`.
    DeliverReply {
        /// The current time.
        now: Now,
        /// The reply.
        reply: EligibilityReply,
    },
    /// Terminal → host: one action, in order.
    TerminalAction(WireAction),
    /// Terminal → host: every action of the last input was sent.
    TerminalIdle {
        /// Where the terminal is now.
        state: State,
        /// When the terminal must next be ticked (ms).
        next_timeout: Option<u64>,
    },
    /// Host → board: run as a device (its own buttons, card reader and
    /// clock) at this facility; see `docs/boards/device-link.md`.
    StartDevice {
        /// The facility.
        facility: Facility,
        /// The current time: `date` is the visit date of the session, `ms`
        /// the board's clock from here on.
        now: Now,
    },
    /// Host → device: what a real reader gets from outside (camera, clerk
    /// PC, network switch); never card or patient-key events.
    Peripheral(WireEvent),
    /// Device → host: the OLED now shows `screen` (the `seq`-th screen
    /// drawn since `StartDevice`, from 0).
    ScreenShown {
        /// Screens drawn before this one.
        seq: u32,
        /// What was drawn (`firmware::ui::draw` gives the same pixels).
        screen: Screen,
    },
    /// Device → host: the terminal's state or the reader's state changed.
    DeviceState {
        /// Where the terminal is now.
        state: State,
        /// The card reader.
        reader: ReaderState,
    },
    /// Device → host: a log record could not be stored in the board's own
    /// flash (it went to the host as `TerminalAction(Log)` all the same).
    LogFailed {
        /// Records not stored since `StartDevice`.
        unsaved: u32,
    },
}

impl Message {
    /// The variant's name, for logs (never the contents).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Hello { .. } => "Hello",
            Self::SmokeChallenge(_) => "SmokeChallenge",
            Self::SmokeAnswer(_) => "SmokeAnswer",
            Self::SmokeVerdict { .. } => "SmokeVerdict",
            Self::RunCorpus => "RunCorpus",
            Self::CaseResult { .. } => "CaseResult",
            Self::CorpusDone { .. } => "CorpusDone",
            Self::BenchRequest { .. } => "BenchRequest",
            Self::BenchResult { .. } => "BenchResult",
            Self::Done { .. } => "Done",
            Self::Query(_) => "Query",
            Self::Reply(_) => "Reply",
            Self::StartTerminal { .. } => "StartTerminal",
            Self::TerminalEvent { .. } => "TerminalEvent",
            Self::CardResponse { .. } => "CardResponse",
            Self::DeliverReply { .. } => "DeliverReply",
            Self::TerminalAction(_) => "TerminalAction",
            Self::TerminalIdle { .. } => "TerminalIdle",
            Self::StartDevice { .. } => "StartDevice",
            Self::Peripheral(_) => "Peripheral",
            Self::ScreenShown { .. } => "ScreenShown",
            Self::DeviceState { .. } => "DeviceState",
            Self::LogFailed { .. } => "LogFailed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FacilityKind, NetworkState};

    /// Postcard writes the variant index first: appended variants keep the
    /// indices older peers know (device mode starts at 18).
    #[test]
    fn device_mode_variants_are_appended() {
        let facility = Facility {
            kind: FacilityKind::Clinic,
            online_capable: true,
            reader: ReaderState::Working,
            network: NetworkState::Up,
            phone_reader: false,
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let now = Now { ms: crate::reception::Millis(5), date };
        let cases = [
            (18, Message::StartDevice { facility, now }),
            (19, Message::Peripheral(WireEvent::StaffDecide)),
            (20, Message::ScreenShown { seq: 3, screen: Screen::PinPicker { entered: 1, tries_left: None, digit: 7 } }),
            (21, Message::DeviceState { state: State::Idle, reader: ReaderState::Broken }),
        ];
        for (index, m) in cases {
            let mut buf = [0u8; 64];
            let bytes = postcard::to_slice(&m, &mut buf).expect("fits");
            assert_eq!(bytes[0], index, "{}", m.kind());
            assert_eq!(postcard::from_bytes::<Message>(bytes).ok(), Some(m));
        }
    }

    /// The board's terminal gets the host's whole configuration, the
    /// visual-check password as salt + hash only (never its text), at the
    /// variant index older peers know.
    #[test]
    fn start_terminal_carries_the_config_and_no_password_text() {
        let facility = Facility {
            kind: FacilityKind::Pharmacy,
            online_capable: true,
            reader: ReaderState::Working,
            network: NetworkState::Up,
            phone_reader: true,
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let now = Now { ms: crate::reception::Millis(0), date };
        let mut config = TerminalConfig::new(facility).with_visual_check_password("kanri2025", [9; 16]);
        config.input_timeout_ms = 45_000;
        let m = Message::StartTerminal { config, now };
        let mut buf = [0u8; 128];
        let bytes = postcard::to_slice(&m, &mut buf).expect("fits");
        assert_eq!(bytes[0], 12, "StartTerminal keeps its index");
        assert!(!bytes.windows(9).any(|w| w == b"kanri2025"), "the password text went on the wire");
        let Ok(Message::StartTerminal { config: got, .. }) = postcard::from_bytes::<Message>(bytes) else {
            panic!("StartTerminal does not decode");
        };
        assert_eq!(got, config);
        assert!(got.visual_check.is_some_and(|p| p.matches("kanri2025") && !p.matches("kanri2024")));
    }
}
