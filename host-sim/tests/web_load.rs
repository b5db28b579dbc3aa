//! A bounded load test of `host-sim train --web` on loopback: 30 trainees
//! answer a whole lesson at once over real HTTP (each question page, one
//! screen image, the answer, the feedback; then the score sheet). Every
//! request must be answered (2xx or a redirect), and every answer must be
//! in the database, as sent. Writes the figures to `reports/web-load.md`.
//!
//! Run by `cargo xtask web-load` (ignored by a plain `cargo test`: it
//! writes a report and takes a while in a debug build).

use host_sim::scenario::bundled_dir;
use host_sim::scoring::{Choice, CopayChoice, Need};
use host_sim::train::pack::load_pack;
use host_sim::web::class::{Class, Lesson, Token};
use host_sim::web::router;
use host_sim::web::store::Store;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TRAINEES: usize = 30;
const LESSON: &str = "01-myna-basics";
/// No request may take longer than this; the whole run is bounded by it too.
const REQUEST_LIMIT: Duration = Duration::from_secs(20);
const RUN_LIMIT: Duration = Duration::from_secs(300);

type Http = Client<HttpConnector, Full<Bytes>>;

/// One request's outcome: status and time taken.
struct Done {
    status: u16,
    took: Duration,
    location: Option<String>,
}

async fn request(http: &Http, method: &str, url: &str, form: Option<String>) -> Result<Done, String> {
    let mut b = hyper::Request::builder().method(method).uri(url);
    if form.is_some() {
        b = b.header("content-type", "application/x-www-form-urlencoded");
    }
    let req = b.body(Full::new(Bytes::from(form.unwrap_or_default()))).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let res = tokio::time::timeout(REQUEST_LIMIT, http.request(req))
        .await
        .map_err(|_| format!("{method} {url}: no answer within {REQUEST_LIMIT:?}"))?
        .map_err(|e| format!("{method} {url}: {e}"))?;
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    res.into_body().collect().await.map_err(|e| format!("{method} {url}: body: {e}"))?;
    Ok(Done { status, took: start.elapsed(), location })
}

/// The choice trainee `t` makes on question `n`: varied, so that the
/// stored answers can be told apart.
fn choice_of(t: usize, n: usize) -> Choice {
    match (t + n) % 4 {
        0 => Choice::Refuse,
        1 => Choice::Ask(Need::Other),
        2 => Choice::SelfDeclare { copay: CopayChoice::Undetermined },
        _ => Choice::Accept { basis: firmware::rules::Basis::Online, copay: CopayChoice::Undetermined },
    }
}

