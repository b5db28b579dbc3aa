//! The insured person's identification on a document: 記号・番号・枝番
//! (symbol, number, branch).
//!
//! The symbol (記号) may be kanji, kana, letters or digits ("立川", "ひ12",
//! "1234") and some insurers print none; the number (番号) is digits and
//! letters; the branch (枝番) tells apart the members of one household and is
//! always two digits ("01").

use core::fmt;

use heapless::String;
use serde::{Deserialize, Serialize};

use super::text::{is_blank, trimmed};

/// Most characters a symbol may have (16 kanji fill its 48 bytes).
pub const SYMBOL_MAX_CHARS: usize = 16;
/// Most characters a number may have.
pub const NUMBER_MAX_CHARS: usize = 32;

/// A branch number (枝番), 00..=99, displayed with two digits ("01").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Branch(u8);

impl Branch {
    /// The branch `value`, if it is 0..=99.
    pub const fn new(value: u8) -> Option<Self> {
        if value <= 99 { Some(Self(value)) } else { None }
    }

    /// The value, 0..=99.
    pub const fn value(self) -> u8 {
        self.0
    }

    /// Parses a branch as typed: exactly two digits (full-width accepted,
    /// surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Self, MemberIdError> {
        let mut value = 0u8;
        let mut len = 0usize;
        for c in trimmed(input) {
            let part = MemberIdPart::Branch;
            if c.ch.is_control() {
                return Err(MemberIdError::ControlChar { part, position: c.pos });
            }
            let Some(d) = c.ch.to_digit(10) else {
                return Err(MemberIdError::NotAllowed { part, found: c.raw, position: c.pos });
            };
            // Only the first two digits matter: more is an error below.
            value = value.wrapping_mul(10).wrapping_add(d as u8);
            len += 1;
        }
        match len {
            0 => Err(MemberIdError::Missing { part: MemberIdPart::Branch }),
            2 => Ok(Self(value)),
            _ => Err(MemberIdError::BranchDigits { len }),
        }
    }
}

impl TryFrom<u8> for Branch {
    type Error = MemberIdError;
    fn try_from(value: u8) -> Result<Self, MemberIdError> {
        Self::new(value).ok_or(MemberIdError::BranchOutOfRange { value })
    }
}

impl From<Branch> for u8 {
    fn from(b: Branch) -> u8 {
        b.0
    }
}

/// Two digits: "01".
impl fmt::Display for Branch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

/// Which part of a member ID an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MemberIdPart {
    /// 記号.
    Symbol,
    /// 番号.
    Number,
    /// 枝番.
    Branch,
}

impl MemberIdPart {
    /// The Japanese name: "記号", "番号", "枝番".
    pub const fn ja(self) -> &'static str {
        match self {
            Self::Symbol => "記号",
            Self::Number => "番号",
            Self::Branch => "枝番",
        }
    }

    /// The English name: "symbol", "number", "branch".
    pub const fn en(self) -> &'static str {
        match self {
            Self::Symbol => "symbol",
            Self::Number => "number",
            Self::Branch => "branch",
        }
    }
}

/// "number (番号)".
impl fmt::Display for MemberIdPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.en(), self.ja())
    }
}

/// Why a symbol, number or branch was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MemberIdError {
    /// A required part is empty (the number; a branch given as blank to [`Branch::parse`]).
    Missing {
        /// Which part.
        part: MemberIdPart,
    },
    /// A control character (tab inside the text, NUL, escape ...).
    ControlChar {
        /// Which part.
        part: MemberIdPart,
        /// 1-based position in that part as typed, in characters.
        position: usize,
    },
    /// A character the part may not contain.
    NotAllowed {
        /// Which part.
        part: MemberIdPart,
        /// The character as typed.
        found: char,
        /// 1-based position in that part as typed, in characters.
        position: usize,
    },
    /// More characters than the part may have.
    TooLong {
        /// Which part.
        part: MemberIdPart,
        /// How many characters were given (after trimming).
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A branch that is not exactly two digits.
    BranchDigits {
        /// How many digits were given.
        len: usize,
    },
    /// A branch value above 99 (from a serialised form).
    BranchOutOfRange {
        /// The value.
        value: u8,
    },
}

impl MemberIdError {
    /// The part the error is about.
    pub const fn part(&self) -> MemberIdPart {
        match *self {
            Self::Missing { part }
            | Self::ControlChar { part, .. }
            | Self::NotAllowed { part, .. }
            | Self::TooLong { part, .. } => part,
            Self::BranchDigits { .. } | Self::BranchOutOfRange { .. } => MemberIdPart::Branch,
        }
    }

