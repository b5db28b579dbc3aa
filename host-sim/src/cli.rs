//! Command-line shape of `host-sim`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Reception-terminal simulator.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenario files (for now: the built-in smoke check and decision corpus).
    Run(RunArgs),
    /// Serve a board: answer its link messages over a loopback socket.
    Serve(ServeArgs),
}

/// Arguments of `host-sim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files or folders (none yet: the built-in checks run).
    pub paths: Vec<PathBuf>,
}

/// Arguments of `host-sim serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Listen on this TCP address (loopback), e.g. 127.0.0.1:0 for any free port.
    #[arg(long, conflicts_with = "unix")]
    pub tcp: Option<String>,
    /// Listen on this unix socket path.
    #[arg(long)]
    pub unix: Option<PathBuf>,
    /// Serve one connection, then exit: 0 when the board's answers were right.
    #[arg(long)]
    pub once: bool,
    /// After the corpus, ask the board for this many timed passes over it.
    #[arg(long)]
    pub bench_rounds: Option<u16>,
    /// Give up on a silent board after this many seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout_secs: u64,
}
