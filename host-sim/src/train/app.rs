//! The training UI as a state machine: screens, menus and the session,
//! driven by [`Key`]s, answering with [`Effect`]s. No terminal, no drawing,
//! no files here: [`super::draw`] draws an [`App`], [`super::driver`] feeds
//! it keys and carries out its effects.

use super::TrainError;
use super::pack::{LessonEntry, Prepared};
use super::sheet::{LessonRecord, Saved, ScoreSheet, SheetRow};
use crate::scoring::{ASKABLE, BASES, Choice, CopayChoice, Need, Score, score};
use firmware::domain::CopayRate;
use firmware::rules::Basis;

/// A key the UI understands (terminal-independent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// ↑.
    Up,
    /// ↓.
    Down,
    /// Page Up.
    PageUp,
    /// Page Down.
    PageDown,
    /// Home.
    Home,
    /// End.
    End,
    /// Enter.
    Enter,
    /// Esc (and Backspace).
    Esc,
    /// A printable character.
    Char(char),
    /// Ctrl-C: leave at once.
    Interrupt,
}

/// What the driver must do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing: redraw.
    None,
    /// Save [`App::sheet`], then report with [`App::saved`].
    Save,
    /// Leave the program.
    Quit,
}

/// Why the copay is being asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// Accepting on this basis.
    Accept(Basis),
    /// Accepting on the self-declaration form.
    SelfDeclare,
}

/// Where the trainee is in the choice menus of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 1 accept, 2 ask, 3 self-declaration, 4 refuse.
    Main,
    /// Accepting: which basis (1..=7).
    Basis,
    /// Which copay (1, 2, 3, 0 = undetermined).
    Copay(Pending),
    /// Asking: which document (1..=9), or 0 = something else.
    Document,
}

/// One answered scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The choice.
    pub choice: Choice,
    /// Its score against the scenario's `[expect]`.
    pub score: Score,
}

/// A lesson being played.
#[derive(Debug, Clone)]
pub struct Session {
    /// Index of the lesson in [`App::lessons`].
    pub lesson: usize,
    /// Index of the current scenario.
    pub index: usize,
    /// Answers so far, one per scenario from the first.
    pub answers: Vec<Answered>,
}

impl Session {
    /// Points so far.
    pub fn points(&self) -> u32 {
        self.answers.iter().map(|a| a.score.points).sum()
    }

    /// Points possible so far.
    pub fn max(&self) -> u32 {
        self.answers.iter().map(|a| a.score.max).sum()
    }
}

/// The screen shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// The list of lessons.
    Lessons,
    /// A scenario, and where the trainee is in the menus.
    Question(Step),
    /// The score of the scenario just answered and the right answer.
    Feedback,
    /// The session's score sheet.
    Sheet {
        /// The sheet.
        sheet: Box<ScoreSheet>,
        /// Where it was saved, or why it could not be (`None` until the driver reports).
        saved: Option<Result<Saved, TrainError>>,
    },
}

/// The size of the scrollable body, as last drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewport {
    /// Rows visible.
    pub height: u16,
    /// Rows of content (after wrapping).
    pub lines: u16,
}

/// The whole UI state.
#[derive(Debug, Clone)]
pub struct App {
    lessons: Vec<LessonEntry>,
    selected: usize,
    screen: Screen,
    session: Option<Session>,
    scroll: u16,
    viewport: Option<Viewport>,
    confirm_quit: bool,
    message: Option<String>,
}

impl App {
    /// An app at the lesson list.
    pub fn new(lessons: Vec<LessonEntry>) -> Self {
        Self {
            lessons,
            selected: 0,
            screen: Screen::Lessons,
            session: None,
            scroll: 0,
            viewport: None,
            confirm_quit: false,
            message: None,
        }
    }

    /// The lessons of the pack.
    pub fn lessons(&self) -> &[LessonEntry] {
        &self.lessons
    }

    /// The lesson under the cursor of the list.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The screen shown.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The lesson being played.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The lesson being played, with its scenarios.
    pub fn lesson(&self) -> Option<(&LessonEntry, &[Prepared])> {
        let s = self.session.as_ref()?;
        let l = self.lessons.get(s.lesson)?;
        Some((l, l.content.as_deref().ok()?))
    }

    /// The scenario being asked (or just answered).
    pub fn current(&self) -> Option<&Prepared> {
        let (_, scenarios) = self.lesson()?;
        scenarios.get(self.session.as_ref()?.index)
    }

