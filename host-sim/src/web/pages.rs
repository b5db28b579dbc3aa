//! The pages, as HTML (maud escapes every value). Japanese throughout; no
//! rule ids and nothing of the answer on a question page.
//!
//! Keyboard: every choice button carries `data-key` (its digit), the back
//! link `data-key="Escape"`, the next button `data-key="Enter"`;
//! `app.js` presses them. Without script the same buttons are links and
//! forms, reachable with Tab.

use super::class::{Lesson, Question};
use super::documents::{Holder, document};
use super::store::{StoredAnswer, Trainee};
use crate::scenario::expect::{basis_name, kind_name};
use crate::scenario::format::{ActionKind, SexSpec};
use crate::scoring::{ASKABLE, BASES, COPAYS, Choice, ItemKind, Need, Score, basis_ja, doc_ja};
use crate::train::sheet::ScoreSheet;
use firmware::rules::Outcome;
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The site's name, in every title.
pub const SITE: &str = "受付研修";

/// A whole page.
pub fn layout(title: &str, trainee: Option<&Trainee>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) "｜" (SITE) }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
            }
            body {
                header.top {
                    a.site href=(trainee.map_or_else(|| "/".to_string(), |t| format!("/t/{}", t.id))) { (SITE) }
                    @if let Some(t) = trainee { span.who { (t.name) " さん" } }
                }
                main #main { (body) }
            }
        }
    }
}

/// An error page's body.
pub fn error(message: &str, back: Option<(&str, &str)>) -> Markup {
    html! {
        section.card-panel.error role="alert" {
            h1 { "うまくいきませんでした" }
            p { (message) }
            @if let Some((href, label)) = back { p { a.button href=(href) data-key="Escape" { (label) } } }
        }
    }
}

/// The start page: a name, nothing else.
pub fn home(lessons: usize, problem: Option<&str>, name: &str) -> Markup {
    html! {
        section.card-panel.start {
            h1 { "マイナ保険証・資格確認の受付研修" }
            p { "受付の画面と窓口に出された書類を見て、どう対応するかを選びます。全" (lessons) "レッスン。" }
            form method="post" action="/start" {
                label for="name" { "お名前（研修の記録に使います）" }
                @if let Some(p) = problem { p.problem #name-problem role="alert" { (p) } }
                input #name name="name" type="text" maxlength="40" required autofocus autocomplete="off" value=(name)
                    aria-describedby=[problem.map(|_| "name-problem")];
                button.primary type="submit" { "はじめる" }
            }
            p.hint { "前回と同じ名前を入れると、続きから再開できます。パスワードはありません。" }
        }
    }
}

/// How far a trainee is in a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Questions answered.
    pub answered: usize,
    /// Questions in the lesson.
    pub total: usize,
    /// Points scored.
    pub points: u32,
    /// Points possible over the answered questions.
    pub max: u32,
}

impl Progress {
    /// The progress over `answers` in a lesson of `total` questions.
    pub fn of(answers: &[StoredAnswer], total: usize) -> Self {
        Self {
            answered: answers.len(),
            total,
            points: answers.iter().map(|a| a.points).sum(),
            max: answers.iter().map(|a| a.max).sum(),
        }
    }
}

/// The trainee's lesson list.
pub fn lessons(trainee: &Trainee, lessons: &[(&Lesson, Progress)], welcome_back: bool) -> Markup {
    html! {
        h1 { "レッスンを選んでください" }
        @if welcome_back { p.notice { "おかえりなさい。前回の続きから再開できます。" } }
        ol.lessons {
            @for (i, (l, p)) in lessons.iter().enumerate() {
                li.lesson {
                    div.lesson-head {
                        h2 { (l.title) }
                        @match &l.questions {
                            Ok(_) => span.count { (p.total) "問" },
                            Err(_) => span.count.bad { "読み込めません" },
                        }
                    }
                    @match &l.questions {
                        Ok(_) => {
                            p.explain { (l.explanation) }
                            p.progress {
                                @if p.answered == 0 { "未回答" }
                                @else if p.answered == p.total { "完了・" (p.points) " / " (p.max) " 点" }
                                @else { (p.answered) " / " (p.total) " 問回答・" (p.points) " / " (p.max) " 点" }
                            }
                            @let base = format!("/t/{}/{}", trainee.id, l.name);
                            @let key = (i < 9).then(|| (i + 1).to_string());
                            @if p.answered == p.total {
                                a.button href=(format!("{base}/sheet")) data-key=[key.as_deref()] {
                                    @if let Some(k) = &key { (key_badge(k)) " " } "結果を見る"
                                }
                            } @else {
                                a.button.primary href=(base) data-key=[key.as_deref()] {
                                    @if let Some(k) = &key { (key_badge(k)) " " }
                                    @if p.answered == 0 { "はじめる" } @else { "続きから" }
                                }
                            }
                        }
                        Err(e) => { p.problem { "このレッスンは読み込めないため始められません：" (e) } }
                    }
                }
            }
        }
    }
}

