//! The scenario file format (TOML), as serde structures.
//!
//! Every table denies unknown keys. Values that have a Japanese written form
//! (dates, insurer numbers, copay ratios, limit classes) are parsed here with
//! the firmware's own parsers, so a bad value fails while the file is read,
//! with the parser's explanation and the value's place in the file.
//!
//! `docs/scenarios.md` is the reference for authors; keep the two in step.

use chrono::{NaiveDate, NaiveTime};
use firmware::domain::{CopayRate, DocumentKind, InsurerNumber, KeyInField, LimitClass, parse_copay_ratio, parse_date};
use firmware::reception::VISUAL_CHECK_PASSWORD_LEN;
use firmware::rules::{Basis, MAX_ALTERNATIVES, OneOf, Outcome, Policy, Together};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------------------
// Values with a written form
// ---------------------------------------------------------------------------

/// A date written in 和暦 ("令和7年9月30日", "R7.9.30") or ISO ("2025-09-30"),
/// as a string or as a bare TOML date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateValue(pub NaiveDate);

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as \"令和7年9月30日\", \"R7.9.30\" or \"2025-09-30\"")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<DateValue, E> {
                parse_date(s).map(DateValue).map_err(|e| E::custom(format!("bad date \"{s}\": {e}")))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateValue, A::Error> {
                // A bare TOML date (date = 2025-09-30).
                let dt = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (dt.date, dt.time, dt.offset) {
                    (Some(d), None, None) => NaiveDate::from_ymd_opt(i32::from(d.year), d.month.into(), d.day.into())
                        .map(DateValue)
                        .ok_or_else(|| de::Error::custom(format!("{dt} is not a date"))),
                    _ => Err(de::Error::custom(format!("{dt} has a time of day: write the date only"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A time of day "09:30" (recorded for the state-machine runner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeValue(pub NaiveTime);

impl<'de> Deserialize<'de> for TimeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NaiveTime::parse_from_str(&s, "%H:%M")
            .map(TimeValue)
            .map_err(|_| de::Error::custom(format!("bad time \"{s}\": write hours and minutes, e.g. \"09:30\"")))
    }
}

/// A 保険者番号 with a correct check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsurerValue(pub InsurerNumber);

impl<'de> Deserialize<'de> for InsurerValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        InsurerNumber::parse(&s)
            .map(InsurerValue)
            .map_err(|e| de::Error::custom(format!("bad insurer number \"{s}\": {e}")))
    }
}

/// A copay ratio: "3割", "30%", "030".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopayValue(pub CopayRate);

impl<'de> Deserialize<'de> for CopayValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_copay_ratio(&s).map(CopayValue).map_err(|e| de::Error::custom(format!("bad copay ratio \"{s}\": {e}")))
    }
}

/// A limit class as printed: "ウ", "区分ウ", "現役並みⅢ", "一般", "低所得Ⅱ".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitValue(pub LimitClass);

impl<'de> Deserialize<'de> for LimitValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        LimitClass::parse(&s).map(LimitValue).ok_or_else(|| {
            let all: Vec<&str> = LimitClass::ALL.iter().map(|c| c.ja()).collect();
            de::Error::custom(format!("bad limit class \"{s}\": the classes are {}", all.join(", ")))
        })
    }
}

/// A 4-digit PIN (test data). Never shown: its `Debug` is masked.
#[derive(Clone, PartialEq, Eq)]
pub struct PinValue(pub String);

impl fmt::Debug for PinValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PinValue(****)")
    }
}

impl<'de> Deserialize<'de> for PinValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(PinValue(s))
        } else {
            Err(de::Error::custom("a PIN is exactly 4 digits written as a string, e.g. \"1234\""))
        }
    }
}

/// The facility's visual-check password (目視確認モードへの切替パスワード),
/// or one typed at the reader: 1 to [`VISUAL_CHECK_PASSWORD_LEN`] printable
/// ASCII characters (letters, digits, symbols; no spaces). Test data: its
/// `Debug` is masked and no output shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordValue(pub String);

impl fmt::Debug for PasswordValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordValue(****)")
    }
}

