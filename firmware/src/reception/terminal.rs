//! The reception terminal as one deterministic, sans-IO state machine.

use chrono::NaiveDate;
use heapless::{Deque, Vec};

use super::action::{Action, Beep, LogEvent, LogRecord};
use super::config::TerminalConfig;
use super::event::{Event, PaperKind, PhoneKind};
use super::handled::{Handled, Refusal};
use super::screen_for::screen_for;
use super::time::{Millis, Now};
use super::timers::{TimerKind, Timers};
use super::visual_check::{Attempt, Lockout, VISUAL_CHECK_TRIES, minutes_left};
use crate::card::apdu::{Command, Response};
use crate::card::cert_reader::{CertReader, Step};
use crate::card::jpki::{self, Ef, TokenKind};
use crate::card::pin::Pin;
use crate::card::status::Status;
use crate::domain::{
    CardMedium, Document, KeyInError, KeyInField, KeyInForm, KeyInProblem, MynaCard, OnlineAnswer, OnlineStatus,
    Person, QueryKey, parse_date,
};
use crate::link::{EligibilityQuery, EligibilityReply, MAX_SERIAL, QueryBy, ServiceError};
use crate::rules::{Circumstances, IdentityMethod, MAX_DOCUMENTS, Policy, Visit, decide};
use crate::ui::{FACE_AUTH_LIMIT, KeyInText, Screen};

/// Actions one step queues at most: the queue holds the output of one step
/// (the deadlines that fell due, or one event), and `handle` runs one step
/// per call on an empty queue.
pub const MAX_ACTIONS: usize = 8;

/// Documents staff can record for one visit: one place of the visit's
/// [`MAX_DOCUMENTS`] stays kept for the card read at the reader.
pub const MAX_STAFF_DOCUMENTS: usize = MAX_DOCUMENTS - 1;

/// Where the terminal is in a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum State {
    /// Waiting for a card or the clerk.
    Idle,
    /// SELECT of the JPKI application sent.
    SelectAp,
    /// SELECT of the token EF sent.
    SelectToken,
    /// READ BINARY of the token sent.
    ReadToken,
    /// Reading the user-authentication certificate.
    ReadCert,
    /// SELECT of the PIN EF sent.
    SelectPinEf,
    /// PIN retry counter asked.
    PinCounter,
    /// Patient chooses face or PIN.
    ChooseAuth,
    /// Face camera running.
    Face,
    /// Patient typing the PIN.
    PinEntry,
    /// One try left: waiting for explicit confirmation.
    PinLastTry,
    /// VERIFY sent.
    PinVerify,
    /// Staff checks the holder by sight.
    VisualCheck,
    /// Combined consent screen.
    Consent,
    /// Card not registered: patient decides about registration.
    Register,
    /// Query sent; waiting for the service.
    Query,
    /// Clerk keying in paper documents.
    PaperKeyIn,
    /// Android chosen: the patient types the smartphone PIN on the face
    /// reader before holding the phone.
    PhonePin,
    /// iPhone chosen: waiting for the holder to authenticate on the phone.
    PhoneAuth,
    /// Waiting for the phone on the general-purpose reader.
    PhoneHold,
    /// Decision shown.
    Result,
    /// A transient message (card removed ...), then idle.
    Message,
}

impl State {
    fn may_switch_to_visual_check(self) -> bool {
        matches!(self, Self::ChooseAuth | Self::Face | Self::PinEntry | Self::PinLastTry)
    }

    fn waits_for_card(self) -> bool {
        matches!(self, Self::SelectAp | Self::SelectToken | Self::ReadToken | Self::ReadCert | Self::SelectPinEf)
            || matches!(self, Self::PinCounter | Self::PinVerify)
    }

    fn in_card_session(self) -> bool {
        self.waits_for_card()
            || matches!(
                self,
                Self::ChooseAuth
                    | Self::Face
                    | Self::PinEntry
                    | Self::PinLastTry
                    | Self::VisualCheck
                    | Self::Consent
                    | Self::Register
                    | Self::Query
                    | Self::PhonePin
                    | Self::PhoneAuth
                    | Self::PhoneHold
            )
    }
}

/// What the terminal knows about the visit in progress.
#[derive(Debug)]
struct Session {
    card_read: bool,
    cert_valid_until: Option<NaiveDate>,
    serial: Vec<u8, MAX_SERIAL>,
    pin_less: bool,
    /// The card itself or the smartphone chosen on the reader.
    medium: CardMedium,
    pin_tries: Option<u8>,
    pin_blocked: bool,
    face_failures: u8,
    identity: Option<IdentityMethod>,
    registered: bool,
    documents: Vec<Document, MAX_STAFF_DOCUMENTS>,
    birth_date: Option<NaiveDate>,
    online: OnlineStatus,
    circumstances: Circumstances,
    query_by: Option<QueryBy>,
    query_id: u16,
    query_attempt: u8,
    /// The visit was decided already (the log marks a decision asked again).
    decided: bool,
}

