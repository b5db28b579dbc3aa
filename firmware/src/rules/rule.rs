//! One row of the policy table: what it decides, where and when it applies,
//! what it says, and where it comes from.

use crate::domain::{InsurerNumber, Scheme};
use chrono::NaiveDate;
use core::fmt;

/// Stable identifier of a rule row, e.g. `OLD-CARD-CAP-NATIONAL`. Scenario
/// files, reports and training material refer to rules by these ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RuleId(pub &'static str);

impl RuleId {
    /// The id text.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// Serialised as the id text.
impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// Deserialised by looking the id up in the national policy table, so that
/// the id stays `'static`; an id the table lacks is an error.
impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = RuleId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rule id of the national policy table")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RuleId, E> {
                super::policy::NATIONAL
                    .iter()
                    .find(|r| r.id.as_str() == v)
                    .map(|r| r.id)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Source {
    /// One of the two source documents the project started from, by its
    /// number ("000", "003"), optionally followed by the place in it
    /// ("003 ※4", "003 Q1"). Shown by the document's own name.
    Seed(&'static str),
    /// A public notice or page, named as a person would cite it.
    Notice(&'static str),
    /// Inferred from the sources; the text says from what.
    Inferred(&'static str),
}

/// The source documents by number, with the names a person would cite.
const SEED_NAMES: [(&str, &str); 2] = [
    ("000", "区民福祉委員会資料「マイナンバーカードと健康保険証の一体化について」令和6年9月20日"),
    ("003", "立川市「マイナ保険証をご利用ください」令和7年7月"),
];

impl Source {
    /// For [`Source::Seed`]: the document's name and the place in it (empty
    /// when none); `None` for an unknown number or another kind of source.
    pub fn seed_document(&self) -> Option<(&'static str, &'static str)> {
        let Self::Seed(s) = self else { return None };
        let (number, place) = s.split_once(' ').unwrap_or((s, ""));
        SEED_NAMES.iter().find(|(n, _)| *n == number).map(|(_, name)| (*name, place.trim()))
    }
}

/// The source as a person would cite it: the document's name (and place),
/// never an internal label.
impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.seed_document()) {
            (_, Some((name, ""))) => f.write_str(name),
            (_, Some((name, place))) => write!(f, "{name} {place}"),
            (Self::Seed(s) | Self::Notice(s), None) => f.write_str(s),
            (Self::Inferred(s), None) => write!(f, "推定：{s}"),
        }
    }
}

/// The visit dates for which a rule is in force (both ends inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Period {
    /// First day in force; `None`: since before this system.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub from: Option<NaiveDate>,
    /// Last day in force; `None`: until further notice.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub until: Option<NaiveDate>,
}

impl Period {
    /// Always in force.
    pub const ALWAYS: Self = Self { from: None, until: None };

    /// From `from` on, until further notice.
    pub const fn from(from: NaiveDate) -> Self {
        Self { from: Some(from), until: None }
    }

    /// Whether `date` is within the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// A row replaced by a later notice: from `on` (the day the later notice was
/// announced) the row `by` answers instead, although this row keeps the
/// period it was announced with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Replaced {
    /// First visit date on which the replacing row answers.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub on: NaiveDate,
    /// The replacing row.
    pub by: RuleId,
}

/// What was known about a row, and when: a lesson or a visit dated before
/// an announcement answers as the terminal did on that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Known {
    /// Day the row was announced; visits before it do not see the row.
    /// `None`: known before any visit this system decides.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub announced: Option<NaiveDate>,
    /// A later notice that replaced the row.
    pub replaced: Option<Replaced>,
}

impl Known {
    /// Known all along, never replaced.
    pub const ALWAYS: Self = Self { announced: None, replaced: None };

    /// Whether the row is the one that answers on `date` (announced by then,
    /// not yet replaced).
    pub fn current_on(&self, date: NaiveDate) -> bool {
        self.announced.is_none_or(|a| a <= date) && self.replaced.is_none_or(|r| date < r.on)
    }
}

/// Kind of insurance scheme, for scoping rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SchemeKind {
    /// 国民健康保険.
    NationalHealth,
    /// 後期高齢者医療.
    LateElderly,
    /// 被用者保険 (any 法別).
    Employee,
}

