//! Insurer numbers (保険者番号).
//!
//! An employee-scheme or late-stage-elderly insurer number has 8 digits:
//! 法別番号 (2) + prefecture (2) + insurer (3) + check digit (1). A national
//! health insurance (国民健康保険) number has no 法別 and 6 digits:
//! prefecture (2) + insurer (3) + check digit (1); the online eligibility
//! service sends it left-padded with spaces to 8 ("  132027").
//!
//! The check digit: from the rightmost body digit leftwards multiply by 2, 1,
//! 2, 1 ...; add the digits of each product (14 → 1 + 4); the check digit is
//! 10 − (sum mod 10), with 10 written 0. It catches every single mistyped
//! digit.

use core::fmt;

use heapless::String;
use serde::{Deserialize, Serialize};

use super::text::trimmed;

/// The check digit of an insurer number's body (the digits before it, as
/// values 0..=9, not ASCII).
///
/// `check_digit(&[3, 3, 1, 2, 0, 0, 1]) == 5` (33120015).
pub fn check_digit(body: &[u8]) -> u8 {
    // Only the sum's last digit matters: keep it mod 10 so that no input overflows.
    let sum: u32 = body.iter().rev().enumerate().fold(0, |acc, (i, &d)| {
        let p = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
        // Sum of the decimal digits of the product.
        let mut n = p;
        let mut s = 0;
        while n > 0 {
            s += n % 10;
            n /= 10;
        }
        (acc + s) % 10
    });
    // (10 - sum) % 10 is in 0..=9.
    ((10 - sum % 10) % 10) as u8
}

/// A 法別番号 that identifies a health-insurance scheme (the first two digits
/// of an 8-digit insurer number).
///
/// Only codes of insurance schemes exist as values: public-expense (公費)
/// codes and unknown codes are rejected by [`Houbetsu::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Houbetsu(u8);

impl Houbetsu {
    /// 01 全国健康保険協会管掌健康保険 (協会けんぽ).
    pub const KYOKAI_KENPO: Self = Self(1);
    /// 02 船員保険.
    pub const SEAMEN: Self = Self(2);
    /// 03 日雇特例被保険者の保険 (一般療養).
    pub const DAY_LABOUR: Self = Self(3);
    /// 04 日雇特例被保険者の保険 (特別療養費).
    pub const DAY_LABOUR_SPECIAL: Self = Self(4);
    /// 06 組合管掌健康保険 (健康保険組合).
    pub const SOCIETY: Self = Self(6);
    /// 07 防衛省職員給与法による自衛官等の療養の給付.
    pub const SELF_DEFENSE_FORCES: Self = Self(7);
    /// 31 国家公務員共済組合.
    pub const NATIONAL_PUBLIC_SERVANTS: Self = Self(31);
    /// 32 地方公務員等共済組合.
    pub const LOCAL_PUBLIC_SERVANTS: Self = Self(32);
    /// 33 警察共済組合.
    pub const POLICE: Self = Self(33);
    /// 34 公立学校共済組合・日本私立学校振興・共済事業団.
    pub const SCHOOLS: Self = Self(34);
    /// 39 後期高齢者医療.
    pub const LATE_ELDERLY: Self = Self(39);
    /// 63 特定健康保険組合 (特例退職被保険者).
    pub const SOCIETY_RETIREE: Self = Self(63);
    /// 67 国民健康保険 退職者医療.
    pub const NHI_RETIREE: Self = Self(67);
    /// 72 国家公務員共済組合 特例退職.
    pub const NATIONAL_PUBLIC_SERVANTS_RETIREE: Self = Self(72);
    /// 73 地方公務員等共済組合 特例退職.
    pub const LOCAL_PUBLIC_SERVANTS_RETIREE: Self = Self(73);
    /// 74 警察共済組合 特例退職.
    pub const POLICE_RETIREE: Self = Self(74);
    /// 75 公立学校共済組合・日本私立学校振興・共済事業団 特例退職.
    pub const SCHOOLS_RETIREE: Self = Self(75);

