//! `host-sim`: the desktop side of the reception terminal.
//!
//! Subcommands:
//! - `run`: run the bundled checks (smoke check and the decision corpus);
//! - `serve`: be the peer of a board over a loopback TCP or unix socket.

use clap::Parser;
use host_sim::{cli, corpus_run, serve};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Run(args) if args.paths.is_empty() => corpus_run::run(),
        cli::Command::Run(_) => {
            Err("scenario files are not supported yet; run without paths for the built-in checks".into())
        }
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
