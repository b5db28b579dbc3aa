//! The records in English, one line each, for staff and testers.

use firmware::reception::{LogEvent, LogRecord, PaperKind};
use firmware::rules::{Basis, IdentityMethod, Outcome};
use std::fmt::Write as _;

/// One line per record: the visit date, the time since the terminal
/// started, and what happened.
pub fn list(records: &[LogRecord]) -> String {
    let mut out = String::new();
    if records.is_empty() {
        out.push_str("(no records)\n");
    }
    for r in records {
        let _ = writeln!(out, "{}  {}  {}", r.date, since_start(r.at.0), describe(&r.event));
    }
    out
}

/// `+h:mm:ss.mmm` since the terminal started.
fn since_start(ms: u64) -> String {
    let (s, ms) = (ms / 1000, ms % 1000);
    format!("+{}:{:02}:{:02}.{ms:03}", s / 3600, s / 60 % 60, s % 60)
}

/// What a record says, in English.
pub fn describe(event: &LogEvent) -> String {
    match *event {
        LogEvent::CardPlaced => "card or phone placed on the reader".into(),
        LogEvent::CardRemoved { mid_session: true } => "card removed before the result".into(),
        LogEvent::CardRemoved { mid_session: false } => "card removed".into(),
        LogEvent::CardTimeout => "the card stopped answering".into(),
        LogEvent::CardError => "the card's answer made no sense".into(),
        LogEvent::CertificateRead { valid: true } => "certificate read: valid".into(),
        LogEvent::CertificateRead { valid: false } => "certificate read: expired".into(),
        LogEvent::Identified(m) => format!("identity confirmed by {}", identity(m)),
        LogEvent::FaceFailed { failures } => format!("face authentication failed ({failures} in a row)"),
        LogEvent::PinWrong { tries_left: 1 } => "wrong PIN (1 try left)".into(),
        LogEvent::PinWrong { tries_left } => format!("wrong PIN ({tries_left} tries left)"),
        LogEvent::PinBlocked => "PIN blocked".into(),
        LogEvent::QuerySent { id, attempt } => format!("online query {id} sent (attempt {attempt})"),
        LogEvent::StaleReply { id } => format!("late or repeated reply to query {id} ignored"),
        LogEvent::QueryTimedOut { id } => format!("online query {id} got no answer"),
        LogEvent::ServiceError => "the online service answered with an error".into(),
        LogEvent::KeyInRejected(field) => format!("keyed-in {} rejected", field.en()),
        LogEvent::DocumentKeyed(kind) => format!("{} keyed in", paper(kind)),
        LogEvent::DocumentRecorded(kind) => format!("{} recorded as shown", kind.en()),
        LogEvent::DocumentRefused(kind) => format!("{} refused: the visit holds no more documents", kind.en()),
        LogEvent::NothingToQueryWith => "query by numbers needs a keyed-in document and the date of birth".into(),
        LogEvent::Decided { outcome: o, basis: b, rule, phone, again } => {
            let mut s = format!("decided: {}", outcome(o));
            if let Some(b) = b {
                let _ = write!(s, " on {}", basis(b));
            }
            if phone {
                s.push_str(" (smartphone)");
            }
            if again {
                s.push_str(", asked again (replaces the earlier decision)");
            }
            let _ = write!(s, " [{rule}]");
            s
        }
        LogEvent::Cancelled => "cancelled".into(),
        LogEvent::VisualCheckPasswordWrong { failures } => {
            format!("wrong visual-check password ({failures} in a row)")
        }
        LogEvent::VisualCheckLocked => "visual-check switch locked after too many wrong passwords".into(),
        LogEvent::VisualCheckUnlocked => "visual check switched on".into(),
    }
}

fn identity(m: IdentityMethod) -> &'static str {
    match m {
        IdentityMethod::Face => "face",
        IdentityMethod::Pin => "PIN",
        IdentityMethod::VisualCheck => "staff visual check",
        IdentityMethod::Phone => "the smartphone's own authentication",
    }
}

fn paper(kind: PaperKind) -> &'static str {
    match kind {
        PaperKind::Certificate => "eligibility certificate",
        PaperKind::Notice => "eligibility notice",
        PaperKind::Portal => "Mynaportal eligibility screen",
        PaperKind::OldCard => "old health insurance card",
        PaperKind::ElderlyRecipient => "elderly recipient certificate",
    }
}

/// An outcome in English.
pub(super) fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Accepted => "accepted",
        Outcome::Refused => "refused",
        Outcome::NeedsMore => "needs more",
        Outcome::SelfDeclaration => "self-declaration",
    }
}

/// A basis in English (with the document's Japanese name).
pub(super) fn basis(b: Basis) -> &'static str {
    match b {
        Basis::Online => "マイナ保険証 checked online",
        Basis::Certificate => "資格確認書 (eligibility certificate)",
        Basis::NoticeWithCard => "資格情報のお知らせ with the card (not checked online)",
        Basis::PortalWithCard => "マイナポータル screen with the card (not checked online)",
        Basis::OldCard => "健康保険証 within its validity",
        Basis::OldCardOnlineChecked => "expired 健康保険証, checked online (temporary measure)",
        Basis::NoticeOnlineChecked => "資格情報のお知らせ alone, checked online (temporary measure)",
        Basis::SelfDeclaration => "被保険者資格申立書 (self-declaration)",
        Basis::PublicAssistance => "public assistance (医療扶助) checked online",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_since_start_reads_as_a_clock() {
        assert_eq!(since_start(0), "+0:00:00.000");
        assert_eq!(since_start(3_723_004), "+1:02:03.004");
    }
}
