//! From a scenario's inputs to the firmware's `Visit`: documents, the
//! identity proven by the actions, and the online answer.
//!
//! This is the rules-only derivation: deliberately small, every step written
//! to the transcript. The runner also plays the same actions at a virtual
//! counter (`session`), and the two decisions must agree.

use super::format::{
    ActionKind, ActionSpec, CardSpec, CoverageSpec, DiseaseSpec, DocumentSpec, FaceResult, FacilityKindSpec,
    MethodSpec, NetworkSpec, ReaderSpec, ServiceFault, SexSpec, VisitSpec,
};
use super::online::{CoverageRecord, LookupKey, lookup};
use chrono::NaiveDate;
use firmware::domain::{
    CardMedium, Coverage, DiseaseCap, Document, DocumentKind, ElderlyRecipientCertificate, EligibilityCertificate,
    EligibilityNotice, Facility, FacilityKind, InsurerNumber, LimitCertificate, MemberId, MemberIdPart, MynaCard,
    NetworkState, OldInsuranceCard, OnlineAnswer, OnlineStatus, Person, PortalScreen, PublicExpenseTicket, QueryKey,
    ReaderState, SelfDeclaration, Sex, SpecificDisease, SpecificDiseaseCertificate,
};
use firmware::domain::{KeyInError, KeyInField};
use firmware::reception::{
    Attempt, KEY_IN_FIELD_LEN, Lockout, Millis, OwnedForm, PaperKind, SALT_LEN, TerminalConfig, VisualCheckPassword,
    keyed_document, minutes_left,
};
use firmware::rules::visit::MAX_DOCUMENTS;
use firmware::rules::{Circumstances, IdentityMethod, Policy, Visit};
use std::fmt;

/// Most PIN failures before the card locks (DOMAIN.md §3).
pub const PIN_TRIES: u32 = 3;
/// Most consecutive face failures before face authentication locks.
pub const FACE_TRIES: u32 = 10;

/// A scenario whose inputs do not make a visit, with the key it is about
/// (relative to the visit: `documents[1].number`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// Dotted key path.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "key `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for BuildError {}

fn err<T>(path: impl Into<String>, message: impl Into<String>) -> Result<T, BuildError> {
    Err(BuildError { path: path.into(), message: message.into() })
}

/// One online query the derivation made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRecord {
    /// Index of the action that made it.
    pub action: usize,
    /// How the facility asked.
    pub by: QueryKey,
    /// For a query by numbers: what was sent (insurer, member id, birth date).
    pub numbers: Option<(InsurerNumber, MemberId, NaiveDate)>,
    /// What came back.
    pub status: OnlineStatus,
}

/// What the actions led to, step by step, for the transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derivation {
    /// One line per action: what it did.
    pub steps: Vec<String>,
    /// The queries made, in order.
    pub queries: Vec<QueryRecord>,
    /// Inputs recorded for the state-machine runner but not simulated yet.
    pub recorded_only: Vec<String>,
}

/// A visit built from a scenario, with how it was derived.
#[derive(Debug, Clone)]
pub struct Built {
    /// The visit `decide` gets.
    pub visit: Visit,
    /// How identity and the online answer were derived.
    pub derivation: Derivation,
    /// The documents marked `printed = true`, keyed in at the terminal.
    pub keyed: Vec<KeyedDocument>,
}

/// A document the clerk keys in from its printed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedDocument {
    /// Index in `documents`.
    pub index: usize,
    /// Which paper.
    pub kind: PaperKind,
    /// The text typed, field by field.
    pub form: OwnedForm,
    /// What the firmware's key-in made of it: `Err` when it refuses a field
    /// (the document is then not counted).
    pub verdict: Result<(), KeyInError>,
}

