//! The terminal's fixed timer table: one slot per kind of wait.

use super::time::Millis;

/// What a timer guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TimerKind {
    /// The card's answer to an APDU.
    Card,
    /// The patient's or clerk's next input.
    Input,
    /// The online service's reply.
    Query,
    /// How long a result or error stays on screen.
    Screen,
}

const KINDS: usize = 4;

impl TimerKind {
    /// How many kinds there are.
    pub const COUNT: usize = KINDS;

    const ALL: [Self; KINDS] = [Self::Card, Self::Input, Self::Query, Self::Screen];

    fn slot(self) -> usize {
        match self {
            Self::Card => 0,
            Self::Input => 1,
            Self::Query => 2,
            Self::Screen => 3,
        }
    }
}

/// Deadlines, at most one per kind.
#[derive(Debug, Clone, Default)]
pub struct Timers {
    deadlines: [Option<Millis>; KINDS],
}

impl Timers {
    /// Arms `kind` to fire at `at` (replacing an earlier deadline).
    pub fn set(&mut self, kind: TimerKind, at: Millis) {
        self.deadlines[kind.slot()] = Some(at);
    }

    /// Disarms `kind`.
    pub fn cancel(&mut self, kind: TimerKind) {
        self.deadlines[kind.slot()] = None;
    }

    /// Disarms everything.
    pub fn clear(&mut self) {
        self.deadlines = [None; KINDS];
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Millis> {
        self.deadlines.iter().flatten().min().copied()
    }

    /// Removes and returns one timer that is due at `now`, earliest first.
    pub fn take_due(&mut self, now: Millis) -> Option<TimerKind> {
        let kind = TimerKind::ALL
            .into_iter()
            .filter(|k| self.deadlines[k.slot()].is_some_and(|d| d <= now))
            .min_by_key(|k| self.deadlines[k.slot()])?;
        self.cancel(kind);
        Some(kind)
    }
}
