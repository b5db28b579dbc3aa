//! The virtual service's coverage records and how it answers from them.
//!
//! A [`CoverageRecord`] is one coverage (one insurer, one member id, one
//! period) of one person. The service finds the records a query names (by the
//! card's certificate serial, or by insurer number + member id + birth date),
//! then decides the `QualificationValidity` for the visit date
//! ([`CoverageDb::answer`]):
//!
//! | code | when |
//! |---|---|
//! | 1 valid | exactly one matching record covers the date |
//! | 2 invalid (資格(無効)) | matching records exist, none covers the date, at least one has ended, and no other record of the person covers the date |
//! | 3 invalid, newer coverage | no matching record covers the date, but another record of the same person does: its data is returned |
//! | 4 not found (資格情報なし) | no matching record, or the matching ones only start after the date; a card not registered for insurance use too ([`CardLookup::NotRegistered`]) |
//! | 5 multiple (複数該当) | two or more matching records cover the date |
//!
//! Records belong to the same person when they carry the same
//! [`person`](CoverageRecord::person) label or share a certificate serial.

use chrono::NaiveDate;
use firmware::domain::{
    CardClass, CopayRate, ElderlyInfo, InsurerNumber, LimitClass, MemberId, OnlineAnswer, SpecificDisease, Validity,
};
use firmware::link::{EligibilityQuery, MAX_SERIAL, QueryBy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The serial number of a card's user-authentication certificate: 1 to
/// [`MAX_SERIAL`] bytes; written in files as hex ("0A1B2C", "0a:1b:2c").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertSerial(Vec<u8>);

/// Why a certificate serial was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerialError {
    /// No bytes at all.
    Empty,
    /// More than [`MAX_SERIAL`] bytes.
    TooLong {
        /// Bytes given.
        len: usize,
    },
    /// A character that is neither a hex digit nor a ':' / space separator.
    NotHex {
        /// 1-based position of the character.
        position: usize,
    },
    /// An odd number of hex digits (or a byte split by a separator).
    OddDigits,
}

impl fmt::Display for SerialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("certificate serial is empty"),
            Self::TooLong { len } => write!(f, "certificate serial has {len} bytes, at most {MAX_SERIAL} allowed"),
            Self::NotHex { position } => write!(f, "certificate serial: character {position} is not a hex digit"),
            Self::OddDigits => f.write_str("certificate serial: hex digits must come in pairs"),
        }
    }
}

impl std::error::Error for SerialError {}

impl CertSerial {
    /// A serial from its bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, SerialError> {
        match bytes.len() {
            0 => Err(SerialError::Empty),
            len if len > MAX_SERIAL => Err(SerialError::TooLong { len }),
            _ => Ok(Self(bytes.to_vec())),
        }
    }

    /// The serial's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The serial as a query key.
    pub fn to_query(&self) -> QueryBy {
        // Cannot fail: `new` keeps at most MAX_SERIAL bytes.
        QueryBy::CardSerial(heapless::Vec::from_slice(&self.0).unwrap_or_default())
    }
}

impl FromStr for CertSerial {
    type Err = SerialError;

    /// Parses hex digits, optionally separated by ':' or spaces between bytes.
    fn from_str(s: &str) -> Result<Self, SerialError> {
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        for (i, c) in s.trim().chars().enumerate() {
            if c == ':' || c == ' ' {
                if high.is_some() {
                    return Err(SerialError::OddDigits);
                }
                continue;
            }
            let d = c.to_digit(16).ok_or(SerialError::NotHex { position: i + 1 })? as u8;
            match high.take() {
                Some(h) => bytes.push(h << 4 | d),
                None => high = Some(d),
            }
        }
        if high.is_some() {
            return Err(SerialError::OddDigits);
        }
        Self::new(&bytes)
    }
}

impl TryFrom<String> for CertSerial {
    type Error = SerialError;
    fn try_from(s: String) -> Result<Self, SerialError> {
        s.parse()
    }
}

impl From<CertSerial> for String {
    fn from(s: CertSerial) -> String {
        s.to_string()
    }
}