/// Builds the visit of `spec`.
pub fn build(spec: &VisitSpec) -> Result<Built, BuildError> {
    if spec.description.is_some() && spec.explanation.is_some() {
        return err(
            "description",
            "`description` is the older name of `explanation`: keep the text after the answer in `explanation`, \
             move what the clerk sees before answering to `situation`, and delete `description`",
        );
    }
    let date = spec.date.0;
    let facility = Facility {
        kind: match spec.facility.kind {
            FacilityKindSpec::Clinic => FacilityKind::Clinic,
            FacilityKindSpec::Hospital => FacilityKind::Hospital,
            FacilityKindSpec::Dental => FacilityKind::Dental,
            FacilityKindSpec::Pharmacy => FacilityKind::Pharmacy,
        },
        online_capable: spec.facility.online_capable,
        reader: match spec.facility.reader.unwrap_or(ReaderSpec::Working) {
            ReaderSpec::Working => ReaderState::Working,
            ReaderSpec::Broken => ReaderState::Broken,
        },
        network: match spec.facility.network.unwrap_or(NetworkSpec::Up) {
            NetworkSpec::Up => NetworkState::Up,
            NetworkSpec::Down => NetworkState::Down,
        },
        phone_reader: spec.facility.phone_reader,
    };
    let p = &spec.patient;
    let patient = Person {
        birth_date: p.birth_date.0,
        sex: Some(match p.sex {
            SexSpec::Male => Sex::Male,
            SexSpec::Female => Sex::Female,
        }),
    };
    let circumstances = Circumstances {
        public_expense: p.public_expense,
        high_cost_care: p.high_cost_care,
        specific_disease: p.specific_disease,
        non_taxed_long_stay: p.non_taxed_long_stay,
        premium_arrears: p.premium_arrears,
    };
    let records = p
        .coverage
        .iter()
        .enumerate()
        .map(|(i, c)| coverage_record(c, &format!("patient.coverage[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(card) = &p.card
        && card.pin_less
        && card.pin.is_some()
    {
        return err("patient.card.pin", "a card issued without a PIN (pin_less = true) has no pin");
    }
    let mut visit = Visit {
        date,
        facility,
        patient: Some(patient),
        circumstances,
        documents: Default::default(),
        identity: None,
        online: OnlineStatus::NotQueried,
    };
    let mut keyed = Vec::new();
    let mut keyed_steps = Vec::new();
    for (i, d) in spec.documents.iter().enumerate() {
        let path = format!("documents[{i}]");
        let doc = if d.printed {
            let k = key_in(d, i, &path)?;
            let kind = super::expect::kind_name(d.kind);
            let result = keyed_document(k.kind, &k.form.as_form());
            match &result {
                Ok(_) => keyed_steps.push(format!("{path} ({kind}) keyed in as printed: accepted")),
                Err(e) => keyed_steps.push(format!("{path} ({kind}) keyed in as printed: refused, {e}; not counted")),
            }
            let doc = result.as_ref().ok().map(|(doc, _)| doc.clone());
            keyed.push(KeyedDocument { verdict: result.map(|_| ()), ..k });
            doc
        } else {
            Some(document(d, &path, p.card.as_ref())?)
        };
        if let Some(doc) = doc
            && visit.documents.push(doc).is_err()
        {
            return err(path, format!("a visit holds at most {MAX_DOCUMENTS} documents"));
        }
    }
    let mut derivation = act(spec, &mut visit, &records)?;
    derivation.steps.splice(0..0, keyed_steps);
    Ok(Built { visit, derivation, keyed })
}

/// The key-in form of a document marked `printed = true`: its printed text,
/// field by field, unchecked (the terminal checks it).
fn key_in(d: &DocumentSpec, index: usize, path: &str) -> Result<KeyedDocument, BuildError> {
    let kind = match d.kind {
        DocumentKind::Certificate => PaperKind::Certificate,
        DocumentKind::Notice => PaperKind::Notice,
        DocumentKind::Portal => PaperKind::Portal,
        DocumentKind::OldCard => PaperKind::OldCard,
        _ => {
            return err(
                format!("{path}.printed"),
                "only a certificate, notice, portal or old_card is keyed in as printed",
            );
        }
    };
    let (required, optional) = document_keys(d.kind);
    for key in present_keys(d) {
        if key == "face_changed_on" || (!required.contains(&key) && !optional.contains(&key)) {
            return err(
                format!("{path}.{key}"),
                format!("a {} document keyed in as printed has no `{key}`", super::expect::kind_name(d.kind)),
            );
        }
    }
    let ymd = |v: Option<super::format::DateValue>| v.map(|x| x.0.format("%Y-%m-%d").to_string());
    let copay = d.copay.map(|c| format!("{}%", c.0.percent()));
    let fields: [(KeyInField, Option<String>, &str); 9] = [
        (KeyInField::InsurerNumber, d.insurer.clone(), "insurer"),
        (KeyInField::Symbol, d.symbol.clone(), "symbol"),
        (KeyInField::Number, d.number.clone(), "number"),
        (KeyInField::Branch, d.branch.clone(), "branch"),
        (KeyInField::ValidFrom, ymd(d.valid_from), "valid_from"),
        (KeyInField::ValidUntil, ymd(d.valid_until), "valid_until"),
        (KeyInField::IssuedOn, ymd(d.issued_on), "issued_on"),
        (KeyInField::CopayRatio, copay, "copay"),
        (KeyInField::CopayFrom, ymd(d.copay_from), "copay_from"),
    ];
    let mut form = OwnedForm::default();
    for (field, text, key) in fields {
        if let Some(text) = text
            && !form.set(field, &text)
        {
            return err(format!("{path}.{key}"), format!("longer than the form's {KEY_IN_FIELD_LEN} bytes"));
        }
    }
    Ok(KeyedDocument { index, kind, form, verdict: Ok(()) })
}

fn insurer(text: &str, path: &str) -> Result<InsurerNumber, BuildError> {
    InsurerNumber::parse(text).map_err(|e| BuildError {
        path: format!("{path}.insurer"),
        message: format!(
            "bad insurer number \"{text}\": {e} (to have the terminal refuse it at key-in, mark the document `printed = true`)"
        ),
    })
}

fn member(symbol: Option<&str>, number: &str, branch: Option<&str>, path: &str) -> Result<MemberId, BuildError> {
    MemberId::parse(symbol.unwrap_or(""), number, branch).map_err(|e| {
        let key = match e.part() {
            MemberIdPart::Symbol => "symbol",
            MemberIdPart::Number => "number",
            MemberIdPart::Branch => "branch",
        };
        BuildError { path: format!("{path}.{key}"), message: e.to_string() }
    })
}

fn disease(d: DiseaseSpec) -> SpecificDisease {
    match d {
        DiseaseSpec::Dialysis => SpecificDisease::Dialysis,
        DiseaseSpec::Hemophilia => SpecificDisease::Hemophilia,
        DiseaseSpec::Hiv => SpecificDisease::Hiv,
    }
}

fn coverage_record(c: &CoverageSpec, path: &str) -> Result<CoverageRecord, BuildError> {
    if let Some(until) = c.until
        && until.0 < c.from.0
    {
        return err(format!("{path}.until"), "ends before it starts (`from`)");
    }
    if c.elderly_copay.is_none() && (c.elderly_from.is_some() || c.elderly_until.is_some()) {
        let key = if c.elderly_from.is_some() { "elderly_from" } else { "elderly_until" };
        return err(format!("{path}.{key}"), "given without `elderly_copay`");
    }
    Ok(CoverageRecord {
        insurer: c.insurer.0.clone(),
        member: member(c.symbol.as_deref(), &c.number, c.branch.as_deref(), path)?,
        from: c.from.0,
        until: c.until.map(|u| u.0),
        copay: c.copay.map(|x| x.0),
        elderly: c.elderly_copay.map(|e| (e.0, c.elderly_from.map(|d| d.0), c.elderly_until.map(|d| d.0))),
        limit: c.limit.map(|l| l.0),
        disease: c.specific_disease.map(disease),
        card_linked: c.card_linked.unwrap_or(true),
        public_assistance: c.public_assistance,
    })
}

/// The keys a document has, by name.
fn present_keys(d: &DocumentSpec) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let mut add = |present: bool, name: &'static str| {
        if present {
            keys.push(name);
        }
    };
    add(d.insurer.is_some(), "insurer");
    add(d.symbol.is_some(), "symbol");
    add(d.number.is_some(), "number");
    add(d.branch.is_some(), "branch");
    add(d.copay.is_some(), "copay");
    add(d.copay_from.is_some(), "copay_from");
    add(d.valid_from.is_some(), "valid_from");
    add(d.valid_until.is_some(), "valid_until");
    add(d.issued_on.is_some(), "issued_on");
    add(d.face_changed_on.is_some(), "face_changed_on");
    add(d.class.is_some(), "class");
    add(d.reduced.is_some(), "reduced");
    add(d.disease.is_some(), "disease");
    add(d.cap_yen.is_some(), "cap_yen");
    add(d.programme.is_some(), "programme");
    keys
}

/// The keys each kind of document may have, required ones first.
pub fn document_keys(kind: DocumentKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        DocumentKind::MynaCard => (&[], &[]),
        DocumentKind::Certificate => {
            (&["insurer", "number", "valid_until"], &["symbol", "branch", "copay", "copay_from", "valid_from"])
        }
        DocumentKind::Notice => (&["insurer", "number"], &["symbol", "branch", "copay", "issued_on"]),
        DocumentKind::Portal => (&["insurer", "number"], &["symbol", "branch", "copay"]),
        DocumentKind::OldCard => {
            (&["insurer", "number", "issued_on"], &["symbol", "branch", "copay", "valid_until", "face_changed_on"])
        }
        DocumentKind::ElderlyRecipient => (&["copay", "valid_until"], &["valid_from"]),
        DocumentKind::Limit => (&["class", "valid_until"], &["reduced"]),
        DocumentKind::SpecificDisease => (&["disease"], &["cap_yen", "valid_until"]),
        DocumentKind::PublicExpense => (&["programme"], &["valid_until"]),
        DocumentKind::SelfDeclaration => (&[], &["insurer", "copay"]),
    }
}