/// Where in the choice menus a question page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 1 accept, 2 ask, 3 self-declaration, 4 refuse.
    Main,
    /// Accepting: on which basis.
    Basis,
    /// Accepting on `basis` (or the form when `None`): which copay.
    Copay(Option<firmware::rules::Basis>),
    /// Asking: for what.
    Document,
}

/// Everything the question page shows.
pub struct QuestionPage<'a> {
    /// The trainee.
    pub trainee: &'a Trainee,
    /// The lesson.
    pub lesson: &'a Lesson,
    /// 1-based question number.
    pub number: usize,
    /// The question.
    pub question: &'a Question,
    /// The trainee's progress in the lesson.
    pub progress: Progress,
    /// The menu step.
    pub step: Step,
}

fn status_bar(trainee: &Trainee, lesson: &Lesson, number: usize, p: Progress) -> Markup {
    html! {
        div.status {
            span.qno { "第" (number) "問 / " (lesson.questions().len()) }
            span.ltitle { (lesson.title) }
            span.points { "得点 " (p.points) " / " (p.max) }
            a.pause href=(format!("/t/{}", trainee.id)) { "中断する（回答は保存済み・あとで続きから）" }
        }
    }
}

/// The question page: the counter, then the choices.
pub fn question(q: &QuestionPage<'_>) -> Markup {
    let p = &q.question.prepared;
    let v = &p.view;
    let spec = &p.scenario.spec;
    let base = format!("/t/{}/{}/q/{}", q.trainee.id, q.lesson.name, q.number);
    let shots = q.question.screens.len();
    let holder = Holder {
        birth_date: spec.patient.birth_date.0,
        sex: match spec.patient.sex {
            SexSpec::Male => "男",
            SexSpec::Female => "女",
        },
        today: spec.date.0,
    };
    let on_reader = spec.actions.iter().fold(None, |on, a| match a.action {
        ActionKind::PlaceCard => Some(true),
        ActionKind::RemoveCard => Some(false),
        _ => on,
    });
    html! {
        (status_bar(q.trainee, q.lesson, q.number, q.progress))
        div.counter {
            section.terminal aria-labelledby="h-terminal" {
                h2 #h-terminal { "端末の画面" }
                @if shots == 0 {
                    p.none { "（端末には何も表示されていません）" }
                } @else {
                    figure.screen data-shots=(shots) {
                        img #shot src=(format!("/screen/{}/{}/{}", q.lesson.name, q.number, shots)) width="320" height="240"
                            alt=(format!("端末の画面（{shots}枚目／全{shots}枚）"));
                        figcaption #shot-caption { (shots) "枚目／全" (shots) "枚（いまの画面）" }
                    }
                    @if shots > 1 {
                        div.player role="group" aria-label="画面の移り変わり" {
                            button type="button" #shot-prev aria-label="前の画面（←キー）" { "◀ 前" }
                            button type="button" #shot-play aria-label="最初から再生（Pキー）" { "▶ 再生" }
                            button type="button" #shot-next aria-label="次の画面（→キー）" { "次 ▶" }
                        }
                        ol.thumbs {
                            @for k in 1..=shots {
                                li { a.thumb href=(format!("/screen/{}/{}/{}", q.lesson.name, q.number, k)) data-shot=(k) {
                                    img src=(format!("/screen/{}/{}/{}", q.lesson.name, q.number, k)) width="80" height="60"
                                        alt=(format!("{k}枚目"));
                                } }
                            }
                        }
                    }
                }
                @for c in &v.clerk { p.clerk { "職員の操作：" (c) } }
            }
            section.situation aria-labelledby="h-situation" {
                h2 #h-situation { "窓口の状況" }
                dl.facts {
                    div { dt { "本日" } dd { (v.today) } }
                    div { dt { "施設" } dd { (v.facility) } }
                    div { dt { "患者さん" } dd { (v.patient) } }
                }
                @if let Some(s) = &v.says { blockquote.says { (s) } }
                @if !v.circumstances.is_empty() {
                    ul.circumstances { @for c in &v.circumstances { li { (c) } } }
                }
            }
            section.documents aria-labelledby="h-docs" {
                h2 #h-docs { "窓口に出された書類（" (v.documents.len()) "点）" }
                @if p.scenario.built.visit.documents.is_empty() { p.none { "（何も出されていません）" } }
                div.doc-list {
                    @for d in &p.scenario.built.visit.documents { (document(d, &holder, on_reader)) }
                }
            }
        }
        (choices(&base, q.step))
    }
}

