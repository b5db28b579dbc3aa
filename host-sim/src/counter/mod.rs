//! A virtual counter: the firmware's reception [`Terminal`] wired to a
//! virtual My Number card and the virtual online service, on a virtual
//! clock. Tests, scenarios and training all drive the real state machine
//! through this.
//!
//! Everything that happens is recorded in a transcript whose lines carry no
//! personal data: APDUs appear as headers and status words (never data),
//! queries and replies as ids and validity codes.

mod inject;
mod port;
mod remote;
mod script;
mod transcript;

pub use inject::{CounterFault, Injection, Opportunities};
pub use port::{HostAction, LocalPort, Port, PortError};
pub use remote::{RemotePort, Stream};
pub use script::{FINISH_LIMIT_MS, Step};
pub use transcript::Transcript;

use crate::virtual_card::VirtualCard;
use crate::virtual_service::VirtualService;
use chrono::NaiveDate;
use firmware::link::{EligibilityReply, FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::reception::{Event, LogRecord, Millis, Now, State, TerminalConfig, WireEvent};
use firmware::rules::Decision;
use firmware::ui::Screen;
use std::collections::VecDeque;

/// Longest time [`Counter::advance`] simulates in one call (a safety net
/// against a terminal that keeps re-arming timers).
const MAX_ADVANCE_MS: u64 = 24 * 3600 * 1000;

/// A terminal with its virtual peers.
pub struct Counter<P: Port = LocalPort> {
    port: P,
    /// The patient's card, if they brought one.
    pub card: Option<VirtualCard>,
    /// The online service.
    pub service: VirtualService,
    now: Millis,
    date: NaiveDate,
    link_seq: u8,
    from_service: FrameReader,
    in_flight: Vec<(u64, Vec<u8>)>,
    /// What happened, line by line.
    pub transcript: Transcript,
    /// Every screen shown, in order.
    pub screens: Vec<Screen>,
    /// Every log record, in order.
    pub logs: Vec<LogRecord>,
    /// Every decision, in order.
    pub decisions: Vec<Decision>,
    /// The first failure of the port (a board that stopped answering);
    /// nothing happens after it.
    pub port_error: Option<PortError>,
    /// A fault to inject (the fault campaign).
    pub injection: Option<Injection>,
    /// Opportunities for injection seen so far.
    pub seen: Opportunities,
    /// Every event people and equipment gave so far (the visit, as the
    /// clerk would enter it again after a restart).
    history: Vec<WireEvent>,
}

impl Counter<LocalPort> {
    /// A counter with the terminal in this process, on `date`, starting at
    /// time 0 with the idle screen.
    pub fn new(config: TerminalConfig, date: NaiveDate, card: Option<VirtualCard>, service: VirtualService) -> Self {
        Counter::with_port(LocalPort::new(config), date, card, service)
    }
}

impl<P: Port> Counter<P> {
    /// A counter whose terminal is reached through `port`.
    pub fn with_port(port: P, date: NaiveDate, card: Option<VirtualCard>, service: VirtualService) -> Self {
        let mut counter = Self {
            port,
            card,
            service,
            now: Millis(0),
            date,
            link_seq: 0,
            from_service: FrameReader::new(),
            in_flight: Vec::new(),
            transcript: Transcript::default(),
            screens: Vec::new(),
            logs: Vec::new(),
            decisions: Vec::new(),
            port_error: None,
            injection: None,
            seen: Opportunities::default(),
            history: Vec::new(),
        };
        let now = counter.now();
        let first = counter.port.start(now);
        counter.carry_out(first);
        counter
    }

    fn now(&self) -> Now {
        Now { ms: self.now, date: self.date }
    }

    /// Where the terminal is.
    pub fn state(&self) -> State {
        self.port.state()
    }

    /// When the terminal must next be ticked.
    pub fn poll_timeout(&self) -> Option<Millis> {
        self.port.poll_timeout()
    }

    /// Actions the terminal dropped (zero in a correct integration).
    pub fn dropped_actions(&self) -> u32 {
        self.port.dropped_actions()
    }

    /// The last screen shown.
    pub fn screen(&self) -> Option<&Screen> {
        self.screens.last()
    }

    /// The last decision.
    pub fn decision(&self) -> Option<&Decision> {
        self.decisions.last()
    }

    /// Delivers one event now and carries out everything that follows at
    /// once (card answers are immediate; service replies wait for time).
    pub fn event(&mut self, event: Event<'_>) {
        let n = self.seen.events;
        self.seen.events += 1;
        match self.injected(n, false) {
            Some(CounterFault::ClockBack) => {
                self.now = Millis(self.now.0.saturating_sub(30 * 60 * 1000));
                self.transcript.line(self.now, "fault: clock jumped back".into());
            }
            Some(CounterFault::ClockAhead) => {
                self.now = Millis(self.now.0.saturating_add(7 * 24 * 3600 * 1000));
                self.transcript.line(self.now, "fault: clock jumped ahead".into());
            }
            Some(CounterFault::Restart) => {
                self.transcript.line(self.now, "fault: terminal restarted".into());
                let now = self.now();
                let actions = self.port.restart(now);
                self.carry_out(actions);
                // The clerk sees the idle screen and enters the visit again.
                for e in self.history.clone() {
                    self.transcript.event(self.now, &e.as_event());
                    self.feed(e.as_event());
                    self.advance(0);
                }
            }
            _ => {}
        }
        self.history.extend(WireEvent::from_event(&event));
        self.transcript.event(self.now, &event);
        self.feed(event);
    }

    /// The fault to inject at opportunity `n` of its kind (`card`: an APDU).
    fn injected(&self, n: usize, card: bool) -> Option<CounterFault> {
        self.injection.filter(|i| i.at == n && i.fault.at_card() == card).map(|i| i.fault)
    }

    fn feed(&mut self, event: Event<'_>) {
        if self.port_error.is_some() {
            return;
        }
        let now = self.now();
        let actions = self.port.handle(now, event);
        self.carry_out(actions);
    }

    /// Lets `ms` pass: service replies arrive when due, terminal timers fire.
    pub fn advance(&mut self, ms: u64) {
        let end = self.now.0.saturating_add(ms.min(MAX_ADVANCE_MS));
        while self.port_error.is_none() {
            let next_reply = self.in_flight.iter().map(|(at, _)| *at).min();
            let next_timer = self.port.poll_timeout().map(|m| m.0);
            let next = [next_reply, next_timer].into_iter().flatten().filter(|t| *t <= end).min();
            let Some(at) = next else { break };
            self.now = Millis(at.max(self.now.0));
            self.deliver_due_replies();
            self.feed(Event::Tick);
        }
        self.now = Millis(end);
    }

    fn deliver_due_replies(&mut self) {
        let now = self.now.0;
        let (due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.in_flight).into_iter().partition(|(at, _)| *at <= now);
        self.in_flight = later;
        for (_, bytes) in due {
            for byte in bytes {
                match self.from_service.push(byte) {
                    None => {}
                    Some(Err(e)) => self.transcript.line(self.now, format!("link: dropped a bad frame ({e})")),
                    Some(Ok((seq, Message::Reply(reply)))) => self.reply(seq, reply),
                    Some(Ok((_, other))) => self.transcript.line(self.now, format!("link: ignored {}", other.kind())),
                }
            }
        }
    }

    fn reply(&mut self, seq: u8, reply: EligibilityReply) {
        self.transcript.reply(self.now, seq, &reply);
        self.feed(Event::OnlineReply(&reply));
    }

    /// Carries out actions in order; a card answer goes straight back in and
    /// its actions follow the ones already waiting.
    fn carry_out(&mut self, actions: Result<Vec<HostAction>, PortError>) {
        let mut queue: VecDeque<HostAction> = match actions {
            Ok(a) => a.into(),
            Err(e) => return self.fail(e),
        };
        while let Some(action) = queue.pop_front() {
            match action {
                HostAction::Apdu(mut apdu) => {
                    let more = self.send_to_card(&apdu);
                    // A VERIFY carries the PIN: wipe the host's copy.
                    apdu.iter_mut().for_each(|b| *b = 0);
                    match more {
                        Some(Ok(a)) => queue.extend(a),
                        Some(Err(e)) => return self.fail(e),
                        None => {}
                    }
                }
                HostAction::Show(screen) => {
                    self.transcript.screen(self.now, &screen);
                    self.screens.push(screen);
                }
                HostAction::Query(query) => {
                    self.transcript.query(self.now, &query);
                    let mut wire = [0u8; MAX_WIRE_FRAME];
                    match encode_message(self.link_seq, &Message::Query(query), &mut wire) {
                        Ok(n) => {
                            self.link_seq = self.link_seq.wrapping_add(1);
                            for out in self.service.on_bytes(&wire[..n], self.now.0) {
                                self.in_flight.push((out.at_ms, out.bytes));
                            }
                        }
                        Err(e) => self.transcript.line(self.now, format!("link: cannot encode query ({e})")),
                    }
                }
                HostAction::Log(record) => {
                    self.transcript.log(&record);
                    self.logs.push(record);
                }
                HostAction::Beep(beep) => self.transcript.line(self.now, format!("beep {beep:?}")),
                HostAction::Decided(decision) => {
                    self.transcript.decision(self.now, &decision);
                    self.decisions.push(decision);
                }
            }
        }
    }

    fn fail(&mut self, e: PortError) {
        self.transcript.line(self.now, format!("PORT FAILED: {e}"));
        self.port_error = Some(e);
    }

    /// Sends an APDU; returns the terminal's actions on the answer, or
    /// `None` when the card did not answer.
    fn send_to_card(&mut self, apdu: &[u8]) -> Option<Result<Vec<HostAction>, PortError>> {
        self.transcript.apdu(self.now, apdu);
        let n = self.seen.apdus;
        self.seen.apdus += 1;
        let fault = self.injected(n, true);
        if fault == Some(CounterFault::CardPulled)
            && let Some(card) = self.card.as_mut()
        {
            card.remove();
            self.transcript.line(self.now, "fault: card pulled".into());
            let now = self.now();
            return Some(self.port.handle(now, Event::CardRemoved));
        }
        let answer = match self.card.as_mut() {
            Some(card) => card.transmit(apdu).ok().map(|resp| damage(resp, fault)),
            None => None,
        };
        match answer {
            Some(resp) => {
                self.transcript.response(self.now, &resp);
                let now = self.now();
                Some(self.port.handle(now, Event::CardResponse(&resp)))
            }
            // No answer: the terminal's card timer will notice.
            None => {
                self.transcript.line(self.now, "card: no answer".into());
                None
            }
        }
    }
}

/// The card's answer as a fault changes it.
fn damage(mut resp: Vec<u8>, fault: Option<CounterFault>) -> Vec<u8> {
    match fault {
        Some(CounterFault::CardGarbled) => {
            let i = if resp.len() > 2 { (resp.len() - 2) / 2 } else { 0 };
            if let Some(b) = resp.get_mut(i) {
                *b ^= 0x5A;
            }
            resp
        }
        Some(CounterFault::CardTruncated) => {
            resp.truncate(1);
            resp
        }
        Some(CounterFault::CardOtherStatus) => vec![0x65, 0x81],
        _ => resp,
    }
}