    /// The problem without the part's name, for callers that name the part
    /// themselves: "'あ' at position 3 is not allowed; use digits and letters only".
    pub const fn problem(&self) -> Problem<'_> {
        Problem(self)
    }
}

/// A [`MemberIdError`] displayed without the part's name (see [`MemberIdError::problem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Problem<'a>(pub &'a MemberIdError);

impl fmt::Display for Problem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {
            MemberIdError::Missing { .. } => f.write_str("required, but empty"),
            MemberIdError::ControlChar { position, .. } => {
                write!(f, "control character at position {position} is not allowed")
            }
            MemberIdError::NotAllowed { part, found, position } => {
                if found == ' ' || found == '\u{3000}' {
                    write!(f, "space at position {position} is not allowed")?;
                } else {
                    write!(f, "'{found}' at position {position} is not allowed")?;
                }
                f.write_str(match part {
                    MemberIdPart::Symbol => "; use kanji, kana, letters, digits or '-'",
                    MemberIdPart::Number => "; use digits and letters only",
                    MemberIdPart::Branch => "; a branch is two digits",
                })
            }
            MemberIdError::TooLong { len, max, .. } => write!(f, "{len} characters is too long: at most {max}"),
            MemberIdError::BranchDigits { len } => {
                let s = if len == 1 { "" } else { "s" };
                write!(f, "must be exactly two digits (e.g. 01), got {len} digit{s}")
            }
            MemberIdError::BranchOutOfRange { value } => write!(f, "{value} is not two digits"),
        }
    }
}

/// "number (番号): '-' at position 5 is not allowed; use digits and letters only".
impl fmt::Display for MemberIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.part(), self.problem())
    }
}

impl core::error::Error for MemberIdError {}

/// Whether `c` (normalised) may appear in a symbol: ASCII letters and digits,
/// '-', kanji, hiragana, katakana (full- and half-width, with ー and ・).
fn symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '-'
        || matches!(c,
            '\u{3005}' | '\u{3006}'         // 々 〆
            | '\u{3041}'..='\u{309F}'       // hiragana
            | '\u{30A0}'..='\u{30FF}'       // katakana, ・, ー
            | '\u{3400}'..='\u{4DBF}'       // CJK extension A
            | '\u{4E00}'..='\u{9FFF}'       // CJK unified ideographs
            | '\u{F900}'..='\u{FAFF}'       // CJK compatibility ideographs
            | '\u{FF66}'..='\u{FF9F}') // half-width katakana
}

/// Normalises one part into `out`: trims, checks every character with
/// `allowed`, collapses inner runs of spaces to one when `inner_spaces`.
fn normalise_part<const N: usize>(
    input: &str,
    part: MemberIdPart,
    max: usize,
    inner_spaces: bool,
    allowed: fn(char) -> bool,
) -> Result<String<N>, MemberIdError> {
    let mut out = String::new();
    let mut len = 0usize;
    let mut after_space = false;
    for c in trimmed(input) {
        if c.ch.is_control() {
            return Err(MemberIdError::ControlChar { part, position: c.pos });
        }
        if c.ch.is_whitespace() && inner_spaces {
            if after_space {
                continue;
            }
            after_space = true;
        } else if allowed(c.ch) {
            after_space = false;
        } else {
            return Err(MemberIdError::NotAllowed { part, found: c.raw, position: c.pos });
        }
        len += 1;
        let ch = if c.ch.is_whitespace() { ' ' } else { c.ch };
        if len <= max {
            // Cannot fail: `max` characters of at most 3 bytes fit in `N`.
            let _ = out.push(ch);
        }
    }
    if len > max {
        return Err(MemberIdError::TooLong { part, len, max });
    }
    Ok(out)
}

/// The insured person's 記号・番号・枝番, normalised (full-width digits and
/// letters as ASCII, surrounding spaces removed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawMemberId", into = "RawMemberId")]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MemberId {
    symbol: String<48>,
    number: String<32>,
    branch: Option<Branch>,
}

/// The serialised form of a [`MemberId`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct RawMemberId {
    symbol: String<48>,
    number: String<32>,
    branch: Option<Branch>,
}

impl TryFrom<RawMemberId> for MemberId {
    type Error = MemberIdError;
    fn try_from(r: RawMemberId) -> Result<Self, MemberIdError> {
        let mut id = Self::parse(&r.symbol, &r.number, None)?;
        id.branch = r.branch;
        Ok(id)
    }
}