    /// Every insurance 法別, by code.
    pub const ALL: [Self; 17] = [
        Self::KYOKAI_KENPO,
        Self::SEAMEN,
        Self::DAY_LABOUR,
        Self::DAY_LABOUR_SPECIAL,
        Self::SOCIETY,
        Self::SELF_DEFENSE_FORCES,
        Self::NATIONAL_PUBLIC_SERVANTS,
        Self::LOCAL_PUBLIC_SERVANTS,
        Self::POLICE,
        Self::SCHOOLS,
        Self::LATE_ELDERLY,
        Self::SOCIETY_RETIREE,
        Self::NHI_RETIREE,
        Self::NATIONAL_PUBLIC_SERVANTS_RETIREE,
        Self::LOCAL_PUBLIC_SERVANTS_RETIREE,
        Self::POLICE_RETIREE,
        Self::SCHOOLS_RETIREE,
    ];

    /// The 法別 with this code, if it is an insurance scheme.
    pub const fn new(code: u8) -> Option<Self> {
        match code {
            1 | 2 | 3 | 4 | 6 | 7 | 31 | 32 | 33 | 34 | 39 | 63 | 67 | 72 | 73 | 74 | 75 => Some(Self(code)),
            _ => None,
        }
    }

    /// The two-digit code, 1..=99.
    pub const fn code(self) -> u8 {
        self.0
    }

    /// Whether this is an employee scheme (被用者保険), i.e. neither 39
    /// (後期高齢者医療) nor 67 (国民健康保険 退職者医療).
    pub const fn is_employee(self) -> bool {
        !matches!(self.0, 39 | 67)
    }

    /// The scheme's name in Japanese.
    pub const fn ja(self) -> &'static str {
        match self.0 {
            1 => "協会けんぽ",
            2 => "船員保険",
            3 => "日雇特例被保険者 (一般療養)",
            4 => "日雇特例被保険者 (特別療養費)",
            6 => "組合管掌健康保険",
            7 => "自衛官等 (防衛省職員給与法)",
            31 => "国家公務員共済組合",
            32 => "地方公務員等共済組合",
            33 => "警察共済組合",
            34 => "公立学校共済組合・私学共済",
            39 => "後期高齢者医療",
            63 => "特定健康保険組合 (特例退職)",
            67 => "国民健康保険 (退職者医療)",
            72 => "国家公務員共済組合 (特例退職)",
            73 => "地方公務員等共済組合 (特例退職)",
            74 => "警察共済組合 (特例退職)",
            75 => "公立学校共済組合・私学共済 (特例退職)",
            _ => "不明",
        }
    }
}

impl TryFrom<u8> for Houbetsu {
    type Error = InsurerNumberError;
    fn try_from(code: u8) -> Result<Self, InsurerNumberError> {
        Self::new(code).ok_or(houbetsu_error(code))
    }
}

impl From<Houbetsu> for u8 {
    fn from(h: Houbetsu) -> u8 {
        h.0
    }
}

/// Two digits: "06".
impl fmt::Display for Houbetsu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

/// Whether `code` is a 法別 of a public-expense (公費) programme: such numbers
/// are 公費負担者番号, not insurer numbers.
const fn is_public_expense(code: u8) -> bool {
    // 10..=30: 結核, 生活保護, 戦傷病者, 原爆, 精神, 麻薬, 養育・育成・更生医療,
    // 中国残留邦人, 老人保健 (27), 感染症, 心神喪失者 ...; 38 肝炎; 51..=54 特定疾患,
    // 小児慢性, 児童福祉施設, 難病; 62 ハンセン病; 66 石綿; 79 障害児施設;
    // 80..=99: programmes of local governments (地方単独公費: マル乳, マル障 ...).
    matches!(code, 10..=30 | 38 | 51..=54 | 62 | 66 | 79 | 80..=99)
}

const fn houbetsu_error(code: u8) -> InsurerNumberError {
    if is_public_expense(code) {
        InsurerNumberError::PublicExpense { houbetsu: code }
    } else {
        InsurerNumberError::UnknownHoubetsu { houbetsu: code }
    }
}

