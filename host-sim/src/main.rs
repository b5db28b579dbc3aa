//! `host-sim`: the desktop side of the reception terminal.
//!
//! Subcommands:
//! - `run`: run the bundled checks (for now the link smoke check) in-process;
//! - `serve`: be the peer of a board over a loopback TCP or unix socket.

mod cli;
mod serve;
mod smoke_peer;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Run(args) => smoke_peer::run_in_process(&args),
        cli::Command::Serve(args) => serve::serve(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("host-sim: error: {e}");
            ExitCode::FAILURE
        }
    }
}
