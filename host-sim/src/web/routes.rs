//! The HTTP side: addresses, request checks, and the order of work
//! (an answer is scored and committed to the database, then the browser
//! is sent to the feedback page, which reads it back).
//!
//! | address | what |
//! |---|---|
//! | `GET /` | start page (a name) |
//! | `POST /start` | find or add the trainee, go to their lessons |
//! | `GET /t/{trainee}` | lessons and progress |
//! | `GET /t/{trainee}/{lesson}` | to the first unanswered question (or the sheet) |
//! | `GET /t/{trainee}/{lesson}/q/{n}` | the question (`?step=basis|copay|document`, `&basis=`) |
//! | `POST /t/{trainee}/{lesson}/q/{n}` | the answer (`action`, `basis`, `copay`, `asked`) |
//! | `GET /t/{trainee}/{lesson}/q/{n}/feedback` | the feedback |
//! | `GET /t/{trainee}/{lesson}/sheet` | the score sheet |
//! | `GET /screen/{lesson}/{n}/{k}` | the terminal's k-th screen, PNG |
//! | `GET /instructor?token=` | the class's scores |
//! | `GET /instructor/answers.csv?token=` | every answer, CSV |
//! | `GET /static/{file}` | style and script (embedded) |

use super::class::{Class, Lesson, Question};
use super::export;
use super::pages::{self, FeedbackPage, Progress, QuestionPage, QuestionStats, Step, TraineeStats};
use super::store::{NewAnswer, StoreError, StoredAnswer, Trainee, TraineeName};
use crate::scoring::{BASES, Choice, score};
use crate::train::sheet::{LessonRecord, ScoreSheet, SheetRow, now_jst};
use axum::Router;
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::Markup;
use serde::Deserialize;
use std::sync::Arc;

/// Largest request body accepted (a name or an answer is a few hundred bytes).
pub const BODY_LIMIT: usize = 16 * 1024;

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

type Shared = Arc<Class>;

/// The whole site.
pub fn router(class: Shared) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/start", post(start))
        .route("/t/{trainee}", get(lessons))
        .route("/t/{trainee}/{lesson}", get(resume))
        .route("/t/{trainee}/{lesson}/sheet", get(sheet))
        .route("/t/{trainee}/{lesson}/q/{n}", get(question).post(answer))
        .route("/t/{trainee}/{lesson}/q/{n}/feedback", get(feedback))
        .route("/screen/{lesson}/{n}/{k}", get(screen))
        .route("/instructor", get(instructor))
        .route("/instructor/answers.csv", get(answers_csv))
        .route("/static/style.css", get(|| async { asset(STYLE, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }))
        .fallback(|| async { Failure::not_found("ページが見つかりません。") })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(class)
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "max-age=300")], body).into_response()
}

/// A request that cannot be served: its status and a message in Japanese.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    message: String,
    back: Option<(String, String)>,
}

impl Failure {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), back: None }
    }

    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message).back("/", "最初のページへ")
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    fn back(mut self, href: &str, label: &str) -> Self {
        self.back = Some((href.to_string(), label.to_string()));
        self
    }

    fn store(e: StoreError) -> Self {
        // The operator sees the cause; the trainee a plain message.
        eprintln!("host-sim train --web: {e}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "記録を読み書きできませんでした。回答は保存されていない可能性があります。講師に知らせてください。",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let back = self.back.as_ref().map(|(h, l)| (h.as_str(), l.as_str()));
        let page = pages::layout("エラー", None, pages::error(&self.message, back));
        (self.status, page).into_response()
    }
}

impl From<PathRejection> for Failure {
    fn from(_: PathRejection) -> Self {
        Self::not_found("ページが見つかりません。")
    }
}

impl From<QueryRejection> for Failure {
    fn from(_: QueryRejection) -> Self {
        Self::bad_request("アドレスの指定が正しくありません。")
    }
}

impl From<FormRejection> for Failure {
    fn from(e: FormRejection) -> Self {
        let status = e.status();
        let status = if status.is_client_error() { status } else { StatusCode::BAD_REQUEST };
        Self::new(status, "送られた内容を読み取れませんでした。もう一度操作してください。")
    }
}

type Page = Result<Response, Failure>;