fn document(d: &DocumentSpec, path: &str, card: Option<&CardSpec>) -> Result<Document, BuildError> {
    let (required, optional) = document_keys(d.kind);
    let keys = present_keys(d);
    for key in &keys {
        if !required.contains(key) && !optional.contains(key) {
            let allowed: Vec<&str> = required.iter().chain(optional).copied().collect();
            let allowed = if allowed.is_empty() { "none".to_string() } else { allowed.join(", ") };
            return err(
                format!("{path}.{key}"),
                format!("a {} document has no `{key}` (its keys: {allowed})", super::expect::kind_name(d.kind)),
            );
        }
    }
    for key in required {
        if !keys.contains(key) {
            return err(
                format!("{path}.{key}"),
                format!("missing: a {} document needs `{key}`", super::expect::kind_name(d.kind)),
            );
        }
    }
    // Required keys are present (checked above); `need` turns that into values.
    let need = |key: &str| BuildError { path: format!("{path}.{key}"), message: "missing".into() };
    let coverage = || -> Result<Coverage, BuildError> {
        Ok(Coverage {
            insurer: insurer(d.insurer.as_deref().ok_or_else(|| need("insurer"))?, path)?,
            member: member(
                d.symbol.as_deref(),
                d.number.as_deref().ok_or_else(|| need("number"))?,
                d.branch.as_deref(),
                path,
            )?,
            copay: d.copay.map(|c| c.0),
        })
    };
    let date = |v: Option<super::format::DateValue>| v.map(|x| x.0);
    Ok(match d.kind {
        DocumentKind::MynaCard => {
            let Some(card) = card else {
                return err(format!("{path}.kind"), "a myna_card is presented, but [patient.card] describes no card");
            };
            Document::MynaCard(MynaCard {
                certificate_valid_until: card.certificate_valid_until.0,
                registered: card.registered,
                pin_less: card.pin_less,
                medium: card.medium,
            })
        }
        DocumentKind::Certificate => {
            let valid_from = date(d.valid_from);
            let valid_until = date(d.valid_until).ok_or_else(|| need("valid_until"))?;
            if valid_from.is_some_and(|f| valid_until < f) {
                return err(format!("{path}.valid_until"), "is before `valid_from`");
            }
            Document::Certificate(EligibilityCertificate {
                coverage: coverage()?,
                valid_from,
                valid_until,
                copay_from: date(d.copay_from),
            })
        }
        DocumentKind::Notice => {
            Document::Notice(EligibilityNotice { coverage: coverage()?, issued_on: date(d.issued_on) })
        }
        DocumentKind::Portal => Document::Portal(PortalScreen { coverage: coverage()? }),
        DocumentKind::OldCard => Document::OldCard(OldInsuranceCard {
            coverage: coverage()?,
            issued_on: date(d.issued_on).ok_or_else(|| need("issued_on"))?,
            valid_until: date(d.valid_until),
            face_changed_on: date(d.face_changed_on),
        }),
        DocumentKind::ElderlyRecipient => Document::ElderlyRecipient(ElderlyRecipientCertificate {
            copay: d.copay.ok_or_else(|| need("copay"))?.0,
            effective_from: date(d.valid_from),
            valid_until: date(d.valid_until).ok_or_else(|| need("valid_until"))?,
        }),
        DocumentKind::Limit => {
            let class = d.class.ok_or_else(|| need("class"))?.0;
            Document::Limit(LimitCertificate {
                class,
                reduced: d.reduced.unwrap_or(class.is_non_taxed()),
                valid_until: date(d.valid_until).ok_or_else(|| need("valid_until"))?,
            })
        }
        DocumentKind::SpecificDisease => Document::SpecificDisease(SpecificDiseaseCertificate {
            disease: disease(d.disease.ok_or_else(|| need("disease"))?),
            cap: match d.cap_yen {
                None | Some(10_000) => DiseaseCap::Yen10000,
                Some(20_000) => DiseaseCap::Yen20000,
                Some(other) => {
                    return err(format!("{path}.cap_yen"), format!("{other} is not a cap: write 10000 or 20000"));
                }
            },
            valid_until: date(d.valid_until),
        }),
        DocumentKind::PublicExpense => {
            let programme = d.programme.ok_or_else(|| need("programme"))?;
            if !(10..=99).contains(&programme) {
                return err(format!("{path}.programme"), "a 法別番号 has two digits (10 to 99), e.g. 54 or 88");
            }
            Document::PublicExpense(PublicExpenseTicket { programme, valid_until: date(d.valid_until) })
        }
        DocumentKind::SelfDeclaration => Document::SelfDeclaration(SelfDeclaration {
            insurer: d.insurer.as_deref().map(|i| insurer(i, path)).transpose()?,
            declared_copay: d.copay.map(|c| c.0),
        }),
    })
}

