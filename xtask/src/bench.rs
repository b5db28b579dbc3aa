//! `cargo xtask bench`: decisions per second on the host (criterion) and
//! instructions per decision on each board target (QEMU `-icount`).
//!
//! Under `-icount shift=N` every instruction takes 2^N ns of virtual time and
//! SysTick counts the core clock of that virtual time, so
//! instructions = ticks ÷ (f_core × 2^N / 10⁹). These are instruction
//! counts, not cycle counts (QEMU does not model the pipeline).

use crate::boards::BOARDS;
use crate::device::DEVICE_ICOUNT_SHIFT;
use crate::qemu::{ICOUNT_SHIFT, RunOptions, build_host_sim, run_board};
use crate::root::{host_cargo, step, workspace};
use crate::toolchain;
use std::fmt::Write as _;
use std::process::Stdio;

/// Timed passes over the corpus on the board.
const ROUNDS: u16 = 10;
/// Target of the rules-engine issue: instructions per decision on Cortex-M3.
const BOARD_TARGET: f64 = 10_000.0;
/// Target: decisions per second on one host core.
const HOST_TARGET: f64 = 1_000_000.0;

/// Runs both benchmarks, prints a table and writes `reports/bench.md`.
pub fn run() -> Result<(), String> {
    let tc = toolchain::detect()?;
    step("host: criterion, cargo bench -p tests --bench decide");
    let host = host_decisions_per_second()?;
    println!("host: {host:.0} decisions/s (target >= {HOST_TARGET:.0})");

    build_host_sim()?;
    let mut table = String::from(
        "| board | target | cpu | decisions | SysTick ticks | instructions / decision | calibrated: ticks per instruction (formula) | instructions / decision (calibrated) |\n|---|---|---|---:|---:|---:|---:|---:|\n",
    );
    let mut cortex_m3 = None;
    let mut oled = String::from(
        "| board | target | cpu | full-screen draws | SysTick ticks | instructions / draw + flush (calibrated) |\n|---|---|---|---:|---:|---:|\n",
    );
    for board in BOARDS {
        for bt in board.targets {
            step(&format!("board: {} {} under -icount shift={ICOUNT_SHIFT}", board.name, bt.triple));
            let elf = board.build(tc, bt.triple)?;
            let opts = RunOptions { icount: true, bench_rounds: Some(ROUNDS), skip_scenarios: true, noise_secs: None };
            let run = run_board(board, bt, &elf, opts)?;
            let (decisions, ticks, calibration) = run
                .peer_log
                .iter()
                .find_map(|l| parse_bench_line(l))
                .ok_or("host-sim did not report a bench result")?;
            let ticks_per_instruction = board.core_hz as f64 * f64::from(1u32 << ICOUNT_SHIFT) / 1e9;
            let per_decision = ticks as f64 / ticks_per_instruction / f64::from(decisions);
            let measured_rate = calibration as f64 / 1e6;
            let per_decision_calibrated = ticks as f64 / measured_rate / f64::from(decisions);
            if bt.cpu == "cortex-m3" {
                cortex_m3 = Some(per_decision_calibrated);
            }
            let _ = writeln!(
                table,
                "| {} | {} | {} | {decisions} | {ticks} | {per_decision:.0} | {measured_rate:.3} ({ticks_per_instruction:.3}) | {per_decision_calibrated:.0} |",
                board.name, bt.triple, bt.cpu
            );
            if let Some((draws, ticks)) = run.board_log.iter().find_map(|l| parse_oled_line(l)) {
                let per_draw = ticks as f64 / measured_rate / f64::from(draws);
                let _ = writeln!(
                    oled,
                    "| {} | {} | {} | {draws} | {ticks} | {per_draw:.0} |",
                    board.name, bt.triple, bt.cpu
                );
            }
        }
    }
    step(&format!("device: whole visits on the QEMU board under -icount shift={DEVICE_ICOUNT_SHIFT} (sleep=on)"));
    let visits = visit_table()?;
    step("benchmark results");
    let summary = format!(
        "Host (criterion, one core, whole corpus): **{host:.0} decisions/s** (target >= {HOST_TARGET:.0}).\n\n{table}\n\
         Cortex-M3 target: <= {BOARD_TARGET:.0} instructions per decision, checked on the calibrated count \
         (ticks of a loop of exactly 10⁶ instructions, measured in the same run; the formula's clock \
         assumption is shown beside it).\n\n\
         ## OLED: full-screen draw + flush\n\n\
         `firmware::ui::draw` into the 4 KiB Gray4 frame buffer, then the SSD0323 window commands and 4096 \
         data bytes over SSI0 (PL022, DR read back after each byte), for each of: idle, choose method, PIN \
         picker, the fullest result screen; measured on the board during the bench run above.\n\n{oled}\n\
         ## Whole visits on the device\n\n\
         The board in device mode (`StartDevice`) plays a bundled scenario through `host-sim serve --device \
         --play` (keys by QMP, card by the virtual PN532 on UART1), under `-icount shift={DEVICE_ICOUNT_SHIFT},align=off,sleep=on` \
         (16 ns an instruction: at shift {ICOUNT_SHIFT} a full-screen draw takes half a second of the board's time and \
         the card and query timeouts fire mid-visit). \
         Counted: the ticks of loop passes that handled an input (key, PN532 answer, link message, timer), \
         from the card placed to the result screen shown, so waiting for the patient, the card or the host \
         is left out; it includes the card reading (SELECT, READ BINARY of the certificate, PIN), every screen \
         drawn and flushed, and the link messages. Calibrated with a loop of 10⁶ instructions at the device's \
         start (its SysTick interrupts add about 1 %).\n\n{visits}"
    );
    print!("{summary}");
    let doc = format!(
        "# Decision benchmarks\n\nWritten by `cargo xtask bench`. Board counts come from QEMU \
         `-icount shift={ICOUNT_SHIFT},align=off,sleep=off`: instructions = SysTick ticks ÷ (f_core × 2^{ICOUNT_SHIFT} / 10⁹), \
         summed over {ROUNDS} passes of `decide` over the decision corpus (building the visits is not timed). \
         Instruction counts, not cycles.\n\n{summary}"
    );
    std::fs::create_dir_all(workspace().join("reports")).map_err(|e| e.to_string())?;
    let path = workspace().join("reports/bench.md");
    std::fs::write(&path, doc).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("saved {}", path.display());
    match cortex_m3 {
        Some(n) if n > BOARD_TARGET => {
            Err(format!("{n:.0} instructions per decision on Cortex-M3 exceeds {BOARD_TARGET}"))
        }
        _ if host < HOST_TARGET => Err(format!("{host:.0} decisions/s on the host is below {HOST_TARGET}")),
        _ => Ok(()),
    }
}