impl Session {
    fn new() -> Self {
        Self {
            card_read: false,
            cert_valid_until: None,
            serial: Vec::new(),
            pin_less: false,
            medium: CardMedium::Card,
            pin_tries: None,
            pin_blocked: false,
            face_failures: 0,
            identity: None,
            registered: true,
            documents: Vec::new(),
            birth_date: None,
            online: OnlineStatus::NotQueried,
            circumstances: Circumstances::default(),
            query_by: None,
            query_id: 0,
            query_attempt: 0,
            decided: false,
        }
    }

    fn pin_allowed(&self) -> bool {
        !self.pin_less && !self.pin_blocked
    }

    fn answer(&self) -> Option<&OnlineAnswer> {
        match &self.online {
            OnlineStatus::Answered { answer, .. } => Some(answer),
            _ => None,
        }
    }
}

/// The reception terminal.
///
/// Sans-IO: it owns no hardware and never reads a clock. The caller (a board
/// or the simulator) drives it:
///
/// 1. call [`handle`](Self::handle) with the current time and each event
///    (card placed, APDU response, key press, online reply, staff action);
/// 2. after each call, drain [`poll_action`](Self::poll_action) and carry
///    the actions out in order (send the APDU, show the screen, send the
///    query, append the log record, beep); when `handle` returned
///    [`Handled::Deferred`] (deadlines fell due first), give the same event
///    again after draining;
/// 3. when nothing happens, call `handle(now, Event::Tick)` no later than
///    [`poll_timeout`](Self::poll_timeout): every wait has a deadline, and
///    a missed deadline moves the terminal on (retry, fallback, or idle).
///
/// Given the same sequence of calls it produces the same actions on every
/// target.
pub struct Terminal {
    config: TerminalConfig,
    policy: Policy,
    state: State,
    session: Session,
    cert: CertReader,
    pin: Pin,
    timers: Timers,
    actions: Deque<Action, MAX_ACTIONS>,
    next_query_id: u16,
    now: Millis,
    /// The calendar day of the latest call (log records carry it).
    today: NaiveDate,
    dropped_actions: u32,
    refusal: Option<Refusal>,
    /// Wrong visual-check passwords in a row and the lock; outlives visits.
    visual_lock: Lockout,
}

impl Terminal {
    /// A terminal in the idle state (call [`start`](Self::start) to show
    /// its first screen).
    pub fn new(config: TerminalConfig, policy: Policy) -> Self {
        Self {
            config,
            policy,
            state: State::Idle,
            session: Session::new(),
            cert: CertReader::new(),
            pin: Pin::new(),
            timers: Timers::default(),
            actions: Deque::new(),
            next_query_id: 1,
            now: Millis(0),
            today: NaiveDate::MIN,
            dropped_actions: 0,
            refusal: None,
            visual_lock: Lockout::default(),
        }
    }

    /// Shows the idle screen.
    pub fn start(&mut self, now: Now) {
        self.now = now.ms;
        self.today = now.date;
        self.enter_idle();
    }

    /// Current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The next action to carry out.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// The latest time to call `handle(now, Event::Tick)`.
    pub fn poll_timeout(&self) -> Option<Millis> {
        self.timers.next()
    }

    /// Actions dropped because one step produced more than [`MAX_ACTIONS`]:
    /// never, by the bound on each step (the fuzz target checks it).
    pub fn dropped_actions(&self) -> u32 {
        self.dropped_actions
    }

    /// Feeds one event at time `now`: first the deadlines that fell due by
    /// `now` (each kind at most once), then, if those queued nothing, the
    /// event; see [`Handled`].
    pub fn handle(&mut self, now: Now, event: Event<'_>) -> Handled {
        if !self.actions.is_empty() {
            return Handled::Refused(Refusal::Undrained);
        }
        self.now = now.ms;
        self.today = now.date;
        for _ in 0..TimerKind::COUNT {
            let Some(kind) = self.timers.take_due(now.ms) else { break };
            self.on_timer(kind, now);
        }
        if !self.actions.is_empty() && !matches!(event, Event::Tick) {
            return Handled::Deferred;
        }
        self.refusal = None;
        self.on_event(now, event);
        self.refusal.take().map_or(Handled::Taken, Handled::Refused)
    }

