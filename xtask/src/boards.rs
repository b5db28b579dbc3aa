//! The boards this project builds, and how to cross-build them.

use crate::root::{step, workspace};
use crate::toolchain::{THUMB_TARGETS, Toolchain};
use std::path::PathBuf;
use std::process::Command;

/// One target a board image is built for, and the QEMU CPU that runs it.
#[derive(Debug, Clone, Copy)]
pub struct BoardTarget {
    /// Rust target triple.
    pub triple: &'static str,
    /// QEMU `-cpu` for this target.
    pub cpu: &'static str,
}

/// A board crate under `boards/`.
#[derive(Debug, Clone, Copy)]
pub struct Board {
    /// Crate and folder name.
    pub name: &'static str,
    /// QEMU `-machine`.
    pub machine: &'static str,
    /// Core clock of the emulated board in Hz (SysTick's clock).
    pub core_hz: u32,
    /// Targets to build and run, the first being the default.
    pub targets: &'static [BoardTarget],
}

/// Every board.
pub const BOARDS: &[Board] = &[Board {
    name: "qemu-lm3s6965",
    machine: "lm3s6965evb",
    core_hz: 12_000_000,
    targets: &[
        BoardTarget { triple: "thumbv7m-none-eabi", cpu: "cortex-m3" },
        BoardTarget { triple: "thumbv6m-none-eabi", cpu: "cortex-m0" },
    ],
}];

impl Board {
    /// Finds a board by name.
    pub fn find(name: &str) -> Result<&'static Board, String> {
        BOARDS.iter().find(|b| b.name == name).ok_or_else(|| {
            let known: Vec<_> = BOARDS.iter().map(|b| b.name).collect();
            format!("unknown board {name:?}; known boards: {}", known.join(", "))
        })
    }

    /// The crate folder.
    pub fn dir(&self) -> PathBuf {
        workspace().join("boards").join(self.name)
    }

    /// The release ELF for `triple`.
    pub fn elf(&self, triple: &str) -> PathBuf {
        self.dir().join("target").join(triple).join("release").join(self.name)
    }

    /// Cross-builds the release image for `triple`; any compiler warning fails.
    pub fn build(&self, tc: Toolchain, triple: &str) -> Result<PathBuf, String> {
        let mut cmd = tc.cargo_build(&self.dir(), triple);
        cmd.arg("--release");
        build_denying_warnings(&format!("{} for {triple}", self.name), &mut cmd)?;
        Ok(self.elf(triple))
    }
}

/// Runs a cross build; fails on errors and on any warning cargo reports.
pub(crate) fn build_denying_warnings(what: &str, cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: cannot start cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        eprint!("{stderr}");
        return Err(format!("building {what} failed"));
    }
    if stderr.lines().any(|l| l.starts_with("warning:") && l.contains("generated")) {
        eprint!("{stderr}");
        return Err(format!("building {what}: compiler warnings (fix them)"));
    }
    println!("built {what}");
    Ok(())
}

/// Builds the firmware library for every thumb target (with and without
/// defmt), then every board image for every target.
pub fn build_all(tc: &Toolchain) -> Result<(), String> {
    step("firmware library for every thumb target (no_std, no heap)");
    let target_dir = workspace().join("target").join("thumb");
    for triple in THUMB_TARGETS {
        for features in [None, Some("defmt")] {
            let mut cmd = tc.cargo_build(&workspace(), triple);
            cmd.args(["--package", "firmware", "--target-dir"]).arg(&target_dir);
            if let Some(f) = features {
                cmd.args(["--features", f]);
            }
            build_denying_warnings(
                &format!("firmware for {triple} (features: {})", features.unwrap_or("none")),
                &mut cmd,
            )?;
        }
    }
    step("board images");
    for board in BOARDS {
        for t in board.targets {
            board.build(*tc, t.triple)?;
        }
    }
    crate::hardware::build_all(*tc)
}
