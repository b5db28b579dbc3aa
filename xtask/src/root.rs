//! Paths and process helpers shared by the xtask commands.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root (parent of `xtask/`).
pub fn workspace() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The host `cargo` that runs this xtask (rustup's, usually).
pub fn host_cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(workspace());
    cmd
}

/// Runs `cmd`, failing with its description when it does not exit 0.
pub fn run(what: &str, cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{what}: cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{what} failed ({status})")) }
}

/// Prints a step header.
pub fn step(title: &str) {
    println!("\n==> {title}");
}
