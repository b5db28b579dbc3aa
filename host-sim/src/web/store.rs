//! The class's answers in SQLite: trainees (a name only) and, per trainee
//! and scenario, the first answer given. Nothing about patients is stored:
//! a scenario is named by its id, a choice by the names the score sheet uses.
//!
//! An answer is committed before the page that shows its feedback is
//! served (the answer form redirects to the feedback, which reads it back
//! from here).

use crate::scoring::Choice;
use rusqlite::{Connection, OptionalExtension, params};
use std::fmt;
use std::path::{Path, PathBuf};

/// The schema version written to `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS trainees (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    trainee INTEGER NOT NULL REFERENCES trainees(id),
    lesson TEXT NOT NULL,
    scenario TEXT NOT NULL,
    number INTEGER NOT NULL,
    action TEXT NOT NULL,
    basis TEXT,
    copay TEXT,
    asked TEXT,
    points INTEGER NOT NULL,
    max INTEGER NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (trainee, scenario)
);
";

/// Longest trainee name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 40;

/// Why the database could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The file could not be opened or is not a database of this program.
    Open {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A query failed.
    Query(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open { path, message } => {
                write!(f, "{}: cannot use as the class database: {message}", path.display())
            }
            Self::Query(m) => write!(f, "database error: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Query(e.to_string())
    }
}

/// Why a trainee name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// Nothing but spaces.
    Empty,
    /// More than [`NAME_MAX_CHARS`] characters.
    TooLong,
    /// A control character (line break, tab ...).
    Control,
    /// Bytes that were not text (shown as U+FFFD once decoded).
    NotText,
}

impl NameError {
    /// The message for the trainee, in Japanese.
    pub fn ja(self) -> &'static str {
        match self {
            Self::Empty => "名前を入力してください。",
            Self::TooLong => "名前は40文字までにしてください。",
            Self::Control => "名前に改行やタブは使えません。",
            Self::NotText => "名前に読み取れない文字が含まれています。入力し直してください。",
        }
    }
}

/// A trainee's name, trimmed and checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TraineeName(String);