/// The keys each action may have, required ones first.
pub fn action_keys(kind: ActionKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        ActionKind::PlaceCard
        | ActionKind::StaffVisualCheck
        | ActionKind::OnlineCheckByNumbers
        | ActionKind::RemoveCard
        | ActionKind::ChoosePhone
        | ActionKind::PhoneAuthenticate => (&[], &[]),
        ActionKind::Choose => (&["method"], &[]),
        ActionKind::Face => (&[], &["result"]),
        ActionKind::Pin => (&["digits"], &[]),
        ActionKind::Consent | ActionKind::Register => (&["answer"], &[]),
        ActionKind::KeyIn => (&["field", "text"], &[]),
        ActionKind::Wait => (&["seconds"], &[]),
        ActionKind::VisualCheckPassword => (&["password"], &[]),
    }
}

fn check_action_keys(a: &ActionSpec, path: &str) -> Result<(), BuildError> {
    let present: Vec<&str> = [
        (a.method.is_some(), "method"),
        (a.result.is_some(), "result"),
        (a.digits.is_some(), "digits"),
        (a.answer.is_some(), "answer"),
        (a.field.is_some(), "field"),
        (a.text.is_some(), "text"),
        (a.seconds.is_some(), "seconds"),
        (a.password.is_some(), "password"),
    ]
    .into_iter()
    .filter_map(|(p, k)| p.then_some(k))
    .collect();
    let (required, optional) = action_keys(a.action);
    for key in &present {
        if !required.contains(key) && !optional.contains(key) {
            return err(format!("{path}.{key}"), format!("action `{}` takes no `{key}`", a.action.name()));
        }
    }
    for key in required {
        if !present.contains(key) {
            return err(format!("{path}.do"), format!("action `{}` needs `{key}`", a.action.name()));
        }
    }
    Ok(())
}