/// Scenarios timed as whole visits on the device: face and PIN.
const VISITS: [&str; 2] =
    ["scenarios/01-myna-basics/01-face-valid.toml", "scenarios/01-myna-basics/02-pin-pharmacy.toml"];

/// Plays [`VISITS`] on the device under `-icount`; a Markdown table.
fn visit_table() -> Result<String, String> {
    let mut table = String::from(
        "| board | target | scenario | ticks | instructions (calibrated) | peak stack, bytes |\n|---|---|---|---:|---:|---:|\n",
    );
    for scenario in VISITS {
        let lines = crate::device::icount_visits(&[workspace().join(scenario)])?;
        let calibration = lines.iter().find_map(|l| parse_number_after(l, "calibration: 1000000 instructions = "));
        let visit = lines.iter().find_map(|l| parse_number_after(l, "visit: "));
        let (Some(calibration), Some(visit)) = (calibration, visit) else {
            return Err(format!("{scenario}: the board reported no visit or no calibration"));
        };
        let instructions = visit as f64 / (calibration as f64 / 1e6);
        let stack = lines
            .iter()
            .find_map(|l| parse_number_after(l, "stack: peak "))
            .map_or("n/a".to_string(), |b| b.to_string());
        let _ = writeln!(
            table,
            "| qemu-lm3s6965 | thumbv7m-none-eabi | `{scenario}` | {visit} | {instructions:.0} | {stack} |"
        );
    }
    Ok(table)
}

