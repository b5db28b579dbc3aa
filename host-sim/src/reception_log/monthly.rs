//! Per month: the visits by basis and the share checked with a マイナ保険証.
//!
//! A visit is a `Decided` record; one marked `again` (the clerk asked for
//! the decision again in the same visit) replaces the visit's earlier
//! decision. The share is the visits on basis `Online` (the card or a
//! smartphone: both are the マイナ保険証) over the insured visits (every
//! visit with a basis but public assistance, which is not insurance).
//! Refused and needs-more decisions have no basis and count in neither.

use super::listing::basis as basis_en;
use chrono::Datelike;
use firmware::reception::{LogEvent, LogRecord};
use firmware::rules::Basis;
use std::collections::BTreeMap;
use std::fmt;

/// Every basis, in the order the counts are printed.
const BASES: [Basis; 9] = [
    Basis::Online,
    Basis::PublicAssistance,
    Basis::NoticeWithCard,
    Basis::PortalWithCard,
    Basis::Certificate,
    Basis::OldCard,
    Basis::OldCardOnlineChecked,
    Basis::NoticeOnlineChecked,
    Basis::SelfDeclaration,
];

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
}

/// One month's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthCounts {
    /// Visits per basis (index in [`BASES`]).
    pub by_basis: [u32; BASES.len()],
    /// Of the `Online` visits, those with a smartphone.
    pub phone: u32,
    /// Visits decided without a basis (refused, needs more).
    pub no_basis: u32,
}

impl MonthCounts {
    /// Visits on `basis`.
    pub fn on(&self, basis: Basis) -> u32 {
        BASES.iter().position(|b| *b == basis).map_or(0, |i| self.by_basis[i])
    }

    /// Every decided visit.
    pub fn visits(&self) -> u32 {
        self.by_basis.iter().sum::<u32>() + self.no_basis
    }

    fn add(&mut self, basis: Option<Basis>, phone: bool, n: i32) {
        let slot = match basis.and_then(|b| BASES.iter().position(|x| *x == b)) {
            Some(i) => &mut self.by_basis[i],
            None => &mut self.no_basis,
        };
        *slot = slot.saturating_add_signed(n);
        if basis == Some(Basis::Online) && phone {
            self.phone = self.phone.saturating_add_signed(n);
        }
    }
}

/// The マイナ保険証 share's parts: visits checked with a マイナ保険証
/// (card or smartphone) and insured visits.
pub fn mynacard_share_counts(c: &MonthCounts) -> (u32, u32) {
    let insured = c.by_basis.iter().sum::<u32>() - c.on(Basis::PublicAssistance);
    (c.on(Basis::Online), insured)
}

/// The counts of every month in a log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthlyCounts {
    /// Per month, oldest first.
    pub months: BTreeMap<Month, MonthCounts>,
}

impl MonthlyCounts {
    /// Counts the decided visits in `records`.
    pub fn of(records: &[LogRecord]) -> Self {
        let mut out = Self::default();
        let mut last: Option<(Month, Option<Basis>, bool)> = None;
        for r in records {
            let LogEvent::Decided { basis, phone, again, .. } = r.event else { continue };
            if again && let Some((month, b, p)) = last {
                out.months.entry(month).or_default().add(b, p, -1);
            }
            let month = Month { year: r.date.year(), month: r.date.month() };
            out.months.entry(month).or_default().add(basis, phone, 1);
            last = Some((month, basis, phone));
        }
        out
    }
}

impl fmt::Display for MonthlyCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.months.is_empty() {
            return writeln!(f, "no decided visits");
        }
        for (m, c) in &self.months {
            let n = c.visits();
            writeln!(f, "{:04}-{:02}: {n} {} decided", m.year, m.month, if n == 1 { "visit" } else { "visits" })?;
            for (i, b) in BASES.iter().enumerate() {
                if c.by_basis[i] == 0 {
                    continue;
                }
                write!(f, "  {:>5}  {}", c.by_basis[i], basis_en(*b))?;
                if *b == Basis::Online && c.phone > 0 {
                    write!(f, " (of which {} by smartphone)", c.phone)?;
                }
                writeln!(f)?;
            }
            if c.no_basis > 0 {
                writeln!(f, "  {:>5}  no basis (refused or needs more)", c.no_basis)?;
            }
            let (myna, insured) = mynacard_share_counts(c);
            if insured == 0 {
                writeln!(f, "  マイナ保険証 share: no insured visits")?;
            } else {
                let pct = f64::from(myna) * 100.0 / f64::from(insured);
                writeln!(f, "  マイナ保険証 share: {myna} of {insured} insured visits ({pct:.1}%)")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use firmware::reception::Millis;
    use firmware::rules::{Outcome, RuleId};

    fn decided(date: (i32, u32, u32), basis: Option<Basis>, phone: bool, again: bool) -> LogRecord {
        let outcome = if basis.is_some() { Outcome::Accepted } else { Outcome::NeedsMore };
        LogRecord {
            at: Millis(0),
            date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            event: LogEvent::Decided { outcome, basis, rule: RuleId("MYNA-ONLINE-VALID"), phone, again },
        }
    }

    #[test]
    fn months_bases_phones_and_decisions_asked_again() {
        let records = [
            decided((2026, 10, 31), Some(Basis::Online), false, false),
            decided((2026, 11, 1), Some(Basis::Online), true, false),
            decided((2026, 11, 2), None, false, false),
            // The same visit, decided again with the document shown: one visit.
            decided((2026, 11, 2), Some(Basis::Certificate), false, true),
            decided((2026, 11, 3), Some(Basis::PublicAssistance), false, false),
            LogRecord {
                at: Millis(5),
                date: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
                event: LogEvent::CardPlaced,
            },
        ];
        let counts = MonthlyCounts::of(&records);
        let oct = &counts.months[&Month { year: 2026, month: 10 }];
        let nov = &counts.months[&Month { year: 2026, month: 11 }];
        assert_eq!((oct.visits(), oct.on(Basis::Online), oct.phone), (1, 1, 0));
        assert_eq!((nov.visits(), nov.on(Basis::Online), nov.phone, nov.no_basis), (3, 1, 1, 0));
        assert_eq!(nov.on(Basis::Certificate), 1);
        // Public assistance is not insurance: out of the share.
        assert_eq!(mynacard_share_counts(nov), (1, 2));
        let text = counts.to_string();
        assert!(text.contains("2026-11: 3 visits decided"), "{text}");
        assert!(text.contains("マイナ保険証 share: 1 of 2 insured visits (50.0%)"), "{text}");
    }
}
