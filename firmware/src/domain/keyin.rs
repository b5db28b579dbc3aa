//! Staff key-in of a paper document (資格確認書, 資格情報のお知らせ, old
//! health-insurance card): the text a clerk typed into each field, checked
//! field by field.
//!
//! Every error names the field it is about, so the entry screen can put the
//! cursor there; when several fields are wrong, the first one in the order of
//! [`KeyInField::ALL`] is reported.

use core::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::copay::CopayRate;
use super::insurer::{InsurerNumber, InsurerNumberError};
use super::member_id::{MemberId, MemberIdError, MemberIdPart};
use super::text::{is_blank, without_spaces};
use super::wareki::{DateError, WarekiDate, parse_date};

/// A field of the key-in form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "snake_case")]
pub enum KeyInField {
    /// 保険者番号.
    InsurerNumber,
    /// 記号.
    Symbol,
    /// 番号.
    Number,
    /// 枝番.
    Branch,
    /// 生年月日.
    BirthDate,
    /// 有効開始日 (printed as 資格取得年月日 on some documents).
    ValidFrom,
    /// 有効期限.
    ValidUntil,
    /// 交付年月日.
    IssuedOn,
    /// 一部負担金の割合.
    CopayRatio,
    /// 負担割合の適用開始日 (70–74: the date the ratio applies from).
    CopayFrom,
}

impl KeyInField {
    /// Every field, in the order the form is entered and errors are reported.
    pub const ALL: [Self; 10] = [
        Self::InsurerNumber,
        Self::Symbol,
        Self::Number,
        Self::Branch,
        Self::BirthDate,
        Self::ValidFrom,
        Self::ValidUntil,
        Self::IssuedOn,
        Self::CopayRatio,
        Self::CopayFrom,
    ];

    /// The label on the document: "保険者番号".
    pub const fn ja(self) -> &'static str {
        match self {
            Self::InsurerNumber => "保険者番号",
            Self::Symbol => "記号",
            Self::Number => "番号",
            Self::Branch => "枝番",
            Self::BirthDate => "生年月日",
            Self::ValidFrom => "有効開始日",
            Self::ValidUntil => "有効期限",
            Self::IssuedOn => "交付年月日",
            Self::CopayRatio => "一部負担金の割合",
            Self::CopayFrom => "負担割合の適用開始日",
        }
    }

    /// The English name: "insurer number".
    pub const fn en(self) -> &'static str {
        match self {
            Self::InsurerNumber => "insurer number",
            Self::Symbol => "symbol",
            Self::Number => "number",
            Self::Branch => "branch",
            Self::BirthDate => "date of birth",
            Self::ValidFrom => "valid from",
            Self::ValidUntil => "valid until",
            Self::IssuedOn => "issued on",
            Self::CopayRatio => "copay ratio",
            Self::CopayFrom => "copay ratio applies from",
        }
    }

    const fn of_member_part(part: MemberIdPart) -> Self {
        match part {
            MemberIdPart::Symbol => Self::Symbol,
            MemberIdPart::Number => Self::Number,
            MemberIdPart::Branch => Self::Branch,
        }
    }
}

/// "insurer number (保険者番号)".
impl fmt::Display for KeyInField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.en(), self.ja())
    }
}

/// Why a copay ratio was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CopayRatioError {
    /// Nothing but spaces.
    Empty,
    /// A character that has no place in a ratio.
    Unexpected {
        /// The character as typed.
        found: char,
        /// Its 1-based position in the input, in characters.
        position: usize,
    },
    /// More than 3 digits.
    TooManyDigits {
        /// How many digits were given.
        digits: usize,
    },
    /// A ratio the law does not define.
    Undefined {
        /// The ratio given, in percent.
        percent: u16,
    },
    /// A bare 1, 2 or 3: 割 or percent?
    Ambiguous {
        /// The digit given.
        digit: u8,
    },
}