fn key_badge(k: &str) -> Markup {
    html! { kbd { (k) } }
}

/// The choice panel of a step.
fn choices(base: &str, step: Step) -> Markup {
    let back = |href: String| {
        html! { a.button.back href=(href) data-key="Escape" { (key_badge("Esc")) " 戻る" } }
    };
    html! {
        section.choices #choices aria-labelledby="h-choices" {
            @match step {
                Step::Main => {
                    h2 #h-choices { "どうしますか？" }
                    div.buttons {
                        a.button.choice href=(format!("{base}?step=basis#choices")) data-key="1" { (key_badge("1")) " 受け付ける" }
                        a.button.choice href=(format!("{base}?step=document#choices")) data-key="2" { (key_badge("2")) " 書類・確認を求める" }
                        a.button.choice href=(format!("{base}?step=copay#choices")) data-key="3" { (key_badge("3")) " 申立書で受け付ける" }
                        form method="post" action=(base) {
                            input type="hidden" name="action" value="refuse";
                            button.choice type="submit" data-key="4" { (key_badge("4")) " 保険診療不可" }
                        }
                    }
                }
                Step::Basis => {
                    h2 #h-choices { "受け付ける：何で資格を確認しましたか？" }
                    div.buttons {
                        @for (i, b) in BASES.iter().enumerate() {
                            a.button.choice href=(format!("{base}?step=copay&basis={}#choices", basis_name(*b))) data-key=(i + 1) {
                                (key_badge(&(i + 1).to_string())) " " (basis_ja(*b))
                            }
                        }
                        (back(format!("{base}#choices")))
                    }
                }
                Step::Copay(basis) => {
                    h2 #h-choices {
                        @match basis {
                            Some(b) => { "受け付ける（" (basis_ja(b)) "）：負担割合は？" }
                            None => { "申立書で受け付ける：負担割合は？" }
                        }
                    }
                    form.buttons method="post" action=(base) {
                        @match basis {
                            Some(b) => {
                                input type="hidden" name="action" value="accept";
                                input type="hidden" name="basis" value=(basis_name(b));
                            }
                            None => { input type="hidden" name="action" value="self_declaration"; }
                        }
                        @for (i, c) in COPAYS.iter().enumerate() {
                            @let key = if i == 3 { "0".to_string() } else { (i + 1).to_string() };
                            button.choice type="submit" name="copay" value=(c.name()) data-key=(key) {
                                (key_badge(&key)) " "
                                @if i == 3 { "未確定（書類・申告待ち）" } @else { (c.ja()) }
                            }
                        }
                        (back(match basis {
                            Some(_) => format!("{base}?step=basis#choices"),
                            None => format!("{base}#choices"),
                        }))
                    }
                }
                Step::Document => {
                    h2 #h-choices { "何を求めますか？" }
                    form.buttons method="post" action=(base) {
                        input type="hidden" name="action" value="ask";
                        @for (i, k) in ASKABLE.iter().enumerate() {
                            button.choice type="submit" name="asked" value=(kind_name(*k)) data-key=(i + 1) {
                                (key_badge(&(i + 1).to_string())) " " (doc_ja(*k))
                            }
                        }
                        button.choice type="submit" name="asked" value=(Need::Other.name()) data-key="0" {
                            (key_badge("0")) " 書類以外（本人確認・照会など）"
                        }
                        (back(format!("{base}#choices")))
                    }
                }
            }
        }
    }
}

