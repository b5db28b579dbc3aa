//! Running a board image under QEMU against `host-sim serve`.
//!
//! host-sim listens on a loopback TCP port; QEMU connects the board's UART
//! to it (`-serial tcp:...`). The board's defmt output arrives on QEMU's
//! stdout (semihosting) and is decoded here.

use crate::boards::{Board, BoardTarget};
use crate::defmt_log::decode_stream;
use crate::root::{host_cargo, run, workspace};
use crate::toolchain;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a board may run before it is killed.
const TIMEOUT: Duration = Duration::from_secs(120);

/// How to run a board.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Deterministic instruction counting (`-icount shift=10,align=off,sleep=off`).
    pub icount: bool,
    /// Timed passes over the corpus host-sim asks for.
    pub bench_rounds: Option<u16>,
    /// Skip playing the bundled scenarios on the board (benchmarks only).
    pub skip_scenarios: bool,
    /// Feed the board random link bytes for this many seconds first
    /// (`host-sim serve --noise-secs`).
    pub noise_secs: Option<u64>,
}

/// QEMU's `-icount` shift: each instruction takes 2^shift ns of virtual time.
pub const ICOUNT_SHIFT: u32 = 10;

/// What a QEMU run produced.
#[derive(Debug)]
pub struct QemuRun {
    /// Lines host-sim printed.
    pub peer_log: Vec<String>,
    /// Peak stack the board reported, in bytes.
    pub peak_stack: Option<usize>,
    /// The board's decoded defmt lines.
    pub board_log: Vec<String>,
}

/// `cargo xtask qemu`: build, then run one board image.
pub fn run_cli(board: &str, target: Option<&str>, noise_secs: Option<u64>) -> Result<(), String> {
    let board = Board::find(board)?;
    let bt = match target {
        Some(t) => board
            .targets
            .iter()
            .find(|bt| bt.triple == t)
            .ok_or_else(|| format!("board {} does not support target {t}", board.name))?,
        None => &board.targets[0],
    };
    let tc = toolchain::detect()?;
    let elf = board.build(tc, bt.triple)?;
    build_host_sim()?;
    let opts = RunOptions { noise_secs, skip_scenarios: noise_secs.is_some(), ..RunOptions::default() };
    run_board(board, bt, &elf, opts).map(|_| ())
}

/// Builds `host-sim` for the host.
pub fn build_host_sim() -> Result<(), String> {
    run("building host-sim", host_cargo().args(["build", "--quiet", "--package", "host-sim"]))
}

fn qemu_binary() -> Result<&'static str, String> {
    match Command::new("qemu-system-arm").arg("--version").output() {
        Ok(o) if o.status.success() => Ok("qemu-system-arm"),
        _ => Err("qemu-system-arm not found; install it with: apt-get install -y qemu-system-arm".into()),
    }
}

/// Runs `elf` on QEMU with host-sim as the UART peer. Fails unless the
/// board exits 0, host-sim exits 0, and at least one defmt line decoded.
pub fn run_board(board: &Board, bt: &BoardTarget, elf: &Path, opts: RunOptions) -> Result<QemuRun, String> {
    let qemu = qemu_binary()?;
    let elf_bytes = std::fs::read(elf).map_err(|e| format!("cannot read {}: {e}", elf.display()))?;
    println!("qemu: {} ({}, -cpu {}) {}", board.name, bt.triple, bt.cpu, elf.display());

    let mut peer_cmd = Command::new(workspace().join("target/debug/host-sim"));
    peer_cmd.args(["serve", "--tcp", "127.0.0.1:0", "--once", "--timeout-secs", "60"]);
    if let Some(rounds) = opts.bench_rounds {
        peer_cmd.args(["--bench-rounds", &rounds.to_string()]);
    }
    if let Some(secs) = opts.noise_secs {
        peer_cmd.args(["--noise-secs", &secs.to_string()]);
    }
    if !opts.skip_scenarios {
        peer_cmd.arg("--scenarios").arg(workspace().join("scenarios"));
    }
    let mut peer = peer_cmd.stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot start host-sim serve: {e}"))?;
    let mut peer_out = BufReader::new(peer.stdout.take().ok_or("host-sim stdout")?);
    let mut first = String::new();
    peer_out.read_line(&mut first).map_err(|e| e.to_string())?;
    let addr = first
        .trim()
        .strip_prefix("listening on tcp:")
        .ok_or_else(|| format!("host-sim serve did not say where it listens: {first:?}"))?
        .to_string();
    let peer_log = Arc::new(Mutex::new(Vec::new()));
    let peer_log_w = Arc::clone(&peer_log);
    let peer_thread = thread::spawn(move || {
        for line in peer_out.lines().map_while(Result::ok) {
            println!("  [host-sim] {line}");
            peer_log_w.lock().map(|mut l| l.push(line)).ok();
        }
    });

    let mut qemu_cmd = Command::new(qemu);
    if opts.icount {
        qemu_cmd.args(["-icount", &format!("shift={ICOUNT_SHIFT},align=off,sleep=off")]);
    }
    let mut qemu_child = qemu_cmd
        .args(["-machine", board.machine, "-cpu", bt.cpu, "-display", "none", "-monitor", "none"])
        .args(["-semihosting-config", "enable=on,target=native"])
        .args(["-serial", &format!("tcp:{addr}")])
        .arg("-kernel")
        .arg(elf)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {qemu}: {e}"))?;
    let stdout = qemu_child.stdout.take().ok_or("qemu stdout")?;
    let stderr = qemu_child.stderr.take().ok_or("qemu stderr")?;
    let log = Arc::new(Mutex::new(Vec::new()));
    let log_w = Arc::clone(&log);
    let decoder = thread::spawn(move || {
        decode_stream(&elf_bytes, stdout, |line| {
            println!("  [board] {line}");
            log_w.lock().map(|mut l| l.push(line)).ok();
        })
    });
    let err_thread = thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // QEMU's own chatter about the emulated timers is not an error.
            if !line.contains("Timer with period zero") {
                eprintln!("  [qemu] {line}");
            }
        }
    });

    let board_status = wait_with_timeout(&mut qemu_child, TIMEOUT);
    let peer_status = wait_with_timeout(&mut peer, Duration::from_secs(10));
    let decoded = decoder.join().map_err(|_| "defmt decoder thread panicked")?;
    let _ = err_thread.join();
    let _ = peer_thread.join();
    decoded?;

    let log = std::mem::take(&mut *log.lock().map_err(|_| "log lock poisoned")?);
    let board_code = board_status.map_err(|e| format!("board {}: {e}", board.name))?;
    let peer_code = peer_status.map_err(|e| format!("host-sim serve: {e}"))?;
    if log.is_empty() {
        return Err("no defmt line decoded from the board".into());
    }
    if board_code != 0 || peer_code != 0 {
        return Err(format!("QEMU run failed: board exit code {board_code}, host-sim exit code {peer_code}"));
    }
    let peak_stack = log.iter().find_map(|l| {
        let rest = l.split("stack: peak ").nth(1)?;
        rest.split_whitespace().next()?.parse().ok()
    });
    println!("qemu: {} on {} passed", board.name, bt.triple);
    let peer_log = std::mem::take(&mut *peer_log.lock().map_err(|_| "log lock poisoned")?);
    Ok(QemuRun { peer_log, peak_stack, board_log: log })
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> Result<i32, String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return status.code().ok_or_else(|| format!("killed by a signal ({status})"));
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no exit after {} s; killed", timeout.as_secs()));
        }
        thread::sleep(Duration::from_millis(20));
    }
}