    fn on_event(&mut self, now: Now, event: Event<'_>) {
        match event {
            Event::Tick => {}
            Event::Equipment { reader, network } => {
                self.config.facility.reader = reader;
                self.config.facility.network = network;
                if self.state == State::Idle {
                    self.show_idle();
                }
            }
            Event::StaffCancel => {
                self.log(LogEvent::Cancelled);
                self.enter_idle();
            }
            Event::CardPlaced if self.state == State::PhoneHold => self.start_card_read(),
            Event::CardPlaced => self.on_card_placed(now),
            Event::ChoosePhone(kind) if !self.state.in_card_session() => self.on_choose_phone(now, kind),
            Event::PhoneAuthenticated if self.state == State::PhoneAuth => {
                self.state = State::PhoneHold;
                self.show(Screen::PhoneHold { iphone: true });
                self.arm_input();
            }
            Event::PinDigit(d) if self.state == State::PhonePin => self.on_phone_pin_digit(d),
            Event::PinBackspace if self.state == State::PhonePin => {
                self.pin.pop_digit();
                self.show_pin_entry();
                self.arm_input();
            }
            Event::CardRemoved => self.on_card_removed(),
            Event::CardResponse(bytes) => self.on_card_response(now, bytes),
            Event::ChooseFace if self.state == State::ChooseAuth && self.session.face_failures < FACE_AUTH_LIMIT => {
                self.state = State::Face;
                self.show(Screen::FaceScanning);
                self.arm_input();
            }
            // PIN is chosen on the choice screen, or instead of another
            // try after the face did not match.
            Event::ChoosePin
                if (self.state == State::ChooseAuth
                    || (self.state == State::Face && self.session.face_failures > 0))
                    && self.session.pin_allowed() =>
            {
                self.pin.clear();
                self.state = State::PinEntry;
                self.show_pin_entry();
                self.arm_input();
            }
            Event::FaceResult { matched } if self.state == State::Face => self.on_face(matched),
            Event::PinDigit(d) if self.state == State::PinEntry => self.on_pin_digit(d),
            Event::PinBackspace if self.state == State::PinEntry => {
                self.pin.pop_digit();
                self.show_pin_entry();
                self.arm_input();
            }
            Event::ConfirmLastTry(yes) if self.state == State::PinLastTry => {
                if yes {
                    self.send_verify();
                } else {
                    self.pin.clear();
                    self.enter_choose_auth();
                }
            }
            // The clerk PC switches without a password (an administrator
            // there); at the reader the facility's password is asked.
            Event::StaffVisualCheck if self.state.may_switch_to_visual_check() => self.enter_visual_check(),
            Event::VisualCheckPassword(typed) if self.state.may_switch_to_visual_check() => {
                self.on_visual_check_password(typed.as_str())
            }
            Event::StaffIdentityConfirmed if self.state == State::VisualCheck => {
                self.identified(IdentityMethod::VisualCheck)
            }
            Event::Consent(_) if self.state == State::Consent => self.send_query(now),
            Event::Register(yes) if self.state == State::Register => {
                if yes {
                    self.session.registered = true;
                    self.show(Screen::Registered);
                    self.send_query(now);
                } else {
                    self.decide_now(now);
                }
            }
            Event::OnlineReply(reply) => self.on_reply(now, reply),
            Event::StaffKeyIn { kind, form } => self.on_key_in(kind, &form),
            Event::StaffDocument(doc) if !self.state.in_card_session() => self.on_staff_document(doc),
            Event::StaffCircumstances(c) if !self.state.in_card_session() => {
                self.session.circumstances = c;
                self.enter_paper();
            }
            Event::StaffQueryByNumbers(form) if !self.state.in_card_session() => self.query_by_numbers(now, form),
            Event::StaffCardSeen if !self.state.in_card_session() => {
                // No reader (or reader broken): the card is seen, not read.
                let card = MynaCard {
                    certificate_valid_until: now.date,
                    registered: true,
                    pin_less: false,
                    medium: CardMedium::Card,
                };
                if self.push_document(Document::MynaCard(card)) {
                    self.enter_paper();
                }
            }
            Event::StaffBirthDate(text) if !self.state.in_card_session() => match parse_date(text) {
                Ok(d) => {
                    self.session.birth_date = Some(d);
                    self.enter_paper();
                }
                Err(e) => self
                    .reject_key_in(KeyInError { field: KeyInField::BirthDate, problem: KeyInProblem::Date(e) }, text),
            },
            // The clerk may always ask for the decision on what is known so far.
            Event::StaffDecide => {
                self.pin.clear();
                self.decide_now(now)
            }
            // Anything else is out of place in the current state: ignored.
            _ => {}
        }
    }

    // ---- visual check ----------------------------------------------------

