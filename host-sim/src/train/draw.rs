//! Drawing an [`App`] with ratatui, on any backend.
//!
//! Laid out for 80×24 and up: a one-row title bar, a scrolling body of
//! wrapped paragraphs, the menu, and a one-row key help. No borders and no
//! East Asian "ambiguous width" symbols (■ ○ × → ─ …), which some Japanese
//! terminals draw double-width: sections are 【見出し】, marks are 〇 and ✕,
//! the scrollbar is ASCII.

use super::TrainError;
use super::app::{App, Pending, Screen, Step, Viewport};
use super::sheet::{Saved, ScoreSheet};
use super::view::CounterView;
use crate::scoring::{ASKABLE, BASES, ItemKind, Need, basis_ja, doc_ja};
use firmware::rules::Outcome;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::scrollbar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Clear, List, ListItem, ListState, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap,
};

/// Mark of a right item.
pub const RIGHT: &str = "〇";
/// Mark of a wrong item.
pub const WRONG: &str = "✕";

const SCROLLBAR: scrollbar::Set = scrollbar::Set { track: "|", thumb: "#", begin: "^", end: "v" };

fn bar_style() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}

fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(format!("【{text}】"), Style::new().add_modifier(Modifier::BOLD).fg(Color::Cyan)))
}

fn plain(text: impl Into<String>) -> Line<'static> {
    Line::from(text.into())
}

fn indented(text: impl AsRef<str>) -> Line<'static> {
    Line::from(format!("  {}", text.as_ref()))
}

/// Draws the app; returns the size of the scrolling body for [`App::set_viewport`].
pub fn draw(frame: &mut Frame, app: &App) -> Viewport {
    let area = frame.area();
    let vp = match app.screen() {
        Screen::Lessons => draw_lessons(frame, app, area),
        Screen::Question(step) => draw_question(frame, app, *step, area),
        Screen::Feedback => draw_feedback(frame, app, area),
        Screen::Sheet { sheet, saved } => draw_sheet(frame, app, sheet, saved.as_ref(), area),
    };
    if app.confirm_quit() {
        draw_confirm(frame, area);
    }
    vp
}

/// A title bar: `left` and, right-aligned, `right`.
fn title_bar(frame: &mut Frame, area: Rect, left: &str, right: &str) {
    let right_width = Line::from(right).width() as u16 + 1;
    let [l, r] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(format!(" {left}")).style(bar_style().add_modifier(Modifier::BOLD)), l);
    frame.render_widget(Paragraph::new(right.to_string()).style(bar_style()), r);
}

fn help_bar(frame: &mut Frame, area: Rect, text: &str) {
    frame.render_widget(Paragraph::new(format!(" {text}")).style(Style::new().fg(Color::DarkGray)), area);
}

/// A wrapped, scrolled paragraph with an ASCII scrollbar when it overflows.
fn body(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, scroll: u16) -> Viewport {
    let [text_area, bar_area] = Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = u16::try_from(p.line_count(text_area.width)).unwrap_or(u16::MAX);
    let max = total.saturating_sub(text_area.height);
    let top = scroll.min(max);
    frame.render_widget(p.scroll((top, 0)), text_area);
    if max > 0 {
        let mut state = ScrollbarState::new(usize::from(max) + 1).position(usize::from(top));
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight).symbols(SCROLLBAR);
        frame.render_stateful_widget(bar, bar_area, &mut state);
    }
    Viewport { height: text_area.height, lines: total }
}

