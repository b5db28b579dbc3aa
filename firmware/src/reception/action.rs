//! Everything the terminal asks its surroundings to do.

use crate::card::apdu::Command;
use crate::card::jpki::VerifyCommand;
use crate::link::EligibilityQuery;
use crate::rules::{Basis, Decision, IdentityMethod, Outcome, RuleId};
use crate::ui::Screen;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::time::Millis;

/// Kinds of beeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Beep {
    /// Done, all good.
    Ok,
    /// Attention: something needs the clerk.
    Attention,
    /// Error.
    Error,
}

/// What a log record says. Never personal data: no names, numbers, dates of
/// birth, PIN digits, certificate bytes or serials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LogEvent {
    /// A card was placed.
    CardPlaced,
    /// The card was removed (`mid_session`: before a result).
    CardRemoved {
        /// Whether the session was still running.
        mid_session: bool,
    },
    /// The card stopped answering.
    CardTimeout,
    /// The card's answer made no sense (bad status or data).
    CardError,
    /// The certificate was read; `valid`: not expired today.
    CertificateRead {
        /// Whether the certificate is valid today.
        valid: bool,
    },
    /// Identity proven.
    Identified(IdentityMethod),
    /// A face attempt failed.
    FaceFailed {
        /// Consecutive failures.
        failures: u8,
    },
    /// A PIN attempt failed.
    PinWrong {
        /// Tries the card reports left.
        tries_left: u8,
    },
    /// The PIN is blocked.
    PinBlocked,
    /// Query sent.
    QuerySent {
        /// Query id.
        id: u16,
        /// Attempt number, from 1.
        attempt: u8,
    },
    /// A reply for another query (late or duplicated) was ignored.
    StaleReply {
        /// Its id.
        id: u16,
    },
    /// The service never answered.
    QueryTimedOut {
        /// Query id.
        id: u16,
    },
    /// The service answered with an error.
    ServiceError,
    /// A key-in field was rejected.
    KeyInRejected(crate::domain::KeyInField),
    /// A paper document was keyed in.
    DocumentKeyed(super::event::PaperKind),
    /// A document was recorded as shown.
    DocumentRecorded(crate::domain::DocumentKind),
    /// A document was refused: the visit holds as many as it can.
    DocumentRefused(crate::domain::DocumentKind),
    /// A query by numbers needs a keyed-in document and the birth date.
    NothingToQueryWith,
    /// The visit was decided (what the per-month counts are made of).
    Decided {
        /// Outcome.
        outcome: Outcome,
        /// What the coverage rests on (accepted and self-declaration outcomes).
        basis: Option<Basis>,
        /// The deciding rule's id (stored as a code, see `log_codes`).
        #[serde(with = "super::log_codes::rule")]
        rule: RuleId,
        /// A smartphone was shown as the マイナ保険証 instead of the card.
        phone: bool,
        /// The visit had been decided already (the clerk asked again): this
        /// decision replaces the earlier one in the counts.
        again: bool,
    },
    /// Staff cancelled, or the patient walked away.
    Cancelled,
    /// A wrong visual-check password was typed (never the text itself).
    VisualCheckPasswordWrong {
        /// Wrong tries in a row so far.
        failures: u8,
    },
    /// The visual-check switch is locked after too many wrong passwords.
    VisualCheckLocked,
    /// The visual-check password was right: the reader switched.
    VisualCheckUnlocked,
}

/// One log record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LogRecord {
    /// When: monotonic milliseconds since the terminal started.
    pub at: Millis,
    /// The calendar day in Japan (the visit date, for the per-month counts).
    #[serde(with = "super::log_codes::day")]
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub date: NaiveDate,
    /// What.
    pub event: LogEvent,
}

/// One output of the terminal.
#[derive(Debug)]
pub enum Action {
    /// Send this APDU to the card.
    SendApdu(Command),
    /// Send this VERIFY to the card; the buffer zeroises itself when dropped.
    SendVerify(VerifyCommand),
    /// Show this screen.
    Show(Screen),
    /// Send this query to the online service.
    SendQuery(EligibilityQuery),
    /// Append this record to the reception log.
    Log(LogRecord),
    /// Beep.
    Beep(Beep),
    /// The visit is decided.
    Decided(Decision),
}