fn form_of(choice: Choice) -> String {
    let r = choice.record();
    let mut parts = vec![format!("action={}", r.action)];
    for (k, v) in [("basis", r.basis), ("copay", r.copay), ("asked", r.asked)] {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join("&")
}

/// One trainee's whole lesson; returns every request's outcome.
async fn trainee(http: Http, base: String, t: usize, questions: usize) -> Result<Vec<Done>, String> {
    let mut done = Vec::new();
    let start = request(&http, "POST", &format!("{base}/start"), Some(format!("name=load-{t:02}"))).await?;
    let me = start.location.clone().ok_or("no trainee page")?;
    done.push(start);
    let resume = request(&http, "GET", &format!("{base}{me}/{LESSON}"), None).await?;
    done.push(resume);
    for n in 1..=questions {
        let q = format!("{base}{me}/{LESSON}/q/{n}");
        done.push(request(&http, "GET", &q, None).await?);
        done.push(request(&http, "GET", &format!("{base}/screen/{LESSON}/{n}/1"), None).await?);
        let answered = request(&http, "POST", &q, Some(form_of(choice_of(t, n)))).await?;
        let feedback = answered.location.clone().ok_or_else(|| format!("{q}: no redirect after the answer"))?;
        done.push(answered);
        done.push(request(&http, "GET", &format!("{base}{feedback}"), None).await?);
    }
    done.push(request(&http, "GET", &format!("{base}{me}/{LESSON}/sheet"), None).await?);
    Ok(done)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test; cargo xtask web-load runs it and writes reports/web-load.md"]
async fn thirty_trainees_answer_a_lesson_at_once() {
    let lessons: Vec<Lesson> = load_pack(&bundled_dir()).unwrap().into_iter().map(Lesson::new).collect();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("class.sqlite3")).unwrap();
    let class = Class::of_lessons(lessons, store, Token::new("load-test"));
    let questions = class.lesson(LESSON).unwrap().questions().len();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(Arc::clone(&class));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let http: Http = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let start = Instant::now();
    let tasks: Vec<_> =
        (0..TRAINEES).map(|t| tokio::spawn(trainee(http.clone(), base.clone(), t, questions))).collect();
    let mut all = Vec::new();
    for (t, task) in tasks.into_iter().enumerate() {
        let done = tokio::time::timeout(RUN_LIMIT, task).await.expect("the run is bounded").expect("no panic");
        all.extend(done.unwrap_or_else(|e| panic!("trainee {t}: {e}")));
    }
    let wall = start.elapsed();

    // Every request answered, none with an error.
    let expected_requests = TRAINEES * (3 + 4 * questions);
    assert_eq!(all.len(), expected_requests);
    let failed: Vec<u16> = all.iter().map(|d| d.status).filter(|s| !(200..400).contains(s)).collect();
    assert!(failed.is_empty(), "failed requests: {failed:?}");
    // No answer lost: every trainee's every answer is stored, as sent.
    let stored = class.with_store(|s| s.all_answers()).unwrap();
    assert_eq!(stored.len(), TRAINEES * questions);
    let trainees = class.with_store(|s| s.trainees()).unwrap();
    assert_eq!(trainees.len(), TRAINEES);
    for tr in &trainees {
        let t: usize = tr.name.trim_start_matches("load-").parse().unwrap();
        let mine: Vec<_> = stored.iter().filter(|a| a.trainee == tr.id).collect();
        assert_eq!(mine.len(), questions, "{}", tr.name);
        for a in mine {
            assert_eq!(a.choice, choice_of(t, a.number as usize), "{} question {}", tr.name, a.number);
        }
    }

    let mut times: Vec<Duration> = all.iter().map(|d| d.took).collect();
    times.sort();
    let (p50, p95, max) = (percentile(&times, 0.5), percentile(&times, 0.95), times[times.len() - 1]);
    let rps = all.len() as f64 / wall.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let profile = if cfg!(debug_assertions) { "debug" } else { "release" };
    let report = format!(
        "# Web training load test\n\n\
         Written by `cargo xtask web-load` (`host-sim/tests/web_load.rs`, {profile} build, server and clients in one \
         process on loopback, SQLite file in WAL mode, {cores} cores, load average {load} when it ended: other work \
         shared the machine).\n\n\
         {TRAINEES} trainees answer lesson `{LESSON}` ({questions} questions) at the same time: start with a name, \
         then per question the question page, one screen image, the answer (POST, stored before the redirect) and the \
         feedback page; then the score sheet.\n\n\
         | what | value |\n|---|---:|\n\
         | requests | {n} |\n\
         | requests answered with an error or not at all | 0 |\n\
         | answers stored / sent | {stored} / {sent} |\n\
         | wall time, all trainees | {wall:.2} s |\n\
         | requests per second | {rps:.0} |\n\
         | latency p50 | {p50:.1} ms |\n\
         | latency p95 | {p95:.1} ms |\n\
         | latency max | {max:.1} ms |\n",
        cores = std::thread::available_parallelism().map_or(0, |n| n.get()),
        load = std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".into()),
        n = all.len(),
        stored = stored.len(),
        sent = TRAINEES * questions,
        wall = wall.as_secs_f64(),
        p50 = ms(p50),
        p95 = ms(p95),
        max = ms(max),
    );
    println!("{report}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../reports/web-load.md");
    std::fs::write(&path, report).unwrap();
    println!("written: {}", path.display());
}