/// Upper-case hex without separators: "0A1B2C".
impl fmt::Display for CertSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

fn registered_default() -> bool {
    true
}

/// One coverage of one person, as the virtual service holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRecord {
    /// An opaque label tying records of one person together (e.g. "p1";
    /// never a name). Records sharing a serial are the same person too.
    #[serde(default)]
    pub person: Option<String>,
    /// Serials of the person's card certificates that reach this record (a
    /// renewed certificate has a new serial); empty for a person without a card.
    #[serde(default)]
    pub serials: Vec<CertSerial>,
    /// Whether the card is registered for insurance use (保険証利用登録).
    /// When no record reached by a serial is registered, a card query gets
    /// [`CardLookup::NotRegistered`].
    #[serde(default = "registered_default")]
    pub card_registered: bool,
    /// 保険者番号.
    pub insurer: InsurerNumber,
    /// 記号・番号・枝番.
    pub member: MemberId,
    /// 生年月日.
    pub birth_date: NaiveDate,
    /// 資格取得日: the first day of coverage.
    pub qualified_on: NaiveDate,
    /// 資格喪失日: the first day *without* coverage, as the real service
    /// reports it (a retirement on 3/31 is lost on 4/1); `None` while covered.
    #[serde(default)]
    pub disqualified_on: Option<NaiveDate>,
    /// 一部負担金の割合.
    #[serde(default)]
    pub copay: Option<CopayRate>,
    /// 未就学者: below school age.
    #[serde(default)]
    pub preschool: bool,
    /// 高齢受給者証 information (copay and its validity), age 70–74.
    #[serde(default)]
    pub elderly: Option<ElderlyInfo>,
    /// 限度額適用区分.
    #[serde(default)]
    pub limit: Option<LimitClass>,
    /// 特定疾病.
    #[serde(default)]
    pub disease: Option<SpecificDisease>,
    /// Public assistance (医療扶助) instead of insurance: a valid answer has
    /// validity 6 and classification A1.
    #[serde(default)]
    pub public_assistance: bool,
}

impl CoverageRecord {
    /// Whether the coverage holds on `date`: `qualified_on <= date < disqualified_on`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.qualified_on <= date && self.disqualified_on.is_none_or(|end| date < end)
    }

    /// Whether the coverage was lost on or before `date`.
    pub fn ended_by(&self, date: NaiveDate) -> bool {
        self.disqualified_on.is_some_and(|end| end <= date)
    }

    /// Whether a card with `serial` reaches this record.
    pub fn has_serial(&self, serial: &[u8]) -> bool {
        self.serials.iter().any(|s| s.as_bytes() == serial)
    }

    /// Whether keyed-in numbers name this record: same insurer, symbol,
    /// number and birth date; the branch must match when both have one.
    pub fn has_numbers(&self, insurer: &InsurerNumber, member: &MemberId, birth_date: NaiveDate) -> bool {
        self.insurer == *insurer
            && self.birth_date == birth_date
            && self.member.symbol() == member.symbol()
            && self.member.number() == member.number()
            && match (self.member.branch(), member.branch()) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// Whether `other` is a record of the same person.
    pub fn same_person(&self, other: &CoverageRecord) -> bool {
        let labelled = matches!((&self.person, &other.person), (Some(a), Some(b)) if a == b);
        labelled || self.serials.iter().any(|s| other.has_serial(s.as_bytes()))
    }

    /// The answer carrying this record's data with `validity`; a valid
    /// public-assistance record answers validity 6, classification A1, and
    /// no insurance copay.
    pub fn to_answer(&self, validity: Validity) -> OnlineAnswer {
        if self.public_assistance && validity == Validity::Valid {
            return OnlineAnswer {
                card_class: Some(CardClass::PublicAssistance),
                qualified_on: Some(self.qualified_on),
                disqualified_on: self.disqualified_on,
                birth_date: Some(self.birth_date),
                ..OnlineAnswer::with_validity(Validity::PublicAssistance)
            };
        }
        OnlineAnswer {
            validity,
            insurer: Some(self.insurer.clone()),
            card_class: None,
            copay: self.copay,
            preschool: self.preschool,
            elderly: self.elderly,
            limit: self.limit,
            disease: self.disease,
            qualified_on: Some(self.qualified_on),
            disqualified_on: self.disqualified_on,
            birth_date: Some(self.birth_date),
        }
    }
}

