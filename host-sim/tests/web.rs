//! `host-sim train --web` over HTTP, with the server in this process (the
//! router called directly): answering, resuming, the instructor's page and
//! CSV, the token, hostile and malformed requests, and that no question page
//! of the bundled pack gives its answer away.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use host_sim::scenario::bundled_dir;
use host_sim::scoring::{Answer, Choice, CopayChoice, Need};
use host_sim::train::pack::load_pack;
use host_sim::web::class::{Class, Lesson, Token};
use host_sim::web::router;
use host_sim::web::store::Store;
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join("train")
}

fn fixture_lessons() -> Vec<Lesson> {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| load_pack(&fixtures()).unwrap().into_iter().map(Lesson::new).collect()).clone()
}

fn class() -> Arc<Class> {
    Class::of_lessons(fixture_lessons(), Store::in_memory().unwrap(), Token::new(TOKEN))
}

struct Reply {
    status: StatusCode,
    location: Option<String>,
    content_type: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let header = |h| res.headers().get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
    let location = header(header::LOCATION);
    let content_type = header(header::CONTENT_TYPE).unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Reply { status, location, content_type, body }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_form(app: &Router, uri: &str, body: impl Into<Body>) -> Reply {
    let req = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body.into());
    send(app, req.unwrap()).await
}

fn form_of(choice: Choice) -> String {
    let r = choice.record();
    let mut parts = vec![format!("action={}", r.action)];
    for (k, v) in [("basis", r.basis), ("copay", r.copay), ("asked", r.asked)] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", urlencode(v)));
        }
    }
    parts.join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The choice that states `a` exactly.
fn right_choice(a: &Answer) -> Choice {
    use firmware::rules::Outcome;
    let copay = a.copay.map_or(CopayChoice::Undetermined, CopayChoice::Rate);
    match a.outcome {
        Outcome::Accepted => Choice::Accept { basis: a.basis.unwrap(), copay },
        Outcome::SelfDeclaration => Choice::SelfDeclare { copay },
        Outcome::NeedsMore => {
            let askable = host_sim::scoring::ASKABLE.into_iter().find(|k| a.required.mentions(*k));
            Choice::Ask(askable.map_or(Need::Other, Need::Document))
        }
        Outcome::Refused => Choice::Refuse,
    }
}