fn draw_lessons(frame: &mut Frame, app: &App, area: Rect) -> Viewport {
    let lessons = app.lessons();
    let list_height = u16::try_from(lessons.len()).unwrap_or(u16::MAX).min(area.height / 2).max(1);
    let [top, list_area, gap, text_area, msg_area, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_height),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(frame, top, "研修モード：レッスンを選んでください", &format!("{}レッスン ", lessons.len()));
    let items: Vec<ListItem> = lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let count = match &l.content {
                Ok(s) => format!("（{}問）", s.len()),
                Err(_) => "（読み込めません）".to_string(),
            };
            ListItem::new(format!("{}. {}{count}", i + 1, l.title))
        })
        .collect();
    let list = List::new(items)
        .highlight_symbol("> ")
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD));
    let mut state = ListState::default().with_selected(Some(app.selected()));
    frame.render_stateful_widget(list, list_area, &mut state);
    frame.render_widget(Paragraph::new(heading("説明")), gap);
    let mut lines = Vec::new();
    if let Some(l) = lessons.get(app.selected()) {
        match &l.content {
            Ok(_) => lines.extend(l.explanation.lines().map(|s| plain(s.to_string()))),
            Err(e) => {
                lines.push(plain("このレッスンは読み込めません："));
                lines.push(plain(e.clone()));
            }
        }
        lines.push(Line::from(Span::styled(format!("フォルダ：{}", l.name), Style::new().fg(Color::DarkGray))));
    }
    let vp = body(frame, text_area, lines, app.scroll());
    if let Some(m) = app.message() {
        frame.render_widget(Paragraph::new(m.to_string()).style(Style::new().fg(Color::Red)), msg_area);
    }
    help_bar(frame, help, "上下キー・j/k 選択　Enter 開始　PgUp/PgDn 説明のスクロール　q 終了");
    vp
}

fn progress(app: &App) -> (String, String) {
    let (title, total) = app.lesson().map_or((String::new(), 0), |(l, s)| (l.title.clone(), s.len()));
    let (index, points, max) = app.session().map_or((0, 0, 0), |s| (s.index, s.points(), s.max()));
    (format!("第{}問／{total}　{title}", index + 1), format!("得点 {points}/{max} "))
}

/// The counter of a scenario: today, the terminal, documents, patient. No
/// title: a scenario's title may name the answer.
pub fn counter_lines(v: &CounterView) -> Vec<Line<'static>> {
    let mut lines = vec![heading("本日")];
    lines.push(indented(format!("{}　{}", v.today, v.facility)));
    lines.push(heading("端末の画面"));
    for t in &v.terminal {
        if t.starts_with('（') {
            lines.push(indented(t));
        } else {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(format!("「{t}」"), Style::new().fg(Color::Yellow)),
            ]));
        }
    }
    for c in &v.clerk {
        lines.push(indented(format!("職員の操作：{c}")));
    }
    lines.push(heading(&format!("提示された書類（{}点）", v.documents.len())));
    if v.documents.is_empty() {
        lines.push(indented("（何も提示されていません）"));
    }
    for (i, d) in v.documents.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::raw(format!("  {}. ", i + 1)),
            Span::styled(d.kind.clone(), Style::new().add_modifier(Modifier::BOLD)),
        ]));
        for l in &d.lines {
            lines.push(plain(format!("     {l}")));
        }
    }
    lines.push(heading("患者さん・状況"));
    lines.push(indented(&v.patient));
    if let Some(s) = &v.says {
        lines.extend(s.lines().map(indented));
    }
    for c in &v.circumstances {
        lines.push(indented(format!("・{c}")));
    }
    lines
}

/// The menu of a step: its prompt and its options ("1 受け付ける" ...).
pub fn menu(step: Step) -> (String, Vec<String>) {
    match step {
        Step::Main => (
            "どうしますか？".to_string(),
            vec![
                "1 受け付ける".to_string(),
                "2 書類・確認を求める".to_string(),
                "3 申立書で受け付ける".to_string(),
                "4 保険診療不可".to_string(),
            ],
        ),
        Step::Basis => (
            "受け付ける：何で資格を確認しましたか？".to_string(),
            BASES.iter().enumerate().map(|(i, b)| format!("{} {}", i + 1, basis_ja(*b))).collect(),
        ),
        Step::Copay(p) => {
            let what = match p {
                Pending::Accept(b) => format!("受け付ける（{}）", basis_ja(b)),
                Pending::SelfDeclare => "申立書で受け付ける".to_string(),
            };
            (
                format!("{what}：負担割合は？"),
                vec!["1 1割".into(), "2 2割".into(), "3 3割".into(), "0 未確定（書類・申告待ち）".into()],
            )
        }
        Step::Document => {
            let mut items: Vec<String> =
                ASKABLE.iter().enumerate().map(|(i, k)| format!("{} {}", i + 1, doc_ja(*k))).collect();
            items.push(format!("0 {}", short_other()));
            ("何を求めますか？".to_string(), items)
        }
    }
}

