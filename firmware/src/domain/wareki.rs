//! Japanese era dates (和暦), as printed on insurance documents: "令和7年9月30日"
//! or "R7.9.30".
//!
//! An era year counts from 1 (written 元年) on the era's first day; the year
//! of the change belongs to both eras, split at that day. A date written in
//! an era it does not belong to ("令和1年4月30日", "平成31年5月1日") is
//! rejected with the date it would be, never moved into the right era: on a
//! document that is a misprint or a mistyped digit, and the clerk must look.
//!
//! Dates from 明治's first day (1868-10-23) to 9999-12-31 are supported.
//! Dates in 明治 1–5 are converted with the Gregorian calendar, although Japan
//! used the lunisolar calendar until 明治5年12月2日 (1872-12-31); no document
//! this terminal reads carries such a date.

use core::fmt;
use core::iter::Peekable;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::text::{NormChar, without_spaces};

const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(d) => d,
        None => NaiveDate::MIN,
    }
}

/// The first supported date: 明治's first day, 1868-10-23.
pub const MIN_DATE: NaiveDate = ymd(1868, 10, 23);
/// The last supported date: 9999-12-31 (令和7981年12月31日).
pub const MAX_DATE: NaiveDate = ymd(9999, 12, 31);

/// A Japanese era (元号) since the Meiji restoration.
///
/// Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Era {
    /// 明治 (M), from 1868-10-23.
    Meiji,
    /// 大正 (T), from 1912-07-30.
    Taisho,
    /// 昭和 (S), from 1926-12-25.
    Showa,
    /// 平成 (H), from 1989-01-08.
    Heisei,
    /// 令和 (R), from 2019-05-01.
    Reiwa,
}

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Self; 5] = [Self::Meiji, Self::Taisho, Self::Showa, Self::Heisei, Self::Reiwa];

    /// The era's first day (its 元年's first day in the era).
    pub const fn first_day(self) -> NaiveDate {
        match self {
            Self::Meiji => ymd(1868, 10, 23),
            Self::Taisho => ymd(1912, 7, 30),
            Self::Showa => ymd(1926, 12, 25),
            Self::Heisei => ymd(1989, 1, 8),
            Self::Reiwa => ymd(2019, 5, 1),
        }
    }

    /// The era's last day: the day before the next era began; `None` for the
    /// current era.
    pub const fn last_day(self) -> Option<NaiveDate> {
        match self {
            Self::Meiji => Some(ymd(1912, 7, 29)),
            Self::Taisho => Some(ymd(1926, 12, 24)),
            Self::Showa => Some(ymd(1989, 1, 7)),
            Self::Heisei => Some(ymd(2019, 4, 30)),
            Self::Reiwa => None,
        }
    }

    /// The era that followed this one, if any.
    pub const fn next(self) -> Option<Self> {
        match self {
            Self::Meiji => Some(Self::Taisho),
            Self::Taisho => Some(Self::Showa),
            Self::Showa => Some(Self::Heisei),
            Self::Heisei => Some(Self::Reiwa),
            Self::Reiwa => None,
        }
    }

    /// The name in kanji: "令和".
    pub const fn kanji(self) -> &'static str {
        match self {
            Self::Meiji => "明治",
            Self::Taisho => "大正",
            Self::Showa => "昭和",
            Self::Heisei => "平成",
            Self::Reiwa => "令和",
        }
    }

    /// The one-letter abbreviation: 'R', 'H', 'S', 'T', 'M'.
    pub const fn letter(self) -> char {
        match self {
            Self::Meiji => 'M',
            Self::Taisho => 'T',
            Self::Showa => 'S',
            Self::Heisei => 'H',
            Self::Reiwa => 'R',
        }
    }

    /// The era from its letter, either case (`'r'` or `'R'` → 令和).
    pub const fn from_letter(c: char) -> Option<Self> {
        match c.to_ascii_uppercase() {
            'M' => Some(Self::Meiji),
            'T' => Some(Self::Taisho),
            'S' => Some(Self::Showa),
            'H' => Some(Self::Heisei),
            'R' => Some(Self::Reiwa),
            _ => None,
        }
    }

    /// The Gregorian year of the era's year 1 (元年).
    pub const fn first_year(self) -> i32 {
        match self {
            Self::Meiji => 1868,
            Self::Taisho => 1912,
            Self::Showa => 1926,
            Self::Heisei => 1989,
            Self::Reiwa => 2019,
        }
    }

    /// The last era year: how many years the era lasted, or for 令和 the year
    /// of [`MAX_DATE`] (9999 = 令和7981年).
    pub const fn max_year(self) -> u16 {
        match self {
            Self::Meiji => 45,
            Self::Taisho => 15,
            Self::Showa => 64,
            Self::Heisei => 31,
            Self::Reiwa => 7981,
        }
    }

    /// The era `date` belongs to; `None` outside [`MIN_DATE`]..=[`MAX_DATE`].
    pub fn of(date: NaiveDate) -> Option<Self> {
        if !(MIN_DATE..=MAX_DATE).contains(&date) {
            return None;
        }
        Self::ALL.into_iter().rev().find(|e| e.first_day() <= date)
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kanji())
    }
}