/// Starts a trainee; returns their page's address.
async fn start(app: &Router, name: &str) -> String {
    let r = post_form(app, "/start", format!("name={}", urlencode(name))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location.unwrap()
}

#[tokio::test]
async fn a_trainee_answers_a_lesson_and_sees_the_score_sheet() {
    let class = class();
    let app = router(class.clone());
    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.content_type.starts_with("text/html"));
    assert!(home.text().contains("お名前"));
    let me = start(&app, "山田 花子").await;
    assert_eq!(me, "/t/1");
    let list = get(&app, &me).await;
    assert!(list.text().contains("研修テスト：受付の基本") && list.text().contains("山田 花子"));
    assert!(list.text().contains("読み込めません"), "the broken lesson says so");

    let lesson = class.lesson("01-basics").unwrap();
    let go = get(&app, "/t/1/01-basics").await;
    assert_eq!(go.location.as_deref(), Some("/t/1/01-basics/q/1"));
    let q1 = get(&app, "/t/1/01-basics/q/1").await;
    assert_eq!(q1.status, StatusCode::OK);
    assert!(q1.text().contains("どうしますか") && q1.text().contains("/screen/01-basics/1/"));

    // Question 1 is a face-authenticated visit confirmed online at 3割.
    let right = Choice::Accept {
        basis: firmware::rules::Basis::Online,
        copay: CopayChoice::Rate(firmware::domain::CopayRate::Thirty),
    };
    assert_eq!(right_choice(&lesson.questions()[0].prepared.expected), right);
    let answered = post_form(&app, "/t/1/01-basics/q/1", form_of(right)).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    assert_eq!(answered.location.as_deref(), Some("/t/1/01-basics/q/1/feedback"));
    // Stored before the feedback is asked for.
    let stored = class.with_store(|s| s.answers(1, "01-basics")).unwrap();
    assert_eq!((stored.len(), stored[0].choice, stored[0].points, stored[0].max), (1, right, 3, 3));
    let fb = get(&app, "/t/1/01-basics/q/1/feedback").await;
    let text = fb.text();
    assert!(text.contains("正解") && text.contains("3 / 3 点") && text.contains("出典"), "{text}");
    assert!(text.contains("/t/1/01-basics/q/2"), "next goes to question 2");

    // The rest: refuse everything (wrong unless refusing is right).
    for n in 2..=lesson.questions().len() {
        let r = post_form(&app, &format!("/t/1/01-basics/q/{n}"), "action=refuse").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let done = get(&app, "/t/1/01-basics").await;
    assert_eq!(done.location.as_deref(), Some("/t/1/01-basics/sheet"));
    let sheet = get(&app, "/t/1/01-basics/sheet").await;
    let expected =
        host_sim::web::routes::score_sheet(lesson, &class.with_store(|s| s.answers(1, "01-basics")).unwrap());
    assert_eq!(expected.answered, lesson.questions().len());
    assert!(expected.points >= 3 && expected.points < expected.max);
    assert!(sheet.text().contains(&expected.totals_ja()), "{}", sheet.text());
}

#[tokio::test]
async fn the_first_answer_counts_and_a_trainee_resumes_by_name() {
    let class = class();
    let app = router(class.clone());
    let me = start(&app, "佐藤").await;
    post_form(&app, &format!("{me}/01-basics/q/1"), "action=refuse").await;
    // A second answer to the same question changes nothing.
    let again = post_form(&app, &format!("{me}/01-basics/q/1"), "action=ask&asked=other").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let stored = class.with_store(|s| s.answers(1, "01-basics")).unwrap();
    assert_eq!(stored.iter().map(|a| a.choice).collect::<Vec<_>>(), [Choice::Refuse]);
    // The question page of an answered question goes to its feedback.
    assert_eq!(get(&app, &format!("{me}/01-basics/q/1")).await.location, Some(format!("{me}/01-basics/q/1/feedback")));
    // Later, the same name: the same trainee, welcomed back, at question 2.
    let back = post_form(&app, "/start", "name=%E4%BD%90%E8%97%A4").await;
    assert_eq!(back.location.as_deref(), Some("/t/1?welcome=back"));
    assert!(get(&app, "/t/1?welcome=back").await.text().contains("おかえりなさい"));
    assert_eq!(get(&app, "/t/1/01-basics").await.location.as_deref(), Some("/t/1/01-basics/q/2"));
    // Another name is another trainee.
    assert_eq!(start(&app, "鈴木").await, "/t/2");
}

#[tokio::test]
async fn the_instructor_page_needs_the_token_and_shows_scores_and_error_rates() {
    let class = class();
    let app = router(class.clone());
    let a = start(&app, "山田").await;
    let b = start(&app, "=HYPERLINK(\"x\")").await;
    let right = right_choice(&class.lesson("01-basics").unwrap().questions()[0].prepared.expected);
    post_form(&app, &format!("{a}/01-basics/q/1"), form_of(right)).await;
    post_form(&app, &format!("{b}/01-basics/q/1"), "action=refuse").await;

    for uri in [
        "/instructor",
        "/instructor?token=wrong",
        "/instructor?token=",
        "/instructor/answers.csv",
        "/instructor/answers.csv?token=0123456789abcdef0123456789abcdee",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(!r.text().contains("山田"), "{uri} leaks");
    }
    let page = get(&app, &format!("/instructor?token={TOKEN}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("山田") && text.contains("=HYPERLINK(&quot;x&quot;)"), "{text}");
    // Question 1: two answers, one wrong: 50%.
    assert!(text.contains("50%"), "{text}");
    assert!(text.contains("3/3点"), "{text}");

    let csv = get(&app, &format!("/instructor/answers.csv?token={TOKEN}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type.starts_with("text/csv"));
    let body = csv.text();
    assert!(body.starts_with('\u{feff}'), "BOM for spreadsheet programs");
    let mut rows = csv::Reader::from_reader(body.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, host_sim::web::export::HEADER);
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    assert_eq!((&records[0][0], &records[0][2], &records[0][7], &records[0][9]), ("山田", "1", "3", "1"));
    assert_eq!(&records[1][0], "'=HYPERLINK(\"x\")", "a formula-looking name is made inert");
    assert_eq!((&records[1][6], &records[1][9]), (records[0][6].to_string().as_str(), "0"));
}

#[tokio::test]
async fn bad_requests_get_a_4xx_page_and_change_nothing() {
    let class = class();
    let app = router(class.clone());
    let me = start(&app, "山田").await;
    let q = format!("{me}/01-basics/q/1");
    let cases: Vec<(Request<Body>, StatusCode)> = vec![
        // Unknown or incomplete choices.
        (form(&q, "action=dance"), StatusCode::BAD_REQUEST),
        (form(&q, "action=accept&basis=online"), StatusCode::BAD_REQUEST),
        (form(&q, "action=accept&basis=moon&copay=3%E5%89%B2"), StatusCode::BAD_REQUEST),
        (form(&q, "action=ask&asked=self_declaration"), StatusCode::BAD_REQUEST),
        (form(&q, "basis=online"), StatusCode::UNPROCESSABLE_ENTITY),
        // Not UTF-8, not a form, too big.
        (form(&q, b"action=\xff\xfe".to_vec()), StatusCode::BAD_REQUEST),
        (
            Request::post(&q)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"action\":\"refuse\"}"))
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (form(&q, format!("action=refuse&pad={}", "x".repeat(1 << 20))), StatusCode::PAYLOAD_TOO_LARGE),
        (form("/start", format!("name={}", "%E3%81%82".repeat(41))), StatusCode::UNPROCESSABLE_ENTITY),
        (form("/start", "name=a%0Ab"), StatusCode::UNPROCESSABLE_ENTITY),
        (form("/start", "name=%20%E3%80%80"), StatusCode::UNPROCESSABLE_ENTITY),
        (form("/start", "name=%FF"), StatusCode::UNPROCESSABLE_ENTITY),
        // Nobody, nothing, nowhere.
        (form("/t/99/01-basics/q/1", "action=refuse"), StatusCode::NOT_FOUND),
        (form("/t/abc/01-basics/q/1", "action=refuse"), StatusCode::NOT_FOUND),
        (form("/t/-1/01-basics/q/1", "action=refuse"), StatusCode::NOT_FOUND),
        (form(&format!("{me}/01-basics/q/0"), "action=refuse"), StatusCode::NOT_FOUND),
        (form(&format!("{me}/01-basics/q/99999999999999999999999"), "action=refuse"), StatusCode::NOT_FOUND),
        (form(&format!("{me}/..%2F01-basics/q/1"), "action=refuse"), StatusCode::NOT_FOUND),
        (form(&format!("{me}/03-broken/q/1"), "action=refuse"), StatusCode::CONFLICT),
        (Request::get(format!("{q}?step=fly")).body(Body::empty()).unwrap(), StatusCode::BAD_REQUEST),
        (Request::get(format!("{q}?step=copay&basis=moon")).body(Body::empty()).unwrap(), StatusCode::BAD_REQUEST),
        (Request::get(format!("{q}?step=%FF")).body(Body::empty()).unwrap(), StatusCode::BAD_REQUEST),
        // Traversal and files that are not there.
        (Request::get("/static/../../etc/passwd").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND),
        (Request::get("/static/..%2F..%2Fetc%2Fpasswd").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND),
        (Request::get("/screen/..%2F..%2Fetc/1/1").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND),
        (Request::get("/screen/01-basics/1/0").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND),
        (Request::get("/screen/01-basics/1/999").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND),
        (Request::get("/Cargo.toml").body(Body::empty()).unwrap(), StatusCode::NOT_FOUND),
        // Wrong methods.
        (Request::delete("/").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED),
        (Request::put("/start").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED),
        (Request::get("/start").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED),
        (Request::post("/instructor").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED),
        (Request::builder().method(Method::PATCH).uri(&q).body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED),
    ];
    for (req, want) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let r = send(&app, req).await;
        assert_eq!(r.status, want, "{what}: {}", r.text());
    }
    // Nothing was stored by any of them, and only one trainee exists.
    assert!(class.with_store(|s| s.all_answers()).unwrap().is_empty());
    assert_eq!(class.with_store(|s| s.trainees()).unwrap().len(), 1);
    // Our own error pages are Japanese HTML.
    let missing = get(&app, "/t/99").await;
    assert!(missing.content_type.starts_with("text/html") && missing.text().contains("見つかりません"));
}

fn form(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(body.into()).unwrap()
}

#[tokio::test]
async fn screens_are_png_drawn_by_the_firmware_and_assets_are_embedded() {
    let app = router(class());
    let png = get(&app, "/screen/01-basics/1/1").await;
    assert_eq!(png.status, StatusCode::OK);
    assert_eq!(png.content_type, "image/png");
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    let decoder = png::Decoder::new(std::io::Cursor::new(png.body));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (320, 240));
    for (uri, kind) in [("/static/style.css", "text/css"), ("/static/app.js", "text/javascript")] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(r.content_type.starts_with(kind));
        // Nothing is fetched from elsewhere.
        assert!(
            !r.text().contains("http://") && !r.text().contains("https://") && !r.text().contains("@import"),
            "{uri}"
        );
    }
}

#[test]
fn a_trainee_image_leaves_out_the_rule_tag_and_nothing_else() {
    use firmware::ui::{FallbackKind, Layout, RuleTag, Screen};
    use host_sim::render::{Viewer, image_for};
    let tagged = Screen::Fallback { kind: FallbackKind::Certificate, rule: RuleTag::new("CERT-VALID").unwrap() };
    let staff = image_for(&tagged, Layout::Tft320x240, 1, Viewer::Staff);
    let trainee = image_for(&tagged, Layout::Tft320x240, 1, Viewer::Trainee);
    assert_ne!(staff, trainee);
    let plain = Screen::Consent;
    assert_eq!(
        image_for(&plain, Layout::Tft320x240, 1, Viewer::Staff),
        image_for(&plain, Layout::Tft320x240, 1, Viewer::Trainee)
    );
}

/// Every question page of the bundled pack, at every step of the menus,
/// holds no rule id, and its counter (all but the menus, which are the same
/// for every question) none of the phrases that give its answer away (the
/// title, the right answer, the explanation's and the rules' sentences).
#[tokio::test]
async fn no_question_page_of_the_bundled_pack_gives_the_answer_away() {
    let lessons: Vec<Lesson> = load_pack(&bundled_dir()).unwrap().into_iter().map(Lesson::new).collect();
    let class = Class::of_lessons(lessons, Store::in_memory().unwrap(), Token::new(TOKEN));
    let app = router(class.clone());
    let me = start(&app, "研修").await;
    let ids: Vec<&str> = firmware::rules::policy::NATIONAL.iter().map(|r| r.id.as_str()).collect();
    let mut pages = 0;
    for l in &class.lessons {
        assert!(l.questions.is_ok(), "{}: {:?}", l.name, l.questions.as_ref().err());
        for (i, q) in l.questions().iter().enumerate() {
            let giveaways = q.prepared.explanation.giveaways();
            for step in ["", "?step=basis", "?step=copay", "?step=document", "?step=copay&basis=online"] {
                let uri = format!("{me}/{}/q/{}{step}", l.name, i + 1);
                let r = get(&app, &uri).await;
                assert_eq!(r.status, StatusCode::OK, "{uri}");
                let html = r.text();
                for id in &ids {
                    assert!(!html.contains(id), "{uri} shows the rule id {id}");
                }
                // The menus are the same on every question: the counter above them must not tell.
                let counter = html.split("<section class=\"choices\"").next().unwrap();
                assert!(counter.len() < html.len(), "{uri}: no choices");
                for g in &giveaways {
                    assert!(!counter.contains(g.as_str()), "{uri} ({}) shows {g:?}", q.id());
                }
                pages += 1;
            }
        }
    }
    assert_eq!(pages, 5 * class.lessons.iter().map(|l| l.questions().len()).sum::<usize>());
}

#[test]
fn startup_errors_name_the_file_and_the_problem() {
    use host_sim::web::{WebArgs, WebError, run};
    let dir = tempfile::tempdir().unwrap();
    let args = |pack: PathBuf, addr: &str, db: PathBuf| WebArgs { pack, addr: addr.to_string(), db };
    let e = run(&args(dir.path().join("no-such-pack"), "127.0.0.1:0", dir.path().join("a.sqlite3"))).unwrap_err();
    assert!(matches!(e, WebError::Pack(_)) && e.to_string().contains("no-such-pack"), "{e}");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "授業のメモ。".repeat(200)).unwrap();
    let e = run(&args(fixtures(), "127.0.0.1:0", notes.clone())).unwrap_err();
    assert!(matches!(e, WebError::Store(_)) && e.to_string().contains("notes.txt"), "{e}");
    assert!(std::fs::read_to_string(&notes).unwrap().starts_with("授業のメモ"), "left as it was");
    let e = run(&args(fixtures(), "localhost:eighty", dir.path().join("a.sqlite3"))).unwrap_err();
    assert!(matches!(e, WebError::Addr(_)) && e.to_string().contains("localhost:eighty"), "{e}");
}

