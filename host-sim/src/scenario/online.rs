//! A stand-in for the online eligibility service: looks the patient's
//! coverage records up for the visit date.
//!
//! The rules-only derivation's stand-in for the service (at the virtual
//! counter the virtual online service answers, and the two must agree): the
//! smallest thing that turns the records a scenario lists into the
//! `QualificationValidity` codes the rules read:
//!
//! - the candidates are the records linked to the card (query by card) or the
//!   records whose printed numbers and birth date match (query by numbers);
//! - one candidate covers the date: 1 (valid), with that record's details;
//! - several cover it: 5 (several);
//! - no candidate at all: 4 (no coverage found);
//! - candidates, none covering the date, while another record of the patient
//!   covers it: 3 (invalid, a newer coverage exists);
//! - otherwise: 2 (invalid: ended, or not started yet).

use chrono::NaiveDate;
use firmware::domain::{
    CardClass, CopayRate, ElderlyInfo, InsurerNumber, LimitClass, MemberId, OnlineAnswer, Person, SpecificDisease,
    Validity,
};
use firmware::rules::age::preschool_last_day;

/// One coverage record the service holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRecord {
    /// 保険者番号.
    pub insurer: InsurerNumber,
    /// 記号・番号・枝番.
    pub member: MemberId,
    /// First covered day.
    pub from: NaiveDate,
    /// Last covered day; `None`: open-ended.
    pub until: Option<NaiveDate>,
    /// 一部負担金の割合.
    pub copay: Option<CopayRate>,
    /// 高齢受給者 ratio with the days it applies.
    pub elderly: Option<(CopayRate, Option<NaiveDate>, Option<NaiveDate>)>,
    /// 限度額適用区分.
    pub limit: Option<LimitClass>,
    /// 特定疾病.
    pub disease: Option<SpecificDisease>,
    /// Linked to the patient's My Number card.
    pub card_linked: bool,
    /// Public assistance (医療扶助): validity 6, classification A1.
    pub public_assistance: bool,
}

impl CoverageRecord {
    /// Whether the record covers `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// What the facility asks with.
#[derive(Debug, Clone, Copy)]
pub enum LookupKey<'a> {
    /// The card's certificate, after identity verification.
    Card,
    /// Numbers read from a paper document or keyed in.
    Numbers {
        /// 保険者番号.
        insurer: &'a InsurerNumber,
        /// 記号・番号・枝番 (a missing branch matches any).
        member: &'a MemberId,
        /// 生年月日.
        birth_date: NaiveDate,
    },
}

fn matches_numbers(r: &CoverageRecord, insurer: &InsurerNumber, member: &MemberId) -> bool {
    r.insurer == *insurer
        && r.member.symbol() == member.symbol()
        && r.member.number() == member.number()
        && (member.branch().is_none() || r.member.branch() == member.branch())
}

/// The answer the service gives for `patient` on `date`.
pub fn lookup(records: &[CoverageRecord], patient: &Person, date: NaiveDate, key: LookupKey<'_>) -> OnlineAnswer {
    let candidates: Vec<&CoverageRecord> = match key {
        LookupKey::Card => records.iter().filter(|r| r.card_linked).collect(),
        LookupKey::Numbers { insurer, member, birth_date } if birth_date == patient.birth_date => {
            records.iter().filter(|r| matches_numbers(r, insurer, member)).collect()
        }
        LookupKey::Numbers { .. } => Vec::new(),
    };
    let covering: Vec<&CoverageRecord> = candidates.iter().copied().filter(|r| r.covers(date)).collect();
    match covering.as_slice() {
        [one] => valid_answer(one, patient, date),
        [_, _, ..] => OnlineAnswer::with_validity(Validity::Multiple),
        [] if candidates.is_empty() => OnlineAnswer::with_validity(Validity::NotFound),
        [] => {
            let newer = records.iter().any(|r| r.covers(date));
            let validity = if newer { Validity::InvalidNewerExists } else { Validity::Invalid };
            // The latest candidate is the one the answer describes.
            let latest = candidates.iter().max_by_key(|r| r.from);
            OnlineAnswer {
                insurer: latest.map(|r| r.insurer.clone()),
                qualified_on: latest.map(|r| r.from),
                disqualified_on: latest.and_then(|r| r.until),
                ..OnlineAnswer::with_validity(validity)
            }
        }
    }
}