impl PasswordValue {
    /// Checks a password as written in a scenario file.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err("an empty visual-check password: write 1 to 32 characters, e.g. \"kanri2025\"".into());
        }
        if s.len() > VISUAL_CHECK_PASSWORD_LEN {
            return Err(format!(
                "a visual-check password of {} bytes: the reader takes at most {VISUAL_CHECK_PASSWORD_LEN}",
                s.len()
            ));
        }
        if let Some(c) = s.chars().find(|c| !c.is_ascii_graphic()) {
            let what = if c == ' ' { "a space".to_string() } else { format!("{c:?}") };
            return Err(format!(
                "a visual-check password with {what}: the reader's password entry takes ASCII letters, digits and \
                 symbols only"
            ));
        }
        Ok(Self(s.to_string()))
    }
}

impl<'de> Deserialize<'de> for PasswordValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(de::Error::custom)
    }
}

/// One requirement of `expect.required`: a document kind ("limit"),
/// documents shown together ("myna_card + notice"), or any one of several
/// ("certificate | myna_card + notice | myna_card + portal").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredValue(pub OneOf);

/// The scenario-file name of a document kind (`myna_card`, `notice` ...).
pub fn document_kind_name(k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::MynaCard => "myna_card",
        DocumentKind::Certificate => "certificate",
        DocumentKind::Notice => "notice",
        DocumentKind::Portal => "portal",
        DocumentKind::OldCard => "old_card",
        DocumentKind::ElderlyRecipient => "elderly_recipient",
        DocumentKind::Limit => "limit",
        DocumentKind::SpecificDisease => "specific_disease",
        DocumentKind::PublicExpense => "public_expense",
        DocumentKind::SelfDeclaration => "self_declaration",
    }
}

/// Parses one requirement: alternatives separated by `|`, each one or more
/// document kinds joined by `+`.
pub fn parse_requirement(s: &str) -> Result<OneOf, String> {
    let mut alternatives = Vec::new();
    for alt in s.split('|') {
        let mut together: Option<Together> = None;
        for name in alt.split('+') {
            let name = name.trim();
            if name.is_empty() {
                return Err(format!(
                    "\"{s}\": an empty document name; write kinds joined by \" + \" (together) and \" | \" (one of these)"
                ));
            }
            let kind = DocumentKind::ALL.into_iter().find(|k| document_kind_name(*k) == name).ok_or_else(|| {
                let all: Vec<&str> = DocumentKind::ALL.iter().map(|k| document_kind_name(*k)).collect();
                format!("\"{s}\": unknown document kind \"{name}\"; the kinds are {}", all.join(", "))
            })?;
            together = Some(together.map_or(Together::one(kind), |t| t.with(kind)));
        }
        if let Some(t) = together {
            if alternatives.contains(&t) {
                return Err(format!("\"{s}\": \"{}\" is listed twice", alt.trim()));
            }
            alternatives.push(t);
        }
    }
    if alternatives.len() > MAX_ALTERNATIVES {
        return Err(format!("\"{s}\": at most {MAX_ALTERNATIVES} alternatives"));
    }
    Ok(OneOf::new(&alternatives))
}

/// The canonical text of a requirement: alternatives in a fixed order, each
/// its kinds in [`DocumentKind::ALL`] order ("certificate | myna_card + notice").
pub fn requirement_name(r: &OneOf) -> String {
    let mut alts: Vec<Together> = r.alternatives().to_vec();
    alts.sort();
    alts.iter()
        .map(|t| t.kinds().map(document_kind_name).collect::<Vec<_>>().join(" + "))
        .collect::<Vec<_>>()
        .join(" | ")
}

impl<'de> Deserialize<'de> for RequiredValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_requirement(&s).map(RequiredValue).map_err(de::Error::custom)
    }
}

/// The id of a rule of the national policy table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleIdValue(pub &'static str);

impl<'de> Deserialize<'de> for RuleIdValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let policy = Policy::national();
        match policy.get(&s) {
            Some(rule) => Ok(RuleIdValue(rule.id.as_str())),
            None => {
                let near = policy
                    .rules()
                    .iter()
                    .map(|r| r.id.as_str())
                    .min_by_key(|id| edit_distance(id, &s))
                    .map(|id| format!("; did you mean \"{id}\"?"))
                    .unwrap_or_default();
                Err(de::Error::custom(format!("unknown rule id \"{s}\"{near}")))
            }
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

// ---------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------

/// `facility.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FacilityKindSpec {
    /// 診療所.
    Clinic,
    /// 病院.
    Hospital,
    /// 歯科.
    Dental,
    /// 薬局.
    Pharmacy,
}