/// Why records do not make a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbError {
    /// A record's coverage is lost on or before its first day.
    EndsBeforeStart {
        /// Index of the record.
        record: usize,
    },
    /// Two records share a certificate serial but carry different person labels.
    SerialOfTwoPeople {
        /// Index of the first record.
        first: usize,
        /// Index of the second record.
        second: usize,
    },
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EndsBeforeStart { record } => {
                write!(f, "coverage record #{record}: disqualification date is not after the qualification date")
            }
            Self::SerialOfTwoPeople { first, second } => write!(
                f,
                "coverage records #{first} and #{second} share a certificate serial but name different persons"
            ),
        }
    }
}

impl std::error::Error for DbError {}

/// The outcome of a query with a card's certificate serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardLookup {
    /// The service's answer.
    Answer(OnlineAnswer),
    /// The card is known but not registered for insurance use: on the wire
    /// this is "not found" (4); the terminal may offer registration.
    NotRegistered,
}

impl CardLookup {
    /// The answer that goes on the wire: [`Validity::NotFound`] for an
    /// unregistered card.
    pub fn into_answer(self) -> OnlineAnswer {
        match self {
            Self::Answer(a) => a,
            Self::NotRegistered => OnlineAnswer::with_validity(Validity::NotFound),
        }
    }
}

/// An in-memory database of coverage records (in files: a list of records).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<CoverageRecord>", into = "Vec<CoverageRecord>")]
pub struct CoverageDb {
    records: Vec<CoverageRecord>,
}

impl TryFrom<Vec<CoverageRecord>> for CoverageDb {
    type Error = DbError;
    fn try_from(records: Vec<CoverageRecord>) -> Result<Self, DbError> {
        Self::new(records)
    }
}

impl From<CoverageDb> for Vec<CoverageRecord> {
    fn from(db: CoverageDb) -> Self {
        db.records
    }
}

impl CoverageDb {
    /// A database of `records`, after checking each against the others.
    pub fn new(records: Vec<CoverageRecord>) -> Result<Self, DbError> {
        let mut db = Self::default();
        for r in records {
            db.push(r)?;
        }
        Ok(db)
    }

    /// Adds a record.
    pub fn push(&mut self, record: CoverageRecord) -> Result<(), DbError> {
        let index = self.records.len();
        if record.disqualified_on.is_some_and(|end| end <= record.qualified_on) {
            return Err(DbError::EndsBeforeStart { record: index });
        }
        if let Some(person) = &record.person {
            let clash = self.records.iter().position(|r| {
                r.person.as_ref().is_some_and(|p| p != person)
                    && record.serials.iter().any(|s| r.has_serial(s.as_bytes()))
            });
            if let Some(first) = clash {
                return Err(DbError::SerialOfTwoPeople { first, second: index });
            }
        }
        self.records.push(record);
        Ok(())
    }

    /// Every record, in order.
    pub fn records(&self) -> &[CoverageRecord] {
        &self.records
    }

    /// Registers the card with `serial` for insurance use (保険証利用登録 at
    /// the reader): every record it reaches answers card queries from now on.
    pub fn register_card(&mut self, serial: &[u8]) {
        for r in self.records.iter_mut().filter(|r| r.has_serial(serial)) {
            r.card_registered = true;
        }
    }

