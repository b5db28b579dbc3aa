//! A scenario played at a virtual counter: the firmware's reception state
//! machine with the virtual card and the virtual online service, driven by
//! the scenario's actions. This is what `host-sim run` checks the
//! expectations against; the rules-only derivation of `build` must agree
//! with it.

use super::format::{ActionKind, DiseaseSpec, FaceResult, MethodSpec, ServiceFault, VisitSpec};
use super::load::Scenario;
use crate::counter::{Counter, FINISH_LIMIT_MS, LocalPort, Port, Step};
use crate::virtual_card::{CardProfile, CardToken, CertParams, CertificateSource, VirtualCard};
use crate::virtual_service::{
    CertSerial, CoverageDb, CoverageRecord, ErrorFault, FaultPlan, Garble, GarbleFault, Queries, VirtualService,
};
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use firmware::domain::{CardMedium, Document, ElderlyInfo, MemberId, SpecificDisease};
use firmware::link::ServiceError;
use firmware::reception::{Event, OwnedForm, PhoneKind, SALT_LEN, State, TerminalConfig, TypedPassword, WireEvent};
use firmware::ui::Screen;
use std::fmt;

/// Why a scenario cannot be set up at a counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// The coverage records do not make a database.
    Coverage(String),
    /// The card profile is not valid.
    Card(String),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Coverage(e) => write!(f, "patient.coverage: {e}"),
            Self::Card(e) => write!(f, "patient.card: {e}"),
        }
    }
}

/// The serial of a scenario's card: derived from its id, so every scenario
/// has its own and runs are repeatable.
pub(crate) fn serial_of(id: &str) -> Vec<u8> {
    // FNV-1a, 64 bit; a leading zero byte is avoided (positive INTEGER).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut s = h.to_be_bytes().to_vec();
    s[0] |= 0x10;
    s
}

/// The salt of a scenario's visual-check password: drawn by the host as for
/// a real terminal, but from the scenario's id (FNV-1a over two prefixes),
/// so every scenario has its own and runs are repeatable.
pub(crate) fn salt_of(id: &str) -> [u8; SALT_LEN] {
    let mut salt = [0u8; SALT_LEN];
    for (half, prefix) in salt.chunks_mut(8).zip(["visual-check salt 1:", "visual-check salt 2:"]) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in prefix.bytes().chain(id.bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        half.copy_from_slice(&h.to_be_bytes());
    }
    salt
}

/// The terminal configuration of a scenario: its facility and, when the
/// facility has one, the visual-check password as salt + hash.
pub fn config_of(s: &Scenario) -> TerminalConfig {
    let config = TerminalConfig::new(s.built.visit.facility);
    match &s.spec.facility.visual_check_password {
        Some(p) => config.with_visual_check_password(&p.0, salt_of(&s.id())),
        None => config,
    }
}

/// End of a JST day, in UTC.
fn end_of_day_jst(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(14, 59, 59).unwrap_or_default())
}

pub(crate) fn card(spec: &VisitSpec, serial: &[u8]) -> Result<Option<VirtualCard>, SessionError> {
    let Some(c) = &spec.patient.card else { return Ok(None) };
    let pin = match (&c.pin, c.pin_less) {
        (_, true) | (None, _) => None,
        (Some(p), false) => {
            let digits: Vec<u8> = p.0.bytes().map(|b| b.wrapping_sub(b'0')).collect();
            <[u8; 4]>::try_from(digits.as_slice()).ok()
        }
    };
    let (token, pin_before_cert) = match c.medium {
        CardMedium::Card => (CardToken::Card, false),
        CardMedium::Android => (CardToken::Smartphone, true),
        CardMedium::IPhone => (CardToken::Smartphone, false),
    };
    let profile = CardProfile {
        pin,
        token,
        pin_before_cert,
        certificate: CertificateSource::Generate(CertParams {
            serial: serial.to_vec(),
            not_after: end_of_day_jst(c.certificate_valid_until.0),
            holder_name: "試験 受診者".into(),
            ..CertParams::default()
        }),
        ..CardProfile::default()
    };
    VirtualCard::new(profile).map(Some).map_err(|e| SessionError::Card(e.to_string()))
}

