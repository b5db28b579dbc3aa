//! Income classes of the high-cost medical care cap (限度額適用区分), as a
//! 限度額適用認定証 or the online answer shows them.

use core::fmt;
use serde::{Deserialize, Serialize};

/// A limit class. Under 70 the classes are ア..オ; from 70 they are named by
/// income (現役並みⅠ..Ⅲ, 一般, 低所得Ⅰ/Ⅱ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LimitClass {
    /// 区分ア (under 70, highest income).
    A,
    /// 区分イ.
    I,
    /// 区分ウ.
    U,
    /// 区分エ.
    E,
    /// 区分オ (under 70, non-taxed household; the 減額認定証 also lowers meal costs).
    O,
    /// 現役並みⅢ (70+).
    GenekiNamiIII,
    /// 現役並みⅡ (70+).
    GenekiNamiII,
    /// 現役並みⅠ (70+).
    GenekiNamiI,
    /// 一般 (70+).
    Ippan,
    /// 低所得Ⅱ (70+, non-taxed household).
    TeishotokuII,
    /// 低所得Ⅰ (70+, non-taxed household with no income).
    TeishotokuI,
}

impl LimitClass {
    /// Every class, in the order above.
    pub const ALL: [Self; 11] = [
        Self::A,
        Self::I,
        Self::U,
        Self::E,
        Self::O,
        Self::GenekiNamiIII,
        Self::GenekiNamiII,
        Self::GenekiNamiI,
        Self::Ippan,
        Self::TeishotokuII,
        Self::TeishotokuI,
    ];

    /// As printed: "ア", "現役並みⅢ", "一般" ...
    pub const fn ja(self) -> &'static str {
        match self {
            Self::A => "ア",
            Self::I => "イ",
            Self::U => "ウ",
            Self::E => "エ",
            Self::O => "オ",
            Self::GenekiNamiIII => "現役並みⅢ",
            Self::GenekiNamiII => "現役並みⅡ",
            Self::GenekiNamiI => "現役並みⅠ",
            Self::Ippan => "一般",
            Self::TeishotokuII => "低所得Ⅱ",
            Self::TeishotokuI => "低所得Ⅰ",
        }
    }

    /// Whether the class belongs to the 70+ scheme.
    pub const fn is_elderly_class(self) -> bool {
        !matches!(self, Self::A | Self::I | Self::U | Self::E | Self::O)
    }

    /// Whether the household is non-taxed (区分オ, 低所得Ⅰ/Ⅱ): these are the
    /// people whose 減額認定証 matters beyond the online answer.
    pub const fn is_non_taxed(self) -> bool {
        matches!(self, Self::O | Self::TeishotokuII | Self::TeishotokuI)
    }

    /// Parses the printed label (as [`ja`](Self::ja) gives it; also ASCII
    /// "III", "II", "I" for the Roman numerals).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().trim_start_matches("区分");
        Self::ALL.into_iter().find(|c| c.ja() == s).or(match s {
            "現役並みIII" | "現役並み3" => Some(Self::GenekiNamiIII),
            "現役並みII" | "現役並み2" => Some(Self::GenekiNamiII),
            "現役並みI" | "現役並み1" => Some(Self::GenekiNamiI),
            "低所得II" | "低所得2" => Some(Self::TeishotokuII),
            "低所得I" | "低所得1" => Some(Self::TeishotokuI),
            _ => None,
        })
    }
}

impl fmt::Display for LimitClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ja())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for c in LimitClass::ALL {
            assert_eq!(LimitClass::parse(c.ja()), Some(c));
        }
        assert_eq!(LimitClass::parse("区分ウ"), Some(LimitClass::U));
        assert_eq!(LimitClass::parse("現役並みII"), Some(LimitClass::GenekiNamiII));
        assert_eq!(LimitClass::parse("カ"), None);
    }
}