/// Runs the actions in order: the card on the reader, identity, consent,
/// key-in and queries.
fn act(spec: &VisitSpec, visit: &mut Visit, records: &[CoverageRecord]) -> Result<Derivation, BuildError> {
    let mut out = Derivation::default();
    let card = spec.patient.card.as_ref();
    let myna = visit.documents.iter().find_map(|d| match d {
        Document::MynaCard(c) => Some(*c),
        _ => None,
    });
    let mut fault = spec.facility.faults.service;
    let garbled = spec.facility.faults.garbled_frames;
    // The terminal re-sends a query whose reply never arrives intact; when
    // every attempt is garbled, the service has in effect timed out.
    let attempts = u32::from(firmware::reception::TerminalConfig::new(visit.facility).query_attempts);
    if garbled >= attempts && fault == ServiceFault::Ok {
        fault = ServiceFault::Timeout;
        out.steps.push(format!("every one of the terminal's {attempts} query attempts gets a garbled reply"));
    } else if garbled > 0 {
        out.steps.push(format!("{garbled} garbled repl(ies): the terminal re-sends and the next reply arrives"));
    }
    let reader_works = visit.facility.reader == ReaderState::Working;
    let mut on_reader = false;
    let mut pin_failures = 0u32;
    let mut face_failures = 0u32;
    let mut card_queried = false;
    let mut phone_chosen = false;
    let mut register_pending = false;
    let mut keyed = OwnedForm::default();
    let mut switch = VisualCheckSwitch::new(spec, &visit.facility);
    for (i, a) in spec.actions.iter().enumerate() {
        let path = format!("actions[{i}]");
        check_action_keys(a, &path)?;
        let phone = myna.is_some_and(|m| m.medium.is_phone());
        // A phone's PIN (Android) and authentication (iPhone) come before it
        // is held to the reader.
        let needs_card_on_reader = matches!(
            a.action,
            ActionKind::Choose
                | ActionKind::Face
                | ActionKind::Consent
                | ActionKind::StaffVisualCheck
                | ActionKind::VisualCheckPassword
        ) || (a.action == ActionKind::Pin && !phone);
        if needs_card_on_reader && !on_reader {
            return err(
                format!("{path}.do"),
                format!("`{}` needs the card on the reader (place_card)", a.action.name()),
            );
        }
        let consent = a.action == ActionKind::Consent;
        switch.pass(a);
        let step = match a.action {
            ActionKind::PlaceCard => {
                let Some(myna) = myna else {
                    return err(format!("{path}.do"), "place_card, but no myna_card is among the documents");
                };
                on_reader = true;
                let usable = firmware::rules::validity::usable_at_reader(
                    &Policy::national(),
                    &myna,
                    &visit.facility,
                    visit.date,
                );
                if phone && !phone_chosen {
                    return err(format!("{path}.do"), "a smartphone is held to the reader before `choose_phone`");
                }
                if !reader_works {
                    "the card is placed; the reader is broken and does not respond".to_string()
                } else if !usable && phone {
                    "the phone is held to the reader; its certificate has expired (no grace for phones)".to_string()
                } else if !usable {
                    "the card is placed; its certificate has expired, the reader cannot use it".to_string()
                } else if visit.date > myna.certificate_valid_until {
                    "the card is placed; its certificate has expired but is within its grace (eligibility only)"
                        .to_string()
                } else if !myna.registered {
                    "the card is placed; it is not registered for insurance use (registration is offered)".to_string()
                } else {
                    "the card is placed on the reader".to_string()
                }
            }
            ActionKind::Choose => match a.method {
                Some(MethodSpec::Pin) if myna.is_some_and(|m| m.pin_less) => {
                    "PIN chosen, but the card has no PIN: only face or visual check are offered".to_string()
                }
                Some(MethodSpec::Pin) => "PIN chosen".to_string(),
                _ => "face authentication chosen".to_string(),
            },
            ActionKind::Face => {
                let result = match (a.result, card.and_then(|c| c.face_match)) {
                    (Some(r), _) => r,
                    (None, Some(true)) => FaceResult::Match,
                    (None, Some(false)) => FaceResult::NoMatch,
                    (None, None) => {
                        return err(
                            format!("{path}.do"),
                            "`face` needs `result`, or `face_match` in [patient.card] to take it from",
                        );
                    }
                };
                if !reader_works {
                    "face authentication is not possible: the reader is broken".to_string()
                } else if face_failures >= FACE_TRIES {
                    "face authentication is locked (10 failures)".to_string()
                } else if result == FaceResult::Match {
                    face_failures = 0;
                    visit.identity.get_or_insert(IdentityMethod::Face);
                    "face authentication: match".to_string()
                } else {
                    face_failures += 1;
                    if face_failures == FACE_TRIES {
                        "face authentication: no match; locked after 10 failures".to_string()
                    } else {
                        format!("face authentication: no match ({face_failures} of {FACE_TRIES})")
                    }
                }
            }
            ActionKind::Pin => {
                let typed = a.digits.as_ref().map(|d| d.0.as_str()).unwrap_or_default();
                if myna.is_some_and(|m| m.pin_less) {
                    "PIN entry is not offered: the card has no PIN".to_string()
                } else if !reader_works {
                    "PIN entry is not possible: the reader is broken".to_string()
                } else if pin_failures >= PIN_TRIES {
                    "the PIN is locked (3 failures)".to_string()
                } else {
                    let Some(pin) = card.and_then(|c| c.pin.as_ref()) else {
                        return err(format!("{path}.digits"), "a PIN is typed, but [patient.card] has no `pin`");
                    };
                    if pin.0 == typed {
                        visit.identity.get_or_insert(IdentityMethod::Pin);
                        "PIN ****: correct".to_string()
                    } else {
                        pin_failures += 1;
                        if pin_failures == PIN_TRIES {
                            "PIN ****: wrong; the PIN is now locked".to_string()
                        } else {
                            format!("PIN ****: wrong ({} tries left)", PIN_TRIES - pin_failures)
                        }
                    }
                }
            }
            ActionKind::Consent => {
                format!("consent screen answered: {}", if a.answer == Some(true) { "yes" } else { "no" })
            }
            ActionKind::StaffVisualCheck => {
                if reader_works {
                    visit.identity.get_or_insert(IdentityMethod::VisualCheck);
                    "the clerk identifies the holder by sight (目視確認)".to_string()
                } else {
                    "visual check is not possible: the reader is broken".to_string()
                }
            }
            ActionKind::KeyIn => {
                let (Some(field), Some(text)) = (a.field, a.text.clone()) else {
                    return err(format!("{path}.do"), "`key_in` needs `field` and `text`");
                };
                if !keyed.set(field, &text) {
                    return err(format!("{path}.text"), format!("longer than {KEY_IN_FIELD_LEN} bytes"));
                }
                format!("the clerk types {}: \"{text}\"", field.ja())
            }
            ActionKind::OnlineCheckByNumbers => by_numbers(visit, records, &keyed, fault, i, &mut out)?,
            ActionKind::Register => {
                let offered = card_queried && myna.is_some_and(|m| !m.registered) && visit.identity.is_some();
                if !offered {
                    return err(
                        format!("{path}.do"),
                        "`register` answers the reader's offer to register the card, which comes only after \
                         the holder is identified and the consent screen answered, for a card with \
                         registered = false",
                    );
                }
                if a.answer == Some(true) {
                    register_pending = true;
                    "registration for insurance use: accepted; the card is registered now".to_string()
                } else {
                    "registration for insurance use: declined".to_string()
                }
            }
            ActionKind::RemoveCard => {
                on_reader = false;
                "the card is taken off the reader".to_string()
            }
            ActionKind::ChoosePhone => {
                let Some(myna) = myna.filter(|m| m.medium.is_phone()) else {
                    return err(
                        format!("{path}.do"),
                        "choose_phone, but no myna_card with `medium` android or iphone is among the documents",
                    );
                };
                phone_chosen = true;
                let usable = firmware::rules::validity::usable_at_reader(
                    &Policy::national(),
                    &MynaCard { certificate_valid_until: visit.date, ..myna },
                    &visit.facility,
                    visit.date,
                );
                if usable && visit.facility.can_read_card_online() {
                    "smartphone chosen on the face reader".to_string()
                } else {
                    "smartphone chosen, but it cannot be read here: the phone counts as shown".to_string()
                }
            }
            ActionKind::PhoneAuthenticate => {
                if myna.is_some_and(|m| m.medium == CardMedium::IPhone) && phone_chosen {
                    visit.identity.get_or_insert(IdentityMethod::Phone);
                    "the holder authenticates on the iPhone (Face ID / Touch ID)".to_string()
                } else {
                    return err(format!("{path}.do"), "phone_authenticate needs an iPhone chosen with `choose_phone`");
                }
            }
            ActionKind::Wait => {
                format!("{} s pass", a.seconds.unwrap_or(0))
            }
            ActionKind::VisualCheckPassword => {
                let typed = a.password.as_ref().map(|p| p.0.as_str()).unwrap_or_default();
                let Some(password) = switch.password else {
                    return err(
                        format!("{path}.do"),
                        "`visual_check_password`, but [facility] has no `visual_check_password`: the reader does not \
                         offer the switch there; configure one, or use `staff_visual_check` (the administrator's \
                         switch at the PC)",
                    );
                };
                if phone {
                    return err(
                        format!("{path}.do"),
                        "`visual_check_password` with a smartphone: a phone is not checked by sight (the holder \
                         authenticates with the phone's PIN or on the phone)",
                    );
                }
                if let Some(method) = visit.identity {
                    return err(
                        format!("{path}.do"),
                        format!(
                            "`visual_check_password` after the holder was identified ({}): the reader offers the \
                             switch only while it asks for face or PIN",
                            identity_name(method)
                        ),
                    );
                }
                if let Some(idle) = switch.timed_out() {
                    return err(
                        format!("{path}.do"),
                        format!(
                            "`visual_check_password` {idle} s after the last input at the reader: the reader gives \
                             up after {} s and goes back to its start screen; take the card off (`remove_card`) \
                             before the wait and place it again (`place_card`) after it",
                            switch.input_timeout_ms / 1000
                        ),
                    );
                }
                let usable = myna.is_some_and(|m| {
                    firmware::rules::validity::usable_at_reader(&Policy::national(), &m, &visit.facility, visit.date)
                });
                if !reader_works {
                    "the visual-check password cannot be typed: the reader is broken".to_string()
                } else if !visit.facility.can_read_card_online() {
                    "the card is not read here (no online check): the reader offers no visual-check switch".to_string()
                } else if !usable {
                    "the reader cannot use the card (certificate expired): it offers no visual-check switch".to_string()
                } else {
                    match switch.lock.attempt(&password, typed, Millis(switch.now_ms)) {
                        Attempt::Accepted => {
                            visit.identity.get_or_insert(IdentityMethod::VisualCheck);
                            "visual-check password ****: right; the reader switches to visual check and the clerk \
                             identifies the holder by sight (目視確認)"
                                .to_string()
                        }
                        Attempt::Wrong { tries_left } => {
                            format!(
                                "visual-check password ****: wrong ({tries_left} tries left before the switch locks)"
                            )
                        }
                        Attempt::Locked { remaining_ms } => format!(
                            "visual-check password ****: the switch is locked ({} min left; even the right password \
                             is refused)",
                            minutes_left(remaining_ms)
                        ),
                    }
                }
            }
        };
        out.steps.push(step);
        // Registered on the spot: the reader goes on with the online check
        // in the same visit.
        if std::mem::take(&mut register_pending)
            && let Some(method) = visit.identity
        {
            for d in visit.documents.iter_mut() {
                if let Document::MynaCard(c) = d {
                    c.registered = true;
                }
            }
            out.steps.push(by_card(visit, records, fault, i, method, &mut out.queries));
        }
        // As on a real reader, the card query goes out once the holder is
        // identified and the consent screen is answered (either way).
        if consent
            && !card_queried
            && let Some(method) = visit.identity
        {
            card_queried = true;
            out.steps.push(by_card(visit, records, fault, i, method, &mut out.queries));
        }
    }
    Ok(out)
}

