//! Status words (`SW1 SW2`) and what they mean for the terminal.

use core::fmt;

/// A status word `SW1 SW2`, as a big-endian `u16` (`0x9000` is success).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StatusWord(pub u16);

impl StatusWord {
    /// `9000`: normal processing.
    pub const OK: Self = Self(0x9000);

    /// From the two trailer bytes of a response.
    pub const fn new(sw1: u8, sw2: u8) -> Self {
        Self(u16::from_be_bytes([sw1, sw2]))
    }

    /// First byte.
    pub const fn sw1(self) -> u8 {
        self.0.to_be_bytes()[0]
    }

    /// Second byte.
    pub const fn sw2(self) -> u8 {
        self.0.to_be_bytes()[1]
    }

    /// The two bytes as sent on the wire.
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }

    /// Whether the command succeeded (`9000`).
    pub const fn is_ok(self) -> bool {
        self.0 == Self::OK.0
    }

    /// What this status means for the terminal.
    pub const fn classify(self) -> Status {
        match self.0 {
            0x9000 => Status::Ok,
            0x63C0 | 0x6983 => Status::PinBlocked,
            0x6984 => Status::PinNotUsable,
            0x63C1..=0x63CF => Status::WrongPin { tries_left: self.sw2() & 0x0F },
            0x6A82 => Status::FileNotFound,
            0x6C00..=0x6CFF => Status::WrongLength { correct: self.sw2() },
            0x6982 => Status::SecurityNotSatisfied,
            other => Status::Other(other),
        }
    }

    /// PIN tries left, as answered to VERIFY (with or without data).
    ///
    /// `63Cx` gives `x`; the blocked answer `6983` gives 0. Any other status
    /// (`6984`, a card without a PIN, and `9000`: some cards answer so when
    /// the PIN is already verified) does not report the counter and gives
    /// `None`.
    pub const fn pin_tries_left(self) -> Option<u8> {
        match self.0 {
            0x63C0..=0x63CF => Some(self.sw2() & 0x0F),
            0x6983 => Some(0),
            _ => None,
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SW {:04X}", self.0)
    }
}

/// The classes of status word the terminal acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Status {
    /// `9000`: success.
    Ok,
    /// `63C1`..`63CF`: wrong PIN, with the tries still left.
    WrongPin {
        /// Tries left before the PIN blocks, 1..=15.
        tries_left: u8,
    },
    /// `63C0` or `6983`: the PIN is blocked (no tries left).
    PinBlocked,
    /// `6984` ("reference data not usable"): the card has no PIN at all (a
    /// 顔認証マイナンバーカード, issued without one). Not a blocked PIN: the
    /// terminal offers face or visual check.
    PinNotUsable,
    /// `6A82`: no such file or application.
    FileNotFound,
    /// `6Cxx`: wrong `Le`; the card says how many bytes it has.
    WrongLength {
        /// The correct `Le` (`0` means 256).
        correct: u8,
    },
    /// `6982`: the file needs a verified PIN first.
    SecurityNotSatisfied,
    /// Any other status word.
    Other(u16),
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok => write!(f, "success"),
            Self::WrongPin { tries_left } => write!(f, "wrong PIN, {tries_left} tries left"),
            Self::PinBlocked => write!(f, "PIN blocked"),
            Self::PinNotUsable => write!(f, "no PIN on this card"),
            Self::FileNotFound => write!(f, "file or application not found"),
            Self::WrongLength { correct } => write!(f, "wrong expected length, card has {correct} bytes"),
            Self::SecurityNotSatisfied => write!(f, "security status not satisfied (PIN not verified)"),
            Self::Other(sw) => write!(f, "card error SW {sw:04X}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_status_words_the_terminal_acts_on() {
        assert_eq!(StatusWord(0x9000).classify(), Status::Ok);
        assert_eq!(StatusWord(0x63C2).classify(), Status::WrongPin { tries_left: 2 });
        assert_eq!(StatusWord(0x63C1).classify(), Status::WrongPin { tries_left: 1 });
        assert_eq!(StatusWord(0x63CF).classify(), Status::WrongPin { tries_left: 15 });
        assert_eq!(StatusWord(0x63C0).classify(), Status::PinBlocked);
        assert_eq!(StatusWord(0x6983).classify(), Status::PinBlocked);
        // A PIN-less card is not a blocked PIN.
        assert_eq!(StatusWord(0x6984).classify(), Status::PinNotUsable);
        assert_eq!(StatusWord(0x6A82).classify(), Status::FileNotFound);
        assert_eq!(StatusWord(0x6C10).classify(), Status::WrongLength { correct: 0x10 });
        assert_eq!(StatusWord(0x6982).classify(), Status::SecurityNotSatisfied);
        assert_eq!(StatusWord(0x6300).classify(), Status::Other(0x6300));
        assert_eq!(StatusWord(0x63D1).classify(), Status::Other(0x63D1));
        assert_eq!(StatusWord(0x6700).classify(), Status::Other(0x6700));
    }

    #[test]
    fn pin_counter_answer() {
        assert_eq!(StatusWord(0x63C3).pin_tries_left(), Some(3));
        assert_eq!(StatusWord(0x63C0).pin_tries_left(), Some(0));
        assert_eq!(StatusWord(0x6983).pin_tries_left(), Some(0));
        assert_eq!(StatusWord(0x6984).pin_tries_left(), None);
        assert_eq!(StatusWord(0x9000).pin_tries_left(), None);
        assert_eq!(StatusWord(0x6A82).pin_tries_left(), None);
    }

    #[test]
    fn bytes_round_trip() {
        let sw = StatusWord::new(0x6A, 0x82);
        assert_eq!(sw, StatusWord(0x6A82));
        assert_eq!((sw.sw1(), sw.sw2()), (0x6A, 0x82));
        assert_eq!(sw.to_bytes(), [0x6A, 0x82]);
        assert!(StatusWord::OK.is_ok() && !sw.is_ok());
    }

    #[test]
    fn displays() {
        assert_eq!(StatusWord(0x6a82).to_string(), "SW 6A82");
        assert_eq!(StatusWord(0x63C2).classify().to_string(), "wrong PIN, 2 tries left");
    }
}
