//! The reception terminal driven by arbitrary event sequences, with oracles:
//!
//! - every action is drained: `handle` never refuses for undrained actions,
//!   and `dropped_actions()` stays 0;
//! - every state but idle has a deadline, and ticking at each deadline
//!   brings the terminal back to idle;
//! - no action but the VERIFY to the card depends on the PIN digits typed
//!   (the same run with the digits permuted gives the same other actions);
//! - the same input gives the same actions.
#![no_main]

use chrono::NaiveDate;
use firmware::domain::{
    CopayRate, Document, Facility, FacilityKind, KeyInForm, NetworkState, OnlineAnswer, ReaderState,
};
use firmware::link::{EligibilityReply, ServiceError};
use firmware::reception::{Action, Event, Handled, Millis, Now, PaperKind, Refusal, State, Terminal, TerminalConfig};
use firmware::rules::{Circumstances, Policy};
use host_sim::virtual_card::{CardProfile, VirtualCard};
use libfuzzer_sys::fuzz_target;

/// Events per input at most.
const MAX_EVENTS: usize = 256;
/// Time steps between events, ms: none, short, around each timeout.
const DELTAS: [u64; 8] = [0, 1, 250, 2_999, 3_000, 10_000, 60_000, 200_000];
/// Ticks allowed to reach idle once the input ends.
const MAX_SETTLE_TICKS: usize = 32;

/// An event with owned data, replayable.
#[derive(Debug, Clone)]
enum Step {
    CardPlaced,
    CardRemoved,
    CardBytes(Vec<u8>),
    /// The virtual card answers the last APDU sent.
    CardGood,
    ChooseFace,
    ChoosePin,
    Face(bool),
    PinDigit(u8),
    PinBackspace,
    ConfirmLastTry(bool),
    Consent(bool),
    Register(bool),
    /// A reply to the latest query (`None`) or to this id.
    Reply(Option<u16>, Result<OnlineAnswer, ServiceError>),
    VisualCheck,
    IdentityConfirmed,
    KeyIn(PaperKind, Vec<String>),
    Document(Document),
    Circumstances(Circumstances),
    QueryByNumbers(Option<Vec<String>>),
    CardSeen,
    BirthDate(String),
    Decide,
    Cancel,
    Equipment(ReaderState, NetworkState),
    Tick,
}

struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn chunk(&mut self) -> &'a [u8] {
        let n = usize::from(self.byte().unwrap_or(0)).min(self.0.len());
        let (c, rest) = self.0.split_at(n);
        self.0 = rest;
        c
    }
    fn text(&mut self) -> String {
        String::from_utf8_lossy(self.chunk()).into_owned()
    }
    fn fields(&mut self) -> Vec<String> {
        self.text().split('|').map(str::to_owned).collect()
    }
}

fn form(fields: &[String]) -> KeyInForm<'_> {
    let f = |i: usize| fields.get(i).map(String::as_str);
    KeyInForm {
        insurer_number: f(0),
        symbol: f(1),
        number: f(2),
        branch: f(3),
        birth_date: f(4),
        valid_from: f(5),
        valid_until: f(6),
        issued_on: f(7),
        copay_ratio: f(8),
        copay_from: f(9),
    }
}