pub(crate) fn service(spec: &VisitSpec, serial: &[u8]) -> Result<VirtualService, SessionError> {
    let p = &spec.patient;
    let card = p.card.as_ref();
    let mut records = Vec::new();
    for (i, c) in p.coverage.iter().enumerate() {
        let member = MemberId::parse(c.symbol.as_deref().unwrap_or(""), &c.number, c.branch.as_deref())
            .map_err(|e| SessionError::Coverage(format!("[{i}]: {e}")))?;
        let linked = card.is_some() && c.card_linked.unwrap_or(true);
        let serials = if linked {
            vec![CertSerial::new(serial).map_err(|e| SessionError::Coverage(e.to_string()))?]
        } else {
            Vec::new()
        };
        records.push(CoverageRecord {
            person: Some("patient".into()),
            serials,
            card_registered: card.is_none_or(|c| c.registered),
            insurer: c.insurer.0.clone(),
            member,
            birth_date: p.birth_date.0,
            qualified_on: c.from.0,
            // A scenario's `until` is the last covered day; the service's
            // disqualification date is the first day without coverage.
            disqualified_on: c.until.and_then(|u| u.0.checked_add_days(Days::new(1))),
            copay: c.copay.map(|v| v.0),
            preschool: false,
            elderly: c.elderly_copay.map(|v| ElderlyInfo {
                copay: v.0,
                valid_from: c.elderly_from.map(|d| d.0),
                valid_until: c.elderly_until.map(|d| d.0),
            }),
            limit: c.limit.map(|l| l.0),
            disease: c.specific_disease.map(|d| match d {
                DiseaseSpec::Dialysis => SpecificDisease::Dialysis,
                DiseaseSpec::Hemophilia => SpecificDisease::Hemophilia,
                DiseaseSpec::Hiv => SpecificDisease::Hiv,
            }),
            public_assistance: c.public_assistance,
        });
    }
    let db = CoverageDb::new(records).map_err(|e| SessionError::Coverage(e.to_string()))?;
    let f = &spec.facility.faults;
    let mut faults = FaultPlan::default();
    match f.service {
        ServiceFault::Timeout => faults.outage = Queries::All,
        ServiceFault::Error => faults.errors.push(ErrorFault { queries: Queries::All, error: ServiceError::Internal }),
        _ => {}
    }
    if f.garbled_frames > 0 {
        faults.garble.push(GarbleFault {
            queries: Queries::List((0..f.garbled_frames).collect()),
            kind: Garble::Corrupt { at: None },
        });
    }
    Ok(VirtualService::new(db, faults))
}

fn ev(e: WireEvent) -> Step {
    Step::Event(Box::new(e))
}

/// What the clerk records before the actions: the circumstances, the birth
/// date, every document handed over besides the card, and a card that never
/// goes on a reader as seen.
pub fn prologue(s: &Scenario) -> Vec<WireEvent> {
    let spec = &s.spec;
    let visit = &s.built.visit;
    let mut prologue = Vec::new();
    if visit.circumstances != Default::default() {
        prologue.push(WireEvent::StaffCircumstances(visit.circumstances));
    }
    // The clerk confirms the birth date with the patient.
    if let Some(p) = visit.patient
        && let Ok(text) = firmware::reception::FieldText::try_from(p.birth_date.format("%Y-%m-%d").to_string().as_str())
    {
        prologue.push(WireEvent::StaffBirthDate(text));
    }
    // Everything handed over besides the card is recorded as shown, or
    // keyed in from its printed text (`printed = true`).
    let mut recorded = visit.documents.iter();
    for i in 0..spec.documents.len() {
        if let Some(k) = s.built.keyed.iter().find(|k| k.index == i) {
            prologue.push(WireEvent::StaffKeyIn { kind: k.kind, form: k.form.clone() });
            if k.verdict.is_ok() {
                recorded.next();
            }
        } else if let Some(doc) = recorded.next()
            && !matches!(doc, Document::MynaCard(_))
        {
            prologue.push(WireEvent::StaffDocument(doc.clone()));
        }
    }
    // A card handed over but never placed on a reader is seen by the clerk.
    let card_shown = visit.documents.iter().any(|d| matches!(d, Document::MynaCard(_)));
    let to_reader = |k: ActionKind| matches!(k, ActionKind::PlaceCard | ActionKind::ChoosePhone);
    if card_shown && !spec.actions.iter().any(|a| to_reader(a.action)) {
        prologue.push(WireEvent::StaffCardSeen);
    }
    prologue
}