/// A date in an era: 令和7年9月30日.
///
/// Always a real day that belongs to its era. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawWareki", into = "RawWareki")]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct WarekiDate {
    era: Era,
    year: u16,
    month: u8,
    day: u8,
}

/// The serialised form of a [`WarekiDate`], checked on the way in.
#[derive(Serialize, Deserialize)]
struct RawWareki {
    era: Era,
    year: u16,
    month: u8,
    day: u8,
}

impl TryFrom<RawWareki> for WarekiDate {
    type Error = DateError;
    fn try_from(r: RawWareki) -> Result<Self, DateError> {
        Self::new(r.era, r.year, r.month, r.day)
    }
}

impl From<WarekiDate> for RawWareki {
    fn from(w: WarekiDate) -> Self {
        Self { era: w.era, year: w.year, month: w.month, day: w.day }
    }
}

impl WarekiDate {
    /// The date `year`/`month`/`day` of `era`, if it exists and belongs to
    /// that era.
    pub fn new(era: Era, year: u16, month: u8, day: u8) -> Result<Self, DateError> {
        check(Some(era), year, month, day)?;
        Ok(Self { era, year, month, day })
    }

    /// The era date of `date`; `None` outside [`MIN_DATE`]..=[`MAX_DATE`].
    pub fn from_date(date: NaiveDate) -> Option<Self> {
        let era = Era::of(date)?;
        let year = u16::try_from(date.year() - era.first_year() + 1).ok()?;
        let month = u8::try_from(date.month()).ok()?;
        let day = u8::try_from(date.day()).ok()?;
        Some(Self { era, year, month, day })
    }

    /// The Gregorian date.
    pub fn to_date(self) -> NaiveDate {
        // Checked in `new`: the fallback is never taken.
        NaiveDate::from_ymd_opt(self.gregorian_year(), u32::from(self.month), u32::from(self.day))
            .unwrap_or(self.era.first_day())
    }

    /// The era.
    pub const fn era(self) -> Era {
        self.era
    }

    /// The year in the era, from 1 (元年).
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1..=12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// The Gregorian year.
    pub const fn gregorian_year(self) -> i32 {
        self.era.first_year() + self.year as i32 - 1
    }

    /// The short form for display: "R7.9.30" (see [`Short`]).
    pub const fn short(self) -> Short {
        Short(self)
    }
}

/// Written in full: "令和7年9月30日", year 1 as "令和元年5月1日".
impl fmt::Display for WarekiDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.era.kanji())?;
        if self.year == 1 {
            f.write_str("元")?;
        } else {
            write!(f, "{}", self.year)?;
        }
        write!(f, "年{}月{}日", self.month, self.day)
    }
}

/// A [`WarekiDate`] displayed in the short form "R7.9.30" (year 1 as "R1.5.1").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Short(pub WarekiDate);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(f, "{}{}.{}.{}", d.era.letter(), d.year, d.month, d.day)
    }
}

/// Which number of a date an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DatePart {
    /// A Gregorian year (exactly 4 digits).
    Year,
    /// A year in an era (1 to 4 digits, or 元).
    EraYear,
    /// The month (1 or 2 digits).
    Month,
    /// The day (1 or 2 digits).
    Day,
}

impl DatePart {
    const fn digits_ok(self, n: usize) -> bool {
        match self {
            Self::Year => n == 4,
            Self::EraYear => n >= 1 && n <= 4,
            Self::Month | Self::Day => n >= 1 && n <= 2,
        }
    }

    const fn rule(self) -> &'static str {
        match self {
            Self::Year => "a year without an era takes exactly 4 digits (or write the era: R7 for 2025)",
            Self::EraYear => "an era year takes 1 to 4 digits",
            Self::Month => "a month takes 1 or 2 digits",
            Self::Day => "a day takes 1 or 2 digits",
        }
    }
}

impl fmt::Display for DatePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Year => "the year",
            Self::EraYear => "the era year",
            Self::Month => "the month",
            Self::Day => "the day",
        })
    }
}