impl fmt::Display for CopayRatioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const FORMS: &str = "write 3割, 30% or 030";
        match *self {
            Self::Empty => write!(f, "no copay ratio given ({FORMS})"),
            Self::Unexpected { found, position } if found.is_control() => {
                write!(f, "control character at position {position} has no place in a copay ratio ({FORMS})")
            }
            Self::Unexpected { found, position } => {
                write!(f, "'{found}' at position {position} has no place in a copay ratio ({FORMS})")
            }
            Self::TooManyDigits { digits } => write!(f, "{digits} digits is too many for a copay ratio ({FORMS})"),
            Self::Undefined { percent } => {
                write!(f, "{percent}% is not a copay ratio: the ratios are 10%, 20% and 30% (1割, 2割, 3割)")
            }
            Self::Ambiguous { digit } => write!(f, "'{digit}' alone is ambiguous: write {digit}割 or {digit}0%"),
        }
    }
}

impl core::error::Error for CopayRatioError {}

/// Parses a copay ratio as printed, typed or sent by the online service:
/// "3割", "３割", "30%", "30％", "30", "030" (the online answer's form).
pub fn parse_copay_ratio(input: &str) -> Result<CopayRate, CopayRatioError> {
    let mut it = without_spaces(input).peekable();
    let mut digits = 0usize;
    let mut value = 0u16;
    while let Some(d) = it.peek().and_then(|c| c.ch.to_digit(10)) {
        it.next();
        digits += 1;
        // `d` is 0..=9.
        value = value.saturating_mul(10).saturating_add(d as u16);
    }
    let unit = it.next();
    if let Some(c) = it.next() {
        return Err(CopayRatioError::Unexpected { found: c.raw, position: c.pos });
    }
    if digits == 0 {
        return Err(match unit {
            None => CopayRatioError::Empty,
            Some(c) => CopayRatioError::Unexpected { found: c.raw, position: c.pos },
        });
    }
    if digits > 3 {
        return Err(CopayRatioError::TooManyDigits { digits });
    }
    let percent = match unit {
        Some(c) if c.ch == '割' => value.saturating_mul(10),
        Some(c) if c.ch == '%' => value,
        Some(c) => return Err(CopayRatioError::Unexpected { found: c.raw, position: c.pos }),
        None if digits == 1 && (1..=3).contains(&value) => {
            return Err(CopayRatioError::Ambiguous { digit: value as u8 });
        }
        None => value,
    };
    u8::try_from(percent).ok().and_then(CopayRate::from_percent).ok_or(CopayRatioError::Undefined { percent })
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyInProblem {
    /// A required field is blank.
    Missing,
    /// The insurer number is not valid.
    InsurerNumber(InsurerNumberError),
    /// The symbol, number or branch is not valid.
    MemberId(MemberIdError),
    /// The date is not valid.
    Date(DateError),
    /// The copay ratio is not valid.
    CopayRatio(CopayRatioError),
    /// 有効期限 is before 有効開始日.
    EndsBeforeStart {
        /// The 有効開始日 entered.
        valid_from: NaiveDate,
        /// The 有効期限 entered.
        valid_until: NaiveDate,
    },
}

/// A date as the clerk reads it: "令和7年3月31日 (2025-03-31)".
fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    if let Some(w) = WarekiDate::from_date(d) {
        write!(f, "{w} ")?;
    }
    write!(f, "({:04}-{:02}-{:02})", d.year(), d.month(), d.day())
}

impl fmt::Display for KeyInProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("required, but empty"),
            Self::InsurerNumber(e) => write!(f, "{e}"),
            Self::MemberId(e) => write!(f, "{}", e.problem()),
            Self::Date(e) => write!(f, "{e}"),
            Self::CopayRatio(e) => write!(f, "{e}"),
            Self::EndsBeforeStart { valid_from, valid_until } => {
                write_date(f, *valid_until)?;
                f.write_str(" is before the valid-from date (有効開始日) ")?;
                write_date(f, *valid_from)
            }
        }
    }
}

/// A date for defmt, which chrono does not format: "2025-9-30".
#[cfg(feature = "defmt")]
struct DefmtDate(NaiveDate);

#[cfg(feature = "defmt")]
impl defmt::Format for DefmtDate {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "{=i32}-{=u32}-{=u32}", self.0.year(), self.0.month(), self.0.day())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for KeyInProblem {
    fn format(&self, f: defmt::Formatter<'_>) {
        match self {
            Self::Missing => defmt::write!(f, "Missing"),
            Self::InsurerNumber(e) => defmt::write!(f, "InsurerNumber({})", e),
            Self::MemberId(e) => defmt::write!(f, "MemberId({})", e),
            Self::Date(e) => defmt::write!(f, "Date({})", e),
            Self::CopayRatio(e) => defmt::write!(f, "CopayRatio({})", e),
            Self::EndsBeforeStart { valid_from, valid_until } => defmt::write!(
                f,
                "EndsBeforeStart(valid_from={}, valid_until={})",
                DefmtDate(*valid_from),
                DefmtDate(*valid_until)
            ),
        }
    }
}