/// The digits that make `choice` in the menus, the same in both UIs.
fn keys_of(choice: Choice) -> Vec<char> {
    use host_sim::scoring::{ASKABLE, BASES, COPAYS};
    let digit = |i: usize| char::from_digit(i as u32, 10).unwrap();
    let copay = |c| match COPAYS.iter().position(|x| *x == c).unwrap() {
        3 => '0',
        i => digit(i + 1),
    };
    match choice {
        Choice::Accept { basis, copay: c } => {
            vec!['1', digit(BASES.iter().position(|b| *b == basis).unwrap() + 1), copay(c)]
        }
        Choice::Ask(Need::Other) => vec!['2', '0'],
        Choice::Ask(Need::Document(k)) => vec!['2', digit(ASKABLE.iter().position(|x| *x == k).unwrap() + 1)],
        Choice::SelfDeclare { copay: c } => vec!['3', copay(c)],
        Choice::Refuse => vec!['4'],
    }
}

/// The same choices, made in the terminal UI (keys) and in the browser
/// (forms), give the same score sheet: one scoring, the same right answers.
#[tokio::test]
async fn the_terminal_and_the_browser_score_alike() {
    use host_sim::train::{App, Effect, Key};
    let class = class();
    let app = router(class.clone());
    let lesson = class.lesson("01-basics").unwrap();
    let choices: Vec<Choice> = lesson
        .questions()
        .iter()
        .enumerate()
        .map(|(i, q)| if i % 2 == 0 { right_choice(&q.prepared.expected) } else { Choice::Ask(Need::Other) })
        .collect();

    let me = start(&app, "両方").await;
    for (i, c) in choices.iter().enumerate() {
        let r = post_form(&app, &format!("{me}/01-basics/q/{}", i + 1), form_of(*c)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let stored = class.with_store(|s| s.answers(1, "01-basics")).unwrap();
    let web = host_sim::web::routes::score_sheet(lesson, &stored);

    let mut tui = App::new(load_pack(&fixtures()).unwrap());
    assert_eq!(tui.lessons()[tui.selected()].name, "01-basics");
    tui.handle_key(Key::Enter);
    let mut effect = Effect::None;
    for c in &choices {
        for k in keys_of(*c) {
            tui.handle_key(Key::Char(k));
        }
        effect = tui.handle_key(Key::Enter);
    }
    assert_eq!(effect, Effect::Save);
    let terminal = tui.sheet().unwrap();

    let rows = |s: &host_sim::train::sheet::ScoreSheet| {
        s.rows
            .iter()
            .map(|r| (r.id.clone(), r.chosen_ja.clone(), r.correct_ja.clone(), r.points, r.max))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&web), rows(terminal));
    assert_eq!(web.totals_ja(), terminal.totals_ja());
    assert!(web.points > 0 && web.points < web.max, "{}", web.totals_ja());
}
