//! Copay by age (DOMAIN.md §6): the boundary days, and the ratios the law
//! allows on a given day. A cross-check and a training aid: the copay itself
//! comes from the online answer or the document.

use super::decision::ExpectedCopay;
use super::rule::RuleKind;
use crate::domain::{CopayRate, Person};
use chrono::{Datelike, NaiveDate};

/// Last day of the preschool 20% ratio: the first 31 March on or after the
/// day the child reaches 6 (義務教育就学前).
pub fn preschool_last_day(p: &Person) -> Option<NaiveDate> {
    let reach = p.reaches_age_on(6)?;
    let march_31 = NaiveDate::from_ymd_opt(reach.year(), 3, 31)?;
    if reach <= march_31 { Some(march_31) } else { NaiveDate::from_ymd_opt(reach.year() + 1, 3, 31) }
}

/// First day of the 70–74 ratio: the 1st of the month after the month the
/// patient reaches 70 (a birthday on the 1st: that month's 1st).
pub fn seventy_first_day(p: &Person) -> Option<NaiveDate> {
    let reach = p.reaches_age_on(70)?;
    let (y, m) = if reach.month() == 12 { (reach.year() + 1, 1) } else { (reach.year(), reach.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// First day of late-stage elderly care: the 75th birthday itself.
pub fn late_elderly_first_day(p: &Person) -> Option<NaiveDate> {
    p.birthday(75)
}

/// The age bracket on `date`: the rule kind that describes it and the ratios
/// it allows. `late_elderly_scheme` covers people enrolled in late-stage
/// elderly care before 75 (disability certification from 65).
pub fn bracket(p: &Person, date: NaiveDate, late_elderly_scheme: bool) -> (RuleKind, ExpectedCopay) {
    let on_or_after = |d: Option<NaiveDate>| d.is_some_and(|d| date >= d);
    if late_elderly_scheme || on_or_after(late_elderly_first_day(p)) {
        (RuleKind::CopayLateElderly, ExpectedCopay::AnyLateElderly)
    } else if on_or_after(seventy_first_day(p)) {
        (RuleKind::CopaySeventyToSeventyFour, ExpectedCopay::TwentyOrThirty)
    } else if preschool_last_day(p).is_none_or(|last| date <= last) {
        (RuleKind::CopayPreschool, ExpectedCopay::Exactly(CopayRate::Twenty))
    } else {
        (RuleKind::CopayWorkingAge, ExpectedCopay::Exactly(CopayRate::Thirty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Sex;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn born(y: i32, m: u32, day: u32) -> Person {
        Person { birth_date: d(y, m, day), sex: Some(Sex::Male) }
    }

    #[test]
    fn seventy_month_rule_examples_from_domain() {
        assert_eq!(seventy_first_day(&born(1953, 1, 10)), Some(d(2023, 2, 1)));
        assert_eq!(seventy_first_day(&born(1953, 1, 1)), Some(d(2023, 1, 1)));
        assert_eq!(seventy_first_day(&born(1953, 12, 15)), Some(d(2024, 1, 1)));
    }

    #[test]
    fn preschool_ends_on_the_march_31_of_school_entry() {
        // Born 2 April: reaches 6 on 1 April 2025, enters school April 2026.
        assert_eq!(preschool_last_day(&born(2019, 4, 2)), Some(d(2026, 3, 31)));
        // Born 1 April: reaches 6 on 31 March 2025, enters school April 2025.
        assert_eq!(preschool_last_day(&born(2019, 4, 1)), Some(d(2025, 3, 31)));
        assert_eq!(preschool_last_day(&born(2019, 12, 24)), Some(d(2026, 3, 31)));
    }

    #[test]
    fn brackets_on_their_boundary_days() {
        let p = born(1950, 7, 31);
        assert_eq!(bracket(&p, d(2025, 7, 30), false).0, RuleKind::CopaySeventyToSeventyFour);
        assert_eq!(bracket(&p, d(2025, 7, 31), false).0, RuleKind::CopayLateElderly);
        let q = born(1955, 6, 15);
        assert_eq!(bracket(&q, d(2025, 6, 30), false).0, RuleKind::CopayWorkingAge);
        assert_eq!(bracket(&q, d(2025, 7, 1), false).0, RuleKind::CopaySeventyToSeventyFour);
        assert_eq!(bracket(&q, d(2025, 7, 1), true).0, RuleKind::CopayLateElderly);
    }
}
