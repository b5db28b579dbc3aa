//! Running scenarios: load, decide with the firmware's `decide`, compare,
//! in parallel over the cores; then one line per scenario and a summary.

use super::expect::{Actual, FieldDiff};
use super::load::{Discovery, Found, LoadError, Scenario, discover, load_file, load_lesson};
use super::transcript;
use firmware::reception::LogRecord;
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
    /// The transcript text.
    pub transcript: Option<String>,
    /// Rule ids the scenario expects.
    pub expected_rules: BTreeSet<&'static str>,
    /// The log records the counter's terminal produced, in order.
    pub log: Vec<LogRecord>,
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

/// The full result of playing a scenario.
pub struct Played {
    /// The decision checked against the expectation (the counter's).
    pub decision: Decision,
    /// Every compared field.
    pub diffs: Vec<FieldDiff>,
    /// The counter's event/action transcript.
    pub counter_transcript: Option<String>,
    /// The log records the counter's terminal produced, in order.
    pub log: Vec<LogRecord>,
}

/// Runs one loaded scenario (see [`run_scenario_full`]).
pub fn run_scenario(s: &Scenario, policy: &Policy) -> (Decision, Vec<FieldDiff>) {
    let p = run_scenario_full(s, policy);
    (p.decision, p.diffs)
}

/// Runs one loaded scenario: plays it at a virtual counter (the firmware's
/// reception state machine with the virtual card and online service) and
/// compares that decision with the expectation. The rules-only derivation of
/// the same visit must agree with the counter: a disagreement is reported as
/// the field `state_machine`.
pub fn run_scenario_full(s: &Scenario, policy: &Policy) -> Played {
    let derived = decide(&s.built.visit, policy);
    let played = super::session::play(s);
    let counter_decision = played.as_ref().ok().and_then(|p| p.counter.decision().cloned());
    let decision = counter_decision.clone().unwrap_or_else(|| derived.clone());
    let mut diffs = s.expect.compare(&Actual::of(&decision));
    let agreement = match (&played, &counter_decision) {
        (Err(e), _) => Some(format!("cannot play at a counter: {e}")),
        (Ok(_), None) => Some("the counter made no decision".to_string()),
        (Ok(_), Some(d)) if d.digest(policy) != derived.digest(policy) => {
            Some(format!("counter decided {}, rules-only derivation {}", summary(d), summary(&derived)))
        }
        _ => None,
    };
    if let Some(detail) = agreement {
        diffs.push(FieldDiff {
            field: "state_machine",
            expected: "agrees with the rules-only derivation".into(),
            actual: "disagrees".into(),
            differs: true,
            detail: Some(detail),
        });
    }
    let last_screen = played.as_ref().ok().and_then(|p| p.counter.screen().copied());
    if let Some(want) = &s.expect.screen_text {
        let mut shown = String::new();
        if let Some(screen) = &last_screen {
            firmware::ui::for_each_screen_char(screen, firmware::ui::Layout::Tft320x240, |c| {
                if c != '\n' {
                    shown.push(c)
                }
            });
        }
        diffs.push(FieldDiff {
            field: "screen_text",
            expected: want.clone(),
            actual: shown.clone(),
            differs: !shown.contains(want.as_str()),
            detail: None,
        });
    }
    let screens: Vec<String> =
        played.as_ref().map(|p| p.counter.screens.iter().map(screen_line).collect()).unwrap_or_default();
    if !s.expect.screens_shown.is_empty() {
        diffs.push(screens_shown_diff(&s.expect.screens_shown, &screens));
    }
    if !s.expect.screens_not_shown.is_empty() {
        diffs.push(screens_not_shown_diff(&s.expect.screens_not_shown, &screens));
    }
    if let Some(want) = s.expect.keyin_rejected {
        diffs.push(keyin_rejected_diff(s, want, played.as_ref().map(|p| p.counter.screens.as_slice()).unwrap_or(&[])));
    }
    let log = played.as_ref().map(|p| p.counter.logs.clone()).unwrap_or_default();
    let counter_transcript = played.ok().map(|p| p.counter.transcript.text());
    Played { decision, diffs, counter_transcript, log }
}

/// `keyin_rejected`: the terminal showed the key-in screen with an error on
/// the field, and the firmware's key-in parser names the problem (the
/// rules-only derivation ran the same parser on the printed text).
fn keyin_rejected_diff(
    s: &Scenario,
    want: super::format::KeyInRejectedSpec,
    screens: &[firmware::ui::Screen],
) -> FieldDiff {
    use super::format::KeyInProblemName;
    let terminal: Vec<firmware::domain::KeyInField> = screens
        .iter()
        .filter_map(|sc| match sc {
            firmware::ui::Screen::KeyIn { field, error: true, .. } => Some(*field),
            _ => None,
        })
        .collect();
    let derived: Vec<(firmware::domain::KeyInField, KeyInProblemName)> = s
        .built
        .keyed
        .iter()
        .filter_map(|k| k.verdict.as_ref().err().map(|e| (e.field, KeyInProblemName::of(&e.problem))))
        .collect();
    let name = |f: firmware::domain::KeyInField, p: KeyInProblemName| format!("{} / {}", field_name(f), p.name());
    let actual = match (terminal.first(), derived.first()) {
        (Some(&f), Some(&(df, p))) if f == df => name(f, p),
        (Some(&f), Some(&(df, p))) => {
            format!("terminal refused {}, derivation {}", field_name(f), name(df, p))
        }
        (Some(&f), None) => format!("{} / (not a printed document)", field_name(f)),
        (None, Some(&(df, p))) => format!("terminal refused nothing; derivation {}", name(df, p)),
        (None, None) => "nothing refused".to_string(),
    };
    let expected = name(want.field, want.problem);
    FieldDiff { field: "keyin_rejected", differs: actual != expected, expected, actual, detail: None }
}