/// What the date parser expected where it found something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Expected {
    /// An era (令和, R ...) or a 4-digit year, at the start.
    EraOrYear,
    /// The second kanji of this era's name.
    EraName(Era),
    /// The digits of this part (or 元 for an era year).
    Number(DatePart),
    /// 年, '.', '/' or '-' after the year.
    YearSeparator,
    /// This character after the month: 月 after 年, otherwise the separator used after the year.
    MonthSeparator(char),
    /// 日 or the end, after the day of a date written with 年 and 月.
    DayMarkOrEnd,
    /// The end, after the day.
    End,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EraOrYear => f.write_str("an era (令和, 平成, 昭和, 大正, 明治 or R, H, S, T, M) or a 4-digit year"),
            Self::EraName(e) => write!(f, "the era name {}", e.kanji()),
            Self::Number(DatePart::EraYear) => f.write_str("the era year (digits, or 元 for year 1)"),
            Self::Number(p) => write!(f, "{p} (digits)"),
            Self::YearSeparator => f.write_str("年, '.', '/' or '-' after the year"),
            Self::MonthSeparator('月') => f.write_str("月 after the month"),
            Self::MonthSeparator(c) => write!(f, "'{c}' after the month (the separator used after the year)"),
            Self::DayMarkOrEnd => f.write_str("日 or nothing after the day"),
            Self::End => f.write_str("nothing after the day"),
        }
    }
}

/// Why a date was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DateError {
    /// Nothing but spaces.
    Empty,
    /// The text is not one of the accepted forms.
    Unexpected {
        /// The character found, as typed; `None` at the end of the input.
        found: Option<char>,
        /// Its 1-based position in the input, in characters.
        position: usize,
        /// What would have been accepted there.
        expected: Expected,
    },
    /// A number has too many or too few digits.
    BadDigits {
        /// Which number.
        part: DatePart,
        /// 1-based position of its first digit.
        position: usize,
        /// How many digits it has.
        digits: usize,
    },
    /// Era year 0: eras start at 1 (元年).
    YearZero {
        /// The era written.
        era: Era,
    },
    /// An era year after the era's last year.
    YearBeyondEra {
        /// The era written.
        era: Era,
        /// The year written.
        year: u16,
        /// The era's last year.
        max: u16,
    },
    /// A month outside 1..=12.
    MonthOutOfRange {
        /// The month written.
        month: u8,
    },
    /// A day the month does not have (including day 0).
    DayOutOfRange {
        /// The era written, `None` for a Gregorian date.
        era: Option<Era>,
        /// The year as written (era year, or Gregorian year).
        year: u16,
        /// The month.
        month: u8,
        /// The day written.
        day: u8,
        /// How many days that month has.
        days_in_month: u8,
    },
    /// An era date before the era began.
    BeforeEraStart {
        /// The era written.
        era: Era,
        /// The era year written.
        year: u16,
        /// The month written.
        month: u8,
        /// The day written.
        day: u8,
        /// The same day in the era it belongs to (`None` before 明治).
        actual: Option<WarekiDate>,
    },
    /// An era date after the era ended.
    AfterEraEnd {
        /// The era written.
        era: Era,
        /// The era year written.
        year: u16,
        /// The month written.
        month: u8,
        /// The day written.
        day: u8,
        /// The same day in the era it belongs to.
        actual: Option<WarekiDate>,
    },
    /// A Gregorian date before 明治 began ([`MIN_DATE`]).
    BeforeMeiji {
        /// The year written.
        year: u16,
        /// The month written.
        month: u8,
        /// The day written.
        day: u8,
    },
}

const ACCEPTED: &str =
    "accepted forms: 令和7年9月30日, 令和元年5月1日, R7.9.30, R7/9/30, 2025-09-30, 2025/9/30, 2025年9月30日";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Writes a date as written: "令和1年4月30日" (year 1 not turned into 元年) or
/// "2025-02-29".
fn write_as_written(f: &mut fmt::Formatter<'_>, era: Option<Era>, year: u16, month: u8, day: u8) -> fmt::Result {
    match era {
        Some(e) => write!(f, "{}{}年{}月{}日", e.kanji(), year, month, day),
        None => write!(f, "{year:04}-{month:02}-{day:02}"),
    }
}

