//! The bundled scenario pack, rule coverage, load errors and diffs.

use host_sim::scenario::load::{Found, LoadError, load_file, load_lesson};
use host_sim::scenario::run::{RunOptions, Status, print, run_paths, write_diff};
use host_sim::scenario::{bundled_dir, discover};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

fn found(path: PathBuf) -> Found {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Found { path, name }
}

fn load_error(name: &str) -> LoadError {
    match load_file(&found(fixture(name))) {
        Ok(_) => panic!("{name} loaded, but it is malformed"),
        Err(e) => e,
    }
}

/// The lesson folders of the pack, in teaching order.
const LESSONS: [&str; 8] = [
    "01-myna-basics",
    "02-offline-facility",
    "03-old-cards-2025",
    "04-temporary-measures",
    "05-elderly-and-copay",
    "06-system-failure",
    "07-smartphones",
    "08-visual-check",
];

#[test]
fn the_whole_pack_passes_quickly() {
    let summary = run_paths(&[bundled_dir()], &RunOptions::default());
    let mut out = Vec::new();
    print(&summary, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(summary.ok(), "the bundled pack has failures:\n{text}");
    assert!(summary.results.len() >= 60, "only {} scenarios", summary.results.len());
    // Well under a second on a desktop; generous here for a shared CI machine
    // running the debug build next to other tests.
    assert!(summary.elapsed < Duration::from_secs(5), "the pack took {:?}", summary.elapsed);
}

#[test]
fn every_national_rule_id_is_expected_by_some_scenario() {
    let summary = run_paths(&[bundled_dir()], &RunOptions::default());
    let missing: Vec<&str> = firmware::rules::policy::NATIONAL
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !summary.rules_expected.contains(id))
        .collect();
    assert!(missing.is_empty(), "no scenario expects: {missing:?}");
}

#[test]
fn every_lesson_folder_has_a_complete_lesson_file() {
    let root = bundled_dir();
    let mut folders: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, LESSONS);
    for folder in LESSONS {
        let lesson = load_lesson(&root.join(folder).join("lesson.toml")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!lesson.spec.title.is_empty() && !lesson.spec.explanation.is_empty());
        assert!(lesson.spec.order.len() >= 5, "{folder}: {} scenarios", lesson.spec.order.len());
    }
    let bad = load_lesson(&fixture("lesson-incomplete/lesson.toml")).unwrap_err();
    assert!(bad.to_string().ends_with("lesson.toml: `order` does not list: b.toml"), "{bad}");
}

#[test]
fn boundary_dates_are_visited_on_both_sides() {
    let d = discover(&[bundled_dir()]);
    let dates: Vec<String> = d
        .files
        .iter()
        .flat_map(|f| load_file(f).unwrap())
        .map(|s| s.built.visit.date.format("%Y-%m-%d").to_string())
        .collect();
    for day in [
        "2025-07-31", // Tokyo late-stage elderly cards' last day
        "2025-08-01",
        "2025-09-30", // Tachikawa NHI unified expiry
        "2025-10-01",
        "2025-12-01", // last day of any old card
        "2025-12-02", // temporary measure starts
        "2026-03-31", // temporary measure ends
        "2026-04-01",
        "2026-07-31", // late-stage elderly certificate-for-all ends; extended measure ends
        "2026-08-01",
        "2025-09-18", // smartphones accepted from 2025-09-19
        "2025-09-19",
        "2026-03-18", // the measure's extension announced on 2026-03-19
        "2026-03-19",
        "2026-01-31", // last day of the grace of a certificate that ended 2025-10-10
        "2026-02-01",
        "2026-11-30", // today
    ] {
        assert!(dates.iter().any(|d| d == day), "no scenario on {day}");
    }
}

#[test]
fn an_unknown_key_names_file_line_and_key() {
    let e = load_error("malformed/unknown_key.toml");
    assert!(matches!(&e, LoadError::Key { line: 12, key, .. } if key == "facility.colour"), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("unknown_key.toml:12:1: key `facility.colour`: unknown field `colour`"), "{text}");
}

