//! The board as a device under QEMU: `cargo xtask demo` (a person plays the
//! patient with the keyboard and the console) and `cargo xtask qemu
//! --screens DIR` (the screenshot check). Both run the board's image with
//! two UARTs to `host-sim serve --device` (UART0 the link, UART1 the
//! virtual PN532) and QMP for keys and screendumps.

use crate::boards::{Board, BoardTarget};
use crate::defmt_log::decode_stream;
use crate::root::workspace;
use crate::toolchain;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The board and target the device runs on.
/// `-icount` shift of the device runs: 16 ns an instruction. The bench's
/// shift 10 (1 µs) makes a full-screen draw take half a second of the
/// board's time, and the card and query timeouts fire mid-visit.
pub const DEVICE_ICOUNT_SHIFT: u32 = 4;

/// Plays `scenarios` on the device under `-icount` (for `cargo xtask
/// bench`) and returns the board's log lines of every boot.
pub fn icount_visits(scenarios: &[PathBuf]) -> Result<Vec<String>, String> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    run_screens(&workspace().join("target/bench-screens"), scenarios, Some(Arc::clone(&lines)))?;
    let lines = lines.lock().map(|l| l.clone()).unwrap_or_default();
    Ok(lines)
}

fn device_board() -> Result<(&'static Board, &'static BoardTarget), String> {
    let board = Board::find("qemu-lm3s6965")?;
    Ok((board, &board.targets[0]))
}

/// Starts `host-sim serve --device` with `args`; returns it, its stdout and
/// the link and PN532 addresses it listens on.
fn start_peer(args: &[&str], stdin: Stdio) -> Result<(Child, BufReader<ChildStdout>, String, String), String> {
    let mut cmd = Command::new(workspace().join("target/debug/host-sim"));
    cmd.args(["serve", "--device", "--tcp", "127.0.0.1:0", "--pn532-tcp", "127.0.0.1:0"]).args(args);
    let mut peer =
        cmd.stdin(stdin).stdout(Stdio::piped()).spawn().map_err(|e| format!("cannot start host-sim: {e}"))?;
    let mut out = BufReader::new(peer.stdout.take().ok_or("host-sim stdout")?);
    let mut addr = |prefix: &str| -> Result<String, String> {
        let mut line = String::new();
        out.read_line(&mut line).map_err(|e| e.to_string())?;
        line.trim()
            .strip_prefix(prefix)
            .map(str::to_string)
            .ok_or_else(|| format!("host-sim serve --device did not say where it listens: {line:?}"))
    };
    let link = addr("listening on tcp:")?;
    let pn532 = addr("pn532 listening on tcp:")?;
    Ok((peer, out, link, pn532))
}

/// A QEMU command for the device: both UARTs to host-sim, QMP on `qmp`.
/// How QEMU runs the device.
#[derive(Clone, Copy)]
enum Mode {
    /// With a window for a person.
    Window,
    /// Headless.
    Headless,
    /// Headless, counting instructions (`-icount`).
    Icount,
}

fn qemu(board: &Board, bt: &BoardTarget, elf: &Path, link: &str, pn532: &str, qmp: &Path, mode: Mode) -> Command {
    let window = matches!(mode, Mode::Window);
    let mut cmd = Command::new("qemu-system-arm");
    if matches!(mode, Mode::Icount) {
        // Instruction counting for `cargo xtask bench`; sleep=on keeps the
        // board's clock on real time while it waits for keys and the host.
        cmd.args(["-icount", &format!("shift={DEVICE_ICOUNT_SHIFT},align=off,sleep=on")]);
    }
    cmd.args(["-machine", board.machine, "-cpu", bt.cpu, "-monitor", "none"]);
    if !window {
        cmd.args(["-display", "none"]);
    }
    cmd.args(["-semihosting-config", "enable=on,target=native"])
        .args(["-serial", &format!("tcp:{link}"), "-serial", &format!("tcp:{pn532}")])
        .args(["-qmp", &format!("unix:{},server=on,wait=off", qmp.display())])
        .arg("-kernel")
        .arg(elf);
    cmd
}

/// Log lines shared with the thread that collects them.
type SharedLines = Arc<Mutex<Vec<String>>>;

