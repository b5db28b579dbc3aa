//! Copay ratios (一部負担金の割合).

use core::fmt;
use serde::{Deserialize, Serialize};

/// The share of the medical fee the patient pays at the counter.
///
/// Only the ratios the law defines exist; a copay is never a bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CopayRate {
    /// 1割: late-stage elderly, general income.
    Ten,
    /// 2割: preschool children, 70–74 general, late-stage elderly with some income.
    Twenty,
    /// 3割: working age, and high earners (現役並み) of 70+.
    Thirty,
}

impl CopayRate {
    /// The ratio in percent.
    pub const fn percent(self) -> u8 {
        match self {
            Self::Ten => 10,
            Self::Twenty => 20,
            Self::Thirty => 30,
        }
    }

    /// From a percentage; `None` for a ratio the law does not define.
    pub const fn from_percent(p: u8) -> Option<Self> {
        match p {
            10 => Some(Self::Ten),
            20 => Some(Self::Twenty),
            30 => Some(Self::Thirty),
            _ => None,
        }
    }

    /// As printed on documents and screens: "3割".
    pub const fn ja(self) -> &'static str {
        match self {
            Self::Ten => "1割",
            Self::Twenty => "2割",
            Self::Thirty => "3割",
        }
    }
}

impl fmt::Display for CopayRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_round_trips_and_rejects_other_ratios() {
        for r in [CopayRate::Ten, CopayRate::Twenty, CopayRate::Thirty] {
            assert_eq!(CopayRate::from_percent(r.percent()), Some(r));
        }
        assert_eq!(CopayRate::from_percent(0), None);
        assert_eq!(CopayRate::from_percent(15), None);
    }
}