    fn enter_visual_check(&mut self) {
        // Both counters stay as they are: visual check resets neither.
        self.pin.clear();
        self.state = State::VisualCheck;
        self.show(Screen::VisualCheck);
        self.arm_input();
    }

    /// The facility's password typed at the reader. Right: switch. Wrong:
    /// say so and stay; the third wrong one in a row locks the switch for
    /// five minutes (`VISUAL_CHECK_LOCK_MS`). The text is only hashed, never kept.
    fn on_visual_check_password(&mut self, typed: &str) {
        let Some(password) = self.config.visual_check else {
            // No password configured: the reader does not offer the switch.
            self.refusal = Some(Refusal::NoVisualCheckPassword);
            return;
        };
        match self.visual_lock.attempt(&password, typed, self.now) {
            Attempt::Accepted => {
                self.log(LogEvent::VisualCheckUnlocked);
                self.enter_visual_check();
            }
            Attempt::Wrong { tries_left } => {
                self.log(LogEvent::VisualCheckPasswordWrong { failures: VISUAL_CHECK_TRIES - tries_left });
                self.beep(Beep::Error);
                self.show(Screen::VisualCheckPasswordWrong { tries_left });
                self.arm_input();
            }
            Attempt::Locked { remaining_ms } => {
                self.log(LogEvent::VisualCheckLocked);
                self.beep(Beep::Error);
                self.show(Screen::VisualCheckLocked { minutes: minutes_left(remaining_ms) });
                self.arm_input();
            }
        }
    }

    // ---- card ------------------------------------------------------------

    fn on_card_placed(&mut self, now: Now) {
        if self.state.in_card_session() {
            return;
        }
        if !matches!(self.state, State::PaperKeyIn) {
            self.session = Session::new();
        }
        self.log(LogEvent::CardPlaced);
        if !self.config.facility.can_read_card_online() {
            // The card cannot be checked online here: it counts as shown,
            // and the rules say what else is needed.
            let card = MynaCard {
                certificate_valid_until: now.date,
                registered: true,
                pin_less: false,
                medium: CardMedium::Card,
            };
            if self.push_document(Document::MynaCard(card)) {
                self.decide_now(now);
            }
            return;
        }
        self.start_card_read();
    }

    fn start_card_read(&mut self) {
        self.cert = CertReader::new();
        self.state = State::SelectAp;
        self.show(Screen::ReadingCard);
        self.send_apdu(jpki::select_jpki());
    }

    /// The patient chose "smartphone" on the face reader. Where a phone
    /// cannot be used (no general-purpose reader, before phones were
    /// accepted, offline) it counts as shown and the rules say what else is
    /// needed; else Android asks for its PIN first, iPhone for the
    /// authentication on the phone.
    fn on_choose_phone(&mut self, now: Now, kind: PhoneKind) {
        if !matches!(self.state, State::PaperKeyIn) {
            self.session = Session::new();
        }
        let medium = match kind {
            PhoneKind::Android => CardMedium::Android,
            PhoneKind::IPhone => CardMedium::IPhone,
        };
        self.session.medium = medium;
        self.log(LogEvent::CardPlaced);
        // The certificate is not read yet: judged usable on its last day.
        let phone = MynaCard { certificate_valid_until: now.date, registered: true, pin_less: false, medium };
        let facility = self.config.facility;
        if !facility.can_read_card_online()
            || !crate::rules::validity::usable_at_reader(&self.policy, &phone, &facility, now.date)
        {
            if self.push_document(Document::MynaCard(phone)) {
                self.decide_now(now);
            }
            return;
        }
        self.pin.clear();
        match kind {
            PhoneKind::Android => {
                self.state = State::PhonePin;
                self.show_pin_entry();
            }
            PhoneKind::IPhone => {
                self.state = State::PhoneAuth;
                self.show(Screen::PhoneAuth);
            }
        }
        self.arm_input();
    }

    fn on_phone_pin_digit(&mut self, digit: u8) {
        if self.pin.push_digit(digit).is_err() {
            return;
        }
        self.show_pin_entry();
        self.arm_input();
        if self.pin.is_complete() {
            // The digits wait in the zeroising buffer until VERIFY.
            self.state = State::PhoneHold;
            self.show(Screen::PhoneHold { iphone: false });
        }
    }

    fn on_card_removed(&mut self) {
        if !self.state.in_card_session() {
            return;
        }
        self.pin.clear();
        self.log(LogEvent::CardRemoved { mid_session: true });
        self.message(Screen::CardRemoved);
    }