/// Decodes the board's defmt output in a thread into `lines` (and prints
/// each with `echo`).
fn board_log(child: &mut Child, elf: &Path, echo: bool) -> Result<(SharedLines, thread::JoinHandle<()>), String> {
    let elf_bytes = std::fs::read(elf).map_err(|e| format!("cannot read {}: {e}", elf.display()))?;
    let stdout = child.stdout.take().ok_or("qemu stdout")?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let w = Arc::clone(&lines);
    let handle = thread::spawn(move || {
        let _ = decode_stream(&elf_bytes, stdout, |line| {
            if echo {
                println!("  [board] {line}");
            }
            w.lock().map(|mut l| l.push(line)).ok();
        });
    });
    Ok((lines, handle))
}

fn build() -> Result<(&'static Board, &'static BoardTarget, PathBuf), String> {
    let (board, bt) = device_board()?;
    let tc = toolchain::detect()?;
    let elf = board.build(tc, bt.triple)?;
    crate::qemu::build_host_sim()?;
    Ok((board, bt, elf))
}

/// `cargo xtask demo`.
pub fn demo() -> Result<(), String> {
    let (board, bt, elf) = build()?;
    let window = std::env::var_os("DISPLAY").is_some_and(|v| !v.is_empty())
        || std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty());
    let shots = workspace().join("target/demo-screens");
    let qmp = std::env::temp_dir().join(format!("reception-demo-{}.qmp", std::process::id()));
    let _ = std::fs::remove_file(&qmp);
    let qmp_arg = qmp.display().to_string();
    let mut args = vec!["--qmp", &qmp_arg, "--timeout-secs", "30"];
    let shots_arg = shots.display().to_string();
    if window {
        println!("demo: QEMU opens a window: the arrow keys and Ctrl are the board's gamepad (click into it first)");
    } else {
        println!("demo: no display ($DISPLAY / $WAYLAND_DISPLAY unset): QEMU runs headless and every new screen");
        println!("demo: is saved as a QMP screendump in {}", shots.display());
        args.extend(["--shots", &shots_arg]);
    }
    let (mut peer, out, link, pn532) = start_peer(&args, Stdio::inherit())?;
    let echo = thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            println!("{line}");
        }
    });
    let mode = if window { Mode::Window } else { Mode::Headless };
    let log_dir = workspace().join("target/demo-log");
    std::fs::create_dir_all(&log_dir).map_err(|e| format!("cannot create {}: {e}", log_dir.display()))?;
    println!("demo: the board keeps its reception log in {}/reception-log.img (host-sim log FILE)", log_dir.display());
    let mut qemu_child = qemu(board, bt, &elf, &link, &pn532, &qmp, mode)
        .current_dir(&log_dir)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start qemu-system-arm: {e}"))?;
    let (_, log) = board_log(&mut qemu_child, &elf, false)?;
    let status = peer.wait().map_err(|e| e.to_string())?;
    thread::sleep(Duration::from_millis(500));
    let _ = qemu_child.kill();
    let _ = qemu_child.wait();
    let _ = log.join();
    let _ = echo.join();
    let _ = std::fs::remove_file(&qmp);
    if status.success() { Ok(()) } else { Err(format!("host-sim serve --device ended with {status}")) }
}

/// Seconds of line noise on the PN532 UART before the first visit of the
/// screenshot check (the board must report its reader broken, then working).
const PN532_NOISE_SECONDS: u64 = 5;

/// `cargo xtask qemu --screens DIR`: every bundled scenario that uses a
/// card (or those under `only`), one QEMU boot each.
pub fn screens(dir: &Path, only: &[PathBuf]) -> Result<(), String> {
    run_screens(dir, only, None)
}

