//! `cargo xtask`: project automation.
//!
//! - `build-boards`: every board image for every target it supports, plus the
//!   firmware library for every thumb target;
//! - `qemu`: run a board image under QEMU against `host-sim serve`, decoding
//!   its defmt log;
//! - `demo`: the board as a device, with a console (see README);
//! - `size`: flash and RAM of every board image, peak stack from a QEMU run;
//! - `bench`: decisions per second on the host, instructions per decision
//!   on every board target;
//! - `test`: everything CI runs;
//! - `faults`: the fault campaign over every bundled scenario;
//! - `fuzz`: every cargo-fuzz target on its corpus for `--seconds N`;
//! - `web-load`: 30 trainees on `host-sim train --web` at once, on loopback
//!   (writes `reports/web-load.md`).

mod bench;
mod boards;
mod defmt_log;
mod device;
mod fuzz;
mod hardware;
mod log_check;
mod pipeline;
mod qemu;
mod root;
mod size;
mod stack_estimate;
mod toolchain;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(about = "Project automation for the reception-terminal firmware")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Cross-build every board image (release) and the firmware library for every thumb target.
    BuildBoards,
    /// Run a board image under QEMU, talking to `host-sim serve` over the emulated UART.
    Qemu {
        /// Board name (see `boards/`).
        #[arg(long, default_value = "qemu-lm3s6965")]
        board: String,
        /// Target triple; defaults to the board's first target.
        #[arg(long)]
        target: Option<String>,
        /// Instead: the screenshot check in device mode. Plays every bundled
        /// scenario that uses a card on the board through QMP key presses
        /// and compares each screen with the host's rendering; keeps the
        /// screendumps in DIR.
        #[arg(long, value_name = "DIR")]
        screens: Option<std::path::PathBuf>,
        /// With --screens: only these scenario files or folders.
        #[arg(long, requires = "screens", num_args = 1..)]
        only: Vec<std::path::PathBuf>,
        /// Instead of the scenario agreement: feed the board random link
        /// bytes for this many seconds, each burst followed by a challenge
        /// it must answer right, then the smoke check and the corpus.
        #[arg(long, value_name = "SECONDS", conflicts_with = "screens")]
        noise: Option<u64>,
    },
    /// The board as a device: QEMU with its OLED window (arrows and Ctrl are
    /// the gamepad) and a console to place cards, answer for the camera and
    /// the clerk, switch the network off. Headless: screendumps instead.
    Demo,
    /// Print flash and RAM use of every board image (and save it with --save).
    Size {
        /// Also write the table to reports/size.md.
        #[arg(long)]
        save: bool,
    },
    /// Benchmark decide(): criterion on the host, instructions per decision on every board (QEMU -icount).
    Bench,
    /// Run everything CI runs: fmt, clippy, host tests, cross builds, QEMU runs, sizes.
    Test,
    /// The fault campaign: every bundled scenario with each fault at each point (host-sim faults).
    Faults {
        /// Only every Nth faulted run of each scenario.
        #[arg(long, default_value_t = 1)]
        sample: u64,
    },
    /// Run every cargo-fuzz target (fuzz/) on its corpus for a while; prints executions and coverage.
    Fuzz {
        /// Seconds per target.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Only these targets (default: all).
        #[arg(long = "target")]
        targets: Vec<String>,
    },
    /// Load-test `host-sim train --web` on loopback (30 trainees at once); writes reports/web-load.md.
    WebLoad,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::BuildBoards => toolchain::detect().and_then(|tc| boards::build_all(&tc)),
        Command::Qemu { screens: Some(dir), only, .. } => device::screens(&dir, &only),
        Command::Qemu { board, target, noise, .. } => qemu::run_cli(&board, target.as_deref(), noise),
        Command::Demo => device::demo(),
        Command::Size { save } => size::report(save),
        Command::Bench => bench::run(),
        Command::Test => pipeline::run_all(),
        Command::Faults { sample } => qemu::build_host_sim().and_then(|()| {
            root::run(
                "host-sim faults",
                std::process::Command::new(root::workspace().join("target/debug/host-sim"))
                    .args(["faults", "--sample"])
                    .arg(sample.to_string()),
            )
        }),
        Command::Fuzz { seconds, targets } => fuzz::run(seconds, &targets).map(|_| ()),
        Command::WebLoad => root::run(
            "cargo test (web load)",
            root::host_cargo().args(["test", "-p", "host-sim", "--test", "web_load", "--", "--ignored", "--nocapture"]),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