/// The kind of insurance an insurer number belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Scheme {
    /// 国民健康保険: 6-digit numbers, and 法別 67 (退職者医療).
    NationalHealth,
    /// 後期高齢者医療: 法別 39.
    LateElderly,
    /// 被用者保険 (協会けんぽ, 健康保険組合, 共済 ...), with its 法別.
    Employee(Houbetsu),
}

impl Scheme {
    /// The scheme's name in Japanese: "国民健康保険", "後期高齢者医療", or the 法別's name.
    pub const fn ja(self) -> &'static str {
        match self {
            Self::NationalHealth => "国民健康保険",
            Self::LateElderly => "後期高齢者医療",
            Self::Employee(h) => h.ja(),
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ja())
    }
}

/// A valid insurer number: 6 digits (国民健康保険) or 8 digits, with a
/// correct check digit, a prefecture 01..=47 and, for 8 digits, an insurance
/// 法別.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String<8>", into = "String<8>")]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct InsurerNumber {
    /// 6 or 8 ASCII digits.
    digits: String<8>,
}

/// Why an insurer number was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum InsurerNumberError {
    /// Nothing but spaces.
    Empty,
    /// A character that is not a digit (spaces inside the number included).
    NotADigit {
        /// The character as typed.
        found: char,
        /// Its 1-based position in the input, in characters.
        position: usize,
    },
    /// Neither 6 nor 8 digits.
    WrongLength {
        /// How many digits were given.
        len: usize,
    },
    /// The last digit does not match the others.
    CheckDigit {
        /// The check digit the other digits give.
        expected: u8,
        /// The last digit given.
        found: u8,
    },
    /// The prefecture digits are not 01..=47.
    BadPrefecture {
        /// The prefecture digits given.
        code: u8,
    },
    /// The 法別 is that of a public-expense (公費) programme: a 公費負担者番号,
    /// not an insurer number.
    PublicExpense {
        /// The 法別 given.
        houbetsu: u8,
    },
    /// The 法別 is no health-insurance scheme.
    UnknownHoubetsu {
        /// The 法別 given.
        houbetsu: u8,
    },
}

impl fmt::Display for InsurerNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty => f.write_str("no insurer number given"),
            Self::NotADigit { found: ' ' | '\u{3000}', position } => {
                write!(f, "space at position {position}: an insurer number is digits only, without spaces")
            }
            Self::NotADigit { found, position } if found.is_control() => {
                write!(f, "control character {:?} at position {position} is not a digit", found)
            }
            Self::NotADigit { found, position } => write!(f, "'{found}' at position {position} is not a digit"),
            Self::WrongLength { len } => {
                let s = if len == 1 { "" } else { "s" };
                write!(f, "{len} digit{s}: an insurer number has 8 digits, or 6 for 国民健康保険")
            }
            Self::CheckDigit { expected, found } => write!(f, "check digit is {found}, expected {expected}"),
            Self::BadPrefecture { code } => {
                write!(f, "prefecture code {code:02} does not exist: prefectures are 01 to 47")
            }
            Self::PublicExpense { houbetsu } => write!(
                f,
                "法別 {houbetsu:02} is a public-expense (公費) programme: this is a 公費負担者番号, not an insurer number"
            ),
            Self::UnknownHoubetsu { houbetsu } => {
                write!(f, "法別 {houbetsu:02} is not a health-insurance scheme")
            }
        }
    }
}

impl core::error::Error for InsurerNumberError {}