fn html(title: &str, trainee: Option<&Trainee>, body: Markup) -> Response {
    let mut r = pages::layout(title, trainee, body).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Runs `f` with the database on a blocking thread.
async fn db<T: Send + 'static>(
    class: &Shared,
    f: impl FnOnce(&super::store::Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Failure> {
    let class = Arc::clone(class);
    match tokio::task::spawn_blocking(move || class.with_store(f)).await {
        Ok(r) => r.map_err(Failure::store),
        Err(e) => Err(Failure::store(StoreError::Query(format!("the database task failed: {e}")))),
    }
}

async fn home(State(class): State<Shared>) -> Response {
    html("はじめに", None, pages::home(class.lessons.len(), None, ""))
}

#[derive(Debug, Deserialize)]
struct StartForm {
    name: String,
}

async fn start(State(class): State<Shared>, form: Result<Form<StartForm>, FormRejection>) -> Page {
    let Form(form) = form?;
    let name = match TraineeName::parse(&form.name) {
        Ok(n) => n,
        Err(e) => {
            let body =
                pages::home(class.lessons.len(), Some(e.ja()), form.name.chars().take(40).collect::<String>().as_str());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html("はじめに", None, body)).into_response());
        }
    };
    let now = now_jst().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let (trainee, added) = db(&class, move |s| s.trainee(&name, &now)).await?;
    let to = if added { format!("/t/{}", trainee.id) } else { format!("/t/{}?welcome=back", trainee.id) };
    Ok(Redirect::to(&to).into_response())
}

fn parse_id(s: &str) -> Result<i64, Failure> {
    s.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| Failure::not_found("研修者が見つかりません。"))
}

async fn trainee(class: &Shared, raw: &str) -> Result<Trainee, Failure> {
    let id = parse_id(raw)?;
    db(class, move |s| s.trainee_by_id(id))
        .await?
        .ok_or_else(|| Failure::not_found("研修者が見つかりません。最初のページから名前を入れてください。"))
}

fn lesson<'a>(class: &'a Class, name: &str) -> Result<&'a Lesson, Failure> {
    let l = class.lesson(name).ok_or_else(|| Failure::not_found("レッスンが見つかりません。"))?;
    match &l.questions {
        Ok(_) => Ok(l),
        Err(e) => Err(Failure::new(StatusCode::CONFLICT, format!("このレッスンは読み込めないため始められません：{e}"))),
    }
}

fn question_of<'a>(l: &'a Lesson, raw: &str) -> Result<(usize, &'a Question), Failure> {
    let n: usize = raw.parse().map_err(|_| Failure::not_found("問題が見つかりません。"))?;
    let q = n.checked_sub(1).and_then(|i| l.questions().get(i));
    q.map(|q| (n, q)).ok_or_else(|| Failure::not_found("問題が見つかりません。"))
}

async fn answers_of(class: &Shared, trainee: i64, lesson: &str) -> Result<Vec<StoredAnswer>, Failure> {
    let lesson = lesson.to_string();
    db(class, move |s| s.answers(trainee, &lesson)).await
}

/// The answers that belong to the lesson's current questions, in order.
fn current<'a>(l: &Lesson, answers: &'a [StoredAnswer]) -> Vec<Option<&'a StoredAnswer>> {
    l.questions().iter().map(|q| answers.iter().find(|a| a.scenario == q.id())).collect()
}

fn progress(l: &Lesson, answers: &[StoredAnswer]) -> Progress {
    let kept: Vec<StoredAnswer> = current(l, answers).into_iter().flatten().cloned().collect();
    Progress::of(&kept, l.questions().len())
}

#[derive(Debug, Deserialize)]
struct WelcomeQuery {
    welcome: Option<String>,
}

async fn lessons(
    State(class): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<WelcomeQuery>, QueryRejection>,
) -> Page {
    let Path(raw) = path?;
    let Query(q) = query?;
    let t = trainee(&class, &raw).await?;
    let id = t.id;
    let all = db(&class, move |s| s.all_answers_of(id)).await?;
    let rows: Vec<(&Lesson, Progress)> = class.lessons.iter().map(|l| (l, progress(l, &all))).collect();
    let body = pages::lessons(&t, &rows, q.welcome.as_deref() == Some("back"));
    Ok(html("レッスン", Some(&t), body))
}

