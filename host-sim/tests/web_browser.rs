//! A whole lesson answered in a real browser: headless Chromium driven over
//! WebDriver (chromedriver, fantoccini), against `host-sim train --web`
//! served in this process on loopback. Half the questions are answered by
//! clicking, half with the keyboard only; the score sheet must show the
//! points the shared scoring gives. Screenshots are saved for people to
//! look at (`target/web-screenshots/`, or `$WEB_SCREENSHOTS`).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian's
//! `chromium` and `chromium-driver`; `$CHROMIUM`, `$CHROMEDRIVER` override):
//! ignored by a plain `cargo test`, run by `cargo xtask test`.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use host_sim::scenario::bundled_dir;
use host_sim::scoring::{ASKABLE, BASES, COPAYS, Choice, Need, score};
use host_sim::train::pack::load_pack;
use host_sim::web::class::{Class, Lesson, Token};
use host_sim::web::router;
use host_sim::web::store::Store;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The lesson answered.
const LESSON: &str = "06-system-failure";

/// chromedriver, ended when the test ends (also on failure).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_chromedriver() -> (Driver, String) {
    let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let port = free_port();
    let child = Command::new(&exe)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {exe} (apt-get install chromium-driver): {e}"));
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{exe} did not listen on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, format!("http://127.0.0.1:{port}"))
}

async fn browser(webdriver: &str, profile: &std::path::Path) -> Client {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=1280,720",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": chromium, "args": args },
    });
    let serde_json::Value::Object(caps) = caps else { unreachable!() };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector).capabilities(caps).connect(webdriver).await.expect("a WebDriver session")
}