impl InsurerNumber {
    /// Parses an insurer number as typed, printed or sent by the online
    /// service: full-width digits are accepted and surrounding spaces ignored
    /// (so the service's space-padded "  132027" is the 6-digit 132027).
    pub fn parse(input: &str) -> Result<Self, InsurerNumberError> {
        let mut digits: String<8> = String::new();
        let mut body = [0u8; 8];
        let mut len = 0usize;
        for c in trimmed(input) {
            let Some(d) = c.ch.to_digit(10) else {
                return Err(InsurerNumberError::NotADigit { found: c.raw, position: c.pos });
            };
            if let Some(slot) = body.get_mut(len) {
                // `d` is 0..=9.
                *slot = d as u8;
                // Cannot fail: at most 8 digits are pushed into 8 bytes.
                let _ = digits.push(c.ch);
            }
            len += 1;
        }
        if len == 0 {
            return Err(InsurerNumberError::Empty);
        }
        if len != 6 && len != 8 {
            return Err(InsurerNumberError::WrongLength { len });
        }
        let body = body.get(..len).unwrap_or(&[]);
        let (check, rest) = match body.split_last() {
            Some((&check, rest)) => (check, rest),
            None => return Err(InsurerNumberError::Empty),
        };
        let expected = check_digit(rest);
        if check != expected {
            return Err(InsurerNumberError::CheckDigit { expected, found: check });
        }
        let pair =
            |i: usize| body.get(i..i + 2).map_or(0, |p| p.iter().fold(0u8, |a, &d| a.wrapping_mul(10).wrapping_add(d)));
        if len == 8 {
            Houbetsu::try_from(pair(0))?;
        }
        let prefecture = pair(len.saturating_sub(6));
        if !(1..=47).contains(&prefecture) {
            return Err(InsurerNumberError::BadPrefecture { code: prefecture });
        }
        Ok(Self { digits })
    }

    /// The digits, without padding: "132027", "33120015".
    pub fn as_str(&self) -> &str {
        self.digits.as_str()
    }

    /// How many digits: 6 (国民健康保険) or 8.
    pub fn digit_count(&self) -> usize {
        self.digits.len()
    }

    /// The value of the digits at `i..i + 2`.
    fn pair(&self, i: usize) -> u8 {
        let value = |a: u8, &b: &u8| a.wrapping_mul(10).wrapping_add(b.wrapping_sub(b'0'));
        self.digits.as_bytes().get(i..i + 2).map_or(0, |p| p.iter().fold(0, value))
    }

    /// The prefecture code, 1..=47 (for 協会けんぽ and others, the prefecture
    /// of the insurer's office).
    pub fn prefecture(&self) -> u8 {
        self.pair(self.digit_count().saturating_sub(6))
    }

    /// The 法別, for an 8-digit number.
    pub fn houbetsu(&self) -> Option<Houbetsu> {
        if self.digit_count() == 8 { Houbetsu::new(self.pair(0)) } else { None }
    }

    /// The scheme the insurer belongs to.
    pub fn scheme(&self) -> Scheme {
        match self.houbetsu() {
            None => Scheme::NationalHealth,
            Some(Houbetsu::NHI_RETIREE) => Scheme::NationalHealth,
            Some(Houbetsu::LATE_ELDERLY) => Scheme::LateElderly,
            Some(h) => Scheme::Employee(h),
        }
    }

    /// The number as the online service sends it: 8 characters, a 6-digit
    /// number left-padded with spaces ("  132027").
    pub fn padded(&self) -> String<8> {
        let mut out = String::new();
        for _ in self.digit_count()..8 {
            let _ = out.push(' ');
        }
        // Cannot fail: 8 - n spaces + n digits.
        let _ = out.push_str(self.as_str());
        out
    }
}

impl TryFrom<String<8>> for InsurerNumber {
    type Error = InsurerNumberError;
    fn try_from(s: String<8>) -> Result<Self, InsurerNumberError> {
        Self::parse(&s)
    }
}

impl From<InsurerNumber> for String<8> {
    fn from(n: InsurerNumber) -> Self {
        n.digits
    }
}