/// `facility.reader`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReaderSpec {
    /// Working.
    Working,
    /// Out of order.
    Broken,
}

/// `facility.network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkSpec {
    /// Up.
    Up,
    /// Down.
    Down,
}

/// `facility.faults.service`: how the online service behaves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceFault {
    /// Answers normally.
    #[default]
    Ok,
    /// Does not answer in time.
    Timeout,
    /// Answers with an error.
    Error,
}

/// `patient.sex`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SexSpec {
    /// 男.
    Male,
    /// 女.
    Female,
}

/// A specific disease (特定疾病).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiseaseSpec {
    /// 人工透析.
    Dialysis,
    /// 血友病.
    Hemophilia,
    /// HIV.
    Hiv,
}

/// What an action does (`actions[].do`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// The patient places the card on the reader.
    PlaceCard,
    /// The patient chooses face or PIN on the reader.
    Choose,
    /// Face authentication.
    Face,
    /// PIN entry.
    Pin,
    /// The patient answers the consent screen.
    Consent,
    /// The clerk identifies the holder by sight (目視確認モード).
    StaffVisualCheck,
    /// The clerk types one field of a paper document.
    KeyIn,
    /// The clerk asks the online service by the printed (or keyed-in) numbers.
    OnlineCheckByNumbers,
    /// The patient answers the offer to register the card for insurance
    /// use on the spot (`answer`: accept or decline).
    Register,
    /// The patient takes the card off the reader.
    RemoveCard,
    /// The patient chooses "smartphone" on the face reader (the kind comes
    /// from `patient.card.medium`).
    ChoosePhone,
    /// The iPhone's holder authenticates on the phone (Face ID / Touch ID).
    PhoneAuthenticate,
    /// Time passes.
    Wait,
    /// The clerk types the facility's visual-check password at the reader
    /// (`password`); when it is right, the reader switches to visual check
    /// and the clerk identifies the holder by sight.
    VisualCheckPassword,
}

impl ActionKind {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Self::PlaceCard => "place_card",
            Self::Choose => "choose",
            Self::Face => "face",
            Self::Pin => "pin",
            Self::Consent => "consent",
            Self::StaffVisualCheck => "staff_visual_check",
            Self::KeyIn => "key_in",
            Self::OnlineCheckByNumbers => "online_check_by_numbers",
            Self::Register => "register",
            Self::RemoveCard => "remove_card",
            Self::ChoosePhone => "choose_phone",
            Self::PhoneAuthenticate => "phone_authenticate",
            Self::Wait => "wait",
            Self::VisualCheckPassword => "visual_check_password",
        }
    }
}

/// `actions[].method` of `choose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodSpec {
    /// Face authentication.
    Face,
    /// PIN.
    Pin,
}

/// `actions[].result` of `face`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaceResult {
    /// The face matches the card's photo.
    Match,
    /// It does not.
    NoMatch,
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// A file of several visits: `[[visit]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitListSpec {
    /// Optional title of the whole file.
    pub title: Option<String>,
    /// Optional description of the whole file.
    pub description: Option<String>,
    /// The visits.
    pub visit: Vec<VisitSpec>,
}

/// One visit: the whole of a single-visit file, or one `[[visit]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitSpec {
    /// Title (Japanese). Names the case and may state its answer: shown in
    /// reports, transcripts and, in training, only after the answer.
    pub title: String,
    /// What the clerk hears or notices at the counter beyond the documents
    /// and the terminal (Japanese). Shown in training before the answer, so
    /// it must not state the answer.
    pub situation: Option<String>,
    /// Why the answer is what it is (Japanese). Shown in training after the
    /// answer.
    pub explanation: Option<String>,
    /// The older name of `explanation` (files written before the split);
    /// still read as the explanation. A file may not have both.
    pub description: Option<String>,
    /// Day of the visit.
    pub date: DateValue,
    /// Time of day (recorded only).
    pub time: Option<TimeValue>,
    /// Where.
    pub facility: FacilitySpec,
    /// Who.
    pub patient: PatientSpec,
    /// What is on the counter.
    #[serde(default)]
    pub documents: Vec<DocumentSpec>,
    /// What the patient and the clerk do, in order.
    #[serde(default)]
    pub actions: Vec<ActionSpec>,
    /// What the decision must be.
    pub expect: ExpectSpec,
}