impl From<MemberId> for RawMemberId {
    fn from(m: MemberId) -> Self {
        Self { symbol: m.symbol, number: m.number, branch: m.branch }
    }
}

impl MemberId {
    /// Parses the three parts as typed or printed.
    ///
    /// Full-width digits, letters and spaces are normalised and each part is
    /// trimmed. The symbol may be empty; it allows kanji, kana, ASCII
    /// letters, digits and '-' (inner spaces are kept, one for a run), at
    /// most [`SYMBOL_MAX_CHARS`]. The number is required: digits and letters
    /// only, at most [`NUMBER_MAX_CHARS`]. The branch, when given and not
    /// blank, is exactly two digits. Checked in that order.
    pub fn parse(symbol: &str, number: &str, branch: Option<&str>) -> Result<Self, MemberIdError> {
        let symbol = normalise_part(symbol, MemberIdPart::Symbol, SYMBOL_MAX_CHARS, true, symbol_char)?;
        let number =
            normalise_part(number, MemberIdPart::Number, NUMBER_MAX_CHARS, false, |c| c.is_ascii_alphanumeric())?;
        if number.is_empty() {
            return Err(MemberIdError::Missing { part: MemberIdPart::Number });
        }
        let branch = match branch {
            Some(b) if !is_blank(b) => Some(Branch::parse(b)?),
            _ => None,
        };
        Ok(Self { symbol, number, branch })
    }

    /// The symbol (記号), possibly empty.
    pub fn symbol(&self) -> &str {
        &self.symbol
    }

    /// The number (番号), never empty.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The branch (枝番), if the document has one.
    pub const fn branch(&self) -> Option<Branch> {
        self.branch
    }
}

