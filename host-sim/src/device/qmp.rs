//! A small QMP (QEMU Machine Protocol) client: key presses and screendumps.
//!
//! QMP is newline-separated JSON over a socket: a greeting, then
//! `qmp_capabilities`, then commands, each answered by `return` or `error`;
//! asynchronous `event` lines may come in between and are skipped.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// The gamepad keys of the lm3s6965evb, as QMP qcodes.
pub const GAMEPAD: [&str; 5] = ["up", "down", "left", "right", "ctrl"];

/// How long a tapped key is held, in ms.
pub const HOLD_MS: u64 = 100;
/// How long a key stays released before the next tap, in ms.
pub const RELEASED_MS: u64 = 150;

/// A connected QMP session.
pub struct Qmp {
    writer: UnixStream,
    reader: BufReader<UnixStream>,
    last_release: Instant,
}

impl Qmp {
    /// Connects to the QMP socket at `path`, retrying until `timeout` (QEMU
    /// may not have created it yet), and leaves capabilities negotiation.
    pub fn connect(path: &Path, timeout: Duration) -> Result<Self, String> {
        let start = Instant::now();
        let stream = loop {
            match UnixStream::connect(path) {
                Ok(s) => break s,
                Err(e) if start.elapsed() > timeout => {
                    return Err(format!("cannot connect to QMP at {}: {e}", path.display()));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        };
        stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
        let reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
        let mut qmp = Self { writer: stream, reader, last_release: Instant::now() };
        let greeting = qmp.read_value()?;
        if greeting.get("QMP").is_none() {
            return Err(format!("QMP greeting expected, got {greeting}"));
        }
        qmp.execute("qmp_capabilities", json!({}))?;
        Ok(qmp)
    }

    fn read_value(&mut self) -> Result<Value, String> {
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.reader.read_line(&mut line).map_err(|e| format!("QMP read: {e}"))?;
            if n == 0 {
                return Err("QMP connection closed".into());
            }
            let v: Value = serde_json::from_str(line.trim()).map_err(|e| format!("QMP sent bad JSON ({e}): {line}"))?;
            if v.get("event").is_none() {
                return Ok(v);
            }
        }
    }

    /// Runs one command; returns its `return` value.
    pub fn execute(&mut self, command: &str, arguments: Value) -> Result<Value, String> {
        let msg = json!({ "execute": command, "arguments": arguments });
        writeln!(self.writer, "{msg}").map_err(|e| format!("QMP write: {e}"))?;
        let v = self.read_value()?;
        match (v.get("return"), v.get("error")) {
            (Some(r), _) => Ok(r.clone()),
            (_, Some(e)) => Err(format!("QMP {command}: {e}")),
            _ => Err(format!("QMP {command}: unexpected answer {v}")),
        }
    }

    /// Presses and releases one key (a qcode such as `up` or `ctrl`). The
    /// key is held for [`HOLD_MS`]; the next tap comes at least
    /// [`RELEASED_MS`] after the release, so that a board busy drawing
    /// between two polls of its keys still sees both edges.
    pub fn tap(&mut self, qcode: &str) -> Result<(), String> {
        let since = self.last_release.elapsed();
        if since < Duration::from_millis(RELEASED_MS) {
            std::thread::sleep(Duration::from_millis(RELEASED_MS) - since);
        }
        self.execute("send-key", json!({ "keys": [{ "type": "qcode", "data": qcode }], "hold-time": HOLD_MS }))?;
        // send-key returns at once and releases after hold-time.
        std::thread::sleep(Duration::from_millis(HOLD_MS + 10));
        self.last_release = Instant::now();
        Ok(())
    }

    /// Presses (`down`) or releases one key.
    pub fn key(&mut self, qcode: &str, down: bool) -> Result<(), String> {
        let event = json!({ "events": [{ "type": "key", "data": { "down": down, "key": { "type": "qcode", "data": qcode } } }] });
        self.execute("input-send-event", event).map(|_| ())
    }

    /// Presses and releases every gamepad key once: QEMU reports a key
    /// pressed until its first event.
    pub fn arm_gamepad(&mut self) -> Result<(), String> {
        for key in GAMEPAD {
            self.key(key, true)?;
            self.key(key, false)?;
        }
        Ok(())
    }

    /// Writes the display to `file` as PNG with the board paused (QMP
    /// `stop` / `cont`): its clock stands still meanwhile, so a slow
    /// screendump on a loaded machine cannot run the board's PN532
    /// deadlines out. The board runs on even if the screendump failed.
    pub fn screendump_paused(&mut self, file: &Path) -> Result<(), String> {
        self.execute("stop", json!({}))?;
        let dumped = self.screendump(file);
        self.execute("cont", json!({}))?;
        dumped
    }

    /// Writes the display to `file` as PNG.
    pub fn screendump(&mut self, file: &Path) -> Result<(), String> {
        let filename = file.to_str().ok_or_else(|| format!("path is not UTF-8: {}", file.display()))?;
        self.execute("screendump", json!({ "filename": filename, "format": "png" })).map(|_| ())
    }
}
