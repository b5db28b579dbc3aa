//! `host-sim`: the desktop side of the reception terminal.
//!
//! Subcommands:
//! - `run`: run scenario files (without paths: the bundled pack, the smoke
//!   check and the decision corpus);
//! - `serve`: be the peer of a board over a loopback TCP or unix socket;
//! - `train`: the interactive staff-training mode (a terminal UI, or with
//!   `--web` a web server for a class);
//! - `faults`: the fault campaign over the scenarios;
//! - `log`: list a reception log file and count the visits per month.

use clap::Parser;
#[cfg(feature = "web")]
use host_sim::web;
use host_sim::{cli, scenario, serve, train};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Run(args) => scenario::command::run(&args),
        cli::Command::Faults(args) => faults(&args),
        cli::Command::Log(args) => host_sim::reception_log::command(&args.file),
        cli::Command::Serve(args) => serve::serve(&args),
        cli::Command::Render(args) => {
            use firmware::ui::Layout;
            let layouts: &[Layout] = match args.layout {
                cli::LayoutArg::Oled => &[Layout::Oled128x64],
                cli::LayoutArg::Tft => &[Layout::Tft320x240],
                cli::LayoutArg::Both => &Layout::ALL,
            };
            host_sim::render::render_scenario(&args.scenario, &args.out, layouts, args.scale).map(|files| {
                for f in &files {
                    println!("{}", f.display());
                }
                println!("{} screen image(s) written", files.len());
            })
        }
        #[cfg(feature = "web")]
        cli::Command::Train(args) if args.web => {
            let pack = args.pack.clone().unwrap_or_else(host_sim::scenario::bundled_dir);
            web::run(&web::WebArgs { pack, addr: args.addr.clone(), db: args.db.clone() }).map_err(|e| e.to_string())
        }
        #[cfg(not(feature = "web"))]
        cli::Command::Train(args) if args.web => {
            Err("this host-sim was built without the browser training (cargo feature `web`)".to_string())
        }
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

/// `host-sim faults`: prints the counts; fails on any undefined end or more
/// favourable outcome.
fn faults(args: &cli::FaultsArgs) -> Result<(), String> {
    let start = std::time::Instant::now();
    let scenarios = host_sim::faults::load(&args.paths)?;
    let sample = usize::try_from(args.sample).unwrap_or(usize::MAX);
    let c = host_sim::faults::campaign(&scenarios, sample)?;
    let every = if sample > 1 { format!(", every {sample}th faulted run") } else { String::new() };
    println!(
        "fault campaign: {} scenarios, {} faulted runs{every}, {:.1} s\n",
        c.scenarios,
        c.runs(),
        start.elapsed().as_secs_f64()
    );
    print!("{}", host_sim::faults::table(&c));
    for f in &c.failures {
        println!("FAIL {f}");
    }
    if c.failures.is_empty() { Ok(()) } else { Err(format!("{} runs failed", c.failures.len())) }
}