/// "記号 立川 番号 12345 枝番 01"; an empty symbol and a missing branch are left out.
impl fmt::Display for MemberId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.symbol.is_empty() {
            write!(f, "記号 {} ", self.symbol)?;
        }
        write!(f, "番号 {}", self.number)?;
        if let Some(b) = self.branch {
            write!(f, " 枝番 {b}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_ids() {
        let id = MemberId::parse("立川", "12345", Some("01")).unwrap();
        assert_eq!((id.symbol(), id.number(), id.branch()), ("立川", "12345", Branch::new(1)));
        assert_eq!(id.to_string(), "記号 立川 番号 12345 枝番 01");

        let id = MemberId::parse(" ひ１２ ", "　ＡＢ１２３　", Some("０２")).unwrap();
        assert_eq!((id.symbol(), id.number()), ("ひ12", "AB123"));
        assert_eq!(id.branch().map(Branch::value), Some(2));

        let id = MemberId::parse("1234", "5678", None).unwrap();
        assert_eq!(id.to_string(), "記号 1234 番号 5678");

        let id = MemberId::parse("", "5678", Some("  ")).unwrap();
        assert_eq!((id.symbol(), id.branch()), ("", None));
        assert_eq!(id.to_string(), "番号 5678");

        let id = MemberId::parse("東京　 ー12", "1", Some("00")).unwrap();
        assert_eq!(id.symbol(), "東京 ー12");
        assert_eq!(id.branch().unwrap().to_string(), "00");

        let id = MemberId::parse("ｱｲ-々", "x", None).unwrap();
        assert_eq!(id.symbol(), "ｱｲ-々");

        let long_symbol = "漢".repeat(SYMBOL_MAX_CHARS);
        let long_number = "9".repeat(NUMBER_MAX_CHARS);
        let id = MemberId::parse(&long_symbol, &long_number, None).unwrap();
        assert_eq!(id.symbol().chars().count(), SYMBOL_MAX_CHARS);
        assert_eq!(id.number().len(), NUMBER_MAX_CHARS);
    }

    #[test]
    fn errors() {
        use MemberIdError::*;
        use MemberIdPart::*;
        let long_symbol = "漢".repeat(SYMBOL_MAX_CHARS + 1);
        let long_number = "9".repeat(NUMBER_MAX_CHARS + 3);
        let cases: [(&str, &str, Option<&str>, MemberIdError); 13] = [
            ("立川", "", None, Missing { part: Number }),
            ("立川", " 　", Some("01"), Missing { part: Number }),
            ("立\u{7}川", "1", None, ControlChar { part: Symbol, position: 2 }),
            ("立川", "12\t34", None, ControlChar { part: Number, position: 3 }),
            ("立川", "1", Some("0\u{0}"), ControlChar { part: Branch, position: 2 }),
            ("立川@", "1", None, NotAllowed { part: Symbol, found: '@', position: 3 }),
            ("立川", "12-34", None, NotAllowed { part: Number, found: '-', position: 3 }),
            ("立川", "12 34", None, NotAllowed { part: Number, found: ' ', position: 3 }),
            ("立川", "12あ", None, NotAllowed { part: Number, found: 'あ', position: 3 }),
            ("", "1", Some("0a"), NotAllowed { part: Branch, found: 'a', position: 2 }),
            ("", "1", Some("1"), BranchDigits { len: 1 }),
            (&long_symbol, "1", None, TooLong { part: Symbol, len: SYMBOL_MAX_CHARS + 1, max: SYMBOL_MAX_CHARS }),
            ("", &long_number, None, TooLong { part: Number, len: NUMBER_MAX_CHARS + 3, max: NUMBER_MAX_CHARS }),
        ];
        for (s, n, b, want) in cases {
            assert_eq!(MemberId::parse(s, n, b), Err(want), "{s:?} {n:?} {b:?}");
        }
        assert_eq!(MemberId::parse("", "1", Some("001")), Err(BranchDigits { len: 3 }));
        assert_eq!(super::Branch::parse(""), Err(Missing { part: Branch }));
        assert_eq!(super::Branch::new(100), None);
    }

    #[test]
    fn messages_name_the_part() {
        let msg = |s: &str, n: &str, b: Option<&str>| MemberId::parse(s, n, b).unwrap_err().to_string();
        assert_eq!(msg("", "", None), "number (番号): required, but empty");
        assert_eq!(
            msg("", "12あ", None),
            "number (番号): 'あ' at position 3 is not allowed; use digits and letters only"
        );
        assert_eq!(
            msg("", "12 3", None),
            "number (番号): space at position 3 is not allowed; use digits and letters only"
        );
        assert_eq!(
            msg("立川@", "1", None),
            "symbol (記号): '@' at position 3 is not allowed; use kanji, kana, letters, digits or '-'"
        );
        assert_eq!(msg("", "1", Some("1")), "branch (枝番): must be exactly two digits (e.g. 01), got 1 digit");
        assert_eq!(msg("", "1", Some("x1")), "branch (枝番): 'x' at position 1 is not allowed; a branch is two digits");
        assert_eq!(msg(&"あ".repeat(17), "1", None), "symbol (記号): 17 characters is too long: at most 16");
        assert_eq!(msg("\u{1b}", "1", None), "symbol (記号): control character at position 1 is not allowed");
        let e = MemberId::parse("", "1", Some("123")).unwrap_err();
        assert_eq!(e.part(), MemberIdPart::Branch);
        assert_eq!(e.problem().to_string(), "must be exactly two digits (e.g. 01), got 3 digits");
    }

    #[test]
    fn serde_checks_on_the_way_in() {
        let id = MemberId::parse("立川", "12345", Some("01")).unwrap();
        let mut buf = [0u8; 64];
        let bytes = postcard::to_slice(&id, &mut buf).unwrap();
        assert_eq!(postcard::from_bytes::<MemberId>(bytes), Ok(id));
        let raw = RawMemberId { symbol: String::new(), number: String::try_from("1 2").unwrap(), branch: None };
        let bytes = postcard::to_slice(&raw, &mut buf).unwrap();
        assert!(postcard::from_bytes::<MemberId>(bytes).is_err());
        let bytes = postcard::to_slice(&100u8, &mut buf).unwrap();
        assert!(postcard::from_bytes::<Branch>(bytes).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in any::<std::string::String>(), n in any::<std::string::String>(), b in proptest::option::of(any::<std::string::String>())) {
            let _ = MemberId::parse(&s, &n, b.as_deref());
        }

        #[test]
        fn accepted_parts_fit_and_round_trip(
            s in "[立川東京ひらカタA-Za-z0-9０-９ー・ 　-]{0,20}",
            n in "[A-Za-z0-9０-９ａ-ｚ]{1,40}",
        ) {
            if let Ok(id) = MemberId::parse(&s, &n, Some("01")) {
                prop_assert!(id.symbol().chars().count() <= SYMBOL_MAX_CHARS);
                prop_assert!(id.number().len() <= NUMBER_MAX_CHARS);
                let again = MemberId::parse(id.symbol(), id.number(), Some("01"));
                prop_assert_eq!(again, Ok(id));
            }
        }
    }
}
