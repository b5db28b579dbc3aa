//! The patient: birth date and sex, and the age arithmetic the law uses.
//!
//! Japanese law (年齢計算ニ関スル法律 with Civil Code art. 143) has a person
//! *reach* age N at the end of the day before the N-th birthday. Age-based
//! rules are stated with that day ("6歳に達する日以後の最初の3月31日",
//! "70歳に達する日の属する月の翌月"), so [`Person::reaches_age_on`] is the
//! primitive; [`Person::birthday`] is the anniversary itself.

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Sex as printed on documents (性別).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Sex {
    /// 男.
    Male,
    /// 女.
    Female,
}

/// A patient, as far as eligibility rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Person {
    /// Birth date (生年月日).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub birth_date: NaiveDate,
    /// Sex, where known (the rules do not depend on it).
    pub sex: Option<Sex>,
}

impl Person {
    /// The `n`-th birthday. A 29 February birth has its birthday on 1 March
    /// in common years (the anniversary day does not exist).
    pub fn birthday(&self, n: u16) -> Option<NaiveDate> {
        let year = self.birth_date.year().checked_add(i32::from(n))?;
        NaiveDate::from_ymd_opt(year, self.birth_date.month(), self.birth_date.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
    }

    /// The day the person legally reaches age `n`: the day before the `n`-th
    /// birthday (28 February for a 29 February birth in common years).
    pub fn reaches_age_on(&self, n: u16) -> Option<NaiveDate> {
        self.birthday(n)?.checked_sub_days(Days::new(1))
    }

    /// Completed years of age on `date` (満年齢), counting a birthday from
    /// the anniversary itself. `0` before birth.
    pub fn age_on(&self, date: NaiveDate) -> u16 {
        let mut age = date.year().saturating_sub(self.birth_date.year()).max(0) as u16;
        while age > 0 && self.birthday(age).is_none_or(|b| b > date) {
            age -= 1;
        }
        age
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn born(y: i32, m: u32, day: u32) -> Person {
        Person { birth_date: d(y, m, day), sex: Some(Sex::Female) }
    }

    #[test]
    fn reaching_an_age_is_the_day_before_the_birthday() {
        assert_eq!(born(1955, 1, 10).reaches_age_on(70), Some(d(2025, 1, 9)));
        assert_eq!(born(1955, 1, 1).reaches_age_on(70), Some(d(2024, 12, 31)));
    }

    #[test]
    fn leap_day_births() {
        let p = born(2020, 2, 29);
        assert_eq!(p.birthday(1), Some(d(2021, 3, 1)));
        assert_eq!(p.reaches_age_on(1), Some(d(2021, 2, 28)));
        assert_eq!(p.birthday(4), Some(d(2024, 2, 29)));
        assert_eq!(p.age_on(d(2021, 2, 28)), 0);
        assert_eq!(p.age_on(d(2021, 3, 1)), 1);
    }

    #[test]
    fn age_on_counts_from_the_birthday() {
        let p = born(1950, 7, 31);
        assert_eq!(p.age_on(d(2025, 7, 30)), 74);
        assert_eq!(p.age_on(d(2025, 7, 31)), 75);
        assert_eq!(p.age_on(d(1940, 1, 1)), 0);
    }
}
