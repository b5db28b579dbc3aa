//! A virtual counter: the firmware's reception [`Terminal`] wired to a
//! virtual My Number card and the virtual online service, on a virtual
//! clock. Tests, scenarios and training all drive the real state machine
//! through this.
//!
//! Everything that happens is recorded in a transcript whose lines carry no
//! personal data: APDUs appear as headers and status words (never data),
//! queries and replies as ids and validity codes.

mod script;
mod transcript;

pub use script::{FINISH_LIMIT_MS, Step};
pub use transcript::Transcript;

use crate::virtual_card::VirtualCard;
use crate::virtual_service::VirtualService;
use chrono::NaiveDate;
use firmware::link::{EligibilityReply, FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::reception::{Action, Event, LogRecord, Millis, Now, Terminal, TerminalConfig};
use firmware::rules::{Decision, Policy};
use firmware::ui::Screen;

/// Longest time [`Counter::advance`] simulates in one call (a safety net
/// against a terminal that keeps re-arming timers).
const MAX_ADVANCE_MS: u64 = 24 * 3600 * 1000;

/// A terminal with its virtual peers.
pub struct Counter {
    terminal: Terminal,
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
}

impl Counter {
    /// A counter on `date`, starting at time 0 with the idle screen.
    pub fn new(config: TerminalConfig, date: NaiveDate, card: Option<VirtualCard>, service: VirtualService) -> Self {
        let mut counter = Self {
            terminal: Terminal::new(config, Policy::national()),
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
        };
        let now = counter.now();
        counter.terminal.start(now);
        counter.drain();
        counter
    }

    fn now(&self) -> Now {
        Now { ms: self.now, date: self.date }
    }

    /// The terminal (for its state).
    pub fn terminal(&self) -> &Terminal {
        &self.terminal
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
        self.transcript.event(self.now, &event);
        let now = self.now();
        self.terminal.handle(now, event);
        self.drain();
    }

    /// Lets `ms` pass: service replies arrive when due, terminal timers fire.
    pub fn advance(&mut self, ms: u64) {
        let end = self.now.0.saturating_add(ms.min(MAX_ADVANCE_MS));
        loop {
            let next_reply = self.in_flight.iter().map(|(at, _)| *at).min();
            let next_timer = self.terminal.poll_timeout().map(|m| m.0);
            let next = [next_reply, next_timer].into_iter().flatten().filter(|t| *t <= end).min();
            let Some(at) = next else { break };
            self.now = Millis(at.max(self.now.0));
            self.deliver_due_replies();
            let now = self.now();
            self.terminal.handle(now, Event::Tick);
            self.drain();
        }
        self.now = Millis(end);
    }

    /// Lets time pass until the terminal waits for nothing but people
    /// (no reply in flight, no card or query timer armed), at most `limit_ms`.
    pub fn settle(&mut self, limit_ms: u64) {
        let end = self.now.0.saturating_add(limit_ms);
        while let Some(at) = self.in_flight.iter().map(|(at, _)| *at).min() {
            if at > end {
                break;
            }
            self.advance(at - self.now.0);
        }
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
                    Some(Ok((_, other))) => self.transcript.line(self.now, format!("link: ignored {}", kind(&other))),
                }
            }
        }
    }

    fn reply(&mut self, seq: u8, reply: EligibilityReply) {
        self.transcript.reply(self.now, seq, &reply);
        let now = self.now();
        self.terminal.handle(now, Event::OnlineReply(&reply));
        self.drain();
    }

    /// Carries out every queued action; card answers go straight back in.
    fn drain(&mut self) {
        while let Some(action) = self.terminal.poll_action() {
            match action {
                Action::SendApdu(cmd) => self.send_to_card(cmd.as_bytes()),
                Action::SendVerify(cmd) => self.send_to_card(cmd.as_bytes()),
                Action::Show(screen) => {
                    self.transcript.screen(self.now, &screen);
                    self.screens.push(screen);
                }
                Action::SendQuery(query) => {
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
                Action::Log(record) => {
                    self.transcript.log(&record);
                    self.logs.push(record);
                }
                Action::Beep(beep) => self.transcript.line(self.now, format!("beep {beep:?}")),
                Action::Decided(decision) => {
                    self.transcript.decision(self.now, &decision);
                    self.decisions.push(decision);
                }
            }
        }
    }

    fn send_to_card(&mut self, apdu: &[u8]) {
        self.transcript.apdu(self.now, apdu);
        let answer = match self.card.as_mut() {
            Some(card) => card.transmit(apdu).ok(),
            None => None,
        };
        match answer {
            Some(resp) => {
                self.transcript.response(self.now, &resp);
                let now = self.now();
                self.terminal.handle(now, Event::CardResponse(&resp));
            }
            // No answer: the terminal's card timer will notice.
            None => self.transcript.line(self.now, "card: no answer".into()),
        }
    }
}

fn kind(m: &Message) -> &'static str {
    match m {
        Message::Query(_) => "query",
        Message::Reply(_) => "reply",
        _ => "other message",
    }
}