    /// The answer to the current scenario, once given.
    pub fn current_answer(&self) -> Option<&Answered> {
        let s = self.session.as_ref()?;
        s.answers.get(s.index)
    }

    /// Rows the body is scrolled down.
    pub fn scroll(&self) -> u16 {
        self.scroll
    }

    /// Whether the "stop the lesson?" question is open.
    pub fn confirm_quit(&self) -> bool {
        self.confirm_quit
    }

    /// A one-line notice for the trainee (Japanese), if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The score sheet to save, on the sheet screen.
    pub fn sheet(&self) -> Option<&ScoreSheet> {
        match &self.screen {
            Screen::Sheet { sheet, .. } => Some(sheet),
            _ => None,
        }
    }

    /// The driver reports where the sheet was saved (or why not).
    pub fn saved(&mut self, result: Result<Saved, TrainError>) {
        if let Screen::Sheet { saved, .. } = &mut self.screen {
            *saved = Some(result);
        }
    }

    /// The drawing reports the body's size; the scroll is kept within it.
    pub fn set_viewport(&mut self, v: Viewport) {
        self.viewport = Some(v);
        self.scroll = self.scroll.min(self.max_scroll());
    }

    fn max_scroll(&self) -> u16 {
        self.viewport.map_or(u16::MAX, |v| v.lines.saturating_sub(v.height))
    }

    fn page(&self) -> i32 {
        self.viewport.map_or(10, |v| i32::from(v.height.saturating_sub(1).max(1)))
    }

    fn scroll_by(&mut self, delta: i32) {
        let next = (i32::from(self.scroll) + delta).clamp(0, i32::from(self.max_scroll()));
        self.scroll = u16::try_from(next).unwrap_or(0);
    }

    /// Scroll keys, common to every screen with a body. Whether the key was one.
    fn scroll_key(&mut self, key: Key, with_arrows: bool) -> bool {
        match key {
            Key::Char('j') => self.scroll_by(1),
            Key::Char('k') => self.scroll_by(-1),
            Key::Down if with_arrows => self.scroll_by(1),
            Key::Up if with_arrows => self.scroll_by(-1),
            Key::PageDown | Key::Char(' ') => self.scroll_by(self.page()),
            Key::PageUp => self.scroll_by(-self.page()),
            Key::Home => self.scroll = 0,
            Key::End => self.scroll = self.max_scroll(),
            _ => return false,
        }
        true
    }

    fn show(&mut self, screen: Screen) {
        self.screen = screen;
        self.scroll = 0;
        self.viewport = None;
    }

    /// Handles one key.
    pub fn handle_key(&mut self, key: Key) -> Effect {
        if key == Key::Interrupt {
            return Effect::Quit;
        }
        if self.confirm_quit {
            match key {
                Key::Char('y' | 'Y') => {
                    self.confirm_quit = false;
                    return self.end_session();
                }
                Key::Char('n' | 'N') | Key::Esc => self.confirm_quit = false,
                _ => {}
            }
            return Effect::None;
        }
        match self.screen.clone() {
            Screen::Lessons => self.on_lessons(key),
            Screen::Question(step) => self.on_question(step, key),
            Screen::Feedback => self.on_feedback(key),
            Screen::Sheet { .. } => self.on_sheet(key),
        }
    }

