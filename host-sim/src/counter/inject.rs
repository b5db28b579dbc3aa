//! Faults injected at the counter, at one chosen opportunity: a card
//! exchange, an event, for the fault campaign (`host-sim faults`). Link and
//! service faults go through the virtual service's
//! [`FaultPlan`](crate::virtual_service::FaultPlan) instead.

use std::fmt;

/// A fault the counter injects itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CounterFault {
    /// The patient pulls the card as this APDU is sent: no answer, and the
    /// reader reports the card gone.
    CardPulled,
    /// The card's answer to this APDU arrives with one data byte flipped
    /// (the status word when there is no data).
    CardGarbled,
    /// The card's answer to this APDU is cut short (one byte only).
    CardTruncated,
    /// The card answers this APDU with another status word (`6581`, memory failure) and no data.
    CardOtherStatus,
    /// Before this event the board's clock jumps back 30 minutes.
    ClockBack,
    /// Before this event the board's clock jumps ahead 7 days.
    ClockAhead,
    /// Before this event the terminal restarts, as after a power cut.
    Restart,
}

impl CounterFault {
    /// Every counter fault.
    pub const ALL: [Self; 7] = [
        Self::CardPulled,
        Self::CardGarbled,
        Self::CardTruncated,
        Self::CardOtherStatus,
        Self::ClockBack,
        Self::ClockAhead,
        Self::Restart,
    ];

    /// Whether it happens at a card exchange (else: before an event).
    pub fn at_card(self) -> bool {
        matches!(self, Self::CardPulled | Self::CardGarbled | Self::CardTruncated | Self::CardOtherStatus)
    }
}

impl fmt::Display for CounterFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::CardPulled => "card pulled",
            Self::CardGarbled => "card answer garbled",
            Self::CardTruncated => "card answer truncated",
            Self::CardOtherStatus => "card answers another status word",
            Self::ClockBack => "clock jumps back",
            Self::ClockAhead => "clock jumps far ahead",
            Self::Restart => "terminal restarted",
        })
    }
}

/// One fault at one opportunity (0-based: the nth APDU, or the nth event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Injection {
    /// What.
    pub fault: CounterFault,
    /// At which opportunity.
    pub at: usize,
}

/// How many opportunities a run offered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Opportunities {
    /// APDUs sent to the card.
    pub apdus: usize,
    /// Events given to the terminal by people or equipment (not ticks, not card answers).
    pub events: usize,
}
