//! The reception log in a file: the same flash image as a board's log
//! region (`firmware::log::region`), appended by `host-sim run/serve --log
//! FILE` and listed by `host-sim log FILE` (see `docs/reception-log.md`).

mod file_flash;
mod listing;
mod monthly;

pub use file_flash::{FileFlash, FlashFileError};
pub use listing::{describe, list};
pub use monthly::{Month, MonthlyCounts, mynacard_share_counts};

use firmware::log::region::REGION_SIZE;
use firmware::log::{LogError, ReceptionLog};
use firmware::reception::LogRecord;
use std::path::{Path, PathBuf};

/// A reception log file opened for appending.
pub struct LogFile {
    path: PathBuf,
    log: ReceptionLog<FileFlash>,
    appended: usize,
}

impl LogFile {
    /// Opens `path` (created erased when missing) after reading every
    /// record in it: a file of the wrong size or whose contents do not read
    /// back is an error naming it, and is left as it is.
    pub fn open(path: &Path) -> Result<Self, String> {
        read(path)?;
        let flash = FileFlash::open(path, true).map_err(|e| e.to_string())?;
        let log = ReceptionLog::new(flash, 0..REGION_SIZE).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Self { path: path.to_path_buf(), log, appended: 0 })
    }

    /// Appends `record`; `Ok` means it is in the file.
    pub fn append(&mut self, record: &LogRecord) -> Result<(), String> {
        self.log
            .append(record)
            .map_err(|e| format!("{}: cannot append a record: {}", self.path.display(), reason(&e)))?;
        self.appended += 1;
        Ok(())
    }

    /// Records appended since opening.
    pub fn appended(&self) -> usize {
        self.appended
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Every record in the log file at `path`, oldest first (read only; a
/// missing or empty file is an empty log).
pub fn read(path: &Path) -> Result<Vec<LogRecord>, String> {
    if std::fs::metadata(path).map(|m| m.len() == 0).unwrap_or(true) {
        return Ok(Vec::new());
    }
    let flash = FileFlash::open(path, false).map_err(|e| e.to_string())?;
    let mut log = ReceptionLog::new(flash, 0..REGION_SIZE).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    log.for_each(|r| out.push(r))
        .map_err(|e| format!("{}: not a readable reception log image: {}", path.display(), reason(&e)))?;
    Ok(out)
}

/// A log error in words (the file's errors by their own text).
fn reason(e: &LogError<FlashFileError>) -> String {
    match e {
        LogError::Flash(f) => f.to_string(),
        other => other.to_string(),
    }
}

/// `host-sim log FILE`: the records, then the per-month counts.
pub fn command(path: &Path) -> Result<(), String> {
    use std::io::Write as _;
    if !path.exists() {
        return Err(format!("{}: no such file", path.display()));
    }
    let records = read(path)?;
    let text = format!("{}\n{}", list(&records), MonthlyCounts::of(&records));
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the listing: {e}")),
        _ => Ok(()),
    }
}
