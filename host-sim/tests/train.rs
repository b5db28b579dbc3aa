//! The training mode, played with keys on ratatui's `TestBackend` at 80×24:
//! lesson list, questions, menus, feedback, score sheet and its files.

use chrono::{DateTime, FixedOffset};
use host_sim::scenario::bundled_dir;
use host_sim::train::pack::{LessonEntry, load_pack};
use host_sim::train::{App, Driver, Key, TrainError};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::Span;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join("train")
}

fn fixed_clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2025-10-01T09:30:00+09:00").unwrap()
}

fn driver(lessons: Vec<LessonEntry>, out: &Path) -> Driver<TestBackend> {
    let terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut d = Driver::new(terminal, App::new(lessons), out.to_path_buf()).with_clock(fixed_clock);
    d.draw().unwrap();
    d
}

/// The screen as text, one line a row, from the last frame drawn on the
/// `TestBackend`; a double-width character is written once (the cell it
/// covers is skipped), as a terminal shows it.
fn screen(d: &Driver<TestBackend>) -> String {
    let buf = d.last_frame().expect("drawn");
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            if skip > 0 {
                // Covered by the double-width character before it.
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            out.push_str(symbol);
            skip = Span::raw(symbol).width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

#[track_caller]
fn shows(d: &Driver<TestBackend>, texts: &[&str]) {
    let s = screen(d);
    for t in texts {
        assert!(s.contains(t), "the screen does not show {t:?}:\n{s}");
    }
}

#[track_caller]
fn hides(d: &Driver<TestBackend>, texts: &[&str]) {
    let s = screen(d);
    for t in texts {
        assert!(!s.contains(t), "the screen shows {t:?}:\n{s}");
    }
}

#[track_caller]
fn press(d: &mut Driver<TestBackend>, keys: &str) {
    for c in keys.chars() {
        let key = match c {
            '\n' => Key::Enter,
            '\x1b' => Key::Esc,
            '$' => Key::End,
            c => Key::Char(c),
        };
        assert!(d.press(key).unwrap(), "the app quit on {c:?}");
    }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn plays_a_whole_lesson_and_saves_the_score_sheet() {
    let out = tempfile::tempdir().unwrap();
    let lessons = load_pack(&fixtures()).unwrap();
    assert_eq!(lessons.len(), 3);
    let mut d = driver(lessons, out.path());

    // The lesson list: titles, counts, the explanation, the broken lesson.
    shows(
        &d,
        &[
            "研修モード：レッスンを選んでください",
            "1. 研修テスト：受付の基本（4問）",
            "研修テスト：読み込めないレッスン（読み込めません）",
            "【説明】",
            "テスト用の小さなレッスン。",
            "q 終了",
        ],
    );

    // 1: マイナ保険証, online valid. Right: accept, online, 3割.
    press(&mut d, "\n");
    shows(
        &d,
        &[
            "第1問／4",
            "得点 0/0",
            "令和7年10月1日（水）　診療所・オンライン資格確認あり",
            "【端末の画面】",
            "「資格確認が完了しました」",
            "負担割合 3割",
            "マイナンバーカード（マイナ保険証）",
            "カードリーダーに置かれています",
            "昭和55年5月5日生まれ（45歳）・女性",
            "どうしますか？",
            "1 受け付ける",
            "4 保険診療不可",
        ],
    );
    press(&mut d, "1");
    shows(&d, &["受け付ける：何で資格を確認しましたか？", "7 お知らせのみ＋オンライン確認", "Esc 戻る"]);
    press(&mut d, "1");
    shows(&d, &["受け付ける（オンライン資格確認）：負担割合は？", "0 未確定"]);
    press(&mut d, "3");
    shows(
        &d,
        &[
            "〇 正解　3 / 3 点",
            "あなたの回答：受け付ける（オンライン資格確認）・3割",
            "〇 対応",
            "【この問題】",
            "マイナ保険証・顔認証で受付",
            "【解説】",
            "【判定の決め手】",
            "オンライン資格確認で資格が有効と確認できました。",
            "出典：立川市「マイナ保険証をご利用ください」令和7年7月",
            "得点 3/3",
            "Enter 次の問題へ",
        ],
    );
    hides(&d, &["MYNA-ONLINE-VALID", "seed"]);

    // 2: offline clinic, card alone (first visit of a list file). Right: ask for the お知らせ.
    press(&mut d, "\n");
    shows(
        &d,
        &[
            "第2問／4",
            "カードだけを受付に出した。",
            "「受付で資格確認書等をご提示ください」",
            "診療所・オンライン資格確認なし",
            "公費受給者証（医療証）",
            "法別番号 88",
            "・公費の医療証があります",
        ],
    );
    hides(&d, &["マイナ保険証だけを出された"]);
    press(&mut d, "2");
    shows(&d, &["何を求めますか？", "3 資格情報のお知らせ", "0 書類以外"]);
    press(&mut d, "3");
    shows(&d, &["〇 正解　2 / 2 点", "マイナ保険証だけを出された", "当院ではカードを読み取れません。"]);
    hides(&d, &["MYNA-OFFLINE-NEEDS-NOTICE"]);

    // 3: offline clinic, 資格確認書 (second visit of the list). Wrong: refuse.
    press(&mut d, "\n");
    shows(
        &d,
        &[
            "第3問／4",
            "資格確認書",
            "保険者番号 131011（国民健康保険）",
            "記号 千代田 番号 20431 枝番 01",
            "有効期限 令和8年9月30日",
        ],
    );
    press(&mut d, "4");
    shows(
        &d,
        &[
            "✕ 不正解　0 / 3 点",
            "✕ 対応　あなた：保険診療不可　正解：受け付ける",
            "受け付ける（資格確認書）・3割",
            "資格確認書は有効期限内です。",
        ],
    );

    // 4: pharmacy, network down. Esc goes back a step; then self-declaration at 2割: copay wrong.
    press(&mut d, "\n");
    shows(
        &d,
        &["第4問／4", "「資格確認書等がなければ被保険者資格申立書にご記入ください」", "薬局・オンライン資格確認あり"],
    );
    press(&mut d, "3");
    shows(&d, &["申立書で受け付ける：負担割合は？"]);
    press(&mut d, "\x1b");
    shows(&d, &["どうしますか？"]);
    press(&mut d, "32");
    shows(
        &d,
        &[
            "✕ 一部正解　2 / 3 点",
            "✕ 負担割合　あなた：2割　正解：3割",
            "まだ必要な書類：資格確認書、またはマイナンバーカードと資格情報のお知らせ",
            "機器・回線の障害で",
            "Enter 結果を見る",
        ],
    );

    // The score sheet.
    press(&mut d, "\n");
    shows(
        &d,
        &[
            "研修結果：研修テスト：受付の基本",
            "合計 7 / 11 点（63%）・全問正解 2 / 4 問",
            "保存しました：",
            "01-basics-20251001-093000.json",
            "01-basics-20251001-093000.md",
            " 1. 〇 3/3点",
            " 3. ✕ 0/3点",
            "回答：保険診療不可",
        ],
    );
    let json_path = out.path().join("01-basics-20251001-093000.json");
    let md_path = out.path().join("01-basics-20251001-093000.md");
    assert_eq!(d.saved().len(), 1);
    assert_eq!(d.saved()[0].json, json_path);
    let v = json(&json_path);
    assert_eq!(v["lesson"]["name"], "01-basics");
    assert_eq!(v["lesson"]["title"], "研修テスト：受付の基本");
    assert_eq!(v["saved_at"], "2025-10-01T09:30:00+09:00");
    assert_eq!((v["points"].as_u64(), v["max"].as_u64()), (Some(7), Some(11)));
    assert_eq!((v["answered"].as_u64(), v["scenarios"].as_u64(), v["all_right"].as_u64()), (Some(4), Some(4), Some(2)));
    assert_eq!(v["completed"], true);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["chosen"]["action"], "accept");
    assert_eq!(rows[0]["chosen"]["basis"], "online");
    assert_eq!(rows[1]["id"], "01-basics/02-offline-visits.toml#1");
    assert_eq!(rows[1]["chosen"]["asked"], "notice");
    assert_eq!(rows[1]["correct"]["required"][0], "myna_card + notice | myna_card + portal");
    assert_eq!(rows[2]["chosen"]["action"], "refuse");
    assert_eq!(rows[2]["correct"]["basis"], "certificate");
    assert_eq!(rows[2]["points"], 0);
    assert_eq!(rows[3]["chosen"]["copay"], "2割");
    assert_eq!(rows[3]["items"][2]["kind"], "copay");
    assert_eq!(rows[3]["items"][2]["right"], false);
    assert_eq!(rows[3]["deciding_rule"], "SYSTEM-FAILURE-SELF-DECLARATION");
    assert!(rows.iter().all(|r| r["decision_mismatch"] == false));
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.starts_with("# 研修結果：研修テスト：受付の基本\n"), "{md}");
    assert!(md.contains("合計 7 / 11 点（63%）・全問正解 2 / 4 問"), "{md}");
    assert!(md.contains("| 3 | 資格確認書を出された | 保険診療不可 | 受け付ける（資格確認書）・3割 | 対応× 根拠× 負担割合× | 0 / 3 |"), "{md}");

    // Back to the list, then quit.
    press(&mut d, "\n");
    shows(&d, &["研修モード：レッスンを選んでください"]);
    assert!(!d.press(Key::Char('q')).unwrap());
}

#[test]
fn a_mismatch_is_shown_and_scored_against_the_scenario_file() {
    let out = tempfile::tempdir().unwrap();
    let mut d = driver(load_pack(&fixtures()).unwrap(), out.path());
    press(&mut d, "j\n");
    shows(&d, &["第1問／1"]);
    hides(&d, &["正解の負担割合が間違っているシナリオ"]);
    press(&mut d, "113");
    shows(&d, &["正解の負担割合が間違っているシナリオ"]);
    // The file says 2割, the firmware 3割: scored against the file.
    shows(&d, &["✕ 一部正解　2 / 3 点", "✕ 負担割合　あなた：3割　正解：2割"]);
    press(&mut d, "$");
    shows(
        &d,
        &[
            "【注意】シナリオの正解と端末（ファームウェア）の判定が一致しません",
            "端末の判定：受け付ける（オンライン資格確認）・3割",
            "copay：シナリオ 2割 ／ 端末 3割",
        ],
    );
    press(&mut d, "\n");
    shows(&d, &["合計 2 / 3 点（66%）・全問正解 0 / 1 問", "【注意】端末の判定と一致しない問題です"]);
    let first = out.path().join("02-mismatch-20251001-093000.json");
    assert_eq!(json(&first)["rows"][0]["decision_mismatch"], true);
    // The same lesson again in the same second: the name gets a suffix.
    press(&mut d, "\n\n110\n");
    assert_eq!(d.saved().len(), 2);
    assert_eq!(d.saved()[1].json, out.path().join("02-mismatch-20251001-093000-2.json"));
    assert_eq!(json(&first)["rows"][0]["chosen"]["copay"], "3割");
    assert_eq!(json(&d.saved()[1].json)["rows"][0]["chosen"]["copay"], "undetermined");
}

#[test]
fn stopping_midway_saves_a_partial_sheet() {
    let out = tempfile::tempdir().unwrap();
    let mut d = driver(load_pack(&fixtures()).unwrap(), out.path());
    press(&mut d, "\n4\nq");
    shows(&d, &["レッスンを中断しますか？", "y 中断して結果を保存"]);
    press(&mut d, "n");
    shows(&d, &["第2問／4"]);
    assert!(!screen(&d).contains("レッスンを中断しますか？"));
    press(&mut d, "qy");
    shows(&d, &["合計 0 / 3 点（0%）・全問正解 0 / 1 問（4問中1問で中断）", "保存しました："]);
    let v = json(&d.saved()[0].json);
    assert_eq!(v["completed"], false);
    assert_eq!((v["answered"].as_u64(), v["scenarios"].as_u64()), (Some(1), Some(4)));
}

#[test]
fn stopping_before_any_answer_saves_nothing() {
    let out = tempfile::tempdir().unwrap();
    let mut d = driver(load_pack(&fixtures()).unwrap(), out.path());
    press(&mut d, "\nqy");
    shows(&d, &["研修モード：レッスンを選んでください"]);
    assert!(d.saved().is_empty());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_lesson_that_does_not_load_is_listed_but_cannot_start() {
    let out = tempfile::tempdir().unwrap();
    let mut d = driver(load_pack(&fixtures()).unwrap(), out.path());
    press(&mut d, "jj");
    shows(&d, &["このレッスンは読み込めません：", "01-missing.toml"]);
    press(&mut d, "\n");
    shows(&d, &["このレッスンは読み込めないため始められません", "研修モード"]);
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let out = tempfile::tempdir().unwrap();
    let mut d = driver(load_pack(&fixtures()).unwrap(), out.path());
    press(&mut d, "\n1");
    assert!(!d.press(Key::Interrupt).unwrap());
}

#[test]
fn pack_errors_name_the_path() {
    let missing = fixtures().join("no-such-folder");
    assert_eq!(load_pack(&missing).unwrap_err(), TrainError::NotFound(missing.clone()));
    let empty = tempfile::tempdir().unwrap();
    let e = load_pack(empty.path()).unwrap_err();
    assert!(matches!(e, TrainError::NoLessons(_)), "{e}");
    assert!(e.to_string().contains("no lessons here"), "{e}");
    // A lesson folder given directly is a pack of one lesson.
    let one = load_pack(&fixtures().join("01-basics")).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].content.as_ref().map(Vec::len), Ok(4));
}