impl SchemeKind {
    /// The kind of an insurer's scheme.
    pub fn of(insurer: &InsurerNumber) -> Self {
        match insurer.scheme() {
            Scheme::NationalHealth => Self::NationalHealth,
            Scheme::LateElderly => Self::LateElderly,
            Scheme::Employee(_) => Self::Employee,
        }
    }
}

/// Which insurers a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Scope {
    /// Every insurer (national rules).
    All,
    /// Every insurer of one scheme.
    Scheme(SchemeKind),
    /// One scheme in one prefecture (e.g. Tokyo's late-stage elderly union).
    SchemeInPrefecture(SchemeKind, u8),
    /// One insurer, by number.
    Insurer(&'static str),
}

impl Scope {
    /// Whether the rule applies to a document of `insurer` (`None`: unknown
    /// insurer, which only national rules cover).
    pub fn covers(&self, insurer: Option<&InsurerNumber>) -> bool {
        match (self, insurer) {
            (Self::All, _) => true,
            (_, None) => false,
            (Self::Scheme(k), Some(i)) => SchemeKind::of(i) == *k,
            (Self::SchemeInPrefecture(k, p), Some(i)) => SchemeKind::of(i) == *k && i.prefecture() == *p,
            (Self::Insurer(n), Some(i)) => i.as_str() == *n,
        }
    }
}

