//! Flash and RAM of every board image, from the ELF sections, plus the peak
//! stack a QEMU run measured (stack painting in the board crate), or a
//! static estimate for boards that only run on hardware.

use crate::boards::BOARDS;
use crate::hardware::HARDWARE;
use crate::qemu::{RunOptions, build_host_sim, run_board};
use crate::root::{step, workspace};
use crate::stack_estimate;
use crate::toolchain;
use object::{Object, ObjectSection};
use std::fmt::Write as _;
use std::path::Path;

/// Section sizes of one image, in bytes.
#[derive(Debug, Default)]
struct Sections {
    text: u64,
    rodata: u64,
    data: u64,
    bss: u64,
}

fn sections(elf: &Path) -> Result<Sections, String> {
    let bytes = std::fs::read(elf).map_err(|e| format!("cannot read {}: {e}", elf.display()))?;
    let file = object::File::parse(&*bytes).map_err(|e| format!("{}: not an ELF: {e}", elf.display()))?;
    let mut s = Sections::default();
    for section in file.sections() {
        let size = section.size();
        match section.name().unwrap_or("") {
            // .boot2: the RP2040's second-stage bootloader, first 256 bytes of flash.
            ".vector_table" | ".text" | ".boot2" => s.text += size,
            ".rodata" => s.rodata += size,
            ".data" => s.data += size,
            ".bss" | ".uninit" => s.bss += size,
            _ => {}
        }
    }
    Ok(s)
}

/// Builds every board image, runs each once under QEMU for the stack peak,
/// prints the table and, with `save`, writes it to `reports/size.md`.
pub fn report(save: bool) -> Result<(), String> {
    let tc = toolchain::detect()?;
    build_host_sim()?;
    let mut peaks = Vec::new();
    for board in BOARDS {
        for bt in board.targets {
            let elf = board.build(tc, bt.triple)?;
            peaks.push(run_board(board, bt, &elf, RunOptions::default())?.peak_stack);
        }
    }
    crate::hardware::build_all(tc)?;
    print_table(&peaks, save)
}

/// One image's row: sections, flash (text + rodata + data), static RAM
/// (data + bss) and the peak stack as given.
fn row(table: &mut String, name: &str, triple: &str, s: &Sections, stack: &str) {
    let (flash, ram) = (s.text + s.rodata + s.data, s.data + s.bss);
    let _ = writeln!(
        table,
        "| {name} | {triple} | {} | {} | {} | {} | {flash} | {ram} | {stack} |",
        s.text, s.rodata, s.data, s.bss
    );
}

/// Prints the size table of every (already built) board image; `peaks` are
/// the peak stacks measured by QEMU runs, in `BOARDS` × targets order.
pub fn print_table(peaks: &[Option<usize>], save: bool) -> Result<(), String> {
    let mut table = String::from(
        "| board | target | text | rodata | data | bss | flash | static RAM | peak stack |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut peaks = peaks.iter();
    for board in BOARDS {
        for bt in board.targets {
            let s = sections(&board.elf(bt.triple))?;
            let stack = peaks.next().copied().flatten().map_or("n/a".to_string(), |b| b.to_string());
            row(&mut table, board.name, bt.triple, &s, &stack);
        }
    }
    for board in HARDWARE {
        for v in board.variants {
            let elf = board.elf(v);
            let s = sections(&elf)?;
            let estimate = stack_estimate::estimate(&elf)?;
            row(&mut table, v.name, board.triple, &s, &format!("{} (static estimate)", estimate.total));
        }
    }
    step("size report (bytes)");
    print!("{table}");
    if save {
        let path = workspace().join("reports/size.md");
        let doc = format!(
            "# Board image sizes\n\nWritten by `cargo xtask size --save`. Bytes; flash = text + rodata + data, \
             static RAM = data + bss; peak stack measured by stack painting during the QEMU smoke run, except where \
             marked \"static estimate\": boards no emulator here runs (the Pico), estimated from the ELF by \
             `xtask/src/stack_estimate.rs` (deepest chain of direct calls with each function's prologue frame, \
             plus the deepest interrupt handler and one exception frame; calls through function pointers are not \
             followed).\n\n{table}"
        );
        std::fs::create_dir_all(workspace().join("reports")).map_err(|e| e.to_string())?;
        std::fs::write(&path, doc).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("saved {}", path.display());
    }
    Ok(())
}
