//! Which Cortex-M toolchain this machine has, and how to call it.
//!
//! Preference: rustup with the thumb targets installed; otherwise Debian's
//! Rust (`rustc-web`, `cargo-web`, `rust-web-src`, `lld-22`) building `core`
//! with `-Zbuild-std`. With neither, stop and say exactly what to install:
//! board steps are never skipped silently.

use std::path::Path;
use std::process::Command;

/// Thumb targets the firmware must build for.
pub const THUMB_TARGETS: [&str; 3] = ["thumbv6m-none-eabi", "thumbv7m-none-eabi", "thumbv7em-none-eabihf"];

/// A way to cross-build for Cortex-M.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup with prebuilt thumb standard libraries.
    Rustup,
    /// Debian's Rust 1.96 at /usr/bin, `core` built from source.
    DebianBuildStd,
}

const INSTALL_HELP: &str = "no Cortex-M toolchain found. Install one of:\n  \
     rustup target add thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf\n  \
     apt-get install -y -t bookworm-security rustc-web cargo-web rust-web-src lld-22   (Debian bookworm)";

/// Detects the toolchain, or explains what to install.
pub fn detect() -> Result<Toolchain, String> {
    let tc = if rustup_has_targets() {
        Toolchain::Rustup
    } else if debian_ready() {
        Toolchain::DebianBuildStd
    } else {
        return Err(INSTALL_HELP.into());
    };
    println!("toolchain: {}", tc.describe());
    Ok(tc)
}

fn rustup_has_targets() -> bool {
    let Ok(out) = Command::new("rustup").args(["target", "list", "--installed"]).output() else {
        return false;
    };
    let installed = String::from_utf8_lossy(&out.stdout);
    out.status.success() && THUMB_TARGETS.iter().all(|t| installed.lines().any(|l| l.trim() == *t))
}

fn debian_ready() -> bool {
    let has_lld =
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("rust-lld").is_file()));
    Path::new("/usr/bin/cargo").is_file()
        && Path::new("/usr/bin/rustc").is_file()
        && Path::new("/usr/lib/rustlib/src/rust/library/core/Cargo.toml").is_file()
        && has_lld
}

impl Toolchain {
    /// One line saying which toolchain is used.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Rustup => "rustup with installed thumb targets",
            Self::DebianBuildStd => "Debian Rust (/usr/bin/cargo) with -Zbuild-std=core (rustup has no thumb targets)",
        }
    }

    /// A `cargo build` for `target` run in `dir`, with a clean environment
    /// (nothing inherited from the host cargo that runs xtask).
    pub fn cargo_build(self, dir: &Path, target: &str) -> Command {
        let mut cmd = match self {
            Self::Rustup => Command::new("cargo"),
            Self::DebianBuildStd => Command::new("/usr/bin/cargo"),
        };
        cmd.current_dir(dir);
        for var in [
            "CARGO",
            "RUSTC",
            "RUSTDOC",
            "RUSTC_WRAPPER",
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_TARGET",
            "CARGO_TARGET_DIR",
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
        ] {
            cmd.env_remove(var);
        }
        cmd.args(["build", "--target", target]);
        if self == Self::DebianBuildStd {
            cmd.env_remove("RUSTUP_TOOLCHAIN")
                .env("RUSTC", "/usr/bin/rustc")
                .env("RUSTC_BOOTSTRAP", "1")
                .args(["-Zbuild-std=core,compiler_builtins", "-Zbuild-std-features=compiler-builtins-mem"]);
        }
        cmd
    }
}