/// Every bundled lesson loads, and every scenario of it can be shown and
/// answered at 80×24 (refusing every time), down to a saved sheet.
#[test]
fn every_bundled_scenario_plays_at_80x24() {
    let lessons = load_pack(&bundled_dir()).unwrap();
    assert_eq!(lessons.len(), 8);
    for (i, lesson) in lessons.iter().enumerate() {
        let scenarios = lesson.content.as_ref().unwrap_or_else(|e| panic!("{}: {e}", lesson.name));
        assert!(scenarios.iter().all(|p| !p.mismatch()), "{}: a scenario disagrees with the firmware", lesson.name);
        let out = tempfile::tempdir().unwrap();
        let mut d = driver(lessons.clone(), out.path());
        press(&mut d, &"j".repeat(i));
        press(&mut d, "\n");
        for (n, p) in scenarios.iter().enumerate() {
            shows(
                &d,
                &[&format!("第{}問／{}", n + 1, scenarios.len()), "【端末の画面】", "どうしますか？", "4 保険診療不可"],
            );
            // The end of the body is reachable by scrolling.
            press(&mut d, "$");
            shows(&d, &["4 保険診療不可"]);
            let last = p.view.circumstances.last().unwrap_or(&p.view.patient);
            let last: String = last.chars().take(10).collect();
            shows(&d, &[&last]);
            press(&mut d, "4");
            shows(&d, &["点", "【正しい対応】"]);
            press(&mut d, "$");
            shows(&d, &["出典："]);
            press(&mut d, "\n");
        }
        shows(&d, &["研修結果：", "保存しました："]);
        let v = json(&d.saved()[0].json);
        assert_eq!(v["answered"].as_u64(), Some(scenarios.len() as u64));
    }
}

