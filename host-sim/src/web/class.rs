//! The state a class shares: the lessons (each scenario prepared once, with
//! the screens the terminal showed), the answers' database and the
//! instructor's token.

use super::store::{Store, StoreError};
use crate::render::{Viewer, image_for, png};
use crate::scenario::session::play;
use crate::train::pack::{LessonEntry, Prepared};
use firmware::ui::Layout;
use firmware::ui::Screen;
use rayon::prelude::*;
use std::sync::{Arc, Mutex, OnceLock};

/// One question: a prepared scenario and the terminal's screens up to the
/// moment the clerk must act.
#[derive(Debug, Clone)]
pub struct Question {
    /// The scenario, its decision and what the clerk sees.
    pub prepared: Prepared,
    /// The screens the visit's actions led to, in order (never the one the
    /// clerk's request for a decision brings up).
    pub screens: Vec<Screen>,
    /// Each screen as a trainee's PNG, drawn on first request.
    pngs: Vec<OnceLock<Result<Vec<u8>, String>>>,
}

impl Question {
    /// Prepares the screens of `prepared` (a visit that cannot be played
    /// at a counter shows none).
    pub fn new(prepared: Prepared) -> Self {
        let screens: Vec<Screen> =
            play(&prepared.scenario).map(|s| s.screens_before_clerk().to_vec()).unwrap_or_default();
        let pngs = screens.iter().map(|_| OnceLock::new()).collect();
        Self { prepared, screens, pngs }
    }

    /// Screen `index` (0-based) as a trainee sees it (without the rule
    /// tag), 320×240 PNG; `None` past the last screen.
    pub fn png(&self, index: usize) -> Option<Result<&[u8], &str>> {
        let (screen, cell) = (self.screens.get(index)?, self.pngs.get(index)?);
        let png = cell.get_or_init(|| png(&image_for(screen, Layout::Tft320x240, 1, Viewer::Trainee)));
        Some(png.as_ref().map(Vec::as_slice).map_err(String::as_str))
    }

    /// The scenario id (the key of its answers).
    pub fn id(&self) -> String {
        self.prepared.scenario.id()
    }
}

/// One lesson of the pack.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// The folder's name: the lesson's key in addresses and the database.
    pub name: String,
    /// Japanese title.
    pub title: String,
    /// Explanation for trainees.
    pub explanation: String,
    /// The questions in order, or why the lesson cannot be played.
    pub questions: Result<Vec<Question>, String>,
}

impl Lesson {
    /// The lesson of a loaded pack entry.
    pub fn new(entry: LessonEntry) -> Self {
        let questions = entry.content.map(|list| list.into_par_iter().map(Question::new).collect());
        Self { name: entry.name, title: entry.title, explanation: entry.explanation, questions }
    }

    /// The questions (none when the lesson did not load).
    pub fn questions(&self) -> &[Question] {
        self.questions.as_deref().unwrap_or(&[])
    }
}

/// The instructor's secret, compared in constant time.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// A fresh token: 128 random bits as 32 hex digits.
    pub fn random() -> Result<Self, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no random numbers for the instructor token: {e}"))?;
        Ok(Self(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    /// A given token (tests).
    pub fn new(s: &str) -> Self {
        Self(s.to_string())
    }

    /// The token as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `given` is the token; the time taken does not depend on
    /// where they differ.
    pub fn matches(&self, given: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// Everything the server shares between requests.
#[derive(Debug)]
pub struct Class {
    /// The lessons of the pack, in order.
    pub lessons: Vec<Lesson>,
    /// The answers.
    pub store: Mutex<Store>,
    /// The instructor's token.
    pub token: Token,
}

impl Class {
    /// A class over `lessons`, storing in `store`.
    pub fn new(lessons: Vec<LessonEntry>, store: Store, token: Token) -> Arc<Self> {
        Self::of_lessons(lessons.into_iter().map(Lesson::new).collect(), store, token)
    }

    /// A class over lessons already prepared.
    pub fn of_lessons(lessons: Vec<Lesson>, store: Store, token: Token) -> Arc<Self> {
        Arc::new(Self { lessons, store: Mutex::new(store), token })
    }

    /// The lesson with that folder name.
    pub fn lesson(&self, name: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.name == name)
    }

    /// Runs `f` with the database (on the calling thread).
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        // A panic while holding the lock cannot leave a half-done write
        // (each statement is its own transaction): the store stays usable.
        let guard = self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_match_only_themselves() {
        let a = Token::random().unwrap();
        let b = Token::random().unwrap();
        assert_eq!(a.as_str().len(), 32);
        assert!(a.as_str().chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(a.matches(a.as_str()));
        assert!(!a.matches(b.as_str()));
        assert!(!a.matches(""));
        assert!(!a.matches(&a.as_str()[..31]));
        assert_eq!(format!("{a:?}"), "Token(..)");
    }
}
