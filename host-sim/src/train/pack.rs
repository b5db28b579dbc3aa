//! Loading a training pack: one lesson folder, or a folder of lesson
//! folders, each scenario run once through the firmware's `decide`.

use super::TrainError;
use super::explain::Explanation;
use super::view::CounterView;
use crate::scenario::expect::FieldDiff;
use crate::scenario::format::LessonSpec;
use crate::scenario::load::{Found, LESSON_FILE, Scenario, load_file, load_lesson};
use crate::scenario::run::run_scenario;
use crate::scoring::Answer;
use firmware::rules::{Decision, Policy};
use std::path::{Path, PathBuf};

/// One scenario ready to be asked: the visit, the firmware's decision, what
/// the clerk sees and the two statements of the right answer.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The scenario as loaded.
    pub scenario: Scenario,
    /// The firmware's real decision.
    pub decision: Decision,
    /// The comparison of the file's `[expect]` with the decision (every field).
    pub diffs: Vec<FieldDiff>,
    /// What the clerk sees at the counter: everything shown before the
    /// answer (it never states the answer).
    pub view: CounterView,
    /// Everything shown after the answer: title, explanation, rules.
    pub explanation: Explanation,
    /// The right answer as the scenario file states it (`[expect]`): what is scored.
    pub expected: Answer,
    /// The right answer as the firmware decided it.
    pub actual: Answer,
}

impl Prepared {
    /// Decides `scenario` with `policy` and prepares what the trainee sees.
    pub fn new(scenario: Scenario, policy: &Policy) -> Self {
        let (decision, diffs) = run_scenario(&scenario, policy);
        let view = CounterView::of(&scenario);
        let expected = Answer::from_expectation(&scenario.expect);
        let actual = Answer::from_decision(&decision);
        let explanation = Explanation::new(&scenario, &expected, &decision);
        Self { scenario, decision, diffs, view, explanation, expected, actual }
    }

    /// Whether the file's expectation and the firmware's decision disagree
    /// on any field (outcome, basis, copay, required documents, rules, copay check).
    pub fn mismatch(&self) -> bool {
        self.diffs.iter().any(|d| d.differs)
    }
}

/// One lesson of the pack.
#[derive(Debug, Clone)]
pub struct LessonEntry {
    /// The lesson folder.
    pub dir: PathBuf,
    /// The folder's name (used in file names of score sheets).
    pub name: String,
    /// Japanese title (the folder name when `lesson.toml` cannot be parsed).
    pub title: String,
    /// Explanation for trainees (empty when `lesson.toml` cannot be parsed).
    pub explanation: String,
    /// The scenarios in the lesson's order, or why the lesson cannot be played.
    pub content: Result<Vec<Prepared>, String>,
}

/// Finds and loads the lessons under `pack`: `pack` itself when it holds a
/// `lesson.toml`, otherwise each sub-folder that does (in name order).
/// A lesson that does not load is kept, with its error, so the list can say why.
pub fn load_pack(pack: &Path) -> Result<Vec<LessonEntry>, TrainError> {
    if !pack.is_dir() {
        return Err(TrainError::NotFound(pack.to_path_buf()));
    }
    let dirs: Vec<PathBuf> = if pack.join(LESSON_FILE).is_file() {
        vec![pack.to_path_buf()]
    } else {
        let io = |e: std::io::Error| TrainError::Io { path: pack.to_path_buf(), message: e.to_string() };
        let mut dirs = Vec::new();
        for entry in std::fs::read_dir(pack).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_dir() && path.join(LESSON_FILE).is_file() {
                dirs.push(path);
            }
        }
        dirs.sort();
        dirs
    };
    if dirs.is_empty() {
        return Err(TrainError::NoLessons(pack.to_path_buf()));
    }
    let policy = Policy::national();
    Ok(dirs.iter().map(|d| load_one(d, &policy)).collect())
}

fn load_one(dir: &Path, policy: &Policy) -> LessonEntry {
    let name = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
    let lesson = match load_lesson(&dir.join(LESSON_FILE)) {
        Ok(l) => l,
        Err(e) => {
            // Show the title and explanation when the file itself reads.
            let spec = std::fs::read_to_string(dir.join(LESSON_FILE))
                .ok()
                .and_then(|text| toml::from_str::<LessonSpec>(&text).ok());
            let (title, explanation) = spec.map_or_else(|| (name.clone(), String::new()), |s| (s.title, s.explanation));
            return LessonEntry { dir: dir.to_path_buf(), title, name, explanation, content: Err(e.to_string()) };
        }
    };
    let mut scenarios = Vec::new();
    let mut error = None;
    for file in &lesson.spec.order {
        let found = Found { path: dir.join(file), name: format!("{name}/{file}") };
        match load_file(&found) {
            Ok(list) => scenarios.extend(list.into_iter().map(|s| Prepared::new(s, policy))),
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    let content = match error {
        Some(e) => Err(e),
        None if scenarios.is_empty() => Err(format!("{}: the lesson lists no scenarios", dir.display())),
        None => Ok(scenarios),
    };
    LessonEntry {
        dir: dir.to_path_buf(),
        name,
        title: lesson.spec.title,
        explanation: lesson.spec.explanation,
        content,
    }
}