#[test]
fn a_date_outside_its_era_gives_the_parsers_explanation() {
    let e = load_error("malformed/bad_date.toml");
    assert_eq!(
        e.to_string(),
        format!(
            "{}:3:8: key `date`: bad date \"R1.4.30\": 令和1年4月30日 is before 令和 began on 2019-05-01; \
             that day is 平成31年4月30日",
            fixture("malformed/bad_date.toml").display()
        )
    );
}

#[test]
fn a_wrong_type_names_the_key_and_both_types() {
    let e = load_error("malformed/wrong_type.toml");
    assert!(
        e.to_string().contains(
            "wrong_type.toml:11:18: key `facility.online_capable`: invalid type: string \"yes\", expected a boolean"
        ),
        "{e}"
    );
}

#[test]
fn a_missing_file_is_reported_by_name() {
    let e = load_error("no-such-scenario.toml");
    assert!(matches!(e, LoadError::NotFound { .. }), "{e:?}");
    assert!(e.to_string().ends_with("no-such-scenario.toml: no such file or folder"), "{e}");
    let summary = run_paths(&[fixture("no-such-folder")], &RunOptions::default());
    assert!(!summary.ok());
    assert_eq!(summary.errors(), 1);
}

#[test]
fn values_are_checked_with_the_firmware_parsers() {
    let e = load_error("malformed/bad_insurer.toml");
    assert!(
        e.to_string().contains("key `patient.coverage[0].insurer`: bad insurer number \"01130013\": check digit"),
        "{e}"
    );
    let e = load_error("malformed/bad_document_key.toml");
    assert!(e.to_string().contains(":30:1: key `documents[0].valid_until`: a myna_card document has no"), "{e}");
    let e = load_error("malformed/unknown_rule.toml");
    assert!(e.to_string().contains("did you mean \"MYNA-ONLINE-VALID\"?"), "{e}");
}

#[test]
fn a_wrong_expectation_fails_with_a_readable_diff() {
    let summary = run_paths(&[fixture("wrong_expectation.toml")], &RunOptions::default());
    assert!(!summary.ok());
    let Status::Failed(diffs) = &summary.results[0].status else { panic!("{:?}", summary.results[0].status) };
    let differing: Vec<&str> = diffs.iter().filter(|d| d.differs).map(|d| d.field).collect();
    assert_eq!(differing, ["copay", "rules"]);
    let mut out = Vec::new();
    write_diff(&mut out, diffs).unwrap();
    let text = String::from_utf8(out).unwrap();
    let expected = "      outcome         accepted
      basis           online
    ✗ copay           expected: 2割
                      actual:   3割
      copay_mismatch  false
      required        (none)
    ✗ rules           expected: COPAY-WORKING-AGE, MYNA-ONLINE-VALID
                      actual:   MYNA-ONLINE-VALID
                      missing: COPAY-WORKING-AGE
";
    assert_eq!(text, expected);
}

