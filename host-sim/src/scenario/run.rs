//! Running scenarios: load, decide with the firmware's `decide`, compare,
//! in parallel over the cores; then one line per scenario and a summary.

use super::expect::{Actual, FieldDiff};
use super::load::{Discovery, Found, LoadError, Scenario, discover, load_file, load_lesson};
use super::transcript;
use firmware::rules::{Decision, Policy, decide};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs at least this many scenario files show a progress bar (on a terminal).
pub const PROGRESS_THRESHOLD: usize = 200;

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Write one transcript per scenario into this folder.
    pub transcript_dir: Option<PathBuf>,
    /// Show a progress bar on stderr (when it is a terminal and the run is long).
    pub progress: bool,
}

/// What one scenario gave.
#[derive(Debug, Clone)]
pub enum Status {
    /// The decision met every expectation.
    Passed,
    /// It did not: every field compared, the differing ones marked.
    Failed(Vec<FieldDiff>),
    /// The file could not be loaded.
    Error(LoadError),
}

/// The result of one scenario (or of one file that failed to load).
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    /// Scenario id (`01-myna-basics/01-face.toml`, `file.toml#2`), or the
    /// file's name for a load error.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Title, when loaded.
    pub title: Option<String>,
    /// Verdict.
    pub status: Status,
    /// The decision's comparable fields, when decided.
    pub actual: Option<Actual>,
    /// The deciding rule's id, when decided.
    pub deciding: Option<&'static str>,
    /// The screen text expected but not yet checked.
    pub unchecked_screen_text: Option<String>,
    /// The transcript text.
    pub transcript: Option<String>,
    /// Rule ids the scenario expects.
    pub expected_rules: BTreeSet<&'static str>,
}

impl ScenarioResult {
    /// Whether it passed.
    pub fn passed(&self) -> bool {
        matches!(self.status, Status::Passed)
    }
}

/// The results of a run.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// Per scenario, in file order.
    pub results: Vec<ScenarioResult>,
    /// Wall time of loading, deciding and comparing.
    pub elapsed: Duration,
    /// Rule ids that some scenario of the run expects.
    pub rules_expected: BTreeSet<&'static str>,
}

impl RunSummary {
    /// Scenarios that passed.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    /// Scenarios whose decision did not match.
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| matches!(r.status, Status::Failed(_))).count()
    }

    /// Files or lessons that could not be loaded.
    pub fn errors(&self) -> usize {
        self.results.iter().filter(|r| matches!(r.status, Status::Error(_))).count()
    }

    /// Whether everything passed (and something ran).
    pub fn ok(&self) -> bool {
        !self.results.is_empty() && self.passed() == self.results.len()
    }
}

/// Runs one loaded scenario.
pub fn run_scenario(s: &Scenario, policy: &Policy) -> (Decision, Vec<FieldDiff>) {
    let decision = decide(&s.built.visit, policy);
    let diffs = s.expect.compare(&Actual::of(&decision));
    (decision, diffs)
}

fn error_result(e: LoadError, id: String) -> ScenarioResult {
    ScenarioResult {
        id,
        path: e.path().to_path_buf(),
        title: None,
        status: Status::Error(e),
        actual: None,
        deciding: None,
        unchecked_screen_text: None,
        transcript: None,
        expected_rules: BTreeSet::new(),
    }
}

fn run_file(found: &Found, policy: &Policy, with_transcript: bool) -> Vec<ScenarioResult> {
    let scenarios = match load_file(found) {
        Ok(s) => s,
        Err(e) => return vec![error_result(e, found.name.clone())],
    };
    scenarios
        .iter()
        .map(|s| {
            let (decision, diffs) = run_scenario(s, policy);
            let status = if diffs.iter().any(|d| d.differs) { Status::Failed(diffs.clone()) } else { Status::Passed };
            ScenarioResult {
                id: s.id(),
                path: s.path.clone(),
                title: Some(s.spec.title.clone()),
                transcript: with_transcript.then(|| transcript::render(s, &decision, &diffs)),
                status,
                actual: Some(Actual::of(&decision)),
                deciding: Some(decision.deciding.id.as_str()),
                unchecked_screen_text: s.expect.screen_text.clone(),
                expected_rules: s.expect.rules.clone(),
            }
        })
        .collect()
}

