//! What became of one event given to the terminal.

use core::fmt;

/// The result of [`Terminal::handle`](super::Terminal::handle).
///
/// Each call runs at most one step whose output fits the action queue: the
/// deadlines that fell due, or the event. When deadlines produced actions,
/// the event waits for the next call ([`Handled::Deferred`]), so nothing is
/// ever dropped.
#[must_use = "a deferred event must be given again after draining; a refusal must reach the caller"]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Handled {
    /// The event was taken (or ignored as out of place in the current state).
    Taken,
    /// Deadlines fell due first and their actions are queued; the event was
    /// not looked at. Drain the actions, then give the same event again.
    Deferred,
    /// The event was refused; the terminal is unchanged except as the
    /// refusal says.
    Refused(Refusal),
}

/// Why the terminal refused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Refusal {
    /// The actions of an earlier call were not drained: nothing changed.
    Undrained,
    /// The visit already holds as many documents as it can (one place stays
    /// kept for the card read at the reader): the document was not recorded,
    /// the clerk heard an error beep and the log says so.
    DocumentsFull,
    /// A visual-check password was typed, but this terminal has none
    /// configured: the reader does not offer the switch; nothing changed.
    NoVisualCheckPassword,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Undrained => f.write_str("the actions of the previous call were not drained"),
            Self::DocumentsFull => f.write_str("the visit holds as many documents as it can"),
            Self::NoVisualCheckPassword => f.write_str("no visual-check password is configured on this terminal"),
        }
    }
}