impl TraineeName {
    /// Checks `raw` (surrounding spaces, full-width ones too, are removed).
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(NameError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(NameError::Control);
        }
        if name.contains(char::REPLACEMENT_CHARACTER) {
            return Err(NameError::NotText);
        }
        Ok(Self(name.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A trainee of the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainee {
    /// Row id (in the trainee's page addresses).
    pub id: i64,
    /// The name given at the start.
    pub name: String,
}

/// One stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The trainee.
    pub trainee: i64,
    /// The lesson folder's name.
    pub lesson: String,
    /// The scenario id.
    pub scenario: String,
    /// 1-based position in the lesson when answered.
    pub number: u32,
    /// The choice.
    pub choice: Choice,
    /// Points scored.
    pub points: u32,
    /// Points possible.
    pub max: u32,
    /// When (ISO 8601, Japan time).
    pub answered_at: String,
}

/// What to store for one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewAnswer<'a> {
    /// The trainee.
    pub trainee: i64,
    /// The lesson folder's name.
    pub lesson: &'a str,
    /// The scenario id.
    pub scenario: &'a str,
    /// 1-based position in the lesson.
    pub number: u32,
    /// The choice.
    pub choice: Choice,
    /// Points scored.
    pub points: u32,
    /// Points possible.
    pub max: u32,
    /// When (ISO 8601, Japan time).
    pub answered_at: &'a str,
}

/// The class database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating when missing) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let err = |e: rusqlite::Error| StoreError::Open { path: path.to_path_buf(), message: e.to_string() };
        let conn = Connection::open(path).map_err(err)?;
        Self::init(conn).map_err(|e| match e {
            StoreError::Query(message) => StoreError::Open { path: path.to_path_buf(), message },
            other => other,
        })
    }

    /// A database in memory (tests).
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Reading the version is the first access: a file that is not a
        // database fails here, before anything is written.
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Query(format!(
                "written by a newer version of host-sim (schema {version}, this one knows {SCHEMA_VERSION})"
            )));
        }
        let has_other_tables: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT IN ('trainees', 'answers'))",
            [],
            |r| r.get(0),
        )?;
        if version == 0 && has_other_tables {
            return Err(StoreError::Query("holds other tables: not a class database of host-sim".to_string()));
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Self { conn })
    }

    /// The trainee of that name, added when new. Returns it and whether it is new.
    pub fn trainee(&self, name: &TraineeName, now: &str) -> Result<(Trainee, bool), StoreError> {
        let added = self.conn.execute(
            "INSERT INTO trainees (name, started_at) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING",
            params![name.as_str(), now],
        )? == 1;
        let id = self.conn.query_row("SELECT id FROM trainees WHERE name = ?1", [name.as_str()], |r| r.get(0))?;
        Ok((Trainee { id, name: name.as_str().to_string() }, added))
    }

    /// The trainee with that id.
    pub fn trainee_by_id(&self, id: i64) -> Result<Option<Trainee>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id, name FROM trainees WHERE id = ?1", [id], |r| {
                Ok(Trainee { id: r.get(0)?, name: r.get(1)? })
            })
            .optional()?)
    }

    /// Every trainee, in the order they started.
    pub fn trainees(&self) -> Result<Vec<Trainee>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, name FROM trainees ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok(Trainee { id: r.get(0)?, name: r.get(1)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores `a` unless the trainee already answered that scenario (the
    /// first answer counts). Returns the answer stored for the scenario.
    pub fn record(&self, a: &NewAnswer<'_>) -> Result<StoredAnswer, StoreError> {
        let r = a.choice.record();
        self.conn.execute(
            "INSERT INTO answers (trainee, lesson, scenario, number, action, basis, copay, asked, points, max, answered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(trainee, scenario) DO NOTHING",
            params![
                a.trainee,
                a.lesson,
                a.scenario,
                a.number,
                r.action,
                r.basis,
                r.copay,
                r.asked,
                a.points,
                a.max,
                a.answered_at
            ],
        )?;
        self.answer(a.trainee, a.scenario)?
            .ok_or_else(|| StoreError::Query(format!("the answer to {} was not kept", a.scenario)))
    }

    /// The trainee's answer to a scenario.
    pub fn answer(&self, trainee: i64, scenario: &str) -> Result<Option<StoredAnswer>, StoreError> {
        let mut rows = self.select("WHERE trainee = ?1 AND scenario = ?2", params![trainee, scenario])?;
        Ok(rows.pop())
    }

    /// The trainee's answers in a lesson, in question order.
    pub fn answers(&self, trainee: i64, lesson: &str) -> Result<Vec<StoredAnswer>, StoreError> {
        self.select("WHERE trainee = ?1 AND lesson = ?2 ORDER BY number", params![trainee, lesson])
    }

    /// Every answer of a trainee, by lesson and question.
    pub fn all_answers_of(&self, trainee: i64) -> Result<Vec<StoredAnswer>, StoreError> {
        self.select("WHERE trainee = ?1 ORDER BY lesson, number", params![trainee])
    }

    /// Every answer of the class, by trainee, lesson and question.
    pub fn all_answers(&self) -> Result<Vec<StoredAnswer>, StoreError> {
        self.select("ORDER BY trainee, lesson, number", params![])
    }

    fn select(&self, tail: &str, p: &[&dyn rusqlite::ToSql]) -> Result<Vec<StoredAnswer>, StoreError> {
        let sql = format!(
            "SELECT trainee, lesson, scenario, number, action, basis, copay, asked, points, max, answered_at
             FROM answers {tail}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(p, |r| {
            let action: String = r.get(4)?;
            let basis: Option<String> = r.get(5)?;
            let copay: Option<String> = r.get(6)?;
            let asked: Option<String> = r.get(7)?;
            let choice = Choice::from_names(&action, basis.as_deref(), copay.as_deref(), asked.as_deref());
            Ok((
                choice,
                StoredAnswer {
                    trainee: r.get(0)?,
                    lesson: r.get(1)?,
                    scenario: r.get(2)?,
                    number: r.get(3)?,
                    choice: Choice::Refuse,
                    points: r.get(8)?,
                    max: r.get(9)?,
                    answered_at: r.get(10)?,
                },
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (choice, mut a) = row?;
            a.choice = choice.ok_or_else(|| {
                StoreError::Query(format!(
                    "the answer of trainee {} to {} names an unknown choice",
                    a.trainee, a.scenario
                ))
            })?;
            out.push(a);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::{CopayChoice, Need};
    use firmware::domain::{CopayRate, DocumentKind};
    use firmware::rules::Basis;

    fn answer<'a>(trainee: i64, scenario: &'a str, number: u32, choice: Choice) -> NewAnswer<'a> {
        NewAnswer {
            trainee,
            lesson: "01-x",
            scenario,
            number,
            choice,
            points: 1,
            max: 3,
            answered_at: "2026-11-30T10:00:00+09:00",
        }
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(TraineeName::parse("  山田 花子　").unwrap().as_str(), "山田 花子");
        assert_eq!(TraineeName::parse(" \u{3000} "), Err(NameError::Empty));
        assert_eq!(TraineeName::parse(&"あ".repeat(41)), Err(NameError::TooLong));
        assert!(TraineeName::parse(&"あ".repeat(40)).is_ok());
        assert_eq!(TraineeName::parse("a\nb"), Err(NameError::Control));
        assert_eq!(TraineeName::parse("a\u{fffd}"), Err(NameError::NotText));
    }

    #[test]
    fn the_same_name_is_the_same_trainee() {
        let s = Store::in_memory().unwrap();
        let (a, new_a) = s.trainee(&TraineeName::parse("山田").unwrap(), "t").unwrap();
        let (b, new_b) = s.trainee(&TraineeName::parse("山田").unwrap(), "t").unwrap();
        let (c, _) = s.trainee(&TraineeName::parse("佐藤").unwrap(), "t").unwrap();
        assert!(new_a && !new_b);
        assert_eq!(a, b);
        assert_ne!(a.id, c.id);
        assert_eq!(s.trainee_by_id(c.id).unwrap(), Some(c));
        assert_eq!(s.trainee_by_id(999).unwrap(), None);
    }

    #[test]
    fn the_first_answer_counts_and_reads_back() {
        let s = Store::in_memory().unwrap();
        let (t, _) = s.trainee(&TraineeName::parse("山田").unwrap(), "t").unwrap();
        let first = Choice::Accept { basis: Basis::NoticeWithCard, copay: CopayChoice::Rate(CopayRate::Twenty) };
        let kept = s.record(&answer(t.id, "01-x/a.toml", 1, first)).unwrap();
        assert_eq!(kept.choice, first);
        let again = s.record(&answer(t.id, "01-x/a.toml", 1, Choice::Refuse)).unwrap();
        assert_eq!(again.choice, first);
        s.record(&answer(t.id, "01-x/b.toml", 2, Choice::Ask(Need::Document(DocumentKind::Limit)))).unwrap();
        let all = s.answers(t.id, "01-x").unwrap();
        assert_eq!(all.iter().map(|a| a.number).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(all[1].choice, Choice::Ask(Need::Document(DocumentKind::Limit)));
        assert_eq!(s.all_answers().unwrap().len(), 2);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "これはデータベースではありません。".repeat(100)).unwrap();
        let e = Store::open(&path).unwrap_err();
        assert!(matches!(&e, StoreError::Open { path: p, .. } if p == &path), "{e}");
        assert!(e.to_string().contains("notes.txt"), "{e}");
        // Nothing was written into it.
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("これは"));
    }

    #[test]
    fn a_database_of_another_program_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite3");
        Connection::open(&path).unwrap().execute_batch("CREATE TABLE patients (name TEXT);").unwrap();
        assert!(Store::open(&path).unwrap_err().to_string().contains("not a class database"));
        let missing_dir = dir.path().join("no/such/folder/class.sqlite3");
        assert!(matches!(Store::open(&missing_dir), Err(StoreError::Open { .. })));
    }

    #[test]
    fn answers_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("class.sqlite3");
        let id = {
            let s = Store::open(&path).unwrap();
            let (t, _) = s.trainee(&TraineeName::parse("山田").unwrap(), "t").unwrap();
            s.record(&answer(t.id, "01-x/a.toml", 1, Choice::Refuse)).unwrap();
            t.id
        };
        let s = Store::open(&path).unwrap();
        assert_eq!(s.answers(id, "01-x").unwrap()[0].choice, Choice::Refuse);
    }
}