    fn on_card_response(&mut self, now: Now, bytes: &[u8]) {
        if !self.state.waits_for_card() {
            return;
        }
        self.timers.cancel(TimerKind::Card);
        let Ok(response) = Response::new_checked(bytes) else {
            return self.card_error();
        };
        let status = response.status().classify();
        match self.state {
            State::SelectAp if status == Status::Ok => {
                self.state = State::SelectToken;
                self.send_apdu(jpki::select_ef(Ef::Token));
            }
            State::SelectToken if status == Status::Ok => match jpki::read_binary(0, jpki::TOKEN_LEN) {
                Ok(cmd) => {
                    self.state = State::ReadToken;
                    self.send_apdu(cmd);
                }
                Err(_) => self.card_error(),
            },
            State::ReadToken if status == Status::Ok => {
                match (TokenKind::parse(response.data()), self.session.medium) {
                    (TokenKind::Card, CardMedium::Card) | (TokenKind::Smartphone, CardMedium::IPhone) => {
                        self.start_cert_read()
                    }
                    // Android: the smartphone PIN is verified before the
                    // certificate can be read.
                    (TokenKind::Smartphone, CardMedium::Android) => {
                        self.state = State::SelectPinEf;
                        self.send_apdu(jpki::select_ef(Ef::AuthPin));
                    }
                    // Unknown token, or not what the patient chose.
                    _ => self.card_error(),
                }
            }
            State::ReadCert => match self.cert.on_response(bytes) {
                Step::Send(cmd) => self.send_apdu(cmd),
                Step::Failed(_) => self.card_error(),
                Step::Done(info) => {
                    let valid = info.is_valid_on(now.date);
                    let until = info.expires_jst().date();
                    self.session.card_read = true;
                    self.session.cert_valid_until = Some(until);
                    self.session.serial = info.serial.clone();
                    self.log(LogEvent::CertificateRead { valid });
                    let card = self.card_on_reader(until);
                    let facility = self.config.facility;
                    let policy = self.policy;
                    if !crate::rules::validity::usable_at_reader(&policy, &card, &facility, now.date) {
                        // Past its grace (a card) or expired (a phone: no grace).
                        self.show(Screen::CertificateExpired);
                        return self.decide_now(now);
                    }
                    if !card.medium.is_phone()
                        && crate::rules::validity::renewal_alert(&policy, until, now.date).is_some()
                    {
                        self.show(Screen::RenewalAlert { expired: !valid });
                    }
                    match self.session.medium {
                        CardMedium::Card => {
                            self.state = State::SelectPinEf;
                            self.send_apdu(jpki::select_ef(Ef::AuthPin));
                        }
                        CardMedium::Android => self.identified(IdentityMethod::Pin),
                        CardMedium::IPhone => self.identified(IdentityMethod::Phone),
                    }
                }
            },
            State::SelectPinEf if status == Status::Ok => {
                self.state = State::PinCounter;
                self.send_apdu(jpki::pin_retry_counter());
            }
            State::PinCounter if self.session.medium == CardMedium::Android => match status {
                Status::WrongPin { tries_left } => {
                    self.session.pin_tries = Some(tries_left);
                    // The PIN typed before the phone was held goes out now
                    // (on the last try only after an explicit yes).
                    if tries_left == 1 {
                        self.state = State::PinLastTry;
                        self.show(Screen::PinLastTry);
                        self.arm_input();
                    } else {
                        self.send_verify();
                    }
                }
                Status::PinBlocked => {
                    self.pin.clear();
                    self.session.pin_blocked = true;
                    self.log(LogEvent::PinBlocked);
                    self.show(Screen::PinBlocked);
                    self.decide_now(now);
                }
                _ => self.card_error(),
            },
            State::PinCounter => {
                match status {
                    Status::WrongPin { tries_left } => self.session.pin_tries = Some(tries_left),
                    Status::PinBlocked => {
                        self.session.pin_blocked = true;
                        self.log(LogEvent::PinBlocked);
                        self.show(Screen::PinBlocked);
                    }
                    // No PIN set (顔認証マイナンバーカード, `6984`): face or
                    // visual check only.
                    Status::PinNotUsable => self.session.pin_less = true,
                    // A card that does not report its counter: no PIN offered.
                    _ => self.session.pin_less = true,
                }
                self.enter_choose_auth();
            }
            State::PinVerify => self.on_verify(status),
            _ => self.card_error(),
        }
    }

    fn start_cert_read(&mut self) {
        self.state = State::ReadCert;
        let cmd = self.cert.start();
        self.send_apdu(cmd);
    }

    /// The card (or phone) on the reader, with its certificate's last day.
    fn card_on_reader(&self, until: NaiveDate) -> MynaCard {
        MynaCard {
            certificate_valid_until: until,
            registered: self.session.registered,
            pin_less: self.session.pin_less,
            medium: self.session.medium,
        }
    }