async fn resume(State(class): State<Shared>, path: Result<Path<(String, String)>, PathRejection>) -> Page {
    let Path((raw, name)) = path?;
    let t = trainee(&class, &raw).await?;
    let l = lesson(&class, &name)?;
    let answers = answers_of(&class, t.id, &l.name).await?;
    let next = current(l, &answers).iter().position(Option::is_none);
    Ok(Redirect::to(&match next {
        Some(i) => format!("/t/{}/{}/q/{}", t.id, l.name, i + 1),
        None => format!("/t/{}/{}/sheet", t.id, l.name),
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
struct StepQuery {
    step: Option<String>,
    basis: Option<String>,
}

impl StepQuery {
    fn step(&self) -> Result<Step, Failure> {
        let bad = || Failure::bad_request("アドレスの指定が正しくありません。");
        Ok(match self.step.as_deref() {
            None | Some("") => Step::Main,
            Some("basis") => Step::Basis,
            Some("document") => Step::Document,
            Some("copay") => match self.basis.as_deref() {
                None => Step::Copay(None),
                Some(name) => Step::Copay(Some(
                    BASES.into_iter().find(|b| crate::scenario::expect::basis_name(*b) == name).ok_or_else(bad)?,
                )),
            },
            Some(_) => return Err(bad()),
        })
    }
}

async fn question(
    State(class): State<Shared>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    query: Result<Query<StepQuery>, QueryRejection>,
) -> Page {
    let Path((raw, name, n)) = path?;
    let Query(q) = query?;
    let step = q.step()?;
    let t = trainee(&class, &raw).await?;
    let l = lesson(&class, &name)?;
    let (number, question) = question_of(l, &n)?;
    let answers = answers_of(&class, t.id, &l.name).await?;
    if answers.iter().any(|a| a.scenario == question.id()) {
        return Ok(Redirect::to(&format!("/t/{}/{}/q/{number}/feedback", t.id, l.name)).into_response());
    }
    let page = QuestionPage { trainee: &t, lesson: l, number, question, progress: progress(l, &answers), step };
    Ok(html(&format!("第{number}問"), Some(&t), pages::question(&page)))
}

#[derive(Debug, Deserialize)]
struct AnswerForm {
    action: String,
    basis: Option<String>,
    copay: Option<String>,
    asked: Option<String>,
}

async fn answer(
    State(class): State<Shared>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    form: Result<Form<AnswerForm>, FormRejection>,
) -> Page {
    let Path((raw, name, n)) = path?;
    let Form(f) = form?;
    let choice = Choice::from_names(&f.action, f.basis.as_deref(), f.copay.as_deref(), f.asked.as_deref())
        .ok_or_else(|| Failure::bad_request("選んだ内容を読み取れませんでした。もう一度選んでください。"))?;
    let t = trainee(&class, &raw).await?;
    let l = lesson(&class, &name)?;
    let (number, question) = question_of(l, &n)?;
    let s = score(choice, &question.prepared.expected);
    let (lesson_name, scenario) = (l.name.clone(), question.id());
    let (trainee_id, now) = (t.id, now_jst().to_rfc3339_opts(chrono::SecondsFormat::Secs, false));
    db(&class, move |store| {
        store.record(&NewAnswer {
            trainee: trainee_id,
            lesson: &lesson_name,
            scenario: &scenario,
            number: u32::try_from(number).unwrap_or(u32::MAX),
            choice,
            points: s.points,
            max: s.max,
            answered_at: &now,
        })
    })
    .await?;
    Ok(Redirect::to(&format!("/t/{}/{}/q/{number}/feedback", t.id, l.name)).into_response())
}

async fn feedback(State(class): State<Shared>, path: Result<Path<(String, String, String)>, PathRejection>) -> Page {
    let Path((raw, name, n)) = path?;
    let t = trainee(&class, &raw).await?;
    let l = lesson(&class, &name)?;
    let (number, question) = question_of(l, &n)?;
    let answers = answers_of(&class, t.id, &l.name).await?;
    let Some(stored) = answers.iter().find(|a| a.scenario == question.id()) else {
        return Ok(Redirect::to(&format!("/t/{}/{}/q/{number}", t.id, l.name)).into_response());
    };
    let s = score(stored.choice, &question.prepared.expected);
    // The next open question after this one, else the first open one.
    let open: Vec<usize> =
        current(l, &answers).iter().enumerate().filter(|(_, a)| a.is_none()).map(|(i, _)| i).collect();
    let next_open = open.iter().find(|i| **i >= number).or(open.first()).copied();
    let (next, last) = match next_open {
        Some(i) => (format!("/t/{}/{}/q/{}", t.id, l.name, i + 1), false),
        None => (format!("/t/{}/{}/sheet", t.id, l.name), true),
    };
    let page = FeedbackPage {
        trainee: &t,
        lesson: l,
        number,
        question,
        choice: stored.choice,
        score: &s,
        progress: progress(l, &answers),
        next,
        last,
    };
    Ok(html(&format!("第{number}問の結果"), Some(&t), pages::feedback(&page)))
}

/// The score sheet of `answers` in `l`, as the terminal UI builds it.
pub fn score_sheet(l: &Lesson, answers: &[StoredAnswer]) -> ScoreSheet {
    let rows = l
        .questions()
        .iter()
        .zip(current(l, answers))
        .enumerate()
        .filter_map(|(i, (q, a))| {
            let a = a?;
            let p = &q.prepared;
            let s = score(a.choice, &p.expected);
            Some(SheetRow {
                number: i + 1,
                id: q.id(),
                title: p.scenario.spec.title.clone(),
                chosen: a.choice.record(),
                chosen_ja: a.choice.ja(),
                correct: p.expected.record(),
                correct_ja: p.expected.ja(),
                items: s.items,
                points: s.points,
                max: s.max,
                deciding_rule: p.decision.deciding.id.as_str().to_string(),
                decision_mismatch: p.mismatch(),
            })
        })
        .collect();
    let record = LessonRecord { name: l.name.clone(), title: l.title.clone(), path: l.name.clone() };
    ScoreSheet::new(record, l.questions().len(), rows)
}

async fn sheet(State(class): State<Shared>, path: Result<Path<(String, String)>, PathRejection>) -> Page {
    let Path((raw, name)) = path?;
    let t = trainee(&class, &raw).await?;
    let l = lesson(&class, &name)?;
    let answers = answers_of(&class, t.id, &l.name).await?;
    let sheet = score_sheet(l, &answers);
    Ok(html("研修結果", Some(&t), pages::sheet(&t, l, &sheet)))
}

async fn screen(State(class): State<Shared>, path: Result<Path<(String, String, String)>, PathRejection>) -> Page {
    let Path((name, n, k)) = path?;
    let l = lesson(&class, &name)?;
    let (_, q) = question_of(l, &n)?;
    let shot = k.parse::<usize>().ok().and_then(|k| k.checked_sub(1)).and_then(|i| q.png(i));
    let bytes = shot
        .ok_or_else(|| Failure::not_found("画面が見つかりません。"))?
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, format!("画面を描けませんでした：{e}")))?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "max-age=3600")], bytes.to_vec()).into_response())
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn check_token(class: &Class, q: Result<Query<TokenQuery>, QueryRejection>) -> Result<String, Failure> {
    let given = q.ok().and_then(|Query(q)| q.token).unwrap_or_default();
    if class.token.matches(&given) {
        Ok(given)
    } else {
        Err(Failure::new(
            StatusCode::FORBIDDEN,
            "講師用ページです。起動したときに表示されたアドレス（token付き）を開いてください。",
        ))
    }
}