/// The scenario-file name of a key-in field (`insurer_number`).
fn field_name(f: firmware::domain::KeyInField) -> String {
    serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| f.en().to_string())
}

/// A screen's text on one line (320×240 wording, line breaks dropped).
fn screen_line(screen: &firmware::ui::Screen) -> String {
    let mut shown = String::new();
    firmware::ui::for_each_screen_char(screen, firmware::ui::Layout::Tft320x240, |c| {
        if c != '\n' {
            shown.push(c)
        }
    });
    shown
}

/// Every screen of the visit, numbered, for a diff.
fn screens_list(screens: &[String]) -> String {
    screens.iter().enumerate().map(|(i, t)| format!("{}. {t}", i + 1)).collect::<Vec<_>>().join(" / ")
}

/// `screens_shown`: each text on a screen at or after the previous match.
fn screens_shown_diff(want: &[String], screens: &[String]) -> FieldDiff {
    let mut from = 0;
    let mut missing = None;
    for text in want {
        match screens.iter().skip(from).position(|s| s.contains(text.as_str())) {
            Some(i) => from += i,
            None => {
                let anywhere = screens.iter().any(|s| s.contains(text.as_str()));
                missing = Some(if anywhere {
                    format!("\"{text}\" was shown, but not after the texts before it")
                } else {
                    format!("no screen showed \"{text}\"")
                });
                break;
            }
        }
    }
    FieldDiff {
        field: "screens_shown",
        expected: want.join(" → "),
        actual: screens_list(screens),
        differs: missing.is_some(),
        detail: missing,
    }
}

/// `screens_not_shown`: no screen showed any of the texts.
fn screens_not_shown_diff(unwanted: &[String], screens: &[String]) -> FieldDiff {
    let shown: Vec<String> = unwanted
        .iter()
        .filter_map(|t| {
            screens.iter().position(|s| s.contains(t.as_str())).map(|i| format!("\"{t}\" on screen {}", i + 1))
        })
        .collect();
    FieldDiff {
        field: "screens_not_shown",
        expected: format!("none of: {}", unwanted.join(", ")),
        actual: if shown.is_empty() { "none shown".to_string() } else { screens_list(screens) },
        differs: !shown.is_empty(),
        detail: (!shown.is_empty()).then(|| format!("shown: {}", shown.join(", "))),
    }
}

fn summary(d: &Decision) -> String {
    let rules: Vec<&str> = d.fired.iter().map(|r| r.id.as_str()).collect();
    format!("{:?}/{:?}/{:?} [{}]", d.outcome, d.basis, d.copay.map(|c| c.rate.percent()), rules.join(","))
}

fn error_result(e: LoadError, id: String) -> ScenarioResult {
    ScenarioResult {
        id,
        path: e.path().to_path_buf(),
        title: None,
        status: Status::Error(e),
        actual: None,
        deciding: None,
        transcript: None,
        expected_rules: BTreeSet::new(),
        log: Vec::new(),
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
            let Played { decision, diffs, counter_transcript, log } = run_scenario_full(s, policy);
            let status = if diffs.iter().any(|d| d.differs) { Status::Failed(diffs.clone()) } else { Status::Passed };
            ScenarioResult {
                id: s.id(),
                path: s.path.clone(),
                title: Some(s.spec.title.clone()),
                transcript: with_transcript.then(|| {
                    let mut t = transcript::render(s, &decision, &diffs);
                    t.push_str("\n# counter: the reception state machine with the virtual card and online service\n");
                    t.push_str(counter_transcript.as_deref().unwrap_or("(not played)\n"));
                    t
                }),
                status,
                actual: Some(Actual::of(&decision)),
                deciding: Some(decision.deciding.id.as_str()),
                expected_rules: s.expect.rules.clone(),
                log,
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
    for r in &summary.results {
        match &r.status {
            Status::Passed => writeln!(out, "✓ {}  {}", shown(&r.path), label(r))?,
            Status::Failed(diffs) => {
                writeln!(out, "✗ {}  {}", shown(&r.path), label(r))?;
                write_diff(out, diffs)?;
            }
            Status::Error(e) => writeln!(out, "✗ {e}")?,
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
            writeln!(out, "      {:<15} {}", d.field, d.expected)?;
            continue;
        }
        writeln!(out, "    ✗ {:<15} expected: {}", d.field, d.expected)?;
        writeln!(out, "      {:<16}actual:   {}", "", d.actual)?;
        if let Some(detail) = &d.detail {
            writeln!(out, "      {:<16}{detail}", "")?;
        }
    }
    Ok(())
}