fn parse(data: &[u8]) -> Option<(Facility, Vec<(u64, Step)>)> {
    let mut b = Bytes(data);
    let setup = b.byte()?;
    let facility = Facility {
        kind: FacilityKind::Clinic,
        online_capable: setup & 1 != 0,
        reader: if setup & 2 != 0 { ReaderState::Broken } else { ReaderState::Working },
        network: if setup & 4 != 0 { NetworkState::Down } else { NetworkState::Up },
    };
    let mut steps = Vec::new();
    while steps.len() < MAX_EVENTS {
        let Some(op) = b.byte() else { break };
        let delta = DELTAS[usize::from(op >> 5)];
        let flag = b.0.first().is_some_and(|x| x & 1 != 0);
        let step = match op & 0x1F {
            0 => Step::CardPlaced,
            1 => Step::CardRemoved,
            2 => Step::CardBytes(b.chunk().to_vec()),
            3..=5 => Step::CardGood,
            6 => Step::ChooseFace,
            7 => Step::ChoosePin,
            8 => Step::Face(flag),
            9 | 10 => Step::PinDigit(b.byte().unwrap_or(0) % 12),
            11 => Step::PinBackspace,
            12 => Step::ConfirmLastTry(flag),
            13 => Step::Consent(flag),
            14 => Step::Register(flag),
            15 => {
                let kind = b.byte().unwrap_or(0);
                let id = if kind & 0x80 != 0 { Some(u16::from(b.byte().unwrap_or(0))) } else { None };
                let result = match kind & 7 {
                    0 => Err(ServiceError::Unavailable),
                    1 => Err(ServiceError::BadRequest),
                    2 => Err(ServiceError::Internal),
                    3 => Err(ServiceError::CardNotRegistered),
                    4 => postcard::from_bytes(b.chunk()).map_err(|_| ServiceError::Internal),
                    _ => Ok(OnlineAnswer::valid(CopayRate::Thirty)),
                };
                Step::Reply(id, result)
            }
            16 => Step::VisualCheck,
            17 => Step::IdentityConfirmed,
            18 => {
                let kind = [PaperKind::Certificate, PaperKind::Notice, PaperKind::Portal, PaperKind::OldCard]
                    [usize::from(b.byte().unwrap_or(0) & 3)];
                Step::KeyIn(kind, b.fields())
            }
            19 => match postcard::from_bytes(b.chunk()) {
                Ok(doc) => Step::Document(doc),
                Err(_) => Step::Tick,
            },
            20 => Step::Circumstances(postcard::from_bytes(b.chunk()).unwrap_or_default()),
            21 => Step::QueryByNumbers(flag.then(|| b.fields())),
            22 => Step::CardSeen,
            23 => Step::BirthDate(b.text()),
            24 | 25 => Step::Decide,
            26 => Step::Cancel,
            27 => {
                let e = b.byte().unwrap_or(0);
                let reader = if e & 1 != 0 { ReaderState::Broken } else { ReaderState::Working };
                let network = if e & 2 != 0 { NetworkState::Down } else { NetworkState::Up };
                Step::Equipment(reader, network)
            }
            _ => Step::Tick,
        };
        steps.push((delta, step));
    }
    Some((facility, steps))
}

fn now(ms: u64) -> Now {
    Now { ms: Millis(ms), date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() }
}

/// One run: the actions as text (VERIFY commands as a marker) and the end state.
struct Run {
    actions: Vec<String>,
}

struct Driver {
    terminal: Terminal,
    card: Option<VirtualCard>,
    last_apdu: Option<Vec<u8>>,
    last_query: u16,
    /// The PIN digit each typed digit becomes in this run.
    pin_map: [u8; 10],
    run: Run,
}

impl Driver {
    fn feed(&mut self, at: u64, event: Event<'_>) {
        let mut deferred = 0;
        loop {
            let handled = self.terminal.handle(now(at), event);
            self.drain();
            match handled {
                Handled::Deferred => {
                    deferred += 1;
                    assert!(deferred <= 4, "deferred more often than there are timer kinds");
                }
                Handled::Refused(Refusal::Undrained) => panic!("refused although drained"),
                Handled::Refused(Refusal::DocumentsFull) | Handled::Taken => break,
            }
        }
        assert_eq!(self.terminal.dropped_actions(), 0, "actions dropped");
        let state = self.terminal.state();
        if state != State::Idle {
            assert!(self.terminal.poll_timeout().is_some(), "{state:?} has no deadline");
        }
    }

    fn drain(&mut self) {
        while let Some(action) = self.terminal.poll_action() {
            let text = match &action {
                Action::SendVerify(cmd) => {
                    // The card sees the digits as typed: undo this run's mapping.
                    let mut apdu = cmd.as_bytes().to_vec();
                    for b in apdu.iter_mut().skip(5) {
                        if b.is_ascii_digit() {
                            let typed = self.pin_map.iter().position(|&m| m == *b - b'0').unwrap_or(0);
                            *b = b'0' + typed as u8;
                        }
                    }
                    self.last_apdu = Some(apdu);
                    "SendVerify".to_string()
                }
                Action::SendApdu(cmd) => {
                    self.last_apdu = Some(cmd.as_bytes().to_vec());
                    format!("{action:?}")
                }
                Action::SendQuery(q) => {
                    self.last_query = q.id;
                    format!("{action:?}")
                }
                _ => format!("{action:?}"),
            };
            self.run.actions.push(text);
        }
    }
}