fn write_date(f: &mut fmt::Formatter<'_>, d: NaiveDate) -> fmt::Result {
    write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn write_actual(f: &mut fmt::Formatter<'_>, actual: Option<WarekiDate>) -> fmt::Result {
    match actual {
        Some(a) => write!(f, "; that day is {a}"),
        None => f.write_str("; dates before 明治 (1868-10-23) are not supported"),
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty => write!(f, "no date given ({ACCEPTED})"),
            Self::Unexpected { found: Some(c), position, expected: Expected::EraOrYear } => {
                write!(f, "unrecognised date: '{c}' at character {position} is not an era or a year ({ACCEPTED})")
            }
            Self::Unexpected { found: Some(c), position, expected } => {
                write!(f, "unexpected '{c}' at character {position}: expected {expected} ({ACCEPTED})")
            }
            Self::Unexpected { found: None, expected, .. } => {
                write!(f, "the date ends too early: expected {expected} ({ACCEPTED})")
            }
            Self::BadDigits { part, position, digits } => {
                let s = if digits == 1 { "" } else { "s" };
                write!(f, "{part} at character {position} has {digits} digit{s}; {}", part.rule())
            }
            Self::YearZero { era } => {
                write!(f, "{}0年 does not exist: the first year of an era is 1 (元年)", era.kanji())
            }
            Self::YearBeyondEra { era, year, max } => match era.last_day() {
                Some(last) => {
                    write!(
                        f,
                        "{}{}年 does not exist: {} ended in its year {} (on ",
                        era.kanji(),
                        year,
                        era.kanji(),
                        max
                    )?;
                    write_date(f, last)?;
                    f.write_str(")")
                }
                None => write!(
                    f,
                    "{}{}年 is beyond the supported range (up to {}{}年, the year 9999)",
                    era.kanji(),
                    year,
                    era.kanji(),
                    max
                ),
            },
            Self::MonthOutOfRange { month } => write!(f, "month {month} does not exist: months are 1 to 12"),
            Self::DayOutOfRange { era, year, month, day, days_in_month } => {
                write_as_written(f, era, year, month, day)?;
                let gyear = match era {
                    Some(e) => e.first_year() + i32::from(year) - 1,
                    None => i32::from(year),
                };
                if era.is_some() {
                    write!(f, " ({gyear:04}-{month:02}-{day:02})")?;
                }
                let name = MONTHS.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("that month");
                if day == 0 {
                    f.write_str(" does not exist: days of the month start at 1")
                } else {
                    write!(f, " does not exist: {name} {gyear} has {days_in_month} days")
                }
            }
            Self::BeforeEraStart { era, year, month, day, actual } => {
                write_as_written(f, Some(era), year, month, day)?;
                write!(f, " is before {} began on ", era.kanji())?;
                write_date(f, era.first_day())?;
                write_actual(f, actual)
            }
            Self::AfterEraEnd { era, year, month, day, actual } => {
                write_as_written(f, Some(era), year, month, day)?;
                write!(f, " is after {} ended", era.kanji())?;
                if let Some(last) = era.last_day() {
                    f.write_str(" on ")?;
                    write_date(f, last)?;
                }
                write_actual(f, actual)
            }
            Self::BeforeMeiji { year, month, day } => {
                write_as_written(f, None, year, month, day)?;
                f.write_str(" is before 明治 began on 1868-10-23; earlier dates are not supported")
            }
        }
    }
}

impl core::error::Error for DateError {}

const fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

/// Checks a date as written (in `era`, or Gregorian for `None`) and returns
/// the day it is.
fn check(era: Option<Era>, year: u16, month: u8, day: u8) -> Result<NaiveDate, DateError> {
    let gyear = match era {
        Some(era) if year == 0 => return Err(DateError::YearZero { era }),
        Some(era) if year > era.max_year() => return Err(DateError::YearBeyondEra { era, year, max: era.max_year() }),
        Some(era) => era.first_year() + i32::from(year) - 1,
        None => i32::from(year),
    };
    if !(1..=12).contains(&month) {
        return Err(DateError::MonthOutOfRange { month });
    }
    let days = days_in_month(gyear, month);
    let out_of_range = DateError::DayOutOfRange { era, year, month, day, days_in_month: days };
    if day == 0 || day > days {
        return Err(out_of_range);
    }
    let date = NaiveDate::from_ymd_opt(gyear, u32::from(month), u32::from(day)).ok_or(out_of_range)?;
    match era {
        Some(era) if date < era.first_day() => {
            Err(DateError::BeforeEraStart { era, year, month, day, actual: WarekiDate::from_date(date) })
        }
        Some(era) if era.last_day().is_some_and(|last| date > last) => {
            Err(DateError::AfterEraEnd { era, year, month, day, actual: WarekiDate::from_date(date) })
        }
        None if date < MIN_DATE => Err(DateError::BeforeMeiji { year, month, day }),
        _ => Ok(date),
    }
}

