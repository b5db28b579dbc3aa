//! PN532-level faults the virtual reader can play, to see that a board's
//! driver ends every one of them in a defined state.

use std::fmt;
use std::str::FromStr;

/// What goes wrong with one InDataExchange (one APDU to the card).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pn532Fault {
    /// The command frame is lost: no ACK, no answer.
    NoAck,
    /// ACK, then no answer ever.
    NoAnswer,
    /// The answer arrives with a wrong data checksum (a NACK gets the
    /// right frame, as the manual's retransmission does).
    BadChecksum,
    /// The syntax error frame instead of the answer.
    SyntaxError,
    /// Status 0x01: the target did not answer in time.
    Timeout,
    /// Status 0x2B: the card previously activated has disappeared; the
    /// target is released.
    TargetReleased,
    /// Line noise: 1 to 64 random bytes instead of the ACK and the answer.
    Noise,
}

impl Pn532Fault {
    /// Every fault, in a fixed order.
    pub const ALL: [Self; 7] = [
        Self::NoAck,
        Self::NoAnswer,
        Self::BadChecksum,
        Self::SyntaxError,
        Self::Timeout,
        Self::TargetReleased,
        Self::Noise,
    ];

    /// The name used on the command line and in the console.
    pub fn name(self) -> &'static str {
        match self {
            Self::NoAck => "no-ack",
            Self::NoAnswer => "no-answer",
            Self::BadChecksum => "bad-checksum",
            Self::SyntaxError => "syntax-error",
            Self::Timeout => "timeout",
            Self::TargetReleased => "target-released",
            Self::Noise => "noise",
        }
    }

    /// The InDataExchange status byte this fault answers, if it is one.
    pub fn status(self) -> Option<u8> {
        match self {
            Self::Timeout => Some(super::STATUS_TIMEOUT),
            Self::TargetReleased => Some(super::STATUS_CARD_DISAPPEARED),
            _ => None,
        }
    }
}

impl fmt::Display for Pn532Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A fault name that is not one of [`Pn532Fault::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFault(pub String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Pn532Fault::ALL.iter().map(|p| p.name()).collect();
        write!(f, "unknown PN532 fault {:?}; one of: {}", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownFault {}

impl FromStr for Pn532Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, UnknownFault> {
        Self::ALL.into_iter().find(|f| f.name() == s).ok_or_else(|| UnknownFault(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        for f in Pn532Fault::ALL {
            assert_eq!(f.name().parse(), Ok(f));
        }
        let e = "no-ak".parse::<Pn532Fault>().unwrap_err();
        assert!(e.to_string().contains("no-ack, no-answer"), "{e}");
    }
}