/// [`screens`]; with `keep`, under `-icount`, keeping every boot's board log there.
fn run_screens(dir: &Path, only: &[PathBuf], keep: Option<SharedLines>) -> Result<(), String> {
    let (board, bt, elf) = build()?;
    let started = Instant::now();
    let dir = if dir.is_absolute() { dir.to_path_buf() } else { workspace().join(dir) };
    let qmp = std::env::temp_dir().join(format!("reception-screens-{}.qmp", std::process::id()));
    let qmp_arg = qmp.display().to_string();
    let dir_arg = dir.display().to_string();
    let scenarios: Vec<String> = if only.is_empty() {
        vec![workspace().join("scenarios").display().to_string()]
    } else {
        only.iter().map(|p| p.display().to_string()).collect()
    };
    let noise = PN532_NOISE_SECONDS.to_string();
    // The board's own reception log and the host's log of the same visits.
    let log = crate::log_check::LogCheck::prepare()?;
    let host_log = log.host_file().display().to_string();
    let mut args = vec![
        "--qmp",
        &qmp_arg,
        "--screens",
        &dir_arg,
        "--timeout-secs",
        "30",
        "--pn532-noise-secs",
        &noise,
        "--log",
        &host_log,
        "--play",
    ];
    args.extend(scenarios.iter().map(String::as_str));
    let (mut peer, out, link, pn532) = start_peer(&args, Stdio::null())?;
    let failed = Arc::new(Mutex::new(false));
    let failed_w = Arc::clone(&failed);
    let echo = thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if line.contains("FAILED") {
                failed_w.lock().map(|mut f| *f = true).ok();
            }
            println!("  [host-sim] {line}");
        }
    });
    let mut boots = 0;
    loop {
        if peer.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        let _ = std::fs::remove_file(&qmp);
        let mode = if keep.is_some() { Mode::Icount } else { Mode::Headless };
        let mut child = qemu(board, bt, &elf, &link, &pn532, &qmp, mode)
            .current_dir(log.board_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start qemu-system-arm: {e}"))?;
        boots += 1;
        let (lines, log) = board_log(&mut child, &elf, false)?;
        let code = wait(&mut child, Duration::from_secs(150));
        let _ = log.join();
        if let Some(keep) = &keep {
            let got = lines.lock().map(|l| l.clone()).unwrap_or_default();
            keep.lock().map(|mut k| k.extend(got)).ok();
        }
        if code != Some(0) && peer.try_wait().map_err(|e| e.to_string())?.is_none() {
            println!("  [qemu] board run {boots} ended with {code:?}; its last log lines:");
            let lines = lines.lock().map(|l| l.clone()).unwrap_or_default();
            for l in lines.iter().rev().take(20).rev() {
                println!("  [board] {l}");
            }
        }
    }
    let status = peer.wait().map_err(|e| e.to_string())?;
    let _ = echo.join();
    let _ = std::fs::remove_file(&qmp);
    println!(
        "qemu --screens: {boots} board boots in {:.0} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    let any_failed = failed.lock().map(|f| *f).unwrap_or(true);
    if !status.success() || any_failed {
        return Err(format!(
            "the screenshot check failed (host-sim: {status}); see the lines above and {}",
            dir.display()
        ));
    }
    println!("{}", log.compare()?);
    Ok(())
}

fn wait(child: &mut Child, timeout: Duration) -> Option<i32> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(_) => return None,
        }
    }
}

/// Visits whose time goes to the online service's timeouts and retries
/// (10 s each, up to 3 attempts): 25-35 s apiece on the board, screens
/// already covered by the other visits. `cargo xtask test` leaves them out
/// to stay within its time budget; `cargo xtask qemu --screens` plays them.
pub const SLOW_SCENARIOS: [&str; 4] = [
    "06-system-failure/03-service-timeout.toml",
    "06-system-failure/08-garbled-frames.toml",
    "06-system-failure/09-timeout-certificate-fallback.toml",
    "06-system-failure/13-garbled-every-attempt.toml",
];

/// The scenario files and folders `cargo xtask test` checks: every bundled
/// one but [`SLOW_SCENARIOS`].
pub fn ci_scenarios() -> Result<Vec<PathBuf>, String> {
    let root = workspace().join("scenarios");
    let mut out = Vec::new();
    let mut lessons: Vec<_> = std::fs::read_dir(&root)
        .map_err(|e| format!("cannot read {}: {e}", root.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    lessons.sort();
    for lesson in lessons {
        let name = lesson.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !SLOW_SCENARIOS.iter().any(|s| s.starts_with(&format!("{name}/"))) {
            out.push(lesson);
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(&lesson)
            .map_err(|e| format!("cannot read {}: {e}", lesson.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("lesson.toml"))
            .filter(|p| {
                let file = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                !SLOW_SCENARIOS.contains(&format!("{name}/{file}").as_str())
            })
            .collect();
        files.sort();
        out.extend(files);
    }
    Ok(out)
}