fn short_other() -> &'static str {
    "書類以外（本人確認・照会など）"
}

fn draw_menu(frame: &mut Frame, area: Rect, step: Step) {
    let (prompt, items) = menu(step);
    let [title, rows] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(
        Paragraph::new(format!(" {prompt}")).style(Style::new().fg(Color::Black).bg(Color::Yellow)),
        title,
    );
    let per_column = items.len().div_ceil(2);
    let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(rows);
    let column = |part: &[String]| -> Paragraph<'static> {
        Paragraph::new(part.iter().map(|s| plain(format!(" {s}"))).collect::<Vec<_>>())
            .style(Style::new().add_modifier(Modifier::BOLD))
    };
    frame.render_widget(column(&items[..per_column]), left);
    frame.render_widget(column(&items[per_column..]), right);
}

fn draw_question(frame: &mut Frame, app: &App, step: Step, area: Rect) -> Viewport {
    let (_, items) = menu(step);
    let menu_height = u16::try_from(items.len().div_ceil(2)).unwrap_or(5) + 1;
    let [top, main, menu_area, help] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(menu_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let (left, right) = progress(app);
    title_bar(frame, top, &left, &right);
    let lines = app.current().map(|p| counter_lines(&p.view)).unwrap_or_default();
    let vp = body(frame, main, lines, app.scroll());
    draw_menu(frame, menu_area, step);
    let back = if step == Step::Main { "" } else { "Esc 戻る　" };
    help_bar(frame, help, &format!("数字キーで選ぶ　{back}j/k・PgUp/PgDn スクロール　q 中断"));
    vp
}

/// The feedback after an answer: score, the right answer, the rules.
pub fn feedback_lines(app: &App) -> Vec<Line<'static>> {
    let (Some(p), Some(a)) = (app.current(), app.current_answer()) else { return Vec::new() };
    let s = &a.score;
    let color = if s.all_right() {
        Color::Green
    } else if s.points > 0 {
        Color::Yellow
    } else {
        Color::Red
    };
    let mark = if s.all_right() { RIGHT } else { WRONG };
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{mark} {}　{} / {} 点", s.verdict_ja(), s.points, s.max),
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        )),
        plain(format!("あなたの回答：{}", a.choice.ja())),
        heading("採点"),
    ];
    for item in &s.items {
        let (m, c) = if item.right { (RIGHT, Color::Green) } else { (WRONG, Color::Red) };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{m} {}", item.kind.ja()), Style::new().fg(c).add_modifier(Modifier::BOLD)),
            Span::raw(if item.right {
                format!("　{}", item.correct)
            } else {
                format!("　あなた：{}　正解：{}", item.chosen, item.correct)
            }),
        ]));
    }
    lines.push(heading("正しい対応"));
    lines.push(indented(p.expected.ja()));
    if p.expected.outcome != Outcome::NeedsMore && !p.expected.required.is_empty() {
        lines.push(indented(format!("まだ必要な書類：{}", p.expected.required_ja())));
    }
    if let crate::scoring::Choice::Ask(Need::Document(k)) = a.choice
        && p.expected.outcome != Outcome::NeedsMore
        && p.expected.required.mentions(k)
    {
        lines.push(indented(format!("（{}は必要な書類ですが、受付の判断は上のとおりです）", doc_ja(k))));
    }
    if s.items.iter().any(|i| i.kind == ItemKind::Document) && p.expected.required.is_empty() {
        lines.push(indented("（書類ではなく、本人確認・オンライン確認・資格の選択などが必要です）"));
    }
    let e = &p.explanation;
    lines.push(heading("この問題"));
    lines.push(Line::from(Span::styled(format!("  {}", e.title), Style::new().add_modifier(Modifier::BOLD))));
    if let Some(text) = &e.text {
        lines.push(heading("解説"));
        lines.extend(text.lines().map(indented));
    }
    lines.push(heading("判定の決め手"));
    lines.push(indented(e.deciding.text));
    lines.push(heading("適用されたルール"));
    for r in &e.rules {
        lines.push(plain(format!("  ・{}", r.text)));
        lines.push(Line::from(Span::styled(format!("    出典：{}", r.source), Style::new().fg(Color::DarkGray))));
    }
    if p.mismatch() {
        lines.push(Line::from(Span::styled(
            "【注意】シナリオの正解と端末（ファームウェア）の判定が一致しません",
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        )));
        lines.push(indented(format!("端末の判定：{}", p.actual.ja())));
        lines.push(indented("採点はシナリオの正解で行いました。トレーナーに知らせてください。"));
        for diff in p.diffs.iter().filter(|d| d.differs) {
            lines.push(indented(format!("{}：シナリオ {} ／ 端末 {}", diff.field, diff.expected, diff.actual)));
        }
    }
    lines
}

