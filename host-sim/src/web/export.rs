//! The class's answers as CSV for the instructor: one row per answer,
//! UTF-8 with a byte-order mark so that spreadsheet programs read the
//! Japanese right. Trainee names and choices only; nothing about patients.

use super::class::Class;
use super::store::{StoredAnswer, Trainee};
use crate::scoring::score;

/// The header row.
pub const HEADER: [&str; 13] = [
    "trainee",
    "lesson",
    "number",
    "scenario",
    "title",
    "chosen",
    "correct",
    "points",
    "max",
    "all_right",
    "action",
    "basis_copay_asked",
    "answered_at",
];

/// A typed text that a spreadsheet will not run as a formula: one that
/// starts with `=`, `+`, `-` or `@` gets a leading apostrophe.
pub fn inert(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() }
}

/// Every answer as CSV text.
pub fn csv(class: &Class, trainees: &[Trainee], answers: &[StoredAnswer]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(|e| e.to_string())?;
    for a in answers {
        let name = trainees.iter().find(|t| t.id == a.trainee).map_or(String::new(), |t| inert(&t.name));
        let question = class.lesson(&a.lesson).and_then(|l| l.questions().iter().find(|q| q.id() == a.scenario));
        let (title, correct, all_right) = match question {
            Some(q) => {
                let p = &q.prepared;
                let right = score(a.choice, &p.expected).all_right();
                (p.scenario.spec.title.clone(), p.expected.ja(), if right { "1" } else { "0" })
            }
            // The pack changed since: the stored points still stand.
            None => (String::new(), String::new(), if a.points == a.max { "1" } else { "0" }),
        };
        let r = a.choice.record();
        let detail = [r.basis, r.copay, r.asked].into_iter().flatten().collect::<Vec<_>>().join(" ");
        w.write_record([
            name.as_str(),
            &a.lesson,
            &a.number.to_string(),
            &a.scenario,
            &title,
            &a.choice.ja(),
            &correct,
            &a.points.to_string(),
            &a.max.to_string(),
            all_right,
            r.action,
            &detail,
            &a.answered_at,
        ])
        .map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    Ok(format!("\u{feff}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_look_like_formulas_are_made_inert() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("山田"), "山田");
    }
}