/// `[facility]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilitySpec {
    /// Kind of facility.
    pub kind: FacilityKindSpec,
    /// Whether the facility has introduced online eligibility checks.
    pub online_capable: bool,
    /// The card reader; default "working".
    pub reader: Option<ReaderSpec>,
    /// The network; default "up".
    pub network: Option<NetworkSpec>,
    /// A general-purpose NFC reader for smartphones (スマホ保険証); default
    /// false.
    #[serde(default)]
    pub phone_reader: bool,
    /// The facility's password for switching the reader to visual check
    /// (目視確認モード); default none: the reader does not offer the switch
    /// (the administrator's switch at the PC, `staff_visual_check`, works
    /// either way). The terminal gets only a salted hash.
    pub visual_check_password: Option<PasswordValue>,
    /// Injected faults; default none.
    #[serde(default)]
    pub faults: FaultsSpec,
}

/// `[facility.faults]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsSpec {
    /// How the online service answers every query of the visit; default "ok".
    #[serde(default)]
    pub service: ServiceFault,
    /// The first N replies of the service arrive corrupted; default 0.
    #[serde(default)]
    pub garbled_frames: u32,
}

/// `[patient]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientSpec {
    /// 生年月日.
    pub birth_date: DateValue,
    /// Sex.
    pub sex: SexSpec,
    /// Receives a public-expense programme; default false.
    #[serde(default)]
    pub public_expense: bool,
    /// Needs the high-cost monthly cap; default false.
    #[serde(default)]
    pub high_cost_care: bool,
    /// In the specific-disease programme; default false.
    #[serde(default)]
    pub specific_disease: bool,
    /// Non-taxed household with more than 90 inpatient days; default false.
    #[serde(default)]
    pub non_taxed_long_stay: bool,
    /// Household in premium arrears; default false.
    #[serde(default)]
    pub premium_arrears: bool,
    /// The patient's My Number card, if they have one.
    pub card: Option<CardSpec>,
    /// The coverage records the online service holds for the patient.
    #[serde(default)]
    pub coverage: Vec<CoverageSpec>,
}

/// `[patient.card]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardSpec {
    /// Last day the user-authentication certificate is valid.
    pub certificate_valid_until: DateValue,
    /// Registered for insurance use.
    pub registered: bool,
    /// Issued without a PIN (顔認証マイナンバーカード); default false.
    #[serde(default)]
    pub pin_less: bool,
    /// The card's PIN (test data, never shown).
    pub pin: Option<PinValue>,
    /// Whether the holder's face matches the card photo (the result of a
    /// `face` action that gives none).
    pub face_match: Option<bool>,
    /// "card" (default), "android" or "iphone": the マイナ保険証 on a
    /// smartphone. Android's `pin` is the smartphone PIN.
    #[serde(default)]
    pub medium: firmware::domain::CardMedium,
}

/// `[[patient.coverage]]`: one coverage record of the online service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageSpec {
    /// 保険者番号.
    pub insurer: InsurerValue,
    /// 記号; default none.
    pub symbol: Option<String>,
    /// 番号.
    pub number: String,
    /// 枝番; default none.
    pub branch: Option<String>,
    /// 資格取得日.
    pub from: DateValue,
    /// 資格喪失日の前日 (last covered day); default open-ended.
    pub until: Option<DateValue>,
    /// 一部負担金の割合.
    pub copay: Option<CopayValue>,
    /// 高齢受給者 ratio (70–74).
    pub elderly_copay: Option<CopayValue>,
    /// First day of the elderly ratio.
    pub elderly_from: Option<DateValue>,
    /// Last day of the elderly ratio.
    pub elderly_until: Option<DateValue>,
    /// 限度額適用区分.
    pub limit: Option<LimitValue>,
    /// 特定疾病.
    pub specific_disease: Option<DiseaseSpec>,
    /// Whether the record is linked to the patient's My Number card;
    /// default true.
    pub card_linked: Option<bool>,
    /// Public assistance (医療扶助) instead of insurance: the service answers
    /// validity 6 and card classification A1; default false.
    #[serde(default)]
    pub public_assistance: bool,
}

