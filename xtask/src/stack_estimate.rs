//! A static estimate of a Cortex-M image's peak stack, for boards that no
//! emulator here runs (the Pico): no run can measure it.
//!
//! Method (Thumb, ARMv6-M): each function's frame is what its prologue takes
//! off the stack pointer (`PUSH`, `SUB SP`, `ADD SP, Rm` of a negative
//! literal; the DWARF CFA cannot say it, it follows the frame pointer once
//! set); calls are the `BL` instructions in its code whose target is a
//! function start. The
//! estimate is the deepest chain of direct calls starting at any function,
//! plus the deepest chain starting at an interrupt or exception handler (the
//! vector table), plus the 32 bytes the core stacks on exception entry.
//! Calls through function pointers (`BLX Rm`: the executor polling its tasks,
//! trait objects) are not followed, so a chain that crosses one counts only
//! its deeper side; a recursive call counts once. It is an estimate, and is
//! marked so wherever it is printed.

use object::{Object, ObjectSection, ObjectSymbol, SymbolKind};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Bytes the core pushes on exception entry (R0-R3, R12, LR, PC, xPSR).
const EXCEPTION_FRAME: u64 = 32;

/// The estimate and what it is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// Thread-mode chain + handler chain + exception frame, bytes.
    pub total: u64,
    /// Deepest direct-call chain from any function, bytes, and its first function.
    pub thread: (u64, String),
    /// Deepest chain from a vector-table handler, bytes.
    pub handler: u64,
    /// Indirect call sites not followed.
    pub indirect_calls: usize,
    /// The deepest thread-mode chain: each function and its frame, bytes.
    pub chain: Vec<(String, u64)>,
}

struct Function {
    name: String,
    size: u64,
}

/// Estimates the peak stack of the ELF at `elf`.
pub fn estimate(elf: &Path) -> Result<Estimate, String> {
    let bytes = std::fs::read(elf).map_err(|e| format!("cannot read {}: {e}", elf.display()))?;
    let file = object::File::parse(&*bytes).map_err(|e| format!("{}: not an ELF: {e}", elf.display()))?;
    let functions: BTreeMap<u64, Function> = file
        .symbols()
        .filter(|s| s.kind() == SymbolKind::Text && s.size() > 0)
        .map(|s| (s.address() & !1, Function { name: s.name().unwrap_or("?").to_string(), size: s.size() }))
        .collect();
    let text = file.section_by_name(".text").ok_or_else(|| format!("{}: no .text", elf.display()))?;
    let code = text.data().map_err(|e| e.to_string())?;
    let mut calls: HashMap<u64, Vec<u64>> = HashMap::new();
    let mut frames = HashMap::new();
    let mut indirect_calls = 0;
    for (&start, f) in &functions {
        let Some(offset) = start.checked_sub(text.address()) else { continue };
        let Some(body) = code.get(offset as usize..(offset + f.size) as usize) else { continue };
        frames.insert(start, frame_size(start, body, code, text.address()));
        let (direct, indirect) = thumb_calls(start, body);
        indirect_calls += indirect;
        calls.insert(start, direct.into_iter().filter(|t| functions.contains_key(t)).collect());
    }
    let mut memo = HashMap::new();
    let mut thread = (0, String::new());
    let mut first = 0;
    for (&start, f) in &functions {
        let d = depth(start, &frames, &calls, &mut memo, &mut Vec::new());
        if d > thread.0 {
            thread = (d, f.name.clone());
            first = start;
        }
    }
    let mut chain = Vec::new();
    let mut at = Some(first);
    while let Some(f) = at.filter(|_| chain.len() < 64) {
        let name = functions.get(&f).map_or("?", |x| x.name.as_str()).to_string();
        chain.push((name, frames.get(&f).copied().unwrap_or(0)));
        let next = calls.get(&f).and_then(|cs| cs.iter().copied().max_by_key(|c| memo.get(c).copied().unwrap_or(0)));
        at = next.filter(|n| memo.get(n).copied().unwrap_or(0) > 0);
    }
    let handler =
        handlers(&file)?.into_iter().map(|h| depth(h, &frames, &calls, &mut memo, &mut Vec::new())).max().unwrap_or(0);
    Ok(Estimate { total: thread.0 + handler + EXCEPTION_FRAME, thread, handler, indirect_calls, chain })
}

/// How far into a function its prologue may reach, in halfwords.
const PROLOGUE: usize = 32;

/// The bytes a function's prologue takes off the stack pointer (Thumb,
/// ARMv6-M): `PUSH {..}` (4 bytes a register), `SUB SP, #imm`, and for
/// large frames `LDR Rm, [PC, #..]` of a negative literal then
/// `ADD SP, Rm`. The frame is all set up before the function's first call.
fn frame_size(start: u64, body: &[u8], code: &[u8], code_address: u64) -> u64 {
    let half = |i: usize| body.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let mut literal = [None::<i64>; 8];
    let mut size = 0i64;
    let mut i = 0;
    while let Some(h) = half(i) {
        if i / 2 >= PROLOGUE || h & 0xF800 == 0xF000 {
            break; // the prologue ends before the first BL
        }
        if h & 0xFE00 == 0xB400 {
            size += 4 * i64::from((h & 0x1FF).count_ones()); // PUSH {regs[, LR]}
        } else if h & 0xFF80 == 0xB080 {
            size += 4 * i64::from(h & 0x7F); // SUB SP, SP, #imm7*4
        } else if h & 0xF800 == 0x4800 {
            // LDR Rt, [PC, #imm8*4]: PC is the instruction's address + 4, word-aligned.
            let at = ((start + i as u64 + 4) & !3) + 4 * u64::from(h & 0xFF);
            let word = at
                .checked_sub(code_address)
                .and_then(|o| code.get(o as usize..o as usize + 4))
                .map(|w| i64::from(i32::from_le_bytes([w[0], w[1], w[2], w[3]])));
            literal[usize::from((h >> 8) & 7)] = word;
        } else if h & 0xFF87 == 0x4485 {
            // ADD SP, Rm with a negative literal: a large frame.
            if let Some(Some(v)) = literal.get(usize::from((h >> 3) & 0xF)) {
                size -= (*v).min(0);
            }
        }
        i += 2;
    }
    u64::try_from(size).unwrap_or(0)
}

