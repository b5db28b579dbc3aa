//! `host-sim train`: the interactive staff-training mode.
//!
//! A trainee picks a lesson (a folder of scenarios with its `lesson.toml`),
//! sees each visit as a clerk sees the counter — the terminal's screen, the
//! documents on the counter, what the patient says, the day and the
//! facility — chooses what to do, and is scored at once against the
//! scenario's expectation and the firmware's real decision. A session ends
//! with a score sheet saved as JSON and Markdown.
//!
//! ```text
//! pack ─ load ─> lessons ─ prepare ─> Question ─ keys ─> Choice ─ score ─> Feedback ─ … ─> ScoreSheet ─ save
//! ```
//!
//! The parts are kept apart so that the whole UI runs without a TTY:
//! - [`app`]: the state machine (screens, menus, keys in, effects out);
//! - [`view`], [`explain`], [`sheet`]: pure data — what a clerk sees
//!   before answering (never the answer), what they read after (title,
//!   explanation, rules and sources), the score sheet and its files; the
//!   choices and their scoring are [`crate::scoring`], shared with the web
//!   UI ([`crate::web`]);
//! - [`draw`]: drawing an [`app::App`] on any ratatui backend;
//! - [`driver`]: one key at a time on any backend (tests use `TestBackend`);
//! - [`term`]: the crossterm terminal loop of the real command.

pub mod app;
pub mod draw;
pub mod driver;
pub mod explain;
pub mod pack;
pub mod sheet;
pub mod term;
pub mod view;

use std::fmt;
use std::path::PathBuf;

pub use app::{App, Effect, Key};
pub use driver::Driver;

/// Why training could not start or go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainError {
    /// The pack path does not exist.
    NotFound(PathBuf),
    /// The pack folder holds no lesson (no `lesson.toml` in it or in its sub-folders).
    NoLessons(PathBuf),
    /// A folder could not be listed.
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
    /// Standard output is not a terminal.
    NotATerminal,
    /// The terminal failed (setup, drawing, reading keys).
    Terminal(String),
    /// A score sheet could not be written.
    Save {
        /// The file or folder.
        path: PathBuf,
        /// The system's message.
        message: String,
    },
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound(p) => write!(f, "{}: no such folder", p.display()),
            Self::NoLessons(p) => {
                write!(f, "{}: no lessons here (a lesson is a folder with a lesson.toml)", p.display())
            }
            Self::Io { path, message } => write!(f, "{}: cannot read: {message}", path.display()),
            Self::NotATerminal => f.write_str("the training mode needs a terminal (stdout is not a TTY)"),
            Self::Terminal(m) => write!(f, "terminal error: {m}"),
            Self::Save { path, message } => write!(f, "cannot save the score sheet to {}: {message}", path.display()),
        }
    }
}

impl std::error::Error for TrainError {}

/// `host-sim train [PACK] [--out DIR]`: loads the pack and runs the UI in
/// the terminal until the trainee quits.
pub fn run(args: &crate::cli::TrainArgs) -> Result<(), TrainError> {
    let pack_dir = args.pack.clone().unwrap_or_else(crate::scenario::bundled_dir);
    let lessons = pack::load_pack(&pack_dir)?;
    let app = App::new(lessons);
    let saved = term::run(app, &args.out)?;
    for path in saved {
        println!("score sheet saved: {}", path.display());
    }
    Ok(())
}