/// A scenario played to the end at a counter.
pub struct Session<P: Port = LocalPort> {
    /// The counter after the last action.
    pub counter: Counter<P>,
    /// When nobody could act any more and the clerk had to ask the terminal
    /// for its decision: how many screens had been shown before that.
    pub clerk_asked_after: Option<usize>,
}

impl<P: Port> Session<P> {
    /// The screens the actions themselves led to (without the one the
    /// clerk's request for a decision brought up).
    pub fn screens_before_clerk(&self) -> &[Screen] {
        let all = &self.counter.screens;
        &all[..self.clerk_asked_after.unwrap_or(all.len()).min(all.len())]
    }
}

/// Plays `s` at a virtual counter with the terminal in this process.
pub fn play(s: &Scenario) -> Result<Session, SessionError> {
    play_on(s, LocalPort::new)
}

/// Plays `s` at a virtual counter whose terminal is reached through the port
/// `make_port` builds (in this process, or on a board).
pub fn play_on<P: Port>(s: &Scenario, make_port: impl FnOnce(TerminalConfig) -> P) -> Result<Session<P>, SessionError> {
    play_with(s, make_port, |_| {})
}

/// Plays `s` like [`play_on`], after `setup` had the counter (to inject a
/// fault, for the fault campaign).
pub fn play_with<P: Port>(
    s: &Scenario,
    make_port: impl FnOnce(TerminalConfig) -> P,
    setup: impl FnOnce(&mut Counter<P>),
) -> Result<Session<P>, SessionError> {
    let spec = &s.spec;
    let visit = &s.built.visit;
    let serial = serial_of(&s.id());
    let (card, service) = (card(spec, &serial)?, service(spec, &serial)?);
    let mut counter = Counter::with_port(make_port(config_of(s)), visit.date, card, service);
    setup(&mut counter);
    let prologue: Vec<Step> = prologue(s).into_iter().map(ev).collect();
    counter.run(&prologue);
    let mut form = OwnedForm::default();
    let mut keyed = false;
    for a in &spec.actions {
        match a.action {
            ActionKind::PlaceCard => counter.run(&[ev(WireEvent::CardPlaced)]),
            ActionKind::Choose => counter.run(&[ev(match a.method {
                Some(MethodSpec::Pin) => WireEvent::ChoosePin,
                _ => WireEvent::ChooseFace,
            })]),
            ActionKind::Face => {
                // Without a result the card's `face_match` says (default: it matches).
                let matched = match a.result {
                    Some(r) => r == FaceResult::Match,
                    None => spec.patient.card.as_ref().and_then(|c| c.face_match).unwrap_or(true),
                };
                // Looking at the camera chooses face authentication.
                if counter.state() == State::ChooseAuth {
                    counter.run(&[ev(WireEvent::ChooseFace)]);
                }
                counter.run(&[ev(WireEvent::FaceResult { matched })])
            }
            ActionKind::Pin => {
                // Typing a PIN chooses PIN entry (also after a face that
                // did not match).
                if counter.state() == State::ChooseAuth || counter.state() == State::Face {
                    counter.run(&[ev(WireEvent::ChoosePin)]);
                }
                let digits = a.digits.as_ref().map(|p| p.0.clone()).unwrap_or_default();
                let steps: Vec<Step> = digits.bytes().map(|b| ev(WireEvent::PinDigit(b.wrapping_sub(b'0')))).collect();
                counter.run(&steps);
                // On the last try the patient confirms on the reader's screen.
                if counter.screen() == Some(&Screen::PinLastTry) {
                    counter.run(&[ev(WireEvent::ConfirmLastTry(true))]);
                }
            }
            ActionKind::Consent => counter.run(&[ev(WireEvent::Consent(a.answer.unwrap_or(false)))]),
            ActionKind::StaffVisualCheck => {
                counter.run(&[ev(WireEvent::StaffVisualCheck), ev(WireEvent::StaffIdentityConfirmed)])
            }
            ActionKind::KeyIn => {
                if let (Some(field), Some(text)) = (a.field, a.text.as_deref()) {
                    keyed |= form.set(field, text);
                }
            }
            ActionKind::OnlineCheckByNumbers => {
                // The clerk queries with what was typed, else with the numbers
                // printed on the document on record. A rejected entry stays
                // on screen and nothing is sent.
                counter.run(&[ev(WireEvent::StaffQueryByNumbers(keyed.then(|| form.clone())))]);
                counter.finish(FINISH_LIMIT_MS);
            }
            ActionKind::Register => {
                // The service's answer offers registration on the spot.
                counter.finish(FINISH_LIMIT_MS);
                if counter.state() == State::Register {
                    let yes = a.answer == Some(true);
                    if yes {
                        // Registering at the reader registers the card with the service.
                        counter.service.db.register_card(&serial);
                    }
                    counter.run(&[ev(WireEvent::Register(yes))]);
                    counter.finish(FINISH_LIMIT_MS);
                }
            }
            ActionKind::RemoveCard => counter.run(&[ev(WireEvent::CardRemoved)]),
            ActionKind::ChoosePhone => {
                counter.run(&[ev(WireEvent::ChoosePhone(match spec.patient.card.as_ref().map(|c| c.medium) {
                    Some(CardMedium::IPhone) => PhoneKind::IPhone,
                    _ => PhoneKind::Android,
                }))])
            }
            ActionKind::PhoneAuthenticate => counter.run(&[ev(WireEvent::PhoneAuthenticated)]),
            ActionKind::Wait => counter.run(&[Step::Wait(u64::from(a.seconds.unwrap_or(0)) * 1000)]),
            ActionKind::VisualCheckPassword => {
                // The loader checked the length; the text goes only into the event.
                if let Some(typed) = a.password.as_ref().and_then(|p| TypedPassword::new(&p.0)) {
                    counter.run(&[ev(WireEvent::VisualCheckPassword(typed))]);
                }
                // Switched: the clerk compares the holder with the card photo.
                if counter.state() == State::VisualCheck {
                    counter.run(&[ev(WireEvent::StaffIdentityConfirmed)]);
                }
            }
        }
    }
    let decided = counter.finish(FINISH_LIMIT_MS);
    let last_is_current = decided || counter.state() == State::Result;
    let mut clerk_asked_after = None;
    if !last_is_current || counter.decisions.is_empty() {
        clerk_asked_after = Some(counter.screens.len());
        // Nobody acts any more: the patient does not register, the clerk
        // asks the terminal what is missing.
        if counter.state() == State::Register {
            counter.event(Event::Register(false));
        } else {
            counter.event(Event::StaffDecide);
        }
    }
    Ok(Session { counter, clerk_asked_after })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salts_are_distinct_and_stable() {
        let a = salt_of("07-visual-check/01-password-right.toml");
        assert_eq!(a, salt_of("07-visual-check/01-password-right.toml"));
        assert_ne!(a, salt_of("07-visual-check/02-password-wrong-then-right.toml"));
        assert_ne!(a[..8], a[8..]);
    }

    #[test]
    fn serials_are_distinct_positive_and_stable() {
        let a = serial_of("01-myna-basics/01-face-valid");
        assert_eq!(a, serial_of("01-myna-basics/01-face-valid"));
        assert_ne!(a, serial_of("01-myna-basics/02-pin-pharmacy"));
        assert!(a[0] >= 0x10 && a.len() == 8);
    }
}