/// Everything the feedback page shows.
pub struct FeedbackPage<'a> {
    /// The trainee.
    pub trainee: &'a Trainee,
    /// The lesson.
    pub lesson: &'a Lesson,
    /// 1-based question number.
    pub number: usize,
    /// The question.
    pub question: &'a Question,
    /// The stored choice.
    pub choice: Choice,
    /// Its score.
    pub score: &'a Score,
    /// The trainee's progress in the lesson (this answer included).
    pub progress: Progress,
    /// Where "next" goes.
    pub next: String,
    /// Whether "next" is the score sheet.
    pub last: bool,
}

/// The feedback after an answer.
pub fn feedback(f: &FeedbackPage<'_>) -> Markup {
    let p = &f.question.prepared;
    let s = f.score;
    let verdict_class = if s.all_right() {
        "right"
    } else if s.points > 0 {
        "partly"
    } else {
        "wrong"
    };
    html! {
        (status_bar(f.trainee, f.lesson, f.number, f.progress))
        section.feedback aria-labelledby="h-verdict" {
            h1 #h-verdict .verdict.(verdict_class) {
                (if s.all_right() { "〇 " } else { "✕ " }) (s.verdict_ja()) "　" (s.points) " / " (s.max) " 点"
            }
            p { "あなたの回答：" strong { (f.choice.ja()) } }
            table.items {
                thead { tr { th { "採点" } th { "" } th { "あなたの回答" } th { "正解" } } }
                tbody {
                    @for i in &s.items {
                        tr.(if i.right { "right" } else { "wrong" }) {
                            th scope="row" { (i.kind.ja()) }
                            td.mark { (if i.right { "〇" } else { "✕" }) }
                            td { (i.chosen) }
                            td { (i.correct) }
                        }
                    }
                }
            }
            h2 { "正しい対応" }
            p.answer { (p.explanation.answer) }
            @if p.expected.outcome != Outcome::NeedsMore && !p.expected.required.is_empty() {
                p { "まだ必要な書類：" (p.expected.required_ja()) }
            }
            @if let Choice::Ask(Need::Document(k)) = f.choice {
                @if p.expected.outcome != Outcome::NeedsMore && p.expected.required.mentions(k) {
                    p.hint { "（" (doc_ja(k)) "は必要な書類ですが、受付の判断は上のとおりです）" }
                }
            }
            @if s.items.iter().any(|i| i.kind == ItemKind::Document) && p.expected.required.is_empty() {
                p.hint { "（書類ではなく、本人確認・オンライン資格確認・資格の選択などが必要です）" }
            }
            @let e = &p.explanation;
            h2 { "このケース" }
            p.case-title { (e.title) }
            @if let Some(text) = &e.text { p.case-text { (text) } }
            h2 { "判定の決め手" }
            blockquote.rule {
                p { (e.deciding.text) }
                footer { "出典：" cite { (e.deciding.source) } }
            }
            @if e.rules.len() > 1 {
                details.rules {
                    summary { "適用されたルール（" (e.rules.len()) "件）" }
                    ul {
                        @for r in &e.rules {
                            li { p { (r.text) } p.source { "出典：" cite { (r.source) } } }
                        }
                    }
                }
            }
            @if p.mismatch() {
                div.problem role="note" {
                    p { strong { "注意：" } "シナリオの正解と端末（ファームウェア）の判定が一致しません。採点はシナリオの正解で行いました。講師に知らせてください。" }
                    p { "端末の判定：" (p.actual.ja()) }
                }
            }
            p.next {
                a.button.primary #next href=(f.next) data-key="Enter" {
                    (key_badge("Enter")) " " (if f.last { "結果を見る" } else { "次の問題へ" })
                }
            }
        }
    }
}

