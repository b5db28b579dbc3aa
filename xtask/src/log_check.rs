//! The reception log check of the device screenshot run: the QEMU board
//! keeps its own log (a semihosting file, `reception-log.img` in QEMU's
//! working directory) while `host-sim serve --log` appends every record the
//! board forwards to a second file. Same visits, same records, same queue:
//! the two flash images must be identical byte for byte, and `host-sim log`
//! must list the same records from both.

use crate::root::workspace;
use std::path::PathBuf;
use std::process::Command;

/// The two log files of one run.
pub struct LogCheck {
    dir: PathBuf,
}

impl LogCheck {
    /// A fresh folder under `target/` (old files removed).
    pub fn prepare() -> Result<Self, String> {
        let dir = workspace().join("target/reception-log");
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let check = Self { dir };
        for f in [check.board_file(), check.host_file()] {
            match std::fs::remove_file(&f) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(format!("cannot remove {}: {e}", f.display()));
                }
                _ => {}
            }
        }
        Ok(check)
    }

    /// QEMU's working directory: the board's file is created here.
    pub fn board_dir(&self) -> &PathBuf {
        &self.dir
    }

    /// The board's own log.
    pub fn board_file(&self) -> PathBuf {
        self.dir.join("reception-log.img")
    }

    /// The host's log of the same visits (`serve --log`).
    pub fn host_file(&self) -> PathBuf {
        self.dir.join("host.img")
    }

    /// Compares the two; `Ok` with a summary line when they agree.
    pub fn compare(&self) -> Result<String, String> {
        let (board, host) = (self.board_file(), self.host_file());
        let read =
            |p: &PathBuf| std::fs::read(p).map_err(|e| format!("reception log: cannot read {}: {e}", p.display()));
        let (b, h) = (read(&board)?, read(&host)?);
        let (lb, lh) = (listing(&board)?, listing(&host)?);
        let records = lh.lines().filter(|l| is_record(l)).count();
        if b == h && lb == lh {
            return Ok(format!(
                "reception log: the board's own image and the host's are identical ({} bytes, {records} records); \
                 listings in {}",
                b.len(),
                self.dir.display()
            ));
        }
        let (x, y): (Vec<&str>, Vec<&str>) = (lb.lines().collect(), lh.lines().collect());
        let at = x.iter().zip(&y).position(|(p, q)| p != q).unwrap_or(x.len().min(y.len()));
        Err(format!(
            "reception log: the board's image {} and the host's {} differ (images {}; listing line {}: board {:?}, host {:?})",
            board.display(),
            host.display(),
            if b == h { "equal" } else { "differ" },
            at + 1,
            x.get(at).copied().unwrap_or("(end)"),
            y.get(at).copied().unwrap_or("(end)")
        ))
    }
}

/// A listing line of a record (not a monthly count).
fn is_record(line: &str) -> bool {
    line.split("  ").nth(1).is_some_and(|t| t.starts_with('+'))
}

/// `host-sim log FILE`, saved beside it as FILE.txt.
fn listing(file: &PathBuf) -> Result<String, String> {
    let out = Command::new(workspace().join("target/debug/host-sim"))
        .arg("log")
        .arg(file)
        .output()
        .map_err(|e| format!("cannot start host-sim log: {e}"))?;
    if !out.status.success() {
        return Err(format!("host-sim log {}: {}", file.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut saved = file.clone().into_os_string();
    saved.push(".txt");
    std::fs::write(&saved, &text).map_err(|e| format!("cannot write {}: {e}", PathBuf::from(&saved).display()))?;
    Ok(text)
}
