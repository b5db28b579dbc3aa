//! `host-sim`: the desktop side of the reception terminal.
//!
//! Subcommands:
//! - `run`: run scenario files (without paths: the bundled pack, the smoke
//!   check and the decision corpus);
//! - `serve`: be the peer of a board over a loopback TCP or unix socket;
//! - `train`: the interactive staff-training mode (a terminal UI).

use clap::Parser;
use host_sim::{cli, scenario, serve, train};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Run(args) => scenario::command::run(&args),
        cli::Command::Serve(args) => serve::serve(&args),
        cli::Command::Train(args) => train::run(&args).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("host-sim: error: {e}");
            ExitCode::FAILURE
        }
    }
}