    /// Records a card with `serial` reaches (registered or not).
    pub fn by_serial<'a>(&'a self, serial: &'a [u8]) -> impl Iterator<Item = &'a CoverageRecord> + 'a {
        self.records.iter().filter(move |r| r.has_serial(serial))
    }

    /// Records keyed-in numbers name (see [`CoverageRecord::has_numbers`]).
    pub fn by_numbers<'a>(
        &'a self,
        insurer: &'a InsurerNumber,
        member: &'a MemberId,
        birth_date: NaiveDate,
    ) -> impl Iterator<Item = &'a CoverageRecord> + 'a {
        self.records.iter().filter(move |r| r.has_numbers(insurer, member, birth_date))
    }

    /// The answer to a query with a card's certificate `serial` on `date`.
    pub fn answer_for_card(&self, serial: &[u8], date: NaiveDate) -> CardLookup {
        let reached: Vec<&CoverageRecord> = self.by_serial(serial).collect();
        let registered: Vec<&CoverageRecord> = reached.iter().copied().filter(|r| r.card_registered).collect();
        if !reached.is_empty() && registered.is_empty() {
            return CardLookup::NotRegistered;
        }
        CardLookup::Answer(self.decide(&registered, date))
    }

    /// The answer to a query with keyed-in numbers on `date`.
    pub fn answer_for_numbers(
        &self,
        insurer: &InsurerNumber,
        member: &MemberId,
        birth_date: NaiveDate,
        date: NaiveDate,
    ) -> OnlineAnswer {
        let matched: Vec<&CoverageRecord> = self.by_numbers(insurer, member, birth_date).collect();
        self.decide(&matched, date)
    }

    /// The answer to `query`, whatever its key ([`CardLookup::into_answer`]
    /// for a card).
    pub fn answer(&self, query: &EligibilityQuery) -> OnlineAnswer {
        self.lookup(query).into_answer()
    }

    /// The outcome of `query`, telling an unregistered card apart.
    pub fn lookup(&self, query: &EligibilityQuery) -> CardLookup {
        match &query.by {
            QueryBy::CardSerial(serial) => self.answer_for_card(serial, query.date),
            QueryBy::Numbers { insurer, member, birth_date } => {
                CardLookup::Answer(self.answer_for_numbers(insurer, member, *birth_date, query.date))
            }
        }
    }

    /// The validity from the records a query matched (see the module docs).
    fn decide(&self, matched: &[&CoverageRecord], date: NaiveDate) -> OnlineAnswer {
        let mut covering = matched.iter().filter(|r| r.covers(date));
        match (covering.next(), covering.next()) {
            (Some(_), Some(_)) => return OnlineAnswer::with_validity(Validity::Multiple),
            (Some(r), None) => return r.to_answer(Validity::Valid),
            _ => {}
        }
        let Some(ended) = matched.iter().filter(|r| r.ended_by(date)).max_by_key(|r| r.disqualified_on) else {
            // Nothing matched, or the coverage only starts later.
            return OnlineAnswer::with_validity(Validity::NotFound);
        };
        let newer = self
            .records
            .iter()
            .filter(|r| r.covers(date) && matched.iter().any(|m| m.same_person(r)))
            // The latest qualified; the first in file order among equals.
            .fold(None::<&CoverageRecord>, |best, r| match best {
                Some(b) if b.qualified_on >= r.qualified_on => Some(b),
                _ => Some(r),
            });
        match newer {
            Some(r) => r.to_answer(Validity::InvalidNewerExists),
            None => ended.to_answer(Validity::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_hex_forms() {
        let s: CertSerial = "0a:1B:ff".parse().unwrap();
        assert_eq!(s.as_bytes(), &[0x0A, 0x1B, 0xFF]);
        assert_eq!(s.to_string(), "0A1BFF");
        assert_eq!(" 0A 1B FF ".parse::<CertSerial>(), Ok(s));
        assert_eq!("".parse::<CertSerial>(), Err(SerialError::Empty));
        assert_eq!("0A1".parse::<CertSerial>(), Err(SerialError::OddDigits));
        assert_eq!("0:A".parse::<CertSerial>(), Err(SerialError::OddDigits));
        assert_eq!("0G".parse::<CertSerial>(), Err(SerialError::NotHex { position: 2 }));
        assert_eq!("00".repeat(21).parse::<CertSerial>(), Err(SerialError::TooLong { len: 21 }));
        assert!(CertSerial::new(&[1; MAX_SERIAL]).is_ok());
    }
}