/// The number right after `prefix` in a board log line.
fn parse_number_after(line: &str, prefix: &str) -> Option<u64> {
    let rest = line.split(prefix).nth(1)?;
    rest.split_whitespace().next()?.parse().ok()
}

/// `bench: oled N draws T ticks` as the board logs it.
fn parse_oled_line(line: &str) -> Option<(u32, u64)> {
    let rest = line.split("bench: oled ").nth(1)?;
    let (n, rest) = rest.split_once(" draws ")?;
    let t = rest.split_whitespace().next()?;
    Some((n.trim().parse().ok()?, t.parse().ok()?))
}

/// `bench: decisions=D ticks=T calibration_ticks=C` as host-sim prints it.
fn parse_bench_line(line: &str) -> Option<(u32, u64, u64)> {
    let rest = line.strip_prefix("bench: decisions=")?;
    let (d, rest) = rest.split_once(" ticks=")?;
    let (t, c) = rest.split_once(" calibration_ticks=")?;
    Some((d.trim().parse().ok()?, t.trim().parse().ok()?, c.trim().parse().ok()?))
}

/// Runs the criterion benchmark and reads its throughput line.
fn host_decisions_per_second() -> Result<f64, String> {
    let out = host_cargo()
        .args(["bench", "--package", "tests", "--bench", "decide", "--", "--noplot"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    if !out.status.success() {
        return Err("cargo bench failed".into());
    }
    // "thrpt:  [5.7496 Melem/s 6.0031 Melem/s 6.3021 Melem/s]": take the middle estimate.
    let line = text.lines().find(|l| l.contains("thrpt:")).ok_or("criterion printed no throughput")?;
    let inner = line.split('[').nth(1).and_then(|s| s.split(']').next()).ok_or("unreadable throughput line")?;
    let parts: Vec<&str> = inner.split_whitespace().collect();
    let (value, unit) = (parts.get(2).ok_or("short throughput line")?, parts.get(3).ok_or("short throughput line")?);
    let value: f64 = value.parse().map_err(|_| format!("bad throughput value {value}"))?;
    let scale = match *unit {
        "elem/s" => 1.0,
        "Kelem/s" => 1e3,
        "Melem/s" => 1e6,
        "Gelem/s" => 1e9,
        other => return Err(format!("unknown throughput unit {other}")),
    };
    Ok(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_host_sim_bench_line() {
        assert_eq!(
            parse_bench_line("bench: decisions=970 ticks=61234567 calibration_ticks=12288000"),
            Some((970, 61_234_567, 12_288_000))
        );
        assert_eq!(parse_bench_line("corpus: 97 cases"), None);
    }

    #[test]
    fn reads_the_boards_oled_and_visit_lines() {
        assert_eq!(
            parse_oled_line("INFO  bench: oled 4 draws 1234567 ticks  (src/session.rs:60)"),
            Some((4, 1_234_567))
        );
        assert_eq!(parse_oled_line("INFO  bench: 4 draws"), None);
        let visit = "INFO  visit: 9876543 ticks from card placed to result shown  (src/device_mode.rs:140)";
        assert_eq!(parse_number_after(visit, "visit: "), Some(9_876_543));
        assert_eq!(parse_number_after("calibration: 1000000 instructions = 12800000 ticks", "= "), Some(12_800_000));
        assert_eq!(parse_number_after("visit: none", "visit: "), None);
    }
}