async fn instructor(State(class): State<Shared>, query: Result<Query<TokenQuery>, QueryRejection>) -> Page {
    let token = check_token(&class, query)?;
    let (trainees, answers) = db(&class, |s| Ok((s.trainees()?, s.all_answers()?))).await?;
    let playable: Vec<&Lesson> = class.lessons.iter().filter(|l| l.questions.is_ok()).collect();
    let trainee_rows: Vec<TraineeStats> = trainees
        .iter()
        .map(|t| {
            let mine: Vec<StoredAnswer> = answers.iter().filter(|a| a.trainee == t.id).cloned().collect();
            TraineeStats { name: t.name.clone(), lessons: playable.iter().map(|l| progress(l, &mine)).collect() }
        })
        .collect();
    let mut question_rows = Vec::new();
    for l in &playable {
        for (i, q) in l.questions().iter().enumerate() {
            let id = q.id();
            let of_q: Vec<&StoredAnswer> = answers.iter().filter(|a| a.scenario == id).collect();
            question_rows.push(QuestionStats {
                lesson: l.title.clone(),
                number: i + 1,
                title: q.prepared.scenario.spec.title.clone(),
                answered: of_q.len(),
                wrong: of_q.iter().filter(|a| !score(a.choice, &q.prepared.expected).all_right()).count(),
            });
        }
    }
    let mut r = html("講師用", None, pages::instructor(&playable, &trainee_rows, &question_rows, &token));
    r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(r)
}

async fn answers_csv(State(class): State<Shared>, query: Result<Query<TokenQuery>, QueryRejection>) -> Page {
    check_token(&class, query)?;
    let (trainees, answers) = db(&class, |s| Ok((s.trainees()?, s.all_answers()?))).await?;
    let body = export::csv(&class, &trainees, &answers)
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, format!("CSVを作れませんでした：{e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"training-answers.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}