/// What a rule decides: each kind is one step of [`decide`](super::decide);
/// rows with the same kind differ in dates, scope or parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RuleKind {
    /// Online answer 1: covered, basis online.
    OnlineValid,
    /// Online answer 2 (資格(無効)): self-declaration, normal copay.
    OnlineInvalid,
    /// Online answer 3: a newer coverage exists; confirm it.
    OnlineNewerCoverage,
    /// Online answer 4 (資格情報なし): self-declaration, normal copay.
    OnlineNotFound,
    /// Online answer 5: several coverages; staff must pick one.
    OnlineMultiple,
    /// The card holder's identity is not yet proven / the query not made.
    IdentityRequired,
    /// The card's certificate has expired and its grace is over: it cannot be
    /// read online.
    CardCertificateExpired,
    /// The card's certificate has expired, but until the last day of the
    /// `months`-th month after the month of expiry the card still gives the
    /// eligibility check (no sharing of medical or drug information).
    CardCertificateGrace {
        /// Months after the month of expiry.
        months: u8,
    },
    /// The reader warns that the certificate must be renewed, from `before`
    /// months before its expiry to `after` months after.
    CardCertificateRenewalAlert {
        /// Months before expiry.
        before: u8,
        /// Months after expiry.
        after: u8,
    },
    /// A smartphone shown as the card before smartphones were accepted.
    PhoneNotYetAccepted,
    /// A smartphone at a facility without a general-purpose NFC reader: the
    /// patient shows the マイナポータル screen instead.
    PhoneNeedsReader,
    /// A smartphone whose certificate (or card) has expired: no grace, the
    /// phone cannot be used at all.
    PhoneCertificateExpired,
    /// A smartphone read at the general-purpose NFC reader.
    PhoneAccepted,
    /// Online answer 6 (public assistance, 医療扶助): valid, not an insurance
    /// coverage; the patient applied to the welfare office beforehand.
    OnlinePublicAssistance,
    /// The card is not registered for insurance use: register on the spot.
    CardNotRegistered,
    /// The facility is not online-capable: the card needs the notice or the
    /// portal screen.
    OfflineCardNeedsNotice,
    /// Reader, network or service failed: self-declaration, normal copay.
    SystemFailure,
    /// 資格確認書 within its validity.
    CertificateValid,
    /// 資格確認書 past its printed expiry.
    CertificateExpired,
    /// 資格確認書 before its printed start.
    CertificateNotYetValid,
    /// Notice together with the card where the card cannot be read online.
    NoticeWithCard,
    /// Notice without the card.
    NoticeNeedsCard,
    /// Portal screen together with the card where the card cannot be read online.
    PortalWithCard,
    /// Portal screen without the card.
    PortalNeedsCard,
    /// Old card within its validity.
    OldCardValid,
    /// Old card past its printed expiry.
    OldCardPrintedExpiry,
    /// Old cards are valid at most until this day (national cap or an
    /// insurer's unified expiry); the earliest applicable row wins.
    OldCardLastDay(#[cfg_attr(feature = "defmt", defmt(Debug2Format))] NaiveDate),
    /// Old cards issued on or after this day are not genuine issues.
    OldCardIssuedFrom(#[cfg_attr(feature = "defmt", defmt(Debug2Format))] NaiveDate),
    /// A printed detail changed: the old card is no longer valid.
    OldCardFaceChanged,
    /// The holder turned 75: coverage moved to late-stage elderly care.
    OldCardSchemeEndedAt75,
    /// Temporary measure: an expired old card with coverage confirmed online.
    TemporaryExpiredOldCard,
    /// Temporary measure: the notice alone with coverage confirmed online.
    TemporaryNoticeAlone,
    /// Late-stage elderly hold a 資格確認書 whatever else they hold.
    LateElderlyCertificateForAll,
    /// Late-stage elderly aged `age` or over on `on` get a 資格確認書 without
    /// applying.
    LateElderlyCertificateFromAge {
        /// The age.
        age: u8,
        /// The day the age is counted on.
        #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
        on: NaiveDate,
    },
    /// Late-stage elderly under that age get a 資格確認書 or a お知らせ by
    /// whether they hold a マイナ保険証 (and may apply for a 資格確認書).
    LateElderlyCertificateByHolding,
    /// The temporary measures ended: only a マイナ保険証 or a 資格確認書.
    TemporaryMeasureEnded,
    /// Nothing presented establishes coverage.
    NoValidDocument,
    /// The patient declares coverage on the form.
    SelfDeclarationAccepted,
    /// 公費 tickets are always shown separately.
    PublicExpenseSeparate,
    /// The online answer carries the limit class: no certificate needed.
    LimitFromOnline,
    /// On paper, the limit certificate must be shown for the cap.
    LimitOnPaper,
    /// Non-taxed long-stay or arrears households must apply even with the card.
    LimitMustApply,
    /// 70–74 on an old card: the 高齢受給者証 gives the copay.
    ElderlyRecipientOnPaper,
    /// The online answer carries the specific disease: no certificate needed.
    SpecificDiseaseFromOnline,
    /// On paper, the specific disease certificate must be shown.
    SpecificDiseaseOnPaper,
    /// Copay by age: before the first 31 March after reaching 6.
    CopayPreschool,
    /// Copay by age: 6 to the month of reaching 70.
    CopayWorkingAge,
    /// Copay by age: from the month after reaching 70 until the 75th birthday.
    CopaySeventyToSeventyFour,
    /// Copay by age: from the 75th birthday (or late-stage elderly coverage).
    CopayLateElderly,
    /// The stated copay does not fit the age: flagged, not overridden.
    CopayMismatch,
    /// Eligibility not confirmed: the normal copay by age, never 10割.
    CopayUnconfirmedByAge,
}

impl Rule {
    /// Whether the row answers for a visit on `date`: within its period,
    /// announced by then and not yet replaced.
    pub fn current_on(&self, date: NaiveDate) -> bool {
        self.applies.contains(date) && self.known.current_on(date)
    }
}

/// One row of the policy table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Rule {
    /// Stable id.
    pub id: RuleId,
    /// What it decides.
    pub kind: RuleKind,
    /// Which insurers.
    pub scope: Scope,
    /// Which visit dates.
    pub applies: Period,
    /// When it was announced and whether a later notice replaced it.
    pub known: Known,
    /// Short text for the counter (Japanese).
    pub ja: &'static str,
    /// Short text for logs and reports (English).
    pub en: &'static str,
    /// Where it comes from.
    pub source: Source,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_as_document_names() {
        for rule in crate::rules::policy::NATIONAL {
            let shown = rule.source.to_string();
            assert!(!shown.contains("seed") && !shown.contains("DOMAIN"), "{}: {shown}", rule.id);
            if let Source::Seed(s) = rule.source {
                assert!(rule.source.seed_document().is_some(), "{}: unknown source document {s}", rule.id);
            }
        }
        assert_eq!(Source::Seed("003 ※4").to_string(), "立川市「マイナ保険証をご利用ください」令和7年7月 ※4");
        assert_eq!(
            Source::Seed("000").to_string(),
            "区民福祉委員会資料「マイナンバーカードと健康保険証の一体化について」令和6年9月20日"
        );
        assert_eq!(Source::Seed("999").seed_document(), None);
    }
}