/// A field that could not be accepted, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct KeyInError {
    /// The field.
    pub field: KeyInField,
    /// What is wrong with it.
    pub problem: KeyInProblem,
}

/// "insurer number (保険者番号): check digit is 6, expected 5".
impl fmt::Display for KeyInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

impl core::error::Error for KeyInError {}

/// The text typed into each field of the key-in form, as typed; `None` or
/// blank for a field left empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct KeyInForm<'a> {
    /// 保険者番号 (required).
    pub insurer_number: Option<&'a str>,
    /// 記号.
    pub symbol: Option<&'a str>,
    /// 番号 (required).
    pub number: Option<&'a str>,
    /// 枝番.
    pub branch: Option<&'a str>,
    /// 生年月日.
    pub birth_date: Option<&'a str>,
    /// 有効開始日 / 資格取得年月日.
    pub valid_from: Option<&'a str>,
    /// 有効期限.
    pub valid_until: Option<&'a str>,
    /// 交付年月日.
    pub issued_on: Option<&'a str>,
    /// 一部負担金の割合.
    pub copay_ratio: Option<&'a str>,
    /// 負担割合の適用開始日.
    pub copay_from: Option<&'a str>,
}

/// The fields of a key-in form, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyedFields {
    /// 保険者番号.
    pub insurer: InsurerNumber,
    /// 記号・番号・枝番.
    pub member: MemberId,
    /// 生年月日.
    pub birth_date: Option<NaiveDate>,
    /// 有効開始日.
    pub valid_from: Option<NaiveDate>,
    /// 有効期限.
    pub valid_until: Option<NaiveDate>,
    /// 交付年月日.
    pub issued_on: Option<NaiveDate>,
    /// 一部負担金の割合.
    pub copay: Option<CopayRate>,
    /// 負担割合の適用開始日.
    pub copay_from: Option<NaiveDate>,
}

#[cfg(feature = "defmt")]
impl defmt::Format for KeyedFields {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "KeyedFields(insurer={}, member={}, birth_date={}, valid_from={}, valid_until={}, issued_on={}, copay={}, copay_from={})",
            self.insurer,
            self.member,
            self.birth_date.map(DefmtDate),
            self.valid_from.map(DefmtDate),
            self.valid_until.map(DefmtDate),
            self.issued_on.map(DefmtDate),
            self.copay,
            self.copay_from.map(DefmtDate),
        )
    }
}