    fn card_error(&mut self) {
        self.pin.clear();
        self.log(LogEvent::CardError);
        self.message(Screen::CardRemoved);
    }

    fn enter_choose_auth(&mut self) {
        let screen = if self.session.face_failures >= FACE_AUTH_LIMIT && !self.session.pin_allowed() {
            Screen::FaceLocked
        } else {
            Screen::ChooseAuth { pin_allowed: self.session.pin_allowed() }
        };
        self.enter_choose_auth_showing(screen);
    }

    /// Waits for the choice of method while `screen` says why (a blocked PIN,
    /// a locked face authentication stays on screen until the next choice).
    fn enter_choose_auth_showing(&mut self, screen: Screen) {
        self.state = State::ChooseAuth;
        self.show(screen);
        self.arm_input();
    }

    fn on_face(&mut self, matched: bool) {
        if matched {
            return self.identified(IdentityMethod::Face);
        }
        self.session.face_failures = self.session.face_failures.saturating_add(1);
        let failures = self.session.face_failures;
        self.log(LogEvent::FaceFailed { failures });
        if failures >= FACE_AUTH_LIMIT {
            self.enter_choose_auth_showing(Screen::FaceLocked);
        } else {
            self.show(Screen::FaceFailed { failures, pin_allowed: self.session.pin_allowed() });
            self.arm_input();
        }
    }

    fn on_pin_digit(&mut self, digit: u8) {
        if self.pin.push_digit(digit).is_err() {
            return;
        }
        self.show_pin_entry();
        self.arm_input();
        if !self.pin.is_complete() {
            return;
        }
        if self.session.pin_tries == Some(1) {
            // One try left: never send without an explicit yes.
            self.state = State::PinLastTry;
            self.show(Screen::PinLastTry);
        } else {
            self.send_verify();
        }
    }

    fn send_verify(&mut self) {
        let command = jpki::verify_pin(&self.pin);
        // The digits now live only in the VERIFY buffer, which zeroises itself.
        self.pin.clear();
        match command {
            Ok(cmd) => {
                self.state = State::PinVerify;
                self.push(Action::SendVerify(cmd));
                self.timers.set(TimerKind::Card, self.now + self.config.card_timeout_ms);
            }
            Err(_) => self.enter_choose_auth(),
        }
    }

    fn on_verify(&mut self, status: Status) {
        match status {
            // Android: the PIN opens the certificate.
            Status::Ok if self.session.medium == CardMedium::Android => self.start_cert_read(),
            Status::Ok => self.identified(IdentityMethod::Pin),
            Status::PinNotUsable => {
                self.session.pin_less = true;
                self.enter_choose_auth();
            }
            Status::WrongPin { tries_left } => {
                self.session.pin_tries = Some(tries_left);
                self.log(LogEvent::PinWrong { tries_left });
                self.state = State::PinEntry;
                self.show(Screen::PinWrong { tries_left });
                self.beep(Beep::Error);
                self.arm_input();
            }
            Status::PinBlocked => {
                self.session.pin_blocked = true;
                self.log(LogEvent::PinBlocked);
                self.beep(Beep::Error);
                self.enter_choose_auth_showing(Screen::PinBlocked);
            }
            _ => self.card_error(),
        }
    }

    fn identified(&mut self, method: IdentityMethod) {
        self.session.identity = Some(method);
        self.log(LogEvent::Identified(method));
        self.state = State::Consent;
        self.show(Screen::Consent);
        self.arm_input();
    }

    // ---- online ------------------------------------------------------------

    fn send_query(&mut self, now: Now) {
        if !self.config.facility.can_read_card_online() {
            return self.decide_now(now);
        }
        self.session.query_by = Some(QueryBy::CardSerial(self.session.serial.clone()));
        self.start_query(now);
    }

    fn query_by_numbers(&mut self, now: Now, form: Option<KeyInForm<'_>>) {
        let keyed = match form.map(|f| (f.parse(), f)) {
            None => None,
            Some((Ok(k), _)) => Some((k.insurer, k.member, k.birth_date)),
            Some((Err(e), f)) => return self.reject_key_in(e, f.get(e.field).unwrap_or("")),
        };
        let recorded = self.session.documents.iter().rev().find_map(|d| match d {
            Document::Certificate(c) => Some(&c.coverage),
            Document::Notice(n) => Some(&n.coverage),
            Document::Portal(p) => Some(&p.coverage),
            Document::OldCard(o) => Some(&o.coverage),
            _ => None,
        });
        let numbers = match keyed {
            Some((insurer, member, birth)) => Some((insurer, member, birth.or(self.session.birth_date))),
            None => recorded.map(|c| (c.insurer.clone(), c.member.clone(), self.session.birth_date)),
        };
        let Some((insurer, member, Some(birth_date))) = numbers else {
            self.log(LogEvent::NothingToQueryWith);
            self.beep(Beep::Error);
            return;
        };
        if !self.config.facility.can_query_by_numbers() {
            self.show(Screen::NetworkDown);
            self.beep(Beep::Error);
            return;
        }
        self.session.query_by = Some(QueryBy::Numbers { insurer, member, birth_date });
        self.start_query(now);
    }

