//! Boards that only run on hardware (no emulator here runs them): each
//! variant is cross-built with its cargo features and measured from its ELF
//! (flash, static RAM, a static stack estimate), never run.

use crate::boards::build_denying_warnings;
use crate::root::workspace;
use crate::toolchain::Toolchain;
use std::path::PathBuf;

/// One build of a board crate: a name for its image and its features.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// Image name (the ELF is copied to this name, and the size report uses it).
    pub name: &'static str,
    /// Cargo features (default features off).
    pub features: &'static str,
}

/// A board crate under `boards/` built for one target in several variants.
#[derive(Debug, Clone, Copy)]
pub struct HardwareBoard {
    /// Crate and folder name.
    pub name: &'static str,
    /// Rust target triple.
    pub triple: &'static str,
    /// Its builds.
    pub variants: &'static [Variant],
}

/// Every hardware-only board.
pub const HARDWARE: &[HardwareBoard] = &[HardwareBoard {
    name: "pico",
    triple: "thumbv6m-none-eabi",
    variants: &[
        Variant { name: "pico-ssd1306", features: "ssd1306" },
        Variant { name: "pico-st7789", features: "st7789" },
    ],
}];

impl HardwareBoard {
    /// The crate folder.
    pub fn dir(&self) -> PathBuf {
        workspace().join("boards").join(self.name)
    }

    fn release_dir(&self) -> PathBuf {
        self.dir().join("target").join(self.triple).join("release")
    }

    /// The ELF of `variant` (after [`build`](Self::build)).
    pub fn elf(&self, variant: &Variant) -> PathBuf {
        self.release_dir().join(variant.name)
    }

    /// Cross-builds `variant` (release; any warning fails) and keeps its ELF
    /// under the variant's name: the variants share one target folder, so
    /// dependencies are built once.
    pub fn build(&self, tc: Toolchain, variant: &Variant) -> Result<PathBuf, String> {
        let mut cmd = tc.cargo_build(&self.dir(), self.triple);
        cmd.args(["--release", "--no-default-features", "--features", variant.features]);
        build_denying_warnings(&format!("{} ({}) for {}", self.name, variant.features, self.triple), &mut cmd)?;
        let built = self.release_dir().join(self.name);
        let elf = self.elf(variant);
        std::fs::copy(&built, &elf)
            .map_err(|e| format!("cannot copy {} to {}: {e}", built.display(), elf.display()))?;
        Ok(elf)
    }
}

/// Builds every variant of every hardware-only board.
pub fn build_all(tc: Toolchain) -> Result<(), String> {
    for board in HARDWARE {
        for v in board.variants {
            board.build(tc, v)?;
        }
    }
    Ok(())
}