impl<'a> KeyInForm<'a> {
    /// The text typed into `field`, `None` when absent or blank.
    pub fn get(&self, field: KeyInField) -> Option<&'a str> {
        let text = match field {
            KeyInField::InsurerNumber => self.insurer_number,
            KeyInField::Symbol => self.symbol,
            KeyInField::Number => self.number,
            KeyInField::Branch => self.branch,
            KeyInField::BirthDate => self.birth_date,
            KeyInField::ValidFrom => self.valid_from,
            KeyInField::ValidUntil => self.valid_until,
            KeyInField::IssuedOn => self.issued_on,
            KeyInField::CopayRatio => self.copay_ratio,
            KeyInField::CopayFrom => self.copay_from,
        };
        text.filter(|t| !is_blank(t))
    }

    fn date(&self, field: KeyInField) -> Result<Option<NaiveDate>, KeyInError> {
        self.get(field)
            .map(|t| parse_date(t).map_err(|e| KeyInError { field, problem: KeyInProblem::Date(e) }))
            .transpose()
    }

    /// Checks every field. The insurer number and the number are required;
    /// other fields are checked when not blank. 有効期限 must not be before
    /// 有効開始日. The first field in [`KeyInField::ALL`] order that fails is
    /// reported.
    pub fn parse(&self) -> Result<KeyedFields, KeyInError> {
        use KeyInField as F;
        let insurer_text =
            self.get(F::InsurerNumber).ok_or(KeyInError { field: F::InsurerNumber, problem: KeyInProblem::Missing })?;
        let insurer = InsurerNumber::parse(insurer_text)
            .map_err(|e| KeyInError { field: F::InsurerNumber, problem: KeyInProblem::InsurerNumber(e) })?;
        // Checks symbol, number, branch in that order.
        let member = MemberId::parse(self.get(F::Symbol).unwrap_or(""), self.get(F::Number).unwrap_or(""), self.branch)
            .map_err(|e| KeyInError {
                field: KeyInField::of_member_part(e.part()),
                problem: match e {
                    MemberIdError::Missing { .. } => KeyInProblem::Missing,
                    e => KeyInProblem::MemberId(e),
                },
            })?;
        let birth_date = self.date(F::BirthDate)?;
        let valid_from = self.date(F::ValidFrom)?;
        let valid_until = self.date(F::ValidUntil)?;
        if let (Some(from), Some(until)) = (valid_from, valid_until)
            && until < from
        {
            return Err(KeyInError {
                field: F::ValidUntil,
                problem: KeyInProblem::EndsBeforeStart { valid_from: from, valid_until: until },
            });
        }
        let issued_on = self.date(F::IssuedOn)?;
        let copay = self
            .get(F::CopayRatio)
            .map(|t| {
                parse_copay_ratio(t)
                    .map_err(|e| KeyInError { field: F::CopayRatio, problem: KeyInProblem::CopayRatio(e) })
            })
            .transpose()?;
        let copay_from = self.date(F::CopayFrom)?;
        Ok(KeyedFields { insurer, member, birth_date, valid_from, valid_until, issued_on, copay, copay_from })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::insurer::Scheme;
    use crate::domain::member_id::Branch;
    use crate::domain::wareki::Era;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A complete form as a clerk types it in Japanese input mode.
    fn full_form() -> KeyInForm<'static> {
        KeyInForm {
            insurer_number: Some("１３２０２７"),
            symbol: Some("立川"),
            number: Some("１２３４５"),
            branch: Some("０１"),
            birth_date: Some("昭和２５年１０月１日"),
            valid_from: Some("令和元年５月１日"),
            valid_until: Some("令和８年７月３１日"),
            issued_on: Some("Ｒ７．７．１"),
            copay_ratio: Some("２割"),
            copay_from: Some("令和７年８月１日"),
        }
    }

    #[test]
    fn full_form_typed_full_width_with_wareki() {
        let k = full_form().parse().unwrap();
        assert_eq!(k.insurer.as_str(), "132027");
        assert_eq!(k.insurer.scheme(), Scheme::NationalHealth);
        assert_eq!((k.member.symbol(), k.member.number(), k.member.branch()), ("立川", "12345", Branch::new(1)));
        assert_eq!(k.birth_date, Some(d(1950, 10, 1)));
        assert_eq!(k.valid_from, Some(d(2019, 5, 1)));
        assert_eq!(k.valid_until, Some(d(2026, 7, 31)));
        assert_eq!(k.issued_on, Some(d(2025, 7, 1)));
        assert_eq!(k.copay, Some(CopayRate::Twenty));
        assert_eq!(k.copay_from, Some(d(2025, 8, 1)));
    }

    #[test]
    fn only_required_fields() {
        let form = KeyInForm {
            insurer_number: Some("33120015"),
            number: Some("7"),
            symbol: Some(" "),
            branch: Some(""),
            birth_date: Some("　"),
            ..KeyInForm::default()
        };
        let k = form.parse().unwrap();
        assert_eq!(k.member.symbol(), "");
        assert_eq!(k.member.branch(), None);
        assert_eq!((k.birth_date, k.valid_from, k.valid_until, k.issued_on, k.copay, k.copay_from), Default::default());
        assert_eq!(form.get(KeyInField::BirthDate), None);
        assert_eq!(form.get(KeyInField::Number), Some("7"));
    }

    fn error_of(field: KeyInField, text: &'static str) -> KeyInError {
        let mut form = full_form();
        let slot = match field {
            KeyInField::InsurerNumber => &mut form.insurer_number,
            KeyInField::Symbol => &mut form.symbol,
            KeyInField::Number => &mut form.number,
            KeyInField::Branch => &mut form.branch,
            KeyInField::BirthDate => &mut form.birth_date,
            KeyInField::ValidFrom => &mut form.valid_from,
            KeyInField::ValidUntil => &mut form.valid_until,
            KeyInField::IssuedOn => &mut form.issued_on,
            KeyInField::CopayRatio => &mut form.copay_ratio,
            KeyInField::CopayFrom => &mut form.copay_from,
        };
        *slot = Some(text);
        form.parse().unwrap_err()
    }

    #[test]
    fn every_field_reports_its_own_error() {
        use KeyInField as F;
        use KeyInProblem as P;
        let cases = [
            (F::InsurerNumber, "", P::Missing),
            (F::InsurerNumber, "132028", P::InsurerNumber(InsurerNumberError::CheckDigit { expected: 7, found: 8 })),
            (
                F::Symbol,
                "立川!",
                P::MemberId(MemberIdError::NotAllowed { part: MemberIdPart::Symbol, found: '!', position: 3 }),
            ),
            (F::Number, " ", P::Missing),
            (
                F::Number,
                "12-3",
                P::MemberId(MemberIdError::NotAllowed { part: MemberIdPart::Number, found: '-', position: 3 }),
            ),
            (F::Branch, "1", P::MemberId(MemberIdError::BranchDigits { len: 1 })),
            (
                F::BirthDate,
                "S25.2.30",
                P::Date(DateError::DayOutOfRange {
                    era: Some(Era::Showa),
                    year: 25,
                    month: 2,
                    day: 30,
                    days_in_month: 28,
                }),
            ),
            (F::ValidFrom, "R1.4.30", P::Date(parse_date("R1.4.30").unwrap_err())),
            (F::ValidUntil, "R8.13.1", P::Date(DateError::MonthOutOfRange { month: 13 })),
            (F::ValidUntil, "H31.4.30", P::EndsBeforeStart { valid_from: d(2019, 5, 1), valid_until: d(2019, 4, 30) }),
            (F::IssuedOn, "R7.7", P::Date(parse_date("R7.7").unwrap_err())),
            (F::CopayRatio, "4割", P::CopayRatio(CopayRatioError::Undefined { percent: 40 })),
            (F::CopayFrom, "2025/8/32", P::Date(parse_date("2025/8/32").unwrap_err())),
        ];
        for (field, text, problem) in cases {
            assert_eq!(error_of(field, text), KeyInError { field, problem }, "{field:?} {text:?}");
        }
    }

    #[test]
    fn the_first_failing_field_in_form_order_is_reported() {
        let form = KeyInForm {
            insurer_number: Some("132027"),
            symbol: Some("@"),
            number: None,
            branch: Some("x"),
            birth_date: Some("bad"),
            copay_ratio: Some("9割"),
            ..KeyInForm::default()
        };
        assert_eq!(form.parse().unwrap_err().field, KeyInField::Symbol);
        let form = KeyInForm { symbol: None, ..form };
        assert_eq!(form.parse().unwrap_err(), KeyInError { field: KeyInField::Number, problem: KeyInProblem::Missing });
        let form = KeyInForm { number: Some("1"), ..form };
        assert_eq!(form.parse().unwrap_err().field, KeyInField::Branch);
        let form = KeyInForm { branch: None, ..form };
        assert_eq!(form.parse().unwrap_err().field, KeyInField::BirthDate);
        let form = KeyInForm { birth_date: None, ..form };
        assert_eq!(form.parse().unwrap_err().field, KeyInField::CopayRatio);
        let form = KeyInForm { insurer_number: None, ..form };
        assert_eq!(form.parse().unwrap_err().field, KeyInField::InsurerNumber);
        // The cross-field check comes before later fields.
        let form = KeyInForm {
            insurer_number: Some("132027"),
            number: Some("1"),
            valid_from: Some("R7.4.1"),
            valid_until: Some("R7.3.31"),
            issued_on: Some("nonsense"),
            ..KeyInForm::default()
        };
        assert_eq!(form.parse().unwrap_err().field, KeyInField::ValidUntil);
        // Same day is fine.
        let form = KeyInForm { valid_until: Some("2025-04-01"), issued_on: None, ..form };
        assert!(form.parse().is_ok());
    }

    #[test]
    fn messages_name_the_field() {
        assert_eq!(
            error_of(KeyInField::InsurerNumber, "33120016").to_string(),
            "insurer number (保険者番号): check digit is 6, expected 5"
        );
        assert_eq!(error_of(KeyInField::Number, "").to_string(), "number (番号): required, but empty");
        assert_eq!(
            error_of(KeyInField::Number, "12-3").to_string(),
            "number (番号): '-' at position 3 is not allowed; use digits and letters only"
        );
        assert_eq!(
            error_of(KeyInField::Branch, "1").to_string(),
            "branch (枝番): must be exactly two digits (e.g. 01), got 1 digit"
        );
        assert_eq!(
            error_of(KeyInField::ValidFrom, "R1.4.30").to_string(),
            "valid from (有効開始日): 令和1年4月30日 is before 令和 began on 2019-05-01; that day is 平成31年4月30日"
        );
        assert_eq!(
            error_of(KeyInField::ValidUntil, "H31.4.30").to_string(),
            "valid until (有効期限): 平成31年4月30日 (2019-04-30) is before the valid-from date (有効開始日) 令和元年5月1日 (2019-05-01)"
        );
        assert_eq!(
            error_of(KeyInField::CopayRatio, "25%").to_string(),
            "copay ratio (一部負担金の割合): 25% is not a copay ratio: the ratios are 10%, 20% and 30% (1割, 2割, 3割)"
        );
        for field in KeyInField::ALL {
            assert!(field.to_string().starts_with(field.en()));
            assert!(field.to_string().contains(field.ja()));
        }
    }

    #[test]
    fn copay_ratios() {
        let ok = [
            ("1割", CopayRate::Ten),
            ("2割", CopayRate::Twenty),
            ("3割", CopayRate::Thirty),
            ("３割", CopayRate::Thirty),
            (" 3 割 ", CopayRate::Thirty),
            ("30%", CopayRate::Thirty),
            ("３０％", CopayRate::Thirty),
            ("30", CopayRate::Thirty),
            ("030", CopayRate::Thirty),
            ("010", CopayRate::Ten),
            ("20", CopayRate::Twenty),
        ];
        for (s, want) in ok {
            assert_eq!(parse_copay_ratio(s), Ok(want), "{s}");
        }
        use CopayRatioError::*;
        let bad = [
            ("", Empty),
            ("　", Empty),
            ("3", Ambiguous { digit: 3 }),
            ("0", Undefined { percent: 0 }),
            ("4割", Undefined { percent: 40 }),
            ("10割", Undefined { percent: 100 }),
            ("25%", Undefined { percent: 25 }),
            ("300", Undefined { percent: 300 }),
            ("0300", TooManyDigits { digits: 4 }),
            ("99999999999999999999割", TooManyDigits { digits: 20 }),
            ("割", Unexpected { found: '割', position: 1 }),
            ("3分", Unexpected { found: '分', position: 2 }),
            ("3割%", Unexpected { found: '%', position: 3 }),
            ("a", Unexpected { found: 'a', position: 1 }),
            ("3割負担", Unexpected { found: '負', position: 3 }),
        ];
        for (s, want) in bad {
            assert_eq!(parse_copay_ratio(s), Err(want), "{s}");
        }
        assert_eq!(parse_copay_ratio("3").unwrap_err().to_string(), "'3' alone is ambiguous: write 3割 or 30%");
        assert_eq!(
            parse_copay_ratio("3分").unwrap_err().to_string(),
            "'分' at position 2 has no place in a copay ratio (write 3割, 30% or 030)"
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics(
            a in any::<std::string::String>(), b in any::<std::string::String>(), c in any::<std::string::String>(), e in any::<std::string::String>(), g in any::<std::string::String>(), h in any::<std::string::String>(),
        ) {
            let form = KeyInForm {
                insurer_number: Some(&a),
                symbol: Some(&b),
                number: Some(&c),
                branch: Some(&e),
                birth_date: Some(&g),
                valid_from: Some(&h),
                valid_until: Some(&a),
                issued_on: Some(&b),
                copay_ratio: Some(&c),
                copay_from: Some(&e),
            };
            if let Err(err) = form.parse() {
                let _ = err.to_string();
            }
            let _ = parse_copay_ratio(&a);
        }
    }
}