/// `[[documents]]`: one document on the counter. Which keys are allowed
/// depends on `kind` (checked when the visit is built).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// Kind of document.
    pub kind: DocumentKind,
    /// 保険者番号, as printed (checked when the visit is built, or by the
    /// terminal's key-in when `printed = true`).
    pub insurer: Option<String>,
    /// `true`: the clerk keys the document in at the terminal from its
    /// printed text (a misprinted or forged number is then the terminal's
    /// to reject, not the loader's).
    #[serde(default)]
    pub printed: bool,
    /// 記号.
    pub symbol: Option<String>,
    /// 番号.
    pub number: Option<String>,
    /// 枝番.
    pub branch: Option<String>,
    /// 一部負担金の割合 (printed, or declared on the self-declaration form).
    pub copay: Option<CopayValue>,
    /// Effective date of the printed copay (資格確認書, 70+).
    pub copay_from: Option<DateValue>,
    /// 有効開始日.
    pub valid_from: Option<DateValue>,
    /// 有効期限.
    pub valid_until: Option<DateValue>,
    /// 交付年月日.
    pub issued_on: Option<DateValue>,
    /// Day a printed detail of an old card changed.
    pub face_changed_on: Option<DateValue>,
    /// 限度額適用区分.
    pub class: Option<LimitValue>,
    /// 減額認定証 variant.
    pub reduced: Option<bool>,
    /// 特定疾病.
    pub disease: Option<DiseaseSpec>,
    /// Monthly cap in yen: 10000 or 20000.
    pub cap_yen: Option<u32>,
    /// 公費 法別番号.
    pub programme: Option<u8>,
}

/// `[[actions]]` / `actions = [{ do = ... }]`: one step. Which keys are
/// allowed depends on `do` (checked when the visit is built).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    /// What happens.
    #[serde(rename = "do")]
    pub action: ActionKind,
    /// `choose`: face or pin.
    pub method: Option<MethodSpec>,
    /// `face`: match or no_match.
    pub result: Option<FaceResult>,
    /// `pin`: the 4 digits typed.
    pub digits: Option<PinValue>,
    /// `consent`, `register`: the answer.
    pub answer: Option<bool>,
    /// `key_in`: the field.
    pub field: Option<KeyInField>,
    /// `key_in`: the text typed.
    pub text: Option<String>,
    /// `wait`: seconds.
    pub seconds: Option<u32>,
    /// `visual_check_password`: the password typed at the reader.
    pub password: Option<PasswordValue>,
}

impl VisitSpec {
    /// The explanation shown after the answer: `explanation`, or the older
    /// `description`; `None` when neither is given or it is blank.
    pub fn explanation_text(&self) -> Option<&str> {
        self.explanation.as_deref().or(self.description.as_deref()).map(str::trim).filter(|t| !t.is_empty())
    }

    /// The situation shown before the answer; `None` when not given or blank.
    pub fn situation_text(&self) -> Option<&str> {
        self.situation.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

/// `[expect]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// Outcome.
    pub outcome: Outcome,
    /// Basis; absent: the decision has none.
    pub basis: Option<Basis>,
    /// Copay charged; absent: the decision charges none.
    pub copay: Option<CopayValue>,
    /// What is still required (any order), each entry one requirement:
    /// `"limit"`, `"myna_card + notice"`, `"certificate | myna_card + notice"`;
    /// default none.
    #[serde(default)]
    pub required: Vec<RequiredValue>,
    /// Every rule that fires (exact set, any order).
    pub rules: Vec<RuleIdValue>,
    /// Whether the copay cross-check flags a mismatch; default false.
    #[serde(default)]
    pub copay_mismatch: bool,
    /// Text the terminal's last screen must show.
    pub screen_text: Option<String>,
    /// Texts that screens of the visit showed, in this order (each on a
    /// screen at or after the one that showed the text before it); default
    /// none.
    #[serde(default)]
    pub screens_shown: Vec<String>,
    /// Texts that no screen of the visit showed; default none.
    #[serde(default)]
    pub screens_not_shown: Vec<String>,
    /// The terminal refused a keyed-in field: which field, which problem.
    pub keyin_rejected: Option<KeyInRejectedSpec>,
}

/// `keyin_rejected = { field = "insurer_number", problem = "check_digit" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyInRejectedSpec {
    /// The field refused.
    pub field: KeyInField,
    /// Why.
    pub problem: KeyInProblemName,
}

