//! A stable, diffable text record of one counter session, with no personal
//! data: APDU headers and status words only, ids and codes only.

use firmware::link::{EligibilityQuery, EligibilityReply, QueryBy};
use firmware::reception::{Event, LogRecord, Millis};
use firmware::rules::Decision;
use firmware::ui::Screen;
use std::fmt::Write as _;

/// The lines of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    lines: Vec<String>,
}

impl Transcript {
    /// All lines.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The transcript as text, one line each.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            let _ = writeln!(s, "{l}");
        }
        s
    }

    /// Appends a line at `at`.
    pub fn line(&mut self, at: Millis, text: String) {
        self.lines.push(format!("{:>8} ms  {text}", at.0));
    }

    pub(crate) fn event(&mut self, at: Millis, event: &Event<'_>) {
        let text = match event {
            // Digits are the PIN: never written down.
            Event::PinDigit(_) => "event PinDigit(*)".to_string(),
            Event::CardResponse(r) => format!("event CardResponse({} bytes)", r.len()),
            Event::OnlineReply(r) => format!("event OnlineReply(id {})", r.id),
            // Keyed-in text is the patient's numbers: name the document only.
            Event::StaffKeyIn { kind, .. } => format!("event StaffKeyIn({kind:?})"),
            Event::StaffBirthDate(_) => "event StaffBirthDate(*)".to_string(),
            other => format!("event {other:?}"),
        };
        self.line(at, text);
    }

    pub(crate) fn apdu(&mut self, at: Millis, apdu: &[u8]) {
        let header: Vec<String> = apdu.iter().take(4).map(|b| format!("{b:02X}")).collect();
        self.line(at, format!("  → card {} ({} bytes)", header.join(" "), apdu.len()));
    }

    pub(crate) fn response(&mut self, at: Millis, resp: &[u8]) {
        let sw = match resp {
            [.., a, b] => format!("{a:02X}{b:02X}"),
            _ => "----".into(),
        };
        self.line(at, format!("  ← card SW {sw} ({} data bytes)", resp.len().saturating_sub(2)));
    }

    pub(crate) fn screen(&mut self, at: Millis, screen: &Screen) {
        let text = match screen {
            // What the clerk typed is the patient's numbers: length only.
            Screen::KeyIn { field, entered, error } => {
                format!(
                    "KeyIn {{ field: {field:?}, entered: <{} chars>, error: {error} }}",
                    entered.as_str().chars().count()
                )
            }
            other => format!("{other:?}"),
        };
        self.line(at, format!("  ▣ screen {text}"));
    }

    pub(crate) fn query(&mut self, at: Millis, q: &EligibilityQuery) {
        let by = match q.by {
            QueryBy::CardSerial(_) => "card",
            QueryBy::Numbers { .. } => "numbers",
        };
        self.line(at, format!("  → service query id {} by {by}", q.id));
    }

    pub(crate) fn reply(&mut self, at: Millis, seq: u8, r: &EligibilityReply) {
        let what = match &r.result {
            Ok(a) => format!("validity {}", a.validity.code()),
            Err(e) => format!("error: {e}"),
        };
        self.line(at, format!("  ← service reply id {} seq {seq}: {what}", r.id));
    }

    pub(crate) fn log(&mut self, record: &LogRecord) {
        self.line(record.at, format!("  ✎ log {:?}", record.event));
    }

    pub(crate) fn decision(&mut self, at: Millis, d: &Decision) {
        let rules: Vec<&str> = d.fired.iter().map(|r| r.id.as_str()).collect();
        let required: Vec<String> = d.required.iter().map(crate::scenario::format::requirement_name).collect();
        self.line(
            at,
            format!(
                "  ★ decision {:?} basis {:?} copay {:?} required [{}] rules [{}]",
                d.outcome,
                d.basis,
                d.copay.map(|c| c.rate.percent()),
                required.join(", "),
                rules.join(", ")
            ),
        );
        self.line(at, format!("    guidance: {}", d.guidance_ja()));
    }
}