#[test]
fn transcripts_are_stable_and_mask_the_pin() {
    let dir = std::env::temp_dir().join(format!("host-sim-transcripts-{}", std::process::id()));
    let options = RunOptions { transcript_dir: Some(dir.clone()), progress: false };
    let first = run_paths(&[bundled_dir()], &options);
    let second = run_paths(&[bundled_dir()], &options);
    for (a, b) in first.results.iter().zip(&second.results) {
        assert_eq!(a.transcript, b.transcript, "{} differs between runs", a.id);
    }
    let n = host_sim::scenario::run::write_transcripts(&first, &dir).unwrap();
    assert_eq!(n, first.results.len());
    let text = std::fs::read_to_string(dir.join("01-myna-basics/02-pin-pharmacy.txt")).unwrap();
    assert!(text.contains("PIN ****") && text.contains("pin digits=****"), "{text}");
    assert!(!text.contains("1234"), "the PIN leaked into the transcript:\n{text}");
    for needle in ["## Inputs", "## Derived visit", "## Decision", "MYNA-ONLINE-VALID", "ja: ", "en: "] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    let list = dir.join("03-old-cards-2025/04-tachikawa-nhi-unified-expiry.3.txt");
    assert!(std::fs::read_to_string(list).unwrap().contains("OLD-CARD-CAP-TACHIKAWA-NHI"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_command_exits_non_zero_and_writes_reports() {
    let dir = std::env::temp_dir().join(format!("host-sim-reports-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (junit, json) = (dir.join("r.xml"), dir.join("r.json"));
    let out = Command::new(env!("CARGO_BIN_EXE_host-sim"))
        .args(["run", "--no-progress", "--report", "junit"])
        .arg(&junit)
        .args(["--report", "json"])
        .arg(&json)
        .arg(fixture("valid.toml"))
        .arg(fixture("wrong_expectation.toml"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("✓ ") && stdout.contains("✗ "), "{stdout}");
    assert!(stdout.contains("scenarios: 1 passed, 1 failed, 0 load errors (2 in all) in "), "{stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains(r#"tests="2" failures="1" errors="0""#) && xml.contains("<failure"), "{xml}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["failed"], 1);
    assert_eq!(report["scenarios"][1]["differences"][0]["field"], "copay");
    let ok = Command::new(env!("CARGO_BIN_EXE_host-sim"))
        .args(["run", "--no-progress"])
        .arg(fixture("valid.toml"))
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_complete_examples_of_the_docs_pass() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/scenarios.md")).unwrap();
    let dir = std::env::temp_dir().join(format!("host-sim-doc-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut n = 0;
    for block in doc.split("```toml\n").skip(1) {
        let block = block.split("```").next().unwrap();
        if block.starts_with("title") && block.contains("[expect]") {
            n += 1;
            std::fs::write(dir.join(format!("example-{n}.toml")), block).unwrap();
        }
    }
    assert!(n >= 3, "only {n} complete examples in docs/scenarios.md");
    let summary = run_paths(std::slice::from_ref(&dir), &RunOptions::default());
    let mut out = Vec::new();
    print(&summary, &mut out).unwrap();
    assert!(summary.ok(), "{}", String::from_utf8_lossy(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Files written before the situation/explanation split still load (their
/// `description` is the explanation); a file with both names says how to
/// update it.
#[test]
fn description_is_the_older_name_of_explanation() {
    let old = load_file(&found(fixture("train/01-basics/01-online.toml"))).unwrap();
    assert_eq!(
        old[0].spec.explanation_text(),
        Some("診療所でマイナ保険証をカードリーダーに置き、顔認証で本人確認した。")
    );
    assert_eq!(old[0].spec.situation_text(), None);
    let e = load_error("malformed/description_and_explanation.toml");
    let text = e.to_string();
    assert!(text.contains(":3:1: key `description`: `description` is the older name of `explanation`"), "{text}");
    assert!(text.contains("move what the clerk sees before answering to `situation`"), "{text}");
}

/// `screens_shown` checks every screen of the visit in order, and
/// `screens_not_shown` that a screen never appeared; both say which text
/// and which screen.
#[test]
fn screens_of_the_whole_visit_are_checked() {
    let summary = run_paths(&[fixture("screens_wrong.toml")], &RunOptions::default());
    let Status::Failed(diffs) = &summary.results[0].status else { panic!("{:?}", summary.results[0].status) };
    let differing: Vec<&str> = diffs.iter().filter(|d| d.differs).map(|d| d.field).collect();
    assert_eq!(differing, ["screens_shown", "screens_not_shown"]);
    let shown = &diffs[differing.len() - 2..];
    let detail = |f: &str| diffs.iter().find(|d| d.field == f).and_then(|d| d.detail.clone()).unwrap_or_default();
    assert_eq!(detail("screens_shown"), "\"暗証番号が違います\" was shown, but not after the texts before it");
    assert!(detail("screens_not_shown").starts_with("shown: \"暗証番号が違います\" on screen "), "{shown:?}");
    // The bundled file it was made from, in the right order, passes.
    let ok = run_paths(&[bundled_dir().join("01-myna-basics/03-pin-wrong-then-right.toml")], &RunOptions::default());
    assert!(ok.ok());
}

/// The deciding rule's text fits the path that decided: a visit settled by
/// a document never tells the clerk to take a self-declaration form, and a
/// self-declaration is decided by a rule that names the form.
#[test]
fn the_deciding_rule_fits_the_path() {
    use firmware::rules::{Outcome, Policy};
    let policy = Policy::national();
    let summary = run_paths(&[bundled_dir()], &RunOptions::default());
    let mut checked = 0;
    for r in &summary.results {
        let (Some(actual), Some(id)) = (&r.actual, r.deciding) else { continue };
        let text = policy.get(id).unwrap().ja;
        match actual.outcome {
            Outcome::Accepted => assert!(!text.contains("申立書を記入"), "{}: accepted, but {id} says {text}", r.id),
            Outcome::SelfDeclaration => {
                assert!(text.contains("申立書"), "{}: {id} does not name the form: {text}", r.id)
            }
            _ => {}
        }
        checked += 1;
    }
    assert!(checked >= 100, "{checked}");
}

/// A number as printed (`printed = true`) loads even with a wrong check
/// digit; the terminal refuses it at key-in and `keyin_rejected` checks
/// which field and which problem. Without `printed` the loader still
/// refuses a bad number, and says how to keep it.
#[test]
fn misprinted_numbers_are_refused_by_the_terminal_not_the_loader() {
    let e = load_error("malformed/misprinted_not_marked.toml");
    let text = e.to_string();
    assert!(text.contains("key `documents[0].insurer`: bad insurer number \"33120016\": check digit"), "{text}");
    assert!(text.contains("mark the document `printed = true`"), "{text}");
    let e = load_error("malformed/printed_limit.toml");
    assert!(e.to_string().contains("key `documents[0].printed`: only a certificate, notice"), "{e}");

    let dir = bundled_dir().join("02-offline-facility");
    let misprinted = load_file(&found(dir.join("16-certificate-misprinted-insurer-number.toml"))).unwrap();
    let keyed = &misprinted[0].built.keyed;
    assert_eq!(keyed.len(), 1);
    let refusal = keyed[0].verdict.as_ref().unwrap_err();
    assert_eq!(refusal.field, firmware::domain::KeyInField::InsurerNumber);
    assert!(misprinted[0].built.visit.documents.is_empty(), "a refused key-in is not counted");
    let printed = load_file(&found(dir.join("15-certificate-keyed-in-as-printed.toml"))).unwrap();
    assert_eq!(printed[0].built.keyed[0].verdict, Ok(()));
    assert_eq!(printed[0].built.visit.documents.len(), 1);

    let summary = run_paths(&[fixture("keyin_wrong.toml")], &RunOptions::default());
    let Status::Failed(diffs) = &summary.results[0].status else { panic!("{:?}", summary.results[0].status) };
    let wrong: Vec<_> = diffs.iter().filter(|d| d.differs).collect();
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert_eq!(wrong[0].field, "keyin_rejected");
    assert_eq!(wrong[0].expected, "number / wrong_length");
    assert_eq!(wrong[0].actual, "insurer_number / check_digit");
}

/// The valid fixture with `edit` applied, loaded from text as `name`.
fn load_edited(
    name: &str,
    edit: impl Fn(&str) -> String,
) -> Result<Vec<host_sim::scenario::load::Scenario>, LoadError> {
    let text = edit(&std::fs::read_to_string(fixture("valid.toml")).unwrap());
    host_sim::scenario::load::load_text(&found(PathBuf::from(name)), &text)
}

fn with_password(text: &str, facility_password: &str, actions: &str) -> String {
    text.replacen(
        "actions = [\n  { do = \"place_card\" },\n  { do = \"face\", result = \"match\" },\n",
        &format!("actions = [\n  {{ do = \"place_card\" }},\n{actions}"),
        1,
    )
    .replacen("online_capable = true\n", &format!("online_capable = true\n{facility_password}"), 1)
}

#[test]
fn visual_check_password_input_is_checked_by_the_loader() {
    let key_error = |name: &str, facility: &str, actions: &str| -> (String, String) {
        match load_edited(name, |t| with_password(t, facility, actions)) {
            Err(e @ LoadError::Key { .. }) => {
                let LoadError::Key { ref key, .. } = e else { unreachable!() };
                (key.clone(), e.to_string())
            }
            other => panic!("{name}: {other:?}"),
        }
    };
    let right = "  { do = \"visual_check_password\", password = \"kanri-2025\" },\n";
    let configured = "visual_check_password = \"kanri-2025\"\n";
    // The valid form loads.
    assert!(load_edited("ok.toml", |t| with_password(t, configured, right)).is_ok());
    let (key, text) = key_error("empty.toml", "visual_check_password = \"\"\n", right);
    assert_eq!(key, "facility.visual_check_password");
    assert!(text.starts_with("empty.toml:") && text.contains("an empty visual-check password"), "{text}");
    let long = format!("  {{ do = \"visual_check_password\", password = \"{}\" }},\n", "x".repeat(33));
    let (key, text) = key_error("long.toml", configured, &long);
    assert_eq!(key, "actions[1].password");
    assert!(text.contains("33 bytes: the reader takes at most 32"), "{text}");
    let (key, text) = key_error("space.toml", "visual_check_password = \"kanri 2025\"\n", right);
    assert_eq!(key, "facility.visual_check_password");
    assert!(text.contains("with a space"), "{text}");
    // Where the action cannot apply.
    let (key, text) = key_error("unconfigured.toml", "", right);
    assert_eq!(key, "actions[1].do");
    assert!(text.contains("[facility] has no `visual_check_password`"), "{text}");
    let face_first = format!("  {{ do = \"face\", result = \"match\" }},\n{right}");
    let (key, text) = key_error("identified.toml", configured, &face_first);
    assert_eq!(key, "actions[2].do");
    assert!(text.contains("after the holder was identified (face)"), "{text}");
    let waited = format!("  {{ do = \"wait\", seconds = 60 }},\n{right}");
    let (key, text) = key_error("waited.toml", configured, &waited);
    assert_eq!(key, "actions[2].do");
    assert!(text.contains("60 s after the last input") && text.contains("remove_card"), "{text}");
    let no_text = "  { do = \"visual_check_password\" },\n";
    let (key, text) = key_error("no_text.toml", configured, no_text);
    assert_eq!(key, "actions[1].do");
    assert!(text.contains("needs `password`"), "{text}");
    // In a list file the visit is named too.
    let list = format!(
        "[[visit]]\n{}",
        with_password(&std::fs::read_to_string(fixture("valid.toml")).unwrap(), "", right)
            .replace("[facility]", "[visit.facility]")
            .replace("[patient]", "[visit.patient]")
            .replace("[patient.card]", "[visit.patient.card]")
            .replace("[[patient.coverage]]", "[[visit.patient.coverage]]")
            .replace("[[documents]]", "[[visit.documents]]")
            .replace("[expect]", "[visit.expect]")
    );
    match host_sim::scenario::load::load_text(&found(PathBuf::from("list.toml")), &list) {
        Err(e @ LoadError::Key { .. }) => assert!(e.to_string().contains("key `visit[0].actions[1].do`"), "{e}"),
        other => panic!("{other:?}"),
    }
}

/// The facility's password never reaches a screen, a log record or a
/// transcript line of the state machine (the bundled visual-check lesson).
#[test]
fn the_visual_check_password_is_never_shown_or_logged() {
    use firmware::ui::{Layout, for_each_screen_char};
    let found = discover(&[bundled_dir().join("08-visual-check")]);
    assert!(found.files.len() >= 4, "{:?}", found.files);
    for f in &found.files {
        for s in load_file(f).unwrap() {
            let mut secrets: Vec<String> =
                s.spec.actions.iter().filter_map(|a| a.password.as_ref().map(|p| p.0.clone())).collect();
            secrets.extend(s.spec.facility.visual_check_password.as_ref().map(|p| p.0.clone()));
            assert!(!secrets.is_empty(), "{}", s.id());
            let session = host_sim::scenario::session::play(&s).unwrap();
            let c = &session.counter;
            let mut seen = String::new();
            for screen in &c.screens {
                for layout in [Layout::Tft320x240, Layout::Oled128x64] {
                    for_each_screen_char(screen, layout, |ch| seen.push(ch));
                }
                seen.push_str(&format!("{screen:?}"));
            }
            for record in &c.logs {
                seen.push_str(&format!("{record:?}"));
            }
            seen.push_str(&c.transcript.text());
            for secret in &secrets {
                assert!(!seen.contains(secret.as_str()), "{}: the password shows", s.id());
            }
            // And the terminal did see the typed passwords (not a test of nothing).
            assert!(c.logs.iter().any(|r| format!("{r:?}").contains("VisualCheck")), "{}", s.id());
        }
    }
}