fn valid_answer(r: &CoverageRecord, patient: &Person, date: NaiveDate) -> OnlineAnswer {
    if r.public_assistance {
        return OnlineAnswer {
            card_class: Some(CardClass::PublicAssistance),
            qualified_on: Some(r.from),
            disqualified_on: r.until,
            birth_date: Some(patient.birth_date),
            ..OnlineAnswer::with_validity(Validity::PublicAssistance)
        };
    }
    let elderly = r
        .elderly
        .filter(|(_, from, until)| from.is_none_or(|f| f <= date) && until.is_none_or(|u| date <= u))
        .map(|(copay, valid_from, valid_until)| ElderlyInfo { copay, valid_from, valid_until });
    OnlineAnswer {
        validity: Validity::Valid,
        insurer: Some(r.insurer.clone()),
        card_class: None,
        copay: r.copay,
        preschool: preschool_last_day(patient).is_some_and(|last| date <= last),
        elderly,
        limit: r.limit,
        disease: r.disease,
        qualified_on: Some(r.from),
        disqualified_on: r.until,
        birth_date: Some(patient.birth_date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmware::domain::Sex;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn record(insurer: &str, number: &str, from: NaiveDate, until: Option<NaiveDate>, linked: bool) -> CoverageRecord {
        CoverageRecord {
            insurer: InsurerNumber::parse(insurer).unwrap(),
            member: MemberId::parse("12", number, Some("01")).unwrap(),
            from,
            until,
            copay: Some(CopayRate::Thirty),
            elderly: None,
            limit: None,
            disease: None,
            card_linked: linked,
            public_assistance: false,
        }
    }

    const P: Person = Person {
        birth_date: match NaiveDate::from_ymd_opt(1980, 5, 5) {
            Some(d) => d,
            None => NaiveDate::MIN,
        },
        sex: Some(Sex::Female),
    };

    #[test]
    fn the_five_validity_codes() {
        let old = record("01130012", "1", d(2020, 4, 1), Some(d(2025, 9, 30)), true);
        let new = record("06139992", "2", d(2025, 10, 1), None, false);
        let day = d(2025, 10, 1);
        let v = |rs: &[CoverageRecord]| lookup(rs, &P, day, LookupKey::Card).validity;
        assert_eq!(v(&[]), Validity::NotFound);
        assert_eq!(v(std::slice::from_ref(&old)), Validity::Invalid);
        assert_eq!(v(&[old.clone(), new.clone()]), Validity::InvalidNewerExists);
        let linked_new = CoverageRecord { card_linked: true, ..new.clone() };
        assert_eq!(v(&[old.clone(), linked_new.clone()]), Validity::Valid);
        let second = CoverageRecord { card_linked: true, ..record("01130012", "3", d(2025, 1, 1), None, true) };
        assert_eq!(v(&[linked_new, second]), Validity::Multiple);
    }

    #[test]
    fn numbers_must_match_with_the_birth_date() {
        let rec = record("01130012", "1", d(2020, 4, 1), None, true);
        let member = MemberId::parse("12", "1", None).unwrap();
        let day = d(2025, 12, 2);
        let ask = |birth_date| {
            lookup(
                std::slice::from_ref(&rec),
                &P,
                day,
                LookupKey::Numbers { insurer: &rec.insurer, member: &member, birth_date },
            )
            .validity
        };
        assert_eq!(ask(P.birth_date), Validity::Valid);
        assert_eq!(ask(d(1980, 5, 6)), Validity::NotFound);
    }
}
