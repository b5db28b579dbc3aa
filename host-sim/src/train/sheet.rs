//! The score sheet of a session: per scenario what was chosen, what was
//! right and the points; totals. Saved as JSON and Markdown.

use super::TrainError;
use crate::scoring::{AnswerRecord, ChoiceRecord, Item};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Japan time, in which the sheet is dated (the counters are in Japan).
pub fn jst() -> FixedOffset {
    // 9 hours is within ±24 h: the fallback is never taken.
    FixedOffset::east_opt(9 * 3600).unwrap_or_else(|| Utc.fix())
}

/// Now, in Japan time.
pub fn now_jst() -> DateTime<FixedOffset> {
    DateTime::<Utc>::from(std::time::SystemTime::now()).with_timezone(&jst())
}

/// The lesson a sheet is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LessonRecord {
    /// The folder's name: "06-system-failure".
    pub name: String,
    /// Japanese title.
    pub title: String,
    /// The lesson folder as given.
    pub path: String,
}

/// One scenario of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRow {
    /// 1-based position in the lesson.
    pub number: usize,
    /// Scenario id: "06-system-failure/01-network-down.toml" (`#2` for a visit of a list).
    pub id: String,
    /// Japanese title.
    pub title: String,
    /// What the trainee chose.
    pub chosen: ChoiceRecord,
    /// The same, in Japanese.
    pub chosen_ja: String,
    /// The right answer (the scenario's `[expect]`), which was scored.
    pub correct: AnswerRecord,
    /// The same, in Japanese.
    pub correct_ja: String,
    /// Every scored item.
    pub items: Vec<Item>,
    /// Points scored.
    pub points: u32,
    /// Points possible.
    pub max: u32,
    /// The firmware's deciding rule.
    pub deciding_rule: String,
    /// Whether the firmware's decision disagreed with the scenario's `[expect]`.
    pub decision_mismatch: bool,
}

/// A session's score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreSheet {
    /// The lesson.
    pub lesson: LessonRecord,
    /// When the sheet was saved (ISO 8601, Japan time); empty until saved.
    pub saved_at: String,
    /// Whether every scenario of the lesson was answered.
    pub completed: bool,
    /// Scenarios in the lesson.
    pub scenarios: usize,
    /// Scenarios answered.
    pub answered: usize,
    /// Scenarios with every item right.
    pub all_right: usize,
    /// Points scored.
    pub points: u32,
    /// Points possible over the scenarios answered.
    pub max: u32,
    /// Per scenario answered, in order.
    pub rows: Vec<SheetRow>,
}

impl ScoreSheet {
    /// A sheet of `rows` for `lesson` out of `scenarios` in all.
    pub fn new(lesson: LessonRecord, scenarios: usize, rows: Vec<SheetRow>) -> Self {
        Self {
            lesson,
            saved_at: String::new(),
            completed: rows.len() == scenarios,
            scenarios,
            answered: rows.len(),
            all_right: rows.iter().filter(|r| r.points == r.max).count(),
            points: rows.iter().map(|r| r.points).sum(),
            max: rows.iter().map(|r| r.max).sum(),
            rows,
        }
    }

    /// Points as a whole percentage of the possible ones (0 when none possible).
    pub fn percent(&self) -> u32 {
        (self.points * 100).checked_div(self.max).unwrap_or(0)
    }

    /// The totals in one Japanese line: "合計 7 / 10 点（70%）・全問正解 2 / 4 問".
    pub fn totals_ja(&self) -> String {
        let mut s = format!(
            "合計 {} / {} 点（{}%）・全問正解 {} / {} 問",
            self.points,
            self.max,
            self.percent(),
            self.all_right,
            self.answered
        );
        if !self.completed {
            s.push_str(&format!("（{}問中{}問で中断）", self.scenarios, self.answered));
        }
        s
    }

    /// The sheet as pretty JSON.
    pub fn to_json(&self) -> String {
        // Plain strings, numbers and vectors: serialisation cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The sheet as Markdown: a header, the totals and one table row per scenario.
    pub fn to_markdown(&self) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut md = String::new();
        md.push_str(&format!("# 研修結果：{}\n\n", cell(&self.lesson.title)));
        md.push_str(&format!("- レッスン: `{}`\n", self.lesson.name));
        if !self.saved_at.is_empty() {
            md.push_str(&format!("- 日時: {}\n", self.saved_at));
        }
        md.push_str(&format!("- {}\n\n", self.totals_ja()));
        md.push_str("| # | シナリオ | あなたの回答 | 正解 | 採点 | 点 |\n|---|---|---|---|---|---|\n");
        for r in &self.rows {
            let marks: Vec<String> =
                r.items.iter().map(|i| format!("{}{}", i.kind.ja(), if i.right { "○" } else { "×" })).collect();
            let mut title = cell(&r.title);
            if r.decision_mismatch {
                title.push_str(" ⚠ 端末の判定と不一致");
            }
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} / {} |\n",
                r.number,
                title,
                cell(&r.chosen_ja),
                cell(&r.correct_ja),
                marks.join(" "),
                r.points,
                r.max
            ));
        }
        md
    }
}

/// Where a sheet was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The JSON file.
    pub json: PathBuf,
    /// The Markdown file.
    pub markdown: PathBuf,
}

/// A file-name-safe form of a lesson name.
fn file_stem(name: &str) -> String {
    let s: String = name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if s.is_empty() { "lesson".to_string() } else { s }
}

/// Saves `sheet` in `dir` (created when missing) as
/// `<lesson>-<YYYYMMDD-HHMMSS>.json` and `.md`, dated `now`; an existing
/// name gets `-2`, `-3` ... Returns the two paths.
pub fn save(sheet: &ScoreSheet, dir: &Path, now: DateTime<FixedOffset>) -> Result<Saved, TrainError> {
    let err = |path: &Path, e: std::io::Error| TrainError::Save { path: path.to_path_buf(), message: e.to_string() };
    std::fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
    let mut sheet = sheet.clone();
    sheet.saved_at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let base = format!("{}-{}", file_stem(&sheet.lesson.name), now.format("%Y%m%d-%H%M%S"));
    let mut n = 1;
    let (json, markdown) = loop {
        let stem = if n == 1 { base.clone() } else { format!("{base}-{n}") };
        let json = dir.join(format!("{stem}.json"));
        let markdown = dir.join(format!("{stem}.md"));
        if !json.exists() && !markdown.exists() {
            break (json, markdown);
        }
        n += 1;
    };
    std::fs::write(&json, sheet.to_json() + "\n").map_err(|e| err(&json, e))?;
    std::fs::write(&markdown, sheet.to_markdown()).map_err(|e| err(&markdown, e))?;
    Ok(Saved { json, markdown })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("06-system-failure"), "06-system-failure");
        assert_eq!(file_stem("a b/c"), "a_b_c");
        assert_eq!(file_stem(""), "lesson");
    }

    #[test]
    fn jst_is_nine_hours_ahead() {
        assert_eq!(jst().local_minus_utc(), 9 * 3600);
    }
}