fn unexpected(found: Option<NormChar>, end: usize, expected: Expected) -> DateError {
    match found {
        Some(c) => DateError::Unexpected { found: Some(c.raw), position: c.pos, expected },
        None => DateError::Unexpected { found: None, position: end, expected },
    }
}

/// Reads a number of `part` (or 元 when `part` is an era year).
fn read_number<I: Iterator<Item = NormChar>>(
    it: &mut Peekable<I>,
    part: DatePart,
    end: usize,
) -> Result<u16, DateError> {
    let Some(&start) = it.peek() else {
        return Err(unexpected(None, end, Expected::Number(part)));
    };
    if part == DatePart::EraYear && start.ch == '元' {
        it.next();
        return Ok(1);
    }
    let mut digits = 0usize;
    let mut value = 0u32;
    while let Some(d) = it.peek().and_then(|c| c.ch.to_digit(10)) {
        it.next();
        digits += 1;
        value = value.saturating_mul(10).saturating_add(d);
    }
    if digits == 0 {
        return Err(unexpected(Some(start), end, Expected::Number(part)));
    }
    if !part.digits_ok(digits) {
        return Err(DateError::BadDigits { part, position: start.pos, digits });
    }
    Ok(u16::try_from(value).unwrap_or(u16::MAX))
}

fn read_era<I: Iterator<Item = NormChar>>(it: &mut Peekable<I>, end: usize) -> Result<Era, DateError> {
    let first = it.next();
    let Some(c) = first else {
        return Err(DateError::Empty);
    };
    if let Some(era) = Era::from_letter(c.ch) {
        return Ok(era);
    }
    let Some(era) = Era::ALL.into_iter().find(|e| e.kanji().starts_with(c.ch)) else {
        return Err(unexpected(first, end, Expected::EraOrYear));
    };
    let second = it.next();
    if second.is_some_and(|s| era.kanji().chars().nth(1) == Some(s.ch)) {
        Ok(era)
    } else {
        Err(unexpected(second, end, Expected::EraName(era)))
    }
}