/// The name of a key-in problem in a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyInProblemName {
    /// A required field is blank.
    Missing,
    /// A character that is not a digit (insurer number).
    NotADigit,
    /// Not 6 or 8 digits (insurer number).
    WrongLength,
    /// The check digit does not match (insurer number).
    CheckDigit,
    /// No such prefecture (insurer number).
    BadPrefecture,
    /// A 公費 number where an insurer number belongs.
    PublicExpense,
    /// A 法別番号 no insurer has.
    UnknownHoubetsu,
    /// A control character (symbol, number, branch).
    ControlChar,
    /// A character not allowed (symbol, number, branch).
    NotAllowed,
    /// Too long (symbol, number, branch).
    TooLong,
    /// A branch that is not 2 digits.
    BranchDigits,
    /// A branch out of range.
    BranchOutOfRange,
    /// Not a date.
    Date,
    /// Not a copay ratio.
    CopayRatio,
    /// 有効期限 before 有効開始日.
    EndsBeforeStart,
}

impl KeyInProblemName {
    /// The name of the firmware's `problem`.
    pub fn of(problem: &firmware::domain::KeyInProblem) -> Self {
        use firmware::domain::{InsurerNumberError as I, KeyInProblem as P, MemberIdError as M};
        match problem {
            P::Missing => Self::Missing,
            P::InsurerNumber(I::Empty) => Self::Missing,
            P::InsurerNumber(I::NotADigit { .. }) => Self::NotADigit,
            P::InsurerNumber(I::WrongLength { .. }) => Self::WrongLength,
            P::InsurerNumber(I::CheckDigit { .. }) => Self::CheckDigit,
            P::InsurerNumber(I::BadPrefecture { .. }) => Self::BadPrefecture,
            P::InsurerNumber(I::PublicExpense { .. }) => Self::PublicExpense,
            P::InsurerNumber(I::UnknownHoubetsu { .. }) => Self::UnknownHoubetsu,
            P::MemberId(M::Missing { .. }) => Self::Missing,
            P::MemberId(M::ControlChar { .. }) => Self::ControlChar,
            P::MemberId(M::NotAllowed { .. }) => Self::NotAllowed,
            P::MemberId(M::TooLong { .. }) => Self::TooLong,
            P::MemberId(M::BranchDigits { .. }) => Self::BranchDigits,
            P::MemberId(M::BranchOutOfRange { .. }) => Self::BranchOutOfRange,
            P::Date(_) => Self::Date,
            P::CopayRatio(_) => Self::CopayRatio,
            P::EndsBeforeStart { .. } => Self::EndsBeforeStart,
        }
    }

    /// The name as written in a scenario file.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::NotADigit => "not_a_digit",
            Self::WrongLength => "wrong_length",
            Self::CheckDigit => "check_digit",
            Self::BadPrefecture => "bad_prefecture",
            Self::PublicExpense => "public_expense",
            Self::UnknownHoubetsu => "unknown_houbetsu",
            Self::ControlChar => "control_char",
            Self::NotAllowed => "not_allowed",
            Self::TooLong => "too_long",
            Self::BranchDigits => "branch_digits",
            Self::BranchOutOfRange => "branch_out_of_range",
            Self::Date => "date",
            Self::CopayRatio => "copay_ratio",
            Self::EndsBeforeStart => "ends_before_start",
        }
    }
}

/// `lesson.toml`: one training lesson (a folder of scenarios).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonSpec {
    /// Lesson title (Japanese).
    pub title: String,
    /// Short explanation for trainees.
    pub explanation: String,
    /// Scenario files of the folder, in teaching order.
    pub order: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("CERT-VALID", "CERT-VALID"), 0);
        assert_eq!(edit_distance("CERT-VALID", "CERT-VALD"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[derive(Debug, Deserialize)]
    struct D {
        d: DateValue,
    }

    #[test]
    fn dates_as_strings_or_bare_toml_dates() {
        let a: D = toml::from_str("d = \"R7.9.30\"").unwrap();
        let b: D = toml::from_str("d = 2025-09-30").unwrap();
        let c: D = toml::from_str("d = \"令和7年9月30日\"").unwrap();
        assert_eq!(a.d, b.d);
        assert_eq!(a.d, c.d);
        let e = toml::from_str::<D>("d = \"R1.4.30\"").unwrap_err();
        assert!(e.message().contains("平成31年4月30日"), "{}", e.message());
        assert!(toml::from_str::<D>("d = 2025-09-30T10:00:00").is_err());
    }
}
