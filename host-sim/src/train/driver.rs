//! One key at a time on any ratatui backend: draw, hand the key to the
//! [`App`], carry out its [`Effect`] (saving the score sheet), draw again.
//! The terminal loop and the tests (with `TestBackend`) both use it.

use super::TrainError;
use super::app::{App, Effect, Key};
use super::sheet::{self, Saved};
use chrono::{DateTime, FixedOffset};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use std::path::PathBuf;

/// An [`App`] on a terminal, saving score sheets into a folder.
pub struct Driver<B: Backend> {
    /// The terminal drawn on.
    pub terminal: Terminal<B>,
    /// The UI state.
    pub app: App,
    out_dir: PathBuf,
    clock: fn() -> DateTime<FixedOffset>,
    saved: Vec<Saved>,
    last_frame: Option<Buffer>,
}

impl<B: Backend> Driver<B> {
    /// A driver drawing `app` on `terminal`, saving sheets in `out_dir`, dated now (Japan time).
    pub fn new(terminal: Terminal<B>, app: App, out_dir: PathBuf) -> Self {
        Self { terminal, app, out_dir, clock: sheet::now_jst, saved: Vec::new(), last_frame: None }
    }

    /// The same, with another clock (for tests: fixed file names).
    pub fn with_clock(mut self, clock: fn() -> DateTime<FixedOffset>) -> Self {
        self.clock = clock;
        self
    }

    /// Draws the app and tells it the size of its body.
    pub fn draw(&mut self) -> Result<(), TrainError> {
        let mut vp = Default::default();
        let app = &self.app;
        let frame =
            self.terminal.draw(|f| vp = super::draw::draw(f, app)).map_err(|e| TrainError::Terminal(e.to_string()))?;
        self.last_frame = Some(frame.buffer.clone());
        self.app.set_viewport(vp);
        Ok(())
    }

    /// Handles one key and draws. Returns `false` when the app wants to quit.
    pub fn press(&mut self, key: Key) -> Result<bool, TrainError> {
        match self.app.handle_key(key) {
            Effect::Quit => return Ok(false),
            Effect::Save => {
                let result = match self.app.sheet() {
                    Some(s) => sheet::save(s, &self.out_dir, (self.clock)()),
                    None => Err(TrainError::Save { path: self.out_dir.clone(), message: "nothing to save".into() }),
                };
                if let Ok(s) = &result {
                    self.saved.push(s.clone());
                }
                self.app.saved(result);
            }
            Effect::None => {}
        }
        self.draw()?;
        Ok(true)
    }

    /// The screen as last drawn: every cell, a double-width character's
    /// second cell blank (unlike a backend's own buffer, which only ever
    /// gets the cells that changed).
    pub fn last_frame(&self) -> Option<&Buffer> {
        self.last_frame.as_ref()
    }

    /// Every sheet saved so far.
    pub fn saved(&self) -> &[Saved] {
        &self.saved
    }
}