/// Parses a date as printed on a document or typed by a clerk.
///
/// Accepted, with full-width digits and letters and with spaces anywhere:
/// "令和7年9月30日", "令和元年5月1日", "令和07年09月30日", "R7.9.30",
/// "r07.09.30", "R7/9/30", "R7-9-30", "2025-09-30", "2025/9/30",
/// "2025.9.30", "2025年9月30日". A date written with 年 and 月 may leave out
/// the final 日; one written with separators uses the same one twice.
///
/// A date that does not exist, or that is written in an era it does not
/// belong to ("令和1年4月30日"), is an error, never adjusted.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let end = input.chars().count() + 1;
    let mut it = without_spaces(input).peekable();
    let first = *it.peek().ok_or(DateError::Empty)?;
    let era = if first.ch.is_ascii_digit() { None } else { Some(read_era(&mut it, end)?) };
    let year = read_number(&mut it, if era.is_some() { DatePart::EraYear } else { DatePart::Year }, end)?;
    let sep = match it.next() {
        Some(c) if matches!(c.ch, '年' | '.' | '/' | '-') => c.ch,
        other => return Err(unexpected(other, end, Expected::YearSeparator)),
    };
    let month = read_number(&mut it, DatePart::Month, end)?;
    let month_sep = if sep == '年' { '月' } else { sep };
    match it.next() {
        Some(c) if c.ch == month_sep => {}
        other => return Err(unexpected(other, end, Expected::MonthSeparator(month_sep))),
    }
    let day = read_number(&mut it, DatePart::Day, end)?;
    if sep == '年' {
        it.next_if(|c| c.ch == '日');
    }
    if let Some(c) = it.next() {
        return Err(unexpected(Some(c), end, if sep == '年' { Expected::DayMarkOrEnd } else { Expected::End }));
    }
    // Month and day have at most 2 digits.
    let month = u8::try_from(month).unwrap_or(u8::MAX);
    let day = u8::try_from(day).unwrap_or(u8::MAX);
    check(era, year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn w(era: Era, y: u16, m: u8, day: u8) -> WarekiDate {
        WarekiDate::new(era, y, m, day).unwrap()
    }

    #[test]
    fn era_boundaries() {
        // (era, first day, day before = last day of the previous era, its era date)
        let table = [
            (Era::Meiji, d(1868, 10, 23), None),
            (Era::Taisho, d(1912, 7, 30), Some((Era::Meiji, 45, 7, 29))),
            (Era::Showa, d(1926, 12, 25), Some((Era::Taisho, 15, 12, 24))),
            (Era::Heisei, d(1989, 1, 8), Some((Era::Showa, 64, 1, 7))),
            (Era::Reiwa, d(2019, 5, 1), Some((Era::Heisei, 31, 4, 30))),
        ];
        for (era, first, before) in table {
            assert_eq!(era.first_day(), first);
            assert_eq!(era.first_year(), first.year());
            let w1 = WarekiDate::from_date(first).unwrap();
            assert_eq!((w1.era(), w1.year()), (era, 1), "{era}");
            assert_eq!(w1.to_date(), first);
            let prev = first.pred_opt().unwrap();
            match before {
                None => assert_eq!(WarekiDate::from_date(prev), None),
                Some((pe, y, m, dd)) => {
                    assert_eq!(WarekiDate::from_date(prev), Some(w(pe, y, m, dd)));
                    assert_eq!(pe.last_day(), Some(prev));
                    assert_eq!(pe.next(), Some(era));
                    assert_eq!(pe.max_year(), y);
                    // The previous era's last day written in the new era is rejected ...
                    let in_new = WarekiDate::new(era, 1, m, dd);
                    assert!(matches!(in_new, Err(DateError::BeforeEraStart { .. })), "{era}: {in_new:?}");
                    // ... and the new era's first day written in the old one too.
                    let (fm, fd) = (first.month() as u8, first.day() as u8);
                    let in_old = WarekiDate::new(pe, y, fm, fd);
                    assert_eq!(
                        in_old,
                        Err(DateError::AfterEraEnd { era: pe, year: y, month: fm, day: fd, actual: Some(w1) })
                    );
                }
            }
        }
        assert_eq!(Era::Reiwa.last_day(), None);
        assert_eq!(Era::Reiwa.max_year(), 7981);
        assert!(Era::ALL.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn accepted_forms() {
        let ok = [
            ("令和7年9月30日", d(2025, 9, 30)),
            ("令和元年5月1日", d(2019, 5, 1)),
            ("令和07年09月30日", d(2025, 9, 30)),
            ("令和7年9月30", d(2025, 9, 30)),
            ("R7.9.30", d(2025, 9, 30)),
            ("r07.09.30", d(2025, 9, 30)),
            ("R7/9/30", d(2025, 9, 30)),
            ("R7-9-30", d(2025, 9, 30)),
            ("R元.5.1", d(2019, 5, 1)),
            ("H31.4.30", d(2019, 4, 30)),
            ("S64.1.7", d(1989, 1, 7)),
            ("H1.1.8", d(1989, 1, 8)),
            ("T15.12.24", d(1926, 12, 24)),
            ("M45.7.29", d(1912, 7, 29)),
            ("2025-09-30", d(2025, 9, 30)),
            ("2025/9/30", d(2025, 9, 30)),
            ("2025.9.30", d(2025, 9, 30)),
            ("2025年9月30日", d(2025, 9, 30)),
            ("令和７年９月３０日", d(2025, 9, 30)),
            ("Ｒ７．９．３０", d(2025, 9, 30)),
            ("２０２５ー０９ー３０", d(2025, 9, 30)),
            ("２０２５／０９／３０", d(2025, 9, 30)),
            ("  令和 7 年　9 月 30 日 ", d(2025, 9, 30)),
            ("R6.2.29", d(2024, 2, 29)),
            ("2000-02-29", d(2000, 2, 29)),
            ("1868-10-23", d(1868, 10, 23)),
            ("9999-12-31", d(9999, 12, 31)),
        ];
        for (s, want) in ok {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
    }

    #[test]
    fn era_mismatches_are_rejected_not_adjusted() {
        assert_eq!(
            parse_date("R1.4.30"),
            Err(DateError::BeforeEraStart {
                era: Era::Reiwa,
                year: 1,
                month: 4,
                day: 30,
                actual: Some(w(Era::Heisei, 31, 4, 30))
            })
        );
        assert_eq!(
            parse_date("H31.5.1"),
            Err(DateError::AfterEraEnd {
                era: Era::Heisei,
                year: 31,
                month: 5,
                day: 1,
                actual: Some(w(Era::Reiwa, 1, 5, 1))
            })
        );
        assert!(matches!(parse_date("S64.1.8"), Err(DateError::AfterEraEnd { .. })));
        assert!(matches!(parse_date("H1.1.7"), Err(DateError::BeforeEraStart { .. })));
        assert_eq!(
            parse_date("M1.1.1"),
            Err(DateError::BeforeEraStart { era: Era::Meiji, year: 1, month: 1, day: 1, actual: None })
        );
        assert_eq!(parse_date("H32.1.1"), Err(DateError::YearBeyondEra { era: Era::Heisei, year: 32, max: 31 }));
        assert_eq!(parse_date("令和0年1月1日"), Err(DateError::YearZero { era: Era::Reiwa }));
        assert_eq!(parse_date("1868-10-22"), Err(DateError::BeforeMeiji { year: 1868, month: 10, day: 22 }));
    }

    #[test]
    fn impossible_days() {
        assert_eq!(
            parse_date("R7.2.29"),
            Err(DateError::DayOutOfRange { era: Some(Era::Reiwa), year: 7, month: 2, day: 29, days_in_month: 28 })
        );
        assert_eq!(
            parse_date("2025-02-29"),
            Err(DateError::DayOutOfRange { era: None, year: 2025, month: 2, day: 29, days_in_month: 28 })
        );
        assert!(matches!(parse_date("1900-02-29"), Err(DateError::DayOutOfRange { days_in_month: 28, .. })));
        assert!(matches!(parse_date("R7.9.31"), Err(DateError::DayOutOfRange { days_in_month: 30, .. })));
        assert!(matches!(parse_date("R7.9.0"), Err(DateError::DayOutOfRange { day: 0, .. })));
        assert_eq!(parse_date("R7.13.1"), Err(DateError::MonthOutOfRange { month: 13 }));
        assert_eq!(parse_date("2025-00-01"), Err(DateError::MonthOutOfRange { month: 0 }));
    }

    #[test]
    fn malformed_input() {
        use DateError::*;
        let u = |found, position, expected| Unexpected { found, position, expected };
        let cases = [
            ("", Empty),
            ("  　", Empty),
            ("X7.9.30", u(Some('X'), 1, Expected::EraOrYear)),
            ("令7.9.30", u(Some('7'), 2, Expected::EraName(Era::Reiwa))),
            ("令", u(None, 2, Expected::EraName(Era::Reiwa))),
            ("R", u(None, 2, Expected::Number(DatePart::EraYear))),
            ("R.9.30", u(Some('.'), 2, Expected::Number(DatePart::EraYear))),
            ("R7", u(None, 3, Expected::YearSeparator)),
            ("R7:9:30", u(Some(':'), 3, Expected::YearSeparator)),
            ("R7.9/30", u(Some('/'), 5, Expected::MonthSeparator('.'))),
            ("令和7年9日30日", u(Some('日'), 6, Expected::MonthSeparator('月'))),
            ("R7.9.", u(None, 6, Expected::Number(DatePart::Day))),
            ("R7.9.30.", u(Some('.'), 8, Expected::End)),
            ("令和7年9月30日だ", u(Some('だ'), 10, Expected::DayMarkOrEnd)),
            ("2025-9-30x", u(Some('x'), 10, Expected::End)),
            ("25-9-30", BadDigits { part: DatePart::Year, position: 1, digits: 2 }),
            ("20250930", BadDigits { part: DatePart::Year, position: 1, digits: 8 }),
            ("R12345.1.1", BadDigits { part: DatePart::EraYear, position: 2, digits: 5 }),
            ("R7.009.1", BadDigits { part: DatePart::Month, position: 4, digits: 3 }),
            ("R7.9.300", BadDigits { part: DatePart::Day, position: 6, digits: 3 }),
            ("2025年元月1日", u(Some('元'), 6, Expected::Number(DatePart::Month))),
            ("元年5月1日", u(Some('元'), 1, Expected::EraOrYear)),
        ];
        for (s, want) in cases {
            assert_eq!(parse_date(s), Err(want), "{s}");
        }
    }

    #[test]
    fn messages_say_what_is_wrong() {
        let msg = |s: &str| parse_date(s).unwrap_err().to_string();
        assert_eq!(msg("2025-02-29"), "2025-02-29 does not exist: February 2025 has 28 days");
        assert_eq!(msg("R7.2.29"), "令和7年2月29日 (2025-02-29) does not exist: February 2025 has 28 days");
        assert_eq!(msg("R1.4.30"), "令和1年4月30日 is before 令和 began on 2019-05-01; that day is 平成31年4月30日");
        assert_eq!(msg("H31.5.1"), "平成31年5月1日 is after 平成 ended on 2019-04-30; that day is 令和元年5月1日");
        assert_eq!(msg("S64.1.8"), "昭和64年1月8日 is after 昭和 ended on 1989-01-07; that day is 平成元年1月8日");
        assert_eq!(msg("H32.1.1"), "平成32年 does not exist: 平成 ended in its year 31 (on 2019-04-30)");
        assert_eq!(msg("R0.1.1"), "令和0年 does not exist: the first year of an era is 1 (元年)");
        assert_eq!(msg("R7.13.1"), "month 13 does not exist: months are 1 to 12");
        assert_eq!(msg("R7.9.0"), "令和7年9月0日 (2025-09-00) does not exist: days of the month start at 1");
        assert_eq!(msg("1800-01-01"), "1800-01-01 is before 明治 began on 1868-10-23; earlier dates are not supported");
        assert_eq!(
            msg("25-9-30"),
            "the year at character 1 has 2 digits; a year without an era takes exactly 4 digits (or write the era: R7 for 2025)"
        );
        assert!(
            msg("X").starts_with("unrecognised date: 'X' at character 1 is not an era or a year (accepted forms: ")
        );
        assert!(msg("R7.9/30").starts_with("unexpected '/' at character 5: expected '.' after the month"));
        assert!(msg("R7.9").starts_with("the date ends too early: expected '.' after the month"));
        assert!(msg("").starts_with("no date given"));
        let beyond = WarekiDate::new(Era::Reiwa, 7982, 1, 1).unwrap_err().to_string();
        assert_eq!(beyond, "令和7982年 is beyond the supported range (up to 令和7981年, the year 9999)");
    }

    #[test]
    fn display_forms() {
        assert_eq!(w(Era::Reiwa, 7, 9, 30).to_string(), "令和7年9月30日");
        assert_eq!(w(Era::Reiwa, 1, 5, 1).to_string(), "令和元年5月1日");
        assert_eq!(w(Era::Reiwa, 7, 9, 30).short().to_string(), "R7.9.30");
        assert_eq!(Short(w(Era::Showa, 64, 1, 7)).to_string(), "S64.1.7");
        assert_eq!(w(Era::Heisei, 1, 1, 8).short().to_string(), "H1.1.8");
        assert_eq!(Era::Reiwa.to_string(), "令和");
        assert_eq!(w(Era::Reiwa, 7, 9, 30).gregorian_year(), 2025);
    }

    #[test]
    fn round_trips_over_era_changes() {
        let mut day = d(1868, 10, 23);
        while day < d(2030, 1, 1) {
            let wd = WarekiDate::from_date(day).unwrap();
            assert_eq!(wd.to_date(), day);
            assert_eq!(WarekiDate::new(wd.era(), wd.year(), wd.month(), wd.day()), Ok(wd));
            assert_eq!(parse_date(&wd.to_string()), Ok(day), "{wd}");
            assert_eq!(parse_date(&wd.short().to_string()), Ok(day), "{wd}");
            day = day + chrono::Days::new(7);
        }
        let last = WarekiDate::from_date(MAX_DATE).unwrap();
        assert_eq!(last, w(Era::Reiwa, 7981, 12, 31));
        assert_eq!(parse_date(&last.to_string()), Ok(MAX_DATE));
        assert_eq!(WarekiDate::from_date(MAX_DATE.succ_opt().unwrap()), None);
    }

    #[test]
    fn serde_checks_on_the_way_in() {
        let good = w(Era::Reiwa, 7, 9, 30);
        let mut buf = [0u8; 16];
        let bytes = postcard::to_slice(&good, &mut buf).unwrap();
        assert_eq!(postcard::from_bytes::<WarekiDate>(bytes), Ok(good));
        let bad = RawWareki { era: Era::Heisei, year: 31, month: 5, day: 1 };
        let bytes = postcard::to_slice(&bad, &mut buf).unwrap();
        assert!(postcard::from_bytes::<WarekiDate>(bytes).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in any::<std::string::String>()) {
            let _ = parse_date(&s);
        }

        #[test]
        fn parse_never_panics_on_date_like_text(s in "[RHSTMrh令和平成元年月日0-9０-９./ー-]{0,16}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn every_date_round_trips(days in 0i64..73_048) {
            // 1900-01-01 + 0..73048 days covers 1900-01-01 ..= 2099-12-31.
            let day = d(1900, 1, 1) + chrono::Duration::days(days);
            let wd = WarekiDate::from_date(day).unwrap();
            prop_assert_eq!(parse_date(&wd.to_string()), Ok(day));
            prop_assert_eq!(parse_date(&wd.short().to_string()), Ok(day));
            prop_assert_eq!(wd.to_date(), day);
        }
    }
}
