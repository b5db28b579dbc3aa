//! Scenario play with a board: every scenario is played twice at a virtual
//! counter, once with the terminal in this process and once with the
//! terminal on the board (over the link), and the two transcripts must be
//! identical line for line.

use crate::counter::{LocalPort, RemotePort, Stream};
use crate::scenario::load::{discover, load_file};
use crate::scenario::session::play_on;
use firmware::link::FrameReader;
use std::path::PathBuf;

/// Result of playing scenarios with a board.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agreement {
    /// Visits played.
    pub played: usize,
    /// Visits whose transcripts differ (id and first differing line).
    pub differing: Vec<String>,
    /// Files or visits that could not be played.
    pub errors: Vec<String>,
}

impl Agreement {
    /// Whether every visit agreed.
    pub fn ok(&self) -> bool {
        self.played > 0 && self.differing.is_empty() && self.errors.is_empty()
    }
}

/// Plays every scenario under `paths` locally and on the board; with
/// `log`, the board's log records are appended to that file.
pub fn play_with_board(
    stream: &mut dyn Stream,
    reader: &mut FrameReader,
    seq: &mut u8,
    paths: &[PathBuf],
    mut log: Option<&mut crate::reception_log::LogFile>,
) -> Agreement {
    let mut result = Agreement::default();
    let found = discover(paths);
    result.errors.extend(found.errors.iter().map(|e| e.to_string()));
    for file in &found.files {
        let scenarios = match load_file(file) {
            Ok(s) => s,
            Err(e) => {
                result.errors.push(e.to_string());
                continue;
            }
        };
        for s in &scenarios {
            let local = match play_on(s, LocalPort::new) {
                Ok(p) => p.counter,
                Err(e) => {
                    result.errors.push(format!("{}: {e}", s.id()));
                    continue;
                }
            };
            let remote = match play_on(s, |config| RemotePort::new(&mut *stream, &mut *reader, &mut *seq, config)) {
                Ok(p) => p.counter,
                Err(e) => {
                    result.errors.push(format!("{}: {e}", s.id()));
                    continue;
                }
            };
            result.played += 1;
            if let Some(file) = log.as_deref_mut()
                && let Err(e) = remote.logs.iter().try_for_each(|r| file.append(r))
            {
                result.errors.push(format!("{}: {e}", s.id()));
                return result;
            }
            if let Some(e) = &remote.port_error {
                result.errors.push(format!("{}: {e}", s.id()));
                // The link is in an unknown state: stop here.
                return result;
            }
            let (a, b) = (local.transcript.lines(), remote.transcript.lines());
            if a != b {
                let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
                let show = |l: &[String]| l.get(at).cloned().unwrap_or_else(|| "(end)".into());
                result.differing.push(format!(
                    "{} at line {}:\n    host:  {}\n    board: {}",
                    s.id(),
                    at + 1,
                    show(a),
                    show(b)
                ));
            }
        }
    }
    result
}