/// The digits: "33120015".
impl fmt::Display for InsurerNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    /// A valid number from a body.
    fn complete(body: &str) -> std::string::String {
        format!("{body}{}", check_digit(&digits(body)))
    }

    /// `s` with the digit at `i` replaced by (digit + delta) mod 10.
    fn corrupt(s: &str, i: usize, delta: u8) -> std::string::String {
        let mut bytes = s.as_bytes().to_vec();
        bytes[i] = b'0' + (bytes[i] - b'0' + delta) % 10;
        std::string::String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn every_single_digit_corruption_of_the_examples_is_caught() {
        for valid in ["33120015", "01040013", "123455", "132027"] {
            assert!(InsurerNumber::parse(valid).is_ok(), "{valid}");
            for i in 0..valid.len() {
                for delta in 1..10 {
                    let bad = corrupt(valid, i, delta);
                    let result = InsurerNumber::parse(&bad);
                    assert!(matches!(result, Err(InsurerNumberError::CheckDigit { .. })), "{bad}: {result:?}");
                }
            }
        }
    }

    #[test]
    fn check_digit_examples() {
        assert_eq!(check_digit(&digits("3312001")), 5);
        assert_eq!(check_digit(&digits("0104001")), 3);
        assert_eq!(check_digit(&digits("12345")), 5);
        assert_eq!(check_digit(&digits("13202")), 7);
        // Sum 0 → 10 → 0.
        assert_eq!(check_digit(&digits("0000000")), 0);
        assert_eq!(check_digit(&[]), 0);
    }

    #[test]
    fn valid_numbers() {
        let n = InsurerNumber::parse("33120015").unwrap();
        assert_eq!(n.as_str(), "33120015");
        assert_eq!(n.digit_count(), 8);
        assert_eq!(n.prefecture(), 12);
        assert_eq!(n.houbetsu(), Some(Houbetsu::POLICE));
        assert_eq!(n.scheme(), Scheme::Employee(Houbetsu::POLICE));

        let n = InsurerNumber::parse("01040013").unwrap();
        assert_eq!((n.prefecture(), n.scheme()), (4, Scheme::Employee(Houbetsu::KYOKAI_KENPO)));
        assert_eq!(n.scheme().ja(), "協会けんぽ");

        let n = InsurerNumber::parse("123455").unwrap();
        assert_eq!((n.digit_count(), n.prefecture(), n.houbetsu()), (6, 12, None));
        assert_eq!(n.scheme(), Scheme::NationalHealth);

        let tachikawa = InsurerNumber::parse("132027").unwrap();
        assert_eq!(tachikawa.prefecture(), 13);
        assert_eq!(tachikawa.padded(), "  132027");
        assert_eq!(InsurerNumber::parse("  132027"), Ok(tachikawa.clone()));
        assert_eq!(InsurerNumber::parse("１３２０２７"), Ok(tachikawa.clone()));
        assert_eq!(InsurerNumber::parse("　132027　"), Ok(tachikawa.clone()));
        assert_eq!(tachikawa.to_string(), "132027");

        let late = InsurerNumber::parse(&complete("3913001")).unwrap();
        assert_eq!(late.scheme(), Scheme::LateElderly);
        assert_eq!(late.houbetsu(), Some(Houbetsu::LATE_ELDERLY));
        assert_eq!(late.padded(), late.as_str());

        let retiree = InsurerNumber::parse(&complete("6713202")).unwrap();
        assert_eq!(retiree.scheme(), Scheme::NationalHealth);
    }

    #[test]
    fn every_insurance_houbetsu_is_accepted() {
        for h in Houbetsu::ALL {
            let n = InsurerNumber::parse(&complete(&format!("{h}13001"))).unwrap();
            assert_eq!(n.houbetsu(), Some(h));
            assert_ne!(h.ja(), "不明");
            assert_eq!(Houbetsu::new(h.code()), Some(h));
        }
        for code in 0..=99u8 {
            let known = Houbetsu::new(code).is_some();
            assert_eq!(known, Houbetsu::ALL.iter().any(|h| h.code() == code), "{code}");
            assert!(!(known && is_public_expense(code)), "{code}");
        }
    }

    #[test]
    fn errors() {
        use InsurerNumberError::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            ("123456", CheckDigit { expected: 5, found: 6 }),
            ("33120016", CheckDigit { expected: 5, found: 6 }),
            ("3312001", WrongLength { len: 7 }),
            ("12345", WrongLength { len: 5 }),
            ("331200150", WrongLength { len: 9 }),
            ("331200150000000000000", WrongLength { len: 21 }),
            ("3312A015", NotADigit { found: 'A', position: 5 }),
            ("3312 0015", NotADigit { found: ' ', position: 5 }),
            ("  13202x", NotADigit { found: 'x', position: 8 }),
            ("３３１２－００１５", NotADigit { found: '－', position: 5 }),
            ("33\u{0}20015", NotADigit { found: '\u{0}', position: 3 }),
            (&complete("48001"), BadPrefecture { code: 48 }),
            (&complete("00001"), BadPrefecture { code: 0 }),
            (&complete("0100001"), BadPrefecture { code: 0 }),
            (&complete("1213001"), PublicExpense { houbetsu: 12 }),
            (&complete("5413001"), PublicExpense { houbetsu: 54 }),
            (&complete("8013001"), PublicExpense { houbetsu: 80 }),
            (&complete("0513001"), UnknownHoubetsu { houbetsu: 5 }),
            (&complete("0013001"), UnknownHoubetsu { houbetsu: 0 }),
        ];
        for (s, want) in cases {
            assert_eq!(InsurerNumber::parse(s), Err(want), "{s}");
        }
    }

    #[test]
    fn messages() {
        let msg = |s: &str| InsurerNumber::parse(s).unwrap_err().to_string();
        assert_eq!(msg("33120016"), "check digit is 6, expected 5");
        assert_eq!(msg("3312001"), "7 digits: an insurer number has 8 digits, or 6 for 国民健康保険");
        assert_eq!(msg("3312A015"), "'A' at position 5 is not a digit");
        assert_eq!(msg("3312 0015"), "space at position 5: an insurer number is digits only, without spaces");
        assert_eq!(msg(&complete("48001")), "prefecture code 48 does not exist: prefectures are 01 to 47");
        assert_eq!(
            msg(&complete("1213001")),
            "法別 12 is a public-expense (公費) programme: this is a 公費負担者番号, not an insurer number"
        );
        assert_eq!(msg(&complete("0513001")), "法別 05 is not a health-insurance scheme");
        assert_eq!(msg(""), "no insurer number given");
    }

    #[test]
    fn serde_checks_on_the_way_in() {
        let n = InsurerNumber::parse("132027").unwrap();
        let mut buf = [0u8; 16];
        let bytes = postcard::to_slice(&n, &mut buf).unwrap();
        assert_eq!(postcard::from_bytes::<InsurerNumber>(bytes), Ok(n));
        let bad: String<8> = String::try_from("123456").unwrap();
        let bytes = postcard::to_slice(&bad, &mut buf).unwrap();
        assert!(postcard::from_bytes::<InsurerNumber>(bytes).is_err());
        let bytes = postcard::to_slice(&12u8, &mut buf).unwrap();
        assert!(postcard::from_bytes::<Houbetsu>(bytes).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in any::<std::string::String>()) {
            let _ = InsurerNumber::parse(&s);
        }

        #[test]
        fn every_single_digit_corruption_is_caught(
            body in prop_oneof![
                "(0[1-9]|[1-3][0-9]|4[0-7])[0-9]{3}",
                "(01|02|06|07|31|32|33|34|39|63|67|72|75)(0[1-9]|[1-3][0-9]|4[0-7])[0-9]{3}",
            ],
            index in 0usize..8,
            delta in 1u8..10,
        ) {
            let valid = complete(&body);
            prop_assert!(InsurerNumber::parse(&valid).is_ok(), "{}", valid);
            let corrupted = corrupt(&valid, index % valid.len(), delta);
            let result = InsurerNumber::parse(&corrupted);
            prop_assert!(matches!(result, Err(InsurerNumberError::CheckDigit { .. })), "{} → {}: {:?}", valid, corrupted, result);
        }

        #[test]
        fn valid_numbers_parse(body in "(0[1-9]|[1-3][0-9]|4[0-7])[0-9]{3}") {
            let valid = complete(&body);
            let n = InsurerNumber::parse(&valid).unwrap();
            prop_assert_eq!(n.as_str(), valid.as_str());
            prop_assert_eq!(InsurerNumber::parse(&n.padded()), Ok(n));
        }
    }
}