/// Targets of the `BL` instructions in `body` (Thumb, ARMv6-M/v7-M, the
/// 32-bit T1 encoding) and the number of `BLX Rm`.
fn thumb_calls(start: u64, body: &[u8]) -> (Vec<u64>, usize) {
    let half = |i: usize| body.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let (mut direct, mut indirect) = (Vec::new(), 0);
    let mut i = 0;
    while let Some(h1) = half(i) {
        if h1 & 0xFF87 == 0x4780 {
            indirect += 1; // BLX Rm
        }
        if h1 & 0xF800 == 0xF000
            && let Some(h2) = half(i + 2)
            && h2 & 0xD000 == 0xD000
        {
            let s = u32::from(h1 >> 10) & 1;
            let (j1, j2) = (u32::from(h2 >> 13) & 1, u32::from(h2 >> 11) & 1);
            let (i1, i2) = (!(j1 ^ s) & 1, !(j2 ^ s) & 1);
            let imm =
                (s << 24) | (i1 << 23) | (i2 << 22) | ((u32::from(h1) & 0x3FF) << 12) | ((u32::from(h2) & 0x7FF) << 1);
            let offset = i64::from(((imm << 7) as i32) >> 7); // sign-extend 25 bits
            direct.push((start as i64 + i as i64 + 4 + offset) as u64);
            i += 4;
            continue;
        }
        i += 2;
    }
    (direct, indirect)
}

fn depth(
    f: u64,
    frames: &HashMap<u64, u64>,
    calls: &HashMap<u64, Vec<u64>>,
    memo: &mut HashMap<u64, u64>,
    path: &mut Vec<u64>,
) -> u64 {
    if let Some(&d) = memo.get(&f) {
        return d;
    }
    if path.contains(&f) {
        return 0; // recursion: counted once
    }
    path.push(f);
    let deepest =
        calls.get(&f).map_or(0, |cs| cs.iter().map(|&c| depth(c, frames, calls, memo, path)).max().unwrap_or(0));
    path.pop();
    let d = frames.get(&f).copied().unwrap_or(0) + deepest;
    memo.insert(f, d);
    d
}

/// Handler addresses from the vector table (after the initial stack
/// pointer and the reset vector).
fn handlers(file: &object::File<'_>) -> Result<Vec<u64>, String> {
    let Some(table) = file.section_by_name(".vector_table") else { return Ok(Vec::new()) };
    let data = table.data().map_err(|e| e.to_string())?;
    Ok(data
        .chunks_exact(4)
        .skip(2)
        .map(|w| u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]]) & !1))
        .filter(|&a| a != 0)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bl_forward_and_backward() {
        // `bl` +0x100 at 0x1000: F000 F880 (imm = 0x100 >> 1 = 0x80).
        assert_eq!(thumb_calls(0x1000, &[0x00, 0xF0, 0x80, 0xF8]), (vec![0x1104], 0));
        // `bl` -4 at 0x1000 (target 0x1000): F7FF FFFE.
        assert_eq!(thumb_calls(0x1000, &[0xFF, 0xF7, 0xFE, 0xFF]), (vec![0x1000], 0));
        // `blx r3` = 0x4798; `bx lr` = 0x4770 is not a call.
        assert_eq!(thumb_calls(0x1000, &[0x98, 0x47, 0x70, 0x47]), (vec![], 1));
    }

    #[test]
    fn prologue_frames_count_pushes_sub_sp_and_large_literal_frames() {
        // push {r4, r5, r6, r7, lr} (B5F0); sub sp, #0x1c (B087); bl ...
        let body = [0xF0, 0xB5, 0x87, 0xB0, 0x00, 0xF0, 0x00, 0xF8];
        assert_eq!(frame_size(0x100, &body, &body, 0x100), 20 + 28);
        // push {r7, lr} (B580); ldr r6, [pc, #8] (4E02); add sp, r6 (44B5); ...; literal -0x1000 at 0x10C.
        let mut code = vec![0x80, 0xB5, 0x02, 0x4E, 0xB5, 0x44, 0x00, 0xBF, 0x00, 0xBF, 0x00, 0xBF];
        code.extend_from_slice(&(-0x1000i32).to_le_bytes());
        assert_eq!(frame_size(0x100, &code[..12], &code, 0x100), 8 + 0x1000);
    }

    #[test]
    fn depth_adds_frames_along_the_deepest_chain_and_counts_recursion_once() {
        let frames = HashMap::from([(1, 8), (2, 16), (3, 100), (4, 4)]);
        // 1 -> 2 -> 4, 1 -> 3, 3 -> 3 (recursion).
        let calls = HashMap::from([(1, vec![2, 3]), (2, vec![4]), (3, vec![3])]);
        let d = depth(1, &frames, &calls, &mut HashMap::new(), &mut Vec::new());
        assert_eq!(d, 8 + 100);
    }
}
