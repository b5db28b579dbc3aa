//! The reception flow: one sans-IO state machine from "card placed" (or the
//! clerk keying in a paper document) to the decision on screen.
//!
//! Events in ([`Event`]), actions out ([`Action`]), time passed in
//! ([`Now`]); see [`Terminal`] for the call order.

mod action;
mod config;
mod event;
mod handled;
mod log_codes;
mod paper;
mod remote;
mod screen_for;
mod terminal;
mod time;
mod timers;
mod visual_check;
mod wire;

pub use action::{Action, Beep, LogEvent, LogRecord};
pub use config::TerminalConfig;
pub use event::{Event, PaperKind, PhoneKind};
pub use handled::{Handled, Refusal};
pub use log_codes::{rule_by_code, rule_code};
pub use paper::keyed_document;
pub use remote::{MAX_APDU, MAX_RESPONSE, WireAction};
pub use screen_for::screen_for;
pub use terminal::{MAX_ACTIONS, MAX_STAFF_DOCUMENTS, State, Terminal};
pub use time::{Millis, Now};
pub use timers::{TimerKind, Timers};
pub use visual_check::{
    Attempt, Lockout, SALT_LEN, TypedPassword, VISUAL_CHECK_LOCK_MS, VISUAL_CHECK_PASSWORD_LEN, VISUAL_CHECK_TRIES,
    VisualCheckPassword, minutes_left,
};
pub use wire::{FieldText, KEY_IN_FIELD_LEN, OwnedForm, WireEvent};
