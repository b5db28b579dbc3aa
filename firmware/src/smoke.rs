//! Board bring-up check: a date computation the board performs and its peer
//! verifies independently.
//!
//! The peer sends a [`SmokeChallenge`] (a date and a day offset); the board
//! answers with [`SmokeAnswer`] computed by [`answer`]. The peer computes the
//! expected answer with its own code, so a broken calendar on the board (a
//! wrong `chrono` build, a miscompiled `core`) shows up as a mismatch.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar date as plain numbers, as carried on the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Ymd {
    /// Gregorian year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of month, 1..=31.
    pub day: u8,
}

impl Ymd {
    /// Converts to a `chrono` date; `None` for an impossible date.
    pub fn to_date(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, u32::from(self.month), u32::from(self.day))
    }

    /// Converts from a `chrono` date.
    pub fn from_date(d: NaiveDate) -> Self {
        // month() and day() are 1..=31, so the narrowing cannot lose data.
        Self { year: d.year(), month: d.month() as u8, day: d.day() as u8 }
    }
}

/// What the peer asks the board to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SmokeChallenge {
    /// Start date.
    pub date: Ymd,
    /// Days to add (may cross month, year and leap-day boundaries).
    pub add_days: u32,
}

/// The board's answer to a [`SmokeChallenge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SmokeAnswer {
    /// `date + add_days`, or `None` when the start date is impossible or the
    /// result overflows the calendar.
    pub date: Option<Ymd>,
    /// Weekday of the result, 0 = Monday .. 6 = Sunday.
    pub weekday: u8,
    /// Days from the start date to 2025-12-01, the last day any old paper
    /// insurance card may be valid (negative after it).
    pub days_to_old_card_cap: i64,
}

/// Computes the board's answer to a challenge.
pub fn answer(challenge: &SmokeChallenge) -> SmokeAnswer {
    let cap = NaiveDate::from_ymd_opt(2025, 12, 1);
    let Some(start) = challenge.date.to_date() else {
        return SmokeAnswer { date: None, weekday: 0, days_to_old_card_cap: 0 };
    };
    let result = start.checked_add_days(Days::new(u64::from(challenge.add_days)));
    SmokeAnswer {
        date: result.map(Ymd::from_date),
        weekday: result.map_or(0, |d| d.weekday().num_days_from_monday() as u8),
        days_to_old_card_cap: cap.map_or(0, |c| (c - start).num_days()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crosses_leap_day_and_year() {
        let a = answer(&SmokeChallenge { date: Ymd { year: 2024, month: 2, day: 28 }, add_days: 366 });
        assert_eq!(a.date, Some(Ymd { year: 2025, month: 2, day: 28 }));
        assert_eq!(a.weekday, 4); // Friday
        assert_eq!(a.days_to_old_card_cap, 642);
    }

    #[test]
    fn impossible_start_date_gives_none() {
        let a = answer(&SmokeChallenge { date: Ymd { year: 2025, month: 2, day: 29 }, add_days: 1 });
        assert_eq!(a.date, None);
    }
}