fn play(facility: Facility, steps: &[(u64, Step)], pin_map: [u8; 10]) -> Run {
    let mut d = Driver {
        terminal: Terminal::new(TerminalConfig::new(facility), Policy::national()),
        card: None,
        last_apdu: None,
        last_query: 0,
        pin_map,
        run: Run { actions: Vec::new() },
    };
    d.terminal.start(now(0));
    d.drain();
    let mut at = 0u64;
    for (delta, step) in steps {
        at += delta;
        match step {
            Step::CardPlaced => {
                d.card = VirtualCard::new(CardProfile::default()).ok();
                d.feed(at, Event::CardPlaced);
            }
            Step::CardRemoved => d.feed(at, Event::CardRemoved),
            Step::CardBytes(bytes) => d.feed(at, Event::CardResponse(bytes)),
            Step::CardGood => {
                let answer = match (d.card.as_mut(), d.last_apdu.take()) {
                    (Some(card), Some(apdu)) => card.transmit(&apdu).ok(),
                    _ => None,
                };
                if let Some(answer) = answer {
                    d.feed(at, Event::CardResponse(&answer));
                }
            }
            Step::ChooseFace => d.feed(at, Event::ChooseFace),
            Step::ChoosePin => d.feed(at, Event::ChoosePin),
            Step::Face(m) => d.feed(at, Event::FaceResult { matched: *m }),
            Step::PinDigit(x) => {
                let digit = if *x < 10 { d.pin_map[usize::from(*x)] } else { *x };
                d.feed(at, Event::PinDigit(digit));
            }
            Step::PinBackspace => d.feed(at, Event::PinBackspace),
            Step::ConfirmLastTry(y) => d.feed(at, Event::ConfirmLastTry(*y)),
            Step::Consent(y) => d.feed(at, Event::Consent(*y)),
            Step::Register(y) => d.feed(at, Event::Register(*y)),
            Step::Reply(id, result) => {
                let reply = EligibilityReply { id: id.unwrap_or(d.last_query), result: result.clone() };
                d.feed(at, Event::OnlineReply(&reply));
            }
            Step::VisualCheck => d.feed(at, Event::StaffVisualCheck),
            Step::IdentityConfirmed => d.feed(at, Event::StaffIdentityConfirmed),
            Step::KeyIn(kind, fields) => d.feed(at, Event::StaffKeyIn { kind: *kind, form: form(fields) }),
            Step::Document(doc) => d.feed(at, Event::StaffDocument(doc)),
            Step::Circumstances(c) => d.feed(at, Event::StaffCircumstances(*c)),
            Step::QueryByNumbers(fields) => d.feed(at, Event::StaffQueryByNumbers(fields.as_deref().map(form))),
            Step::CardSeen => d.feed(at, Event::StaffCardSeen),
            Step::BirthDate(text) => d.feed(at, Event::StaffBirthDate(text)),
            Step::Decide => d.feed(at, Event::StaffDecide),
            Step::Cancel => d.feed(at, Event::StaffCancel),
            Step::Equipment(reader, network) => d.feed(at, Event::Equipment { reader: *reader, network: *network }),
            Step::Tick => d.feed(at, Event::Tick),
        }
    }
    // Nobody does anything more: every deadline passes, the terminal rests.
    for _ in 0..MAX_SETTLE_TICKS {
        let Some(deadline) = d.terminal.poll_timeout() else { break };
        at = at.max(deadline.0);
        d.feed(at, Event::Tick);
    }
    assert_eq!(d.terminal.state(), State::Idle, "not at rest once every deadline passed");
    d.run
}

const IDENTITY: [u8; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const PERMUTED: [u8; 10] = [7, 3, 9, 0, 5, 1, 8, 2, 6, 4];

fuzz_target!(|data: &[u8]| {
    let Some((facility, steps)) = parse(data) else { return };
    let first = play(facility, &steps, IDENTITY);
    let again = play(facility, &steps, IDENTITY);
    assert_eq!(first.actions, again.actions, "the same input gave other actions");
    let permuted = play(facility, &steps, PERMUTED);
    assert_eq!(first.actions, permuted.actions, "an action depends on the PIN digits typed");
});