/// The reader's visual-check switch as the derivation follows it: the
/// facility's password, the firmware's own lockout (3 wrong in a row lock it
/// for 5 minutes) on a clock made of the scenario's `wait`s, and when the
/// reader last had an input (it gives up after the input timeout).
struct VisualCheckSwitch {
    password: Option<VisualCheckPassword>,
    lock: Lockout,
    now_ms: u64,
    last_input_ms: u64,
    on_reader: bool,
    input_timeout_ms: u64,
}

impl VisualCheckSwitch {
    fn new(spec: &VisitSpec, facility: &Facility) -> Self {
        Self {
            // Any salt matches the same passwords: the derivation needs none of its own.
            password: spec
                .facility
                .visual_check_password
                .as_ref()
                .map(|p| VisualCheckPassword::derive(&p.0, [0; SALT_LEN])),
            lock: Lockout::default(),
            now_ms: 0,
            last_input_ms: 0,
            on_reader: false,
            input_timeout_ms: u64::from(TerminalConfig::new(*facility).input_timeout_ms),
        }
    }

    /// Time passes with a `wait`; an input at the reader restarts its wait.
    fn pass(&mut self, a: &ActionSpec) {
        match a.action {
            ActionKind::Wait => self.now_ms += u64::from(a.seconds.unwrap_or(0)) * 1000,
            ActionKind::PlaceCard => {
                self.on_reader = true;
                self.last_input_ms = self.now_ms;
            }
            ActionKind::RemoveCard => self.on_reader = false,
            ActionKind::Choose
            | ActionKind::Face
            | ActionKind::Pin
            | ActionKind::VisualCheckPassword
            | ActionKind::StaffVisualCheck => {}
            _ => return,
        }
        if a.action != ActionKind::Wait && a.action != ActionKind::VisualCheckPassword {
            self.last_input_ms = self.now_ms;
        }
    }

