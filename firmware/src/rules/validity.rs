//! Date arithmetic of the card certificate: the grace after expiry and the
//! reader's renewal-alert window.

use super::policy::{Context, Policy};
use super::rule::{Rule, RuleKind};
use crate::domain::{Facility, MynaCard};
use chrono::{Datelike, Days, Months, NaiveDate};

/// The last day of the certificate grace in force on `date` for a card
/// whose certificate ends on `until`, with the row that grants it.
pub fn grace_last_day(policy: &Policy, until: NaiveDate, date: NaiveDate) -> Option<(NaiveDate, &'static Rule)> {
    policy.in_force(Context { date, insurer: None }, |k| matches!(k, RuleKind::CardCertificateGrace { .. })).find_map(
        |r| match r.kind {
            RuleKind::CardCertificateGrace { months } => end_of_month_after(until, u32::from(months)).map(|d| (d, r)),
            _ => None,
        },
    )
}

/// The renewal-alert row when `date` falls in its window around `until`.
pub fn renewal_alert(policy: &Policy, until: NaiveDate, date: NaiveDate) -> Option<&'static Rule> {
    policy
        .in_force(Context { date, insurer: None }, |k| matches!(k, RuleKind::CardCertificateRenewalAlert { .. }))
        .find(|r| match r.kind {
            RuleKind::CardCertificateRenewalAlert { before, after } => {
                renewal_window(until, u32::from(before), u32::from(after))
                    .is_some_and(|(from, to)| from <= date && date <= to)
            }
            _ => false,
        })
}

/// Whether `card` (or phone) can be used at `facility`'s reader on `date`:
/// a card while its certificate is valid or in its grace; a phone only from
/// the day phones are accepted, only with a general-purpose NFC reader, and
/// only while its certificate is valid (no grace).
pub fn usable_at_reader(policy: &Policy, card: &MynaCard, facility: &Facility, date: NaiveDate) -> bool {
    let until = card.certificate_valid_until;
    if card.medium.is_phone() {
        let not_yet = policy.find(Context { date, insurer: None }, RuleKind::PhoneNotYetAccepted).is_some();
        return !not_yet && facility.phone_reader && date <= until;
    }
    date <= until || grace_last_day(policy, until, date).is_some_and(|(last, _)| date <= last)
}

/// The last day of the `months`-th month after the month containing `day`
/// (expiry 2026-05-15, 3 months → 2026-08-31).
pub fn end_of_month_after(day: NaiveDate, months: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(day.year(), day.month(), 1)?;
    first.checked_add_months(Months::new(months.checked_add(1)?))?.checked_sub_days(Days::new(1))
}

/// The renewal-alert window around a certificate expiring on `until`: from
/// `before` months before to `after` months after (same day of the month,
/// clamped to the month's end).
pub fn renewal_window(until: NaiveDate, before: u32, after: u32) -> Option<(NaiveDate, NaiveDate)> {
    Some((until.checked_sub_months(Months::new(before))?, until.checked_add_months(Months::new(after))?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn grace_ends_on_the_last_day_of_the_third_month_after() {
        assert_eq!(end_of_month_after(d(2026, 5, 15), 3), Some(d(2026, 8, 31)));
        assert_eq!(end_of_month_after(d(2026, 5, 31), 3), Some(d(2026, 8, 31)));
        assert_eq!(end_of_month_after(d(2026, 11, 1), 3), Some(d(2027, 2, 28)));
        assert_eq!(end_of_month_after(d(2027, 11, 30), 3), Some(d(2028, 2, 29)));
    }

    #[test]
    fn alert_window_is_three_months_either_side() {
        assert_eq!(renewal_window(d(2026, 5, 31), 3, 3), Some((d(2026, 2, 28), d(2026, 8, 31))));
        assert_eq!(renewal_window(d(2026, 12, 15), 3, 3), Some((d(2026, 9, 15), d(2027, 3, 15))));
    }
}
