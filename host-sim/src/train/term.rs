//! The real terminal: crossterm in raw mode on the alternate screen,
//! keys read one by one until the app quits.

use super::TrainError;
use super::app::{App, Key};
use super::driver::Driver;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The UI key of a terminal key event (`None`: ignored).
pub fn key_of(ev: KeyEvent) -> Option<Key> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    if ev.modifiers.contains(KeyModifiers::CONTROL) && matches!(ev.code, KeyCode::Char('c' | 'C')) {
        return Some(Key::Interrupt);
    }
    Some(match ev.code {
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc | KeyCode::Backspace => Key::Esc,
        KeyCode::Char(c) => Key::Char(c),
        _ => return None,
    })
}

/// Runs `app` in the terminal until it quits; returns the JSON files of the
/// score sheets saved in `out_dir`.
pub fn run(app: App, out_dir: &Path) -> Result<Vec<PathBuf>, TrainError> {
    if !std::io::stdout().is_terminal() {
        return Err(TrainError::NotATerminal);
    }
    let terminal = ratatui::try_init().map_err(|e| TrainError::Terminal(e.to_string()))?;
    let mut driver = Driver::new(terminal, app, out_dir.to_path_buf());
    let result = event_loop(&mut driver);
    ratatui::restore();
    result?;
    Ok(driver.saved().iter().map(|s| s.json.clone()).collect())
}

fn event_loop<B: ratatui::backend::Backend>(driver: &mut Driver<B>) -> Result<(), TrainError> {
    driver.draw()?;
    loop {
        let ev = event::read().map_err(|e| TrainError::Terminal(e.to_string()))?;
        match ev {
            Event::Key(k) => {
                if let Some(key) = key_of(k)
                    && !driver.press(key)?
                {
                    return Ok(());
                }
            }
            Event::Resize(..) => driver.draw()?,
            _ => {}
        }
    }
}