    fn start_query(&mut self, now: Now) {
        self.session.query_id = self.next_query_id;
        self.next_query_id = self.next_query_id.wrapping_add(1).max(1);
        self.session.query_attempt = 0;
        self.state = State::Query;
        self.show(Screen::Querying);
        self.timers.cancel(TimerKind::Input);
        self.resend_query(now);
    }

    fn resend_query(&mut self, now: Now) {
        self.session.query_attempt = self.session.query_attempt.saturating_add(1);
        let id = self.session.query_id;
        let Some(by) = self.session.query_by.clone() else { return self.decide_now(now) };
        let query = EligibilityQuery { id, date: now.date, by };
        self.log(LogEvent::QuerySent { id, attempt: self.session.query_attempt });
        self.push(Action::SendQuery(query));
        self.timers.set(TimerKind::Query, now.ms + self.config.query_timeout_ms);
    }

    fn on_reply(&mut self, now: Now, reply: &EligibilityReply) {
        if self.state != State::Query || reply.id != self.session.query_id {
            self.log(LogEvent::StaleReply { id: reply.id });
            return;
        }
        self.timers.cancel(TimerKind::Query);
        match &reply.result {
            Ok(answer) => {
                self.session.birth_date = answer.birth_date.or(self.session.birth_date);
                let by = match self.session.query_by {
                    Some(QueryBy::Numbers { .. }) => QueryKey::Numbers,
                    _ => QueryKey::Card,
                };
                self.session.online = OnlineStatus::Answered { by, answer: answer.clone() };
                self.decide_now(now);
            }
            Err(ServiceError::CardNotRegistered) if matches!(self.session.query_by, Some(QueryBy::CardSerial(_))) => {
                self.session.registered = false;
                self.state = State::Register;
                self.show(Screen::NotRegistered);
                self.arm_input();
            }
            Err(_) => {
                self.log(LogEvent::ServiceError);
                self.session.online = OnlineStatus::ServiceError;
                self.decide_now(now);
            }
        }
    }

    // ---- paper -------------------------------------------------------------

    fn on_key_in(&mut self, kind: PaperKind, form: &KeyInForm<'_>) {
        if self.state.in_card_session() {
            return;
        }
        let document = super::paper::keyed_document(kind, form).map(|(doc, birth_date)| {
            if birth_date.is_some() {
                self.session.birth_date = birth_date;
            }
            doc
        });
        match document {
            Ok(doc) => {
                if self.push_document(doc) {
                    self.log(LogEvent::DocumentKeyed(kind));
                    self.state = State::PaperKeyIn;
                    self.timers.cancel(TimerKind::Screen);
                }
            }
            Err(e) => {
                let text = form.get(e.field).unwrap_or("");
                self.reject_key_in(e, text);
            }
        }
    }

    fn on_staff_document(&mut self, doc: &Document) {
        if self.push_document(doc.clone()) {
            self.log(LogEvent::DocumentRecorded(doc.kind()));
            self.enter_paper();
        }
    }

    fn reject_key_in(&mut self, e: KeyInError, text: &str) {
        self.log(LogEvent::KeyInRejected(e.field));
        let entered = KeyInText::new(text).unwrap_or(KeyInText::EMPTY);
        self.show(Screen::KeyIn { field: e.field, entered, error: true });
        self.beep(Beep::Error);
        self.state = State::PaperKeyIn;
    }

    fn enter_paper(&mut self) {
        self.state = State::PaperKeyIn;
        // The clerk is working: the previous result no longer times out.
        self.timers.cancel(TimerKind::Screen);
    }

    /// Records `doc`, or refuses it (error beep, log record, [`Refusal`])
    /// when the visit has no place left; says whether it was recorded.
    fn push_document(&mut self, doc: Document) -> bool {
        let kind = doc.kind();
        if self.session.documents.push(doc).is_ok() {
            return true;
        }
        self.log(LogEvent::DocumentRefused(kind));
        self.beep(Beep::Error);
        self.refusal = Some(Refusal::DocumentsFull);
        false
    }

    // ---- decision ------------------------------------------------------------