/// The score sheet of a lesson.
pub fn sheet(trainee: &Trainee, lesson: &Lesson, sheet: &ScoreSheet) -> Markup {
    html! {
        section.sheet aria-labelledby="h-sheet" {
            h1 #h-sheet { "研修結果：" (lesson.title) }
            p.totals #totals { (sheet.totals_ja()) }
            table.sheet-table {
                thead { tr { th { "#" } th { "ケース" } th { "あなたの回答" } th { "正解" } th { "採点" } th { "点" } } }
                tbody {
                    @for r in &sheet.rows {
                        tr.(if r.points == r.max { "right" } else { "wrong" }) {
                            td { (r.number) }
                            td { (r.title) }
                            td { (r.chosen_ja) }
                            td { (r.correct_ja) }
                            td.marks {
                                @for i in &r.items {
                                    span.(if i.right { "right" } else { "wrong" }) { (i.kind.ja()) (if i.right { "〇" } else { "✕" }) } " "
                                }
                            }
                            td.num { (r.points) " / " (r.max) }
                        }
                    }
                }
            }
            @if !sheet.completed {
                p { a.button.primary href=(format!("/t/{}/{}", trainee.id, lesson.name)) { "続きを解く" } }
            }
            p { a.button href=(format!("/t/{}", trainee.id)) data-key="Enter" { (key_badge("Enter")) " レッスンの一覧へ" } }
        }
    }
}

/// One row of the instructor's per-question table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionStats {
    /// Lesson title.
    pub lesson: String,
    /// 1-based number.
    pub number: usize,
    /// Scenario title.
    pub title: String,
    /// Trainees who answered.
    pub answered: usize,
    /// Of those, how many did not get every item right.
    pub wrong: usize,
}

/// One row of the instructor's per-trainee table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraineeStats {
    /// Name.
    pub name: String,
    /// Per lesson, in pack order.
    pub lessons: Vec<Progress>,
}

/// The instructor's page.
pub fn instructor(lessons: &[&Lesson], trainees: &[TraineeStats], questions: &[QuestionStats], token: &str) -> Markup {
    let pct = |a: u32, b: u32| (a * 100).checked_div(b).unwrap_or(0);
    html! {
        h1 { "講師用：クラスの成績" }
        p { a.button href=(format!("/instructor/answers.csv?token={token}")) download { "全回答をCSVで保存" } }
        h2 { "研修者ごとの得点" }
        @if trainees.is_empty() { p { "まだ誰も始めていません。" } }
        @else {
            div.scroll {
                table.stats #trainees {
                    thead { tr { th { "名前" } @for l in lessons { th { (l.title) } } th { "合計" } } }
                    tbody {
                        @for t in trainees {
                            @let (pts, max) = t.lessons.iter().fold((0, 0), |(a, b), p| (a + p.points, b + p.max));
                            tr {
                                th scope="row" { (t.name) }
                                @for p in &t.lessons {
                                    td.num {
                                        @if p.answered == 0 { "—" }
                                        @else { (p.points) "/" (p.max) "点" br; small { (p.answered) "/" (p.total) "問" } }
                                    }
                                }
                                td.num { (pts) "/" (max) "点（" (pct(pts, max)) "%）" }
                            }
                        }
                    }
                }
            }
        }
        h2 { "問題ごとの誤答率" }
        div.scroll {
            table.stats #questions {
                thead { tr { th { "レッスン" } th { "#" } th { "ケース" } th { "回答数" } th { "誤答" } th { "誤答率" } } }
                tbody {
                    @for q in questions {
                        tr {
                            td { (q.lesson) }
                            td.num { (q.number) }
                            td { (q.title) }
                            td.num { (q.answered) }
                            td.num { (q.wrong) }
                            td.num {
                                @if q.answered == 0 { "—" }
                                @else {
                                    @let rate = q.wrong * 100 / q.answered;
                                    span.bar style=(PreEscaped(format!("--rate:{rate}%"))) { (rate) "%" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