fn draw_feedback(frame: &mut Frame, app: &App, area: Rect) -> Viewport {
    let [top, main, help] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let (left, right) = progress(app);
    title_bar(frame, top, &format!("{left}　結果"), &right);
    let vp = body(frame, main, feedback_lines(app), app.scroll());
    let last = app.lesson().zip(app.session()).is_some_and(|((_, s), sess)| sess.index + 1 >= s.len());
    let next = if last { "Enter 結果を見る" } else { "Enter 次の問題へ" };
    help_bar(frame, help, &format!("{next}　j/k・PgUp/PgDn スクロール　q 中断"));
    vp
}

/// The score sheet as shown on screen.
pub fn sheet_lines(sheet: &ScoreSheet, saved: Option<&Result<Saved, TrainError>>) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(sheet.totals_ja(), Style::new().add_modifier(Modifier::BOLD)))];
    match saved {
        Some(Ok(s)) => {
            lines.push(plain("保存しました："));
            lines.push(indented(s.json.display().to_string()));
            lines.push(indented(s.markdown.display().to_string()));
        }
        Some(Err(e)) => {
            lines.push(Line::from(Span::styled(format!("保存できませんでした：{e}"), Style::new().fg(Color::Red))))
        }
        None => lines.push(plain("保存しています")),
    }
    lines.push(heading("問題ごとの結果"));
    for r in &sheet.rows {
        let (m, c) = if r.points == r.max { (RIGHT, Color::Green) } else { (WRONG, Color::Red) };
        lines.push(Line::from(vec![
            Span::styled(format!("{:>2}. {m} {}/{}点　", r.number, r.points, r.max), Style::new().fg(c)),
            Span::styled(r.title.clone(), Style::new().add_modifier(Modifier::BOLD)),
        ]));
        lines.push(plain(format!("      回答：{}", r.chosen_ja)));
        lines.push(plain(format!("      正解：{}", r.correct_ja)));
        if r.decision_mismatch {
            lines.push(plain("      【注意】端末の判定と一致しない問題です"));
        }
    }
    lines
}

fn draw_sheet(
    frame: &mut Frame,
    app: &App,
    sheet: &ScoreSheet,
    saved: Option<&Result<Saved, TrainError>>,
    area: Rect,
) -> Viewport {
    let [top, main, help] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)]).areas(area);
    title_bar(frame, top, &format!("研修結果：{}", sheet.lesson.title), " ");
    let vp = body(frame, main, sheet_lines(sheet, saved), app.scroll());
    help_bar(frame, help, "Enter レッスン一覧へ　j/k・PgUp/PgDn スクロール　q 終了");
    vp
}

fn draw_confirm(frame: &mut Frame, area: Rect) {
    let width = area.width.min(50);
    let height = area.height.min(4);
    let popup = Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height };
    frame.render_widget(Clear, popup);
    let lines =
        vec![plain(""), plain("  レッスンを中断しますか？"), plain("  y 中断して結果を保存　n 続ける"), plain("")];
    frame.render_widget(
        Paragraph::new(lines).style(Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD)),
        popup,
    );
}