    fn decide_now(&mut self, now: Now) {
        self.timers.cancel(TimerKind::Input);
        self.timers.cancel(TimerKind::Query);
        let mut documents: Vec<Document, MAX_DOCUMENTS> = Vec::new();
        if self.session.card_read {
            let card = self.card_on_reader(self.session.cert_valid_until.unwrap_or(now.date));
            // The card goes first: it is what the patient showed at the reader.
            documents.push(Document::MynaCard(card)).ok();
        }
        // Cannot fail: the card takes the place staff documents leave free.
        const _: () = assert!(MAX_STAFF_DOCUMENTS < MAX_DOCUMENTS);
        documents.extend_from_slice(&self.session.documents).ok();
        let visit = Visit {
            date: now.date,
            facility: self.config.facility,
            patient: self.session.birth_date.map(|birth_date| Person { birth_date, sex: None }),
            circumstances: self.session.circumstances,
            documents,
            identity: self.session.identity,
            online: self.session.online.clone(),
        };
        let decision = decide(&visit, &self.policy);
        let screen = screen_for(&decision, self.session.answer());
        let again = core::mem::replace(&mut self.session.decided, true);
        self.log(LogEvent::Decided {
            outcome: decision.outcome,
            basis: decision.basis,
            rule: decision.deciding.id,
            phone: self.session.medium != CardMedium::Card,
            again,
        });
        self.beep(if decision.outcome == crate::rules::Outcome::Accepted { Beep::Ok } else { Beep::Attention });
        self.push(Action::Decided(decision));
        self.show(screen);
        self.state = State::Result;
        self.timers.set(TimerKind::Screen, now.ms + self.config.screen_ms);
    }

    // ---- timers ---------------------------------------------------------------

    fn on_timer(&mut self, kind: TimerKind, now: Now) {
        match kind {
            TimerKind::Card if self.state.waits_for_card() => {
                self.pin.clear();
                self.log(LogEvent::CardTimeout);
                self.message(Screen::CardRemoved);
            }
            TimerKind::Input if self.state.in_card_session() || self.state == State::PaperKeyIn => {
                self.log(LogEvent::Cancelled);
                self.enter_idle();
            }
            TimerKind::Query if self.state == State::Query => {
                if self.session.query_attempt < self.config.query_attempts {
                    self.resend_query(now);
                } else {
                    self.log(LogEvent::QueryTimedOut { id: self.session.query_id });
                    self.session.online = OnlineStatus::Timeout;
                    self.decide_now(now);
                }
            }
            TimerKind::Screen if matches!(self.state, State::Result | State::Message) => self.enter_idle(),
            _ => {}
        }
    }

    // ---- helpers ----------------------------------------------------------------

    fn enter_idle(&mut self) {
        self.pin.clear();
        self.session = Session::new();
        self.timers.clear();
        self.state = State::Idle;
        self.show_idle();
    }

    fn show_idle(&mut self) {
        let f = self.config.facility;
        let screen = if !f.online_capable {
            Screen::Idle { online: false }
        } else if f.network == crate::domain::NetworkState::Down {
            Screen::NetworkDown
        } else if f.reader == crate::domain::ReaderState::Broken {
            Screen::ServiceUnavailable
        } else {
            Screen::Idle { online: true }
        };
        self.show(screen);
    }

    fn message(&mut self, screen: Screen) {
        self.timers.clear();
        self.state = State::Message;
        self.show(screen);
        self.beep(Beep::Attention);
        self.timers.set(TimerKind::Screen, self.now + self.config.screen_ms);
    }

    fn show_pin_entry(&mut self) {
        let entered = u8::try_from(self.pin.len()).unwrap_or(u8::MAX);
        self.show(Screen::PinEntry { entered, tries_left: self.session.pin_tries });
    }

    fn arm_input(&mut self) {
        self.timers.set(TimerKind::Input, self.now + self.config.input_timeout_ms);
    }

    fn send_apdu(&mut self, cmd: Command) {
        self.push(Action::SendApdu(cmd));
        self.timers.set(TimerKind::Card, self.now + self.config.card_timeout_ms);
    }

    fn show(&mut self, screen: Screen) {
        self.push(Action::Show(screen));
    }

    fn beep(&mut self, beep: Beep) {
        self.push(Action::Beep(beep));
    }

    fn log(&mut self, event: LogEvent) {
        let (at, date) = (self.now, self.today);
        self.push(Action::Log(LogRecord { at, date, event }));
    }

    fn push(&mut self, action: Action) {
        if self.actions.push_back(action).is_err() {
            self.dropped_actions = self.dropped_actions.saturating_add(1);
        }
    }
}
