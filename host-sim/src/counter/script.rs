//! A session as data: the steps a scenario, a test or a trainer plays at a
//! counter, in order.

use super::Counter;
use firmware::reception::WireEvent;

/// One step of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A person's or the equipment's input, now.
    Event(Box<WireEvent>),
    /// Let this many milliseconds pass (replies arrive, timers fire).
    Wait(u64),
}

/// Longest time [`Counter::finish`] lets pass waiting for a decision.
pub const FINISH_LIMIT_MS: u64 = 120_000;

impl<P: super::Port> Counter<P> {
    /// Plays `steps`; after each event, replies already due are delivered.
    pub fn run(&mut self, steps: &[Step]) {
        for step in steps {
            match step {
                Step::Event(e) => {
                    self.event(e.as_event());
                    self.advance(0);
                }
                Step::Wait(ms) => self.advance(*ms),
            }
        }
    }

    /// Lets time pass until a decision is made after the current number of
    /// decisions, or nothing more can happen without a person (no reply in
    /// flight, no query or card timer), or `limit_ms` passed. Returns whether
    /// a new decision was made.
    pub fn finish(&mut self, limit_ms: u64) -> bool {
        let before = self.decisions.len();
        let end = self.now.0.saturating_add(limit_ms);
        while self.decisions.len() == before && self.now.0 < end {
            let Some(next) = self.next_machine_event() else { break };
            if next > end {
                break;
            }
            self.advance(next.saturating_sub(self.now.0));
        }
        self.decisions.len() > before
    }

    /// When the next reply arrives or the next card / query timer fires
    /// (input and screen timers wait for people, so they do not count).
    fn next_machine_event(&self) -> Option<u64> {
        use firmware::reception::State;
        let reply = self.in_flight.iter().map(|(at, _)| *at).min();
        let waiting_on_machine = matches!(
            self.state(),
            State::Query
                | State::SelectAp
                | State::SelectToken
                | State::ReadToken
                | State::ReadCert
                | State::SelectPinEf
                | State::PinCounter
                | State::PinVerify
        );
        let timer = waiting_on_machine.then(|| self.poll_timeout().map(|m| m.0)).flatten();
        [reply, timer].into_iter().flatten().min()
    }
}