    /// Seconds the reader has waited for an input, when that is past its timeout.
    fn timed_out(&mut self) -> Option<u64> {
        let idle = self.now_ms - self.last_input_ms;
        let out = (self.on_reader && idle >= self.input_timeout_ms).then_some(idle / 1000);
        self.last_input_ms = self.now_ms;
        out
    }
}

/// The scenario-file name of an identity method.
pub fn identity_name(m: IdentityMethod) -> &'static str {
    match m {
        IdentityMethod::Face => "face",
        IdentityMethod::Pin => "pin",
        IdentityMethod::VisualCheck => "visual_check",
        IdentityMethod::Phone => "phone",
    }
}

fn service(fault: ServiceFault, answer: impl FnOnce() -> OnlineAnswer, by: QueryKey) -> OnlineStatus {
    match fault {
        ServiceFault::Ok => OnlineStatus::Answered { by, answer: answer() },
        ServiceFault::Timeout => OnlineStatus::Timeout,
        ServiceFault::Error => OnlineStatus::ServiceError,
    }
}

/// Identity was just proven: the terminal asks the service by card, when it can.
fn by_card(
    visit: &mut Visit,
    records: &[CoverageRecord],
    fault: ServiceFault,
    action: usize,
    method: IdentityMethod,
    queries: &mut Vec<QueryRecord>,
) -> String {
    let card = visit.documents.iter().find_map(|d| match d {
        Document::MynaCard(c) => Some(*c),
        _ => None,
    });
    let why_not = if !visit.facility.can_read_card_online() {
        Some("the facility cannot read the card online (offline facility, broken reader or network down)")
    } else if card.is_some_and(|c| {
        !firmware::rules::validity::usable_at_reader(&Policy::national(), &c, &visit.facility, visit.date)
    }) {
        Some(
            "the card cannot be used at the reader (certificate expired past its grace, or a phone that cannot be used)",
        )
    } else if card.is_some_and(|c| !c.registered) {
        Some("the card is not registered for insurance use")
    } else {
        None
    };
    if let Some(why) = why_not {
        return format!("identity proven ({}); no online query: {why}", identity_name(method));
    }
    // Scenario visits always have a patient (the builder sets it).
    let Some(patient) = visit.patient else { return "no patient: no online query".to_string() };
    let date = visit.date;
    let status = service(fault, || lookup(records, &patient, date, LookupKey::Card), QueryKey::Card);
    visit.online = status.clone();
    let line = format!("identity proven ({}); online query by card: {}", identity_name(method), status_line(&status));
    queries.push(QueryRecord { action, by: QueryKey::Card, numbers: None, status });
    line
}