/// Finds, loads and runs every scenario under `paths`; lesson files found
/// in the folders are checked too (a bad one counts as a load error).
pub fn run_paths(paths: &[PathBuf], options: &RunOptions) -> RunSummary {
    let start = Instant::now();
    let Discovery { files, lessons, errors } = discover(paths);
    let policy = Policy::national();
    let bar = if options.progress && files.len() >= PROGRESS_THRESHOLD && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(files.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} scenario files {elapsed}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let with_transcript = options.transcript_dir.is_some();
    let per_file: Vec<Vec<ScenarioResult>> = files
        .par_iter()
        .map(|f| {
            let r = run_file(f, &policy, with_transcript);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut results: Vec<ScenarioResult> =
        errors.into_iter().map(|e| error_result(e.clone(), e.path().display().to_string())).collect();
    for lesson in lessons {
        if let Err(e) = load_lesson(&lesson) {
            results.push(error_result(e, lesson.display().to_string()));
        }
    }
    results.extend(per_file.into_iter().flatten());
    let elapsed = start.elapsed();
    let rules_expected = results.iter().flat_map(|r| r.expected_rules.iter().copied()).collect();
    RunSummary { results, elapsed, rules_expected }
}

/// Writes every transcript under `dir`, mirroring scenario names
/// (`01-myna-basics/01-face.txt`, `list.2.txt` for the 2nd visit of a list).
pub fn write_transcripts(summary: &RunSummary, dir: &Path) -> Result<usize, String> {
    let mut written = 0;
    for r in &summary.results {
        let Some(text) = &r.transcript else { continue };
        let file = dir.join(transcript_name(&r.id));
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        written += 1;
    }
    Ok(written)
}

/// The transcript file name of a scenario id.
pub fn transcript_name(id: &str) -> String {
    let (name, visit) = match id.rsplit_once('#') {
        Some((n, v)) => (n, Some(v)),
        None => (id, None),
    };
    let stem = name.strip_suffix(".toml").unwrap_or(name);
    match visit {
        Some(v) => format!("{stem}.{v}.txt"),
        None => format!("{stem}.txt"),
    }
}

/// A path as shown to the user: relative to the working folder when inside it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    rel.display().to_string()
}

/// Prints one line per scenario, diffs and load errors, then the summary.
pub fn print(summary: &RunSummary, out: &mut impl Write) -> std::io::Result<()> {
    let mut screen_notes = 0;
    for r in &summary.results {
        match &r.status {
            Status::Passed => writeln!(out, "✓ {}  {}", shown(&r.path), label(r))?,
            Status::Failed(diffs) => {
                writeln!(out, "✗ {}  {}", shown(&r.path), label(r))?;
                write_diff(out, diffs)?;
            }
            Status::Error(e) => writeln!(out, "✗ {e}")?,
        }
        if r.unchecked_screen_text.is_some() {
            screen_notes += 1;
            writeln!(out, "    note: screen_text is recorded but not checked yet (needs the state-machine runner)")?;
        }
    }
    let total_rules = Policy::national().rules().len();
    let covered = Policy::national().rules().iter().filter(|r| summary.rules_expected.contains(r.id.as_str())).count();
    writeln!(out)?;
    writeln!(
        out,
        "scenarios: {} passed, {} failed, {} load errors ({} in all) in {:.1} ms",
        summary.passed(),
        summary.failed(),
        summary.errors(),
        summary.results.len(),
        summary.elapsed.as_secs_f64() * 1e3
    )?;
    writeln!(out, "rules expected by these scenarios: {covered} of the {total_rules} in the national policy table")?;
    if screen_notes > 0 {
        writeln!(out, "note: {screen_notes} scenario(s) expect screen_text, which is not checked yet")?;
    }
    Ok(())
}

fn label(r: &ScenarioResult) -> String {
    let title = r.title.as_deref().unwrap_or("");
    match r.id.rsplit_once('#') {
        Some((_, n)) => format!("#{n} {title}"),
        None => title.to_string(),
    }
}

/// Writes the expected-vs-actual comparison: equal fields on one line,
/// differing ones marked `✗` with both values and, for sets, what is
/// missing and what is unexpected.
pub fn write_diff(out: &mut impl Write, diffs: &[FieldDiff]) -> std::io::Result<()> {
    for d in diffs {
        if !d.differs {
            writeln!(out, "      {:<16}{}", d.field, d.expected)?;
            continue;
        }
        writeln!(out, "    ✗ {:<16}expected: {}", d.field, d.expected)?;
        writeln!(out, "      {:<16}actual:   {}", "", d.actual)?;
        if let Some(detail) = &d.detail {
            writeln!(out, "      {:<16}{detail}", "")?;
        }
    }
    Ok(())
}