/// What the terminal shows is its own last screen (the scenario played at a
/// virtual counter), never a decision only the clerk's request brought up.
#[test]
fn terminal_screens_of_bundled_scenarios() {
    let lessons = load_pack(&bundled_dir()).unwrap();
    let view = |id: &str| {
        lessons
            .iter()
            .flat_map(|l| l.content.as_deref().unwrap_or_default())
            .find(|p| p.scenario.id() == id)
            .unwrap_or_else(|| panic!("no scenario {id}"))
            .view
            .clone()
    };
    let cases: [(&str, &str); 10] = [
        ("01-myna-basics/04-pin-locked.toml", "暗証番号がロックされています"),
        ("01-myna-basics/07-card-not-on-reader.toml", "マイナ保険証をかざしてください"),
        ("01-myna-basics/11-online-invalid.toml", "被保険者資格申立書にご記入ください"),
        ("01-myna-basics/14-online-not-found.toml", "被保険者資格申立書にご記入ください"),
        ("01-myna-basics/15-online-multiple.toml", "受付にお声がけください"),
        ("02-offline-facility/01-card-alone.toml", "受付で資格確認書等をご提示ください"),
        ("06-system-failure/02-reader-broken.toml", "被保険者資格申立書にご記入ください"),
        ("06-system-failure/03-service-timeout.toml", "被保険者資格申立書にご記入ください"),
        ("05-elderly-and-copay/22-limit-from-online.toml", "限度額区分"),
        ("01-myna-basics/06-pin-less-card.toml", "資格確認が完了しました"),
    ];
    for (id, text) in cases {
        let v = view(id);
        assert!(v.terminal.iter().any(|l| l.contains(text)), "{id}: {:?} does not show {text:?}", v.terminal);
    }
    let not_placed = view("01-myna-basics/07-card-not-on-reader.toml");
    assert!(not_placed.terminal.iter().any(|l| l.contains("置かれていません")), "{:?}", not_placed.terminal);
    let bad_digit = view("04-temporary-measures/14-keyed-in-bad-check-digit.toml");
    assert!(bad_digit.clerk.iter().any(|l| l.contains("入力内容を確認してください")), "{:?}", bad_digit.clerk);
    let keyed = view("04-temporary-measures/09-expired-card-keyed-in-last-day.toml");
    assert!(keyed.clerk.iter().any(|l| l.contains("入力した番号でオンライン資格確認")), "{:?}", keyed.clerk);
    let pin_less = view("01-myna-basics/06-pin-less-card.toml");
    assert!(pin_less.documents[0].lines.iter().any(|l| l.contains("顔認証マイナンバーカード")), "{pin_less:?}");
}