fn shots_dir() -> PathBuf {
    let dir = std::env::var_os("WEB_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/web-screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn save_shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots_dir().join(name), png).unwrap();
}

/// The choice that states the right answer exactly.
fn right_choice(a: &host_sim::scoring::Answer) -> Choice {
    use firmware::rules::Outcome;
    use host_sim::scoring::CopayChoice;
    let copay = a.copay.map_or(CopayChoice::Undetermined, CopayChoice::Rate);
    match a.outcome {
        Outcome::Accepted => Choice::Accept { basis: a.basis.unwrap(), copay },
        Outcome::SelfDeclaration => Choice::SelfDeclare { copay },
        Outcome::NeedsMore => {
            let askable = ASKABLE.into_iter().find(|k| a.required.mentions(*k));
            Choice::Ask(askable.map_or(Need::Other, Need::Document))
        }
        Outcome::Refused => Choice::Refuse,
    }
}

/// The keys that make `choice` in the menus: "1" then basis then copay, ...
fn keys_of(choice: Choice) -> Vec<String> {
    let copay_key = |c| {
        let i = COPAYS.iter().position(|x| *x == c).unwrap();
        if i == 3 { "0".to_string() } else { (i + 1).to_string() }
    };
    match choice {
        Choice::Accept { basis, copay } => {
            vec!["1".into(), (BASES.iter().position(|b| *b == basis).unwrap() + 1).to_string(), copay_key(copay)]
        }
        Choice::Ask(Need::Other) => vec!["2".into(), "0".into()],
        Choice::Ask(Need::Document(k)) => {
            vec!["2".into(), (ASKABLE.iter().position(|x| *x == k).unwrap() + 1).to_string()]
        }
        Choice::SelfDeclare { copay } => vec!["3".into(), copay_key(copay)],
        Choice::Refuse => vec!["4".into()],
    }
}

/// Sizes the window so that the page itself gets `width` × `height`.
async fn viewport(c: &Client, width: u32, height: u32) {
    c.set_window_size(width, height).await.unwrap();
    let inner = c.execute("return [window.innerWidth, window.innerHeight];", vec![]).await.unwrap();
    let (w, h) = (inner[0].as_u64().unwrap() as u32, inner[1].as_u64().unwrap() as u32);
    c.set_window_size(2 * width - w, 2 * height - h).await.unwrap();
}

/// Presses a key on the page (not into a field), as a person would.
async fn press(c: &Client, key: &str) {
    let ch = match key {
        "Enter" => '\u{E007}',
        k => k.chars().next().unwrap(),
    };
    let actions =
        KeyActions::new("keyboard".into()).then(KeyAction::Down { value: ch }).then(KeyAction::Up { value: ch });
    c.perform_actions(actions).await.unwrap();
}

/// Waits until the page's address ends with `suffix` (a navigation happened).
async fn wait_for_url(c: &Client, what: &str, ok: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if ok(&url) {
            return;
        }
        assert!(Instant::now() < deadline, "waited for {what}; still at {url}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; cargo xtask test runs it"]
async fn a_whole_lesson_answered_in_chromium_by_clicks_and_keys() {
    let lessons: Vec<Lesson> = load_pack(&bundled_dir()).unwrap().into_iter().map(Lesson::new).collect();
    let class = Class::of_lessons(lessons, Store::in_memory().unwrap(), Token::new("browser-test-token"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let app = router(class.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let base = format!("http://{addr}");

    let (_driver, webdriver) = start_chromedriver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&webdriver, profile.path()).await;
    viewport(&c, 1280, 720).await;

    // The start page: a name only.
    c.goto(&base).await.unwrap();
    c.find(Locator::Id("name")).await.unwrap().send_keys("ブラウザ 太郎").await.unwrap();
    save_shot(&c, "01-start.png").await;
    c.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_url(&c, "the lesson list", |u| u.ends_with("/t/1")).await;
    assert!(c.source().await.unwrap().contains("ブラウザ 太郎"));
    save_shot(&c, "02-lessons.png").await;
    c.goto(&format!("{base}/t/1/{LESSON}")).await.unwrap();

    let lesson = class.lesson(LESSON).unwrap();
    let total = lesson.questions().len();
    let (mut points, mut max) = (0, 0);
    for (i, q) in lesson.questions().iter().enumerate() {
        let n = i + 1;
        wait_for_url(&c, &format!("question {n}"), |u| u.ends_with(&format!("/q/{n}"))).await;
        let expected = &q.prepared.expected;
        // The last question is answered wrong on purpose: the sheet must show it.
        let choice = if n == total {
            if expected.outcome == firmware::rules::Outcome::Refused {
                Choice::Ask(Need::Other)
            } else {
                Choice::Refuse
            }
        } else {
            right_choice(expected)
        };
        let s = score(choice, expected);
        points += s.points;
        max += s.max;
        if n == 1 || q.prepared.scenario.built.visit.documents.len() > 1 {
            save_shot(&c, &format!("03-question-{n:02}.png")).await;
        }
        let keys = keys_of(choice);
        let by_keyboard = n % 2 == 0;
        for (k, key) in keys.iter().enumerate() {
            if by_keyboard {
                press(&c, key).await;
            } else {
                let button = c.find(Locator::Css(&format!("#choices [data-key=\"{key}\"]"))).await.unwrap();
                button.click().await.unwrap();
            }
            if k + 1 < keys.len() {
                let next = format!("#choices [data-key=\"{}\"]", keys[k + 1]);
                c.wait().for_element(Locator::Css(&next)).await.unwrap();
            }
        }
        wait_for_url(&c, &format!("feedback {n}"), |u| u.ends_with(&format!("/q/{n}/feedback"))).await;
        let verdict = c.find(Locator::Id("h-verdict")).await.unwrap().text().await.unwrap();
        assert!(verdict.contains(&format!("{} / {} 点", s.points, s.max)), "question {n}: {verdict}");
        assert!(verdict.contains(s.verdict_ja()), "question {n}: {verdict}");
        if n == 1 || n == total {
            save_shot(&c, &format!("04-feedback-{n:02}.png")).await;
        }
        if by_keyboard {
            press(&c, "Enter").await;
        } else {
            c.find(Locator::Id("next")).await.unwrap().click().await.unwrap();
        }
    }
    wait_for_url(&c, "the score sheet", |u| u.ends_with("/sheet")).await;
    let totals = c.find(Locator::Id("totals")).await.unwrap().text().await.unwrap();
    let pct = points * 100 / max;
    assert!(totals.contains(&format!("合計 {points} / {max} 点（{pct}%）")), "{totals}");
    assert!(totals.contains(&format!("全問正解 {} / {total} 問", total - 1)), "{totals}");
    assert!(points < max);
    save_shot(&c, "05-sheet.png").await;
    // Every answer is in the database.
    assert_eq!(class.with_store(|s| s.answers(1, LESSON)).unwrap().len(), total);

    // A tablet in portrait: the question page still offers every choice.
    viewport(&c, 768, 1024).await;
    c.goto(&format!("{base}/t/1/05-elderly-and-copay/q/17")).await.unwrap();
    for key in ["1", "2", "3", "4"] {
        let b = c.find(Locator::Css(&format!("#choices [data-key=\"{key}\"]"))).await.unwrap();
        assert!(b.is_displayed().await.unwrap(), "choice {key} hidden at tablet width");
    }
    save_shot(&c, "06-question-tablet.png").await;
    c.close().await.unwrap();
}
