//! Scenario files: one patient at one counter, written in TOML by testers
//! and trainers, run through the firmware's real `decide`.
//!
//! ```text
//! file.toml ─ load (format, locate) ─> Scenario ─ build ─> Visit ─ decide ─> Decision
//!                                                                  └ compare with [expect]
//! ```
//!
//! The format is documented in `docs/scenarios.md`; the bundled pack is the
//! workspace's `scenarios/` folder, organised by training lesson.

pub mod build;
pub mod command;
pub mod expect;
pub mod format;
pub mod load;
pub mod locate;
pub mod online;
pub mod report;
pub mod run;
pub mod session;
pub mod transcript;

pub use load::{Lesson, LoadError, Scenario, discover, load_file, load_lesson, load_text};
pub use run::{RunOptions, RunSummary, Status, run_paths};

/// The bundled scenario pack: `scenarios/` at the workspace root, as seen
/// when this crate was built.
pub fn bundled_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("scenarios");
    dir.canonicalize().unwrap_or(dir)
}