    fn on_lessons(&mut self, key: Key) -> Effect {
        match key {
            Key::Up | Key::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                self.message = None;
                self.scroll = 0;
            }
            Key::Down | Key::Char('j') => {
                self.selected = (self.selected + 1).min(self.lessons.len().saturating_sub(1));
                self.message = None;
                self.scroll = 0;
            }
            Key::Enter => self.start(self.selected),
            Key::Char('q') | Key::Esc => return Effect::Quit,
            other => {
                self.scroll_key(other, false);
            }
        }
        Effect::None
    }

    /// Starts lesson `index` at its first scenario.
    fn start(&mut self, index: usize) {
        let Some(lesson) = self.lessons.get(index) else { return };
        match &lesson.content {
            Ok(_) => {
                self.message = None;
                self.session = Some(Session { lesson: index, index: 0, answers: Vec::new() });
                self.show(Screen::Question(Step::Main));
            }
            Err(_) => self.message = Some("このレッスンは読み込めないため始められません".to_string()),
        }
    }

    fn on_question(&mut self, step: Step, key: Key) -> Effect {
        if self.scroll_key(key, true) {
            return Effect::None;
        }
        if key == Key::Char('q') {
            self.confirm_quit = true;
            return Effect::None;
        }
        let digit = match key {
            Key::Char(c) => c.to_digit(10).map(|d| d as usize),
            _ => None,
        };
        let next = match (step, key, digit) {
            (Step::Main, _, Some(1)) => Screen::Question(Step::Basis),
            (Step::Main, _, Some(2)) => Screen::Question(Step::Document),
            (Step::Main, _, Some(3)) => Screen::Question(Step::Copay(Pending::SelfDeclare)),
            (Step::Main, _, Some(4)) => return self.answer(Choice::Refuse),
            (Step::Basis, Key::Esc, _) | (Step::Document, Key::Esc, _) => Screen::Question(Step::Main),
            (Step::Basis, _, Some(d @ 1..=7)) => Screen::Question(Step::Copay(Pending::Accept(BASES[d - 1]))),
            (Step::Copay(Pending::Accept(_)), Key::Esc, _) => Screen::Question(Step::Basis),
            (Step::Copay(Pending::SelfDeclare), Key::Esc, _) => Screen::Question(Step::Main),
            (Step::Copay(pending), _, Some(d @ 0..=3)) => {
                let copay = match d {
                    1 => CopayChoice::Rate(CopayRate::Ten),
                    2 => CopayChoice::Rate(CopayRate::Twenty),
                    3 => CopayChoice::Rate(CopayRate::Thirty),
                    _ => CopayChoice::Undetermined,
                };
                return self.answer(match pending {
                    Pending::Accept(basis) => Choice::Accept { basis, copay },
                    Pending::SelfDeclare => Choice::SelfDeclare { copay },
                });
            }
            (Step::Document, _, Some(0)) => return self.answer(Choice::Ask(Need::Other)),
            (Step::Document, _, Some(d @ 1..=9)) => return self.answer(Choice::Ask(Need::Document(ASKABLE[d - 1]))),
            _ => return Effect::None,
        };
        // Moving between menus keeps the body where it is.
        self.screen = next;
        Effect::None
    }

    /// Scores `choice` for the current scenario and shows the feedback.
    fn answer(&mut self, choice: Choice) -> Effect {
        let Some(current) = self.current() else { return Effect::None };
        let s = score(choice, &current.expected);
        if let Some(session) = self.session.as_mut() {
            session.answers.truncate(session.index);
            session.answers.push(Answered { choice, score: s });
        }
        self.show(Screen::Feedback);
        Effect::None
    }

    fn on_feedback(&mut self, key: Key) -> Effect {
        if self.scroll_key(key, true) {
            return Effect::None;
        }
        match key {
            Key::Enter => {
                let total = self.lesson().map_or(0, |(_, s)| s.len());
                let Some(session) = self.session.as_mut() else { return Effect::None };
                if session.index + 1 < total {
                    session.index += 1;
                    self.show(Screen::Question(Step::Main));
                } else {
                    return self.end_session();
                }
            }
            Key::Char('q') => self.confirm_quit = true,
            _ => {}
        }
        Effect::None
    }

    /// Ends the lesson: the score sheet when something was answered
    /// (to be saved), otherwise back to the list.
    fn end_session(&mut self) -> Effect {
        let Some(sheet) = self.build_sheet() else {
            self.session = None;
            self.show(Screen::Lessons);
            return Effect::None;
        };
        self.session = None;
        self.show(Screen::Sheet { sheet: Box::new(sheet), saved: None });
        Effect::Save
    }

    fn build_sheet(&self) -> Option<ScoreSheet> {
        let session = self.session.as_ref()?;
        let (lesson, scenarios) = self.lesson()?;
        if session.answers.is_empty() {
            return None;
        }
        let rows = session
            .answers
            .iter()
            .zip(scenarios)
            .enumerate()
            .map(|(i, (a, p))| SheetRow {
                number: i + 1,
                id: p.scenario.id(),
                title: p.scenario.spec.title.clone(),
                chosen: a.choice.record(),
                chosen_ja: a.choice.ja(),
                correct: p.expected.record(),
                correct_ja: p.expected.ja(),
                items: a.score.items.clone(),
                points: a.score.points,
                max: a.score.max,
                deciding_rule: p.decision.deciding.id.as_str().to_string(),
                decision_mismatch: p.mismatch(),
            })
            .collect();
        let record = LessonRecord {
            name: lesson.name.clone(),
            title: lesson.title.clone(),
            path: lesson.dir.display().to_string(),
        };
        Some(ScoreSheet::new(record, scenarios.len(), rows))
    }

    fn on_sheet(&mut self, key: Key) -> Effect {
        if self.scroll_key(key, true) {
            return Effect::None;
        }
        match key {
            Key::Enter | Key::Esc => self.show(Screen::Lessons),
            Key::Char('q') => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::pack::load_pack;

    fn app() -> App {
        let pack = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/train");
        App::new(load_pack(&pack).unwrap())
    }

    #[test]
    fn keys_move_through_the_menus_without_a_terminal() {
        let mut a = app();
        assert_eq!(a.handle_key(Key::Down), Effect::None);
        assert_eq!(a.handle_key(Key::Up), Effect::None);
        a.handle_key(Key::Enter);
        assert_eq!(a.screen(), &Screen::Question(Step::Main));
        // Keys that mean nothing here change nothing.
        for k in [Key::Esc, Key::Char('9'), Key::Char('x'), Key::Enter] {
            a.handle_key(k);
            assert_eq!(a.screen(), &Screen::Question(Step::Main), "{k:?}");
        }
        a.handle_key(Key::Char('1'));
        assert_eq!(a.screen(), &Screen::Question(Step::Basis));
        a.handle_key(Key::Char('8'));
        assert_eq!(a.screen(), &Screen::Question(Step::Basis));
        a.handle_key(Key::Char('2'));
        assert_eq!(a.screen(), &Screen::Question(Step::Copay(Pending::Accept(Basis::Certificate))));
        a.handle_key(Key::Esc);
        assert_eq!(a.screen(), &Screen::Question(Step::Basis));
        a.handle_key(Key::Esc);
        a.handle_key(Key::Char('2'));
        assert_eq!(a.screen(), &Screen::Question(Step::Document));
        a.handle_key(Key::Esc);
        a.handle_key(Key::Char('3'));
        assert_eq!(a.screen(), &Screen::Question(Step::Copay(Pending::SelfDeclare)));
        a.handle_key(Key::Char('3'));
        assert_eq!(a.screen(), &Screen::Feedback);
        let answered = a.current_answer().unwrap();
        assert_eq!(answered.choice, Choice::SelfDeclare { copay: CopayChoice::Rate(CopayRate::Thirty) });
        assert_eq!(a.session().map(|s| (s.points(), s.max())), Some((1, 3)));
    }

    #[test]
    fn the_last_answer_ends_the_session_with_a_sheet_to_save() {
        let mut a = app();
        a.handle_key(Key::Down);
        a.handle_key(Key::Enter);
        a.handle_key(Key::Char('4'));
        assert_eq!(a.handle_key(Key::Enter), Effect::Save);
        let sheet = a.sheet().unwrap();
        assert_eq!((sheet.points, sheet.max, sheet.answered), (0, 3, 1));
        assert!(sheet.rows[0].decision_mismatch);
        a.saved(Err(TrainError::Save { path: "/nowhere".into(), message: "disk full".into() }));
        assert!(matches!(a.screen(), Screen::Sheet { saved: Some(Err(_)), .. }));
        assert_eq!(a.handle_key(Key::Enter), Effect::None);
        assert_eq!(a.screen(), &Screen::Lessons);
        assert_eq!(a.handle_key(Key::Char('q')), Effect::Quit);
    }

    #[test]
    fn scrolling_stays_within_the_body() {
        let mut a = app();
        a.handle_key(Key::Enter);
        a.set_viewport(Viewport { height: 10, lines: 25 });
        a.handle_key(Key::End);
        assert_eq!(a.scroll(), 15);
        a.handle_key(Key::Char('j'));
        assert_eq!(a.scroll(), 15);
        a.handle_key(Key::PageUp);
        assert_eq!(a.scroll(), 6);
        a.handle_key(Key::Home);
        a.handle_key(Key::Char('k'));
        assert_eq!(a.scroll(), 0);
        a.handle_key(Key::PageDown);
        assert_eq!(a.scroll(), 9);
        // A new screen starts at the top.
        a.handle_key(Key::Char('4'));
        assert_eq!(a.scroll(), 0);
    }
}
