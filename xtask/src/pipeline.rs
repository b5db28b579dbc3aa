//! `cargo xtask test`: everything CI runs, in order, stopping at the first
//! failure.

use crate::boards::{BOARDS, build_all};
use crate::qemu::{RunOptions, build_host_sim, run_board};
use crate::root::{host_cargo, run, step, workspace};
use crate::{size, toolchain};
use std::time::Instant;

/// Seconds of random link bytes each QEMU board image gets in CI.
const NOISE_SECONDS: u64 = 10;

/// Seconds each fuzz target runs in CI.
const FUZZ_SMOKE_SECONDS: u64 = 5;

/// Runs the whole pipeline.
pub fn run_all() -> Result<(), String> {
    let start = Instant::now();
    // Detect first: a machine without a Cortex-M toolchain fails at once.
    let tc = toolchain::detect()?;

    step("cargo fmt --check (workspace and boards)");
    run("cargo fmt", host_cargo().args(["fmt", "--all", "--check"]))?;
    let board_dirs = BOARDS.iter().map(|b| (b.name, b.dir()));
    for (name, dir) in board_dirs.chain(crate::hardware::HARDWARE.iter().map(|b| (b.name, b.dir()))) {
        let manifest = dir.join("Cargo.toml");
        run(&format!("cargo fmt ({name})"), host_cargo().args(["fmt", "--check", "--manifest-path"]).arg(manifest))?;
    }

    step("cargo clippy -D warnings");
    run("cargo clippy", host_cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;

    step("host tests");
    run("cargo test", host_cargo().args(["test", "--workspace"]))?;

    step("browser test: a lesson answered in headless Chromium (host-sim train --web)");
    run(
        "cargo test (browser)",
        host_cargo().args(["test", "-p", "host-sim", "--test", "web_browser", "--", "--ignored"]),
    )?;

    step("host-sim run (bundled checks)");
    build_host_sim()?;
    run("host-sim run", std::process::Command::new(workspace().join("target/debug/host-sim")).arg("run"))?;

    step("fault campaign: every bundled scenario, each fault at each point (host-sim faults)");
    run("host-sim faults", std::process::Command::new(workspace().join("target/debug/host-sim")).arg("faults"))?;

    step("fuzz smoke: each cargo-fuzz target for a few seconds on its corpus");
    let all: Vec<String> = crate::fuzz::TARGETS.iter().map(|t| t.to_string()).collect();
    crate::fuzz::run(FUZZ_SMOKE_SECONDS, &all)?;

    build_all(&tc)?;

    step("QEMU board runs: smoke check, decision corpus and scenario agreement with the host");
    let mut peaks = Vec::new();
    for board in BOARDS {
        for bt in board.targets {
            peaks.push(run_board(board, bt, &board.elf(bt.triple), RunOptions::default())?.peak_stack);
        }
    }

    step("QEMU board under link noise: random bytes, then a challenge it must answer, never restarting");
    for board in BOARDS {
        for bt in board.targets {
            let opts = RunOptions { noise_secs: Some(NOISE_SECONDS), skip_scenarios: true, ..RunOptions::default() };
            run_board(board, bt, &board.elf(bt.triple), opts)?;
        }
    }

    step(
        "QEMU device: screenshot check (bundled scenarios with a card, keys through QMP); the board's own reception log equals the host's",
    );
    crate::device::screens(&workspace().join("target/screens"), &crate::device::ci_scenarios()?)?;

    size::print_table(&peaks, false)?;
    println!("\nxtask test: all steps passed in {:.0} s", start.elapsed().as_secs_f64());
    Ok(())
}