/// Smaller than 80×24 the UI is cramped but draws every screen without panicking.
#[test]
fn small_terminals_do_not_panic() {
    for (w, h) in [(40, 12), (20, 5), (1, 1)] {
        let out = tempfile::tempdir().unwrap();
        let terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut d = Driver::new(terminal, App::new(load_pack(&fixtures()).unwrap()), out.path().to_path_buf())
            .with_clock(fixed_clock);
        d.draw().unwrap();
        for key in "j\n113$q".chars().map(|c| match c {
            '\n' => Key::Enter,
            '$' => Key::End,
            c => Key::Char(c),
        }) {
            assert!(d.press(key).unwrap());
        }
        assert!(d.press(Key::Char('y')).unwrap());
        assert_eq!(d.saved().len(), 1, "{w}x{h}");
    }
}

/// Words that state an answer, not a situation: they may appear in what the
/// trainee reads after answering, never in a scenario's `situation`.
const ANSWER_PHRASES: [&str; 9] =
    ["受け付け", "受付でき", "受診でき", "使えない", "使えます", "使える", "保険診療不可", "全額自己負担", "必要"];

/// Training does not give the answer away: for every bundled scenario, what
/// the trainee sees before answering holds no rule id, no internal label,
/// none of the scenario's title, explanation or right answer, and no
/// sentence of the rules that decided it; and every scenario has an
/// explanation to show after the answer.
#[test]
fn question_screens_do_not_give_the_answer_away() {
    let lessons = load_pack(&bundled_dir()).unwrap();
    let policy = firmware::rules::Policy::national();
    let labels: Vec<&str> = policy.rules().iter().map(|r| r.id.as_str()).chain(["seed", "DOMAIN", "RULE"]).collect();
    let enum_names = [
        "accepted",
        "refused",
        "needs_more",
        "self_declaration",
        "notice_with_card",
        "portal_with_card",
        "old_card",
        "myna_card",
    ];
    let mut checked = 0;
    let mut leaks = Vec::new();
    for lesson in &lessons {
        for p in lesson.content.as_ref().unwrap_or_else(|e| panic!("{}: {e}", lesson.name)) {
            let id = p.scenario.id();
            if p.explanation.text.is_none() {
                leaks.push(format!("{id}: no explanation for after the answer"));
            }
            let question = p.view.texts().join("\n");
            for label in labels.iter().chain(&enum_names) {
                if question.contains(label) {
                    leaks.push(format!("{id}: the question shows {label:?}"));
                }
            }
            for giveaway in p.explanation.giveaways() {
                if question.contains(&giveaway) {
                    leaks.push(format!("{id}: the question shows {giveaway:?}"));
                }
            }
            if let Some(situation) = &p.view.says {
                for phrase in ANSWER_PHRASES {
                    if situation.contains(phrase) {
                        leaks.push(format!("{id}: the situation states an answer ({phrase:?}): {situation}"));
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
    assert!(checked >= 100, "only {checked} scenarios checked");
}

/// The check above catches a leak: a scenario whose situation repeats its
/// explanation, and a terminal screen with the rule tag.
#[test]
fn the_leak_check_finds_leaks() {
    let lessons = load_pack(&bundled_dir()).unwrap();
    let p = lessons[0].content.as_ref().unwrap().iter().find(|p| p.explanation.text.is_some()).unwrap();
    let explanation = p.explanation.text.clone().unwrap();
    let mut leaky = p.view.clone();
    leaky.says = Some(explanation);
    let question = leaky.texts().join("\n");
    assert!(p.explanation.giveaways().iter().any(|g| question.contains(g)));
}