fn by_numbers(
    visit: &mut Visit,
    records: &[CoverageRecord],
    keyed: &OwnedForm,
    fault: ServiceFault,
    action: usize,
    out: &mut Derivation,
) -> Result<String, BuildError> {
    if !visit.facility.can_query_by_numbers() {
        return Ok("online check by numbers is not possible here (offline facility or network down)".to_string());
    }
    // Scenario visits always have a patient (the builder sets it).
    let Some(patient) = visit.patient else { return Ok("no patient: no online query".to_string()) };
    let (insurer, member, birth_date, source) = if *keyed == OwnedForm::default() {
        let printed = visit.documents.iter().find_map(|d| match d {
            Document::OldCard(c) => Some((&c.coverage, "old_card")),
            Document::Notice(n) => Some((&n.coverage, "notice")),
            Document::Certificate(c) => Some((&c.coverage, "certificate")),
            Document::Portal(p) => Some((&p.coverage, "portal")),
            _ => None,
        });
        let Some((coverage, kind)) = printed else {
            return err(
                format!("actions[{action}].do"),
                "online_check_by_numbers, but nothing was keyed in and no document prints numbers",
            );
        };
        (coverage.insurer.clone(), coverage.member.clone(), patient.birth_date, format!("read from the {kind}"))
    } else {
        let form = keyed.as_form();
        match form.parse() {
            Ok(f) => (f.insurer, f.member, f.birth_date.unwrap_or(patient.birth_date), "keyed in".to_string()),
            Err(e) => return Ok(format!("the key-in form rejects the entry, no query is sent: {e}")),
        }
    };
    let date = visit.date;
    let key = LookupKey::Numbers { insurer: &insurer, member: &member, birth_date };
    let status = service(fault, || lookup(records, &patient, date, key), QueryKey::Numbers);
    visit.online = status.clone();
    let line = format!("online query by numbers ({source}: 保険者番号 {insurer} {member}): {}", status_line(&status));
    out.queries.push(QueryRecord {
        action,
        by: QueryKey::Numbers,
        numbers: Some((insurer, member, birth_date)),
        status,
    });
    Ok(line)
}

/// One line for an online status: "validity 1 (valid), 3割".
pub fn status_line(status: &OnlineStatus) -> String {
    match status {
        OnlineStatus::NotQueried => "not queried".to_string(),
        OnlineStatus::Timeout => "no answer in time (timeout)".to_string(),
        OnlineStatus::ServiceError => "the service answered with an error".to_string(),
        OnlineStatus::Answered { answer, .. } => {
            let v = answer.validity;
            let name = match v {
                firmware::domain::Validity::Valid => "valid",
                firmware::domain::Validity::Invalid => "invalid",
                firmware::domain::Validity::InvalidNewerExists => "invalid, newer coverage exists",
                firmware::domain::Validity::NotFound => "no coverage found",
                firmware::domain::Validity::Multiple => "several coverages",
                firmware::domain::Validity::PublicAssistance => "public assistance",
            };
            format!("validity {} ({name})", v.code())
        }
    }
}
