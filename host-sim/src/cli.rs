//! Command-line shape of `host-sim`.

use clap::{ArgAction, Args, Parser, Subcommand};
use std::path::PathBuf;

/// Reception-terminal simulator.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process; boxing buys nothing")]
pub enum Command {
    /// Run scenario files or folders (without paths: the bundled pack and the built-in checks).
    Run(RunArgs),
    /// Serve a board: answer its link messages over a loopback socket.
    Serve(Box<ServeArgs>),
    /// Write every screen the terminal shows in a scenario as PNG files.
    Render(RenderArgs),
    /// Interactive staff training: play a lesson's scenarios at a simulated counter, scored.
    Train(TrainArgs),
    /// The fault campaign: every scenario with each fault at each point it can happen.
    Faults(FaultsArgs),
    /// List a reception log file's records and the visits per month by basis.
    Log(LogArgs),
}

/// Arguments of `host-sim log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The log file (a flash image written by `run/serve --log` or a board).
    pub file: PathBuf,
}

/// Display layouts to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LayoutArg {
    /// The 128×64 4-bit gray OLED (the QEMU board's display).
    Oled,
    /// The 320×240 colour TFT.
    Tft,
    /// Both, in sub-folders `oled128x64/` and `tft320x240/`.
    Both,
}

/// Arguments of `host-sim render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Folder for the PNG files (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Which display.
    #[arg(long, value_enum, default_value_t = LayoutArg::Tft)]
    pub layout: LayoutArg,
    /// Enlarge each pixel this many times (nearest neighbour).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=8))]
    pub scale: u32,
}

/// Arguments of `host-sim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files or folders (searched recursively for *.toml). Without
    /// paths: the bundled `scenarios/` pack, then the smoke check and the
    /// decision corpus.
    pub paths: Vec<PathBuf>,
    /// Write a report: `--report junit FILE` or `--report json FILE`
    /// (repeatable).
    #[arg(long, num_args = 2, value_names = ["FORMAT", "FILE"], action = ArgAction::Append)]
    pub report: Vec<String>,
    /// Write one text transcript per scenario into this folder.
    #[arg(long, value_name = "DIR")]
    pub transcript: Option<PathBuf>,
    /// Use at most this many threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Append every log record of the visits, in scenario order, to this
    /// reception log file (a flash image; created erased when missing).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

/// Arguments of `host-sim serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Listen on this TCP address (loopback), e.g. 127.0.0.1:0 for any free port.
    #[arg(long, conflicts_with = "unix")]
    pub tcp: Option<String>,
    /// Listen on this unix socket path.
    #[arg(long)]
    pub unix: Option<PathBuf>,
    /// Talk to a board on this serial port instead of listening: the Pico's
    /// USB CDC port (e.g. /dev/ttyACM0) or a UART adapter (115200 8N1).
    #[arg(long, value_name = "PORT", conflicts_with_all = ["tcp", "unix"])]
    pub serial: Option<String>,
    /// Serve one connection, then exit: 0 when the board's answers were right.
    #[arg(long)]
    pub once: bool,
    /// After the corpus, play these scenario files or folders on the board:
    /// each visit is played here and on the board, and the transcripts must
    /// be identical.
    #[arg(long, num_args = 1..)]
    pub scenarios: Vec<PathBuf>,
    /// After the corpus, ask the board for this many timed passes over it.
    #[arg(long)]
    pub bench_rounds: Option<u16>,
    /// Give up on a silent board after this many seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout_secs: u64,
    /// Before the usual checks, feed the board random bytes on its link for
    /// this many seconds: after every burst it must answer a date challenge
    /// right, and it must never restart.
    #[arg(long, value_name = "SECONDS", conflicts_with = "device")]
    pub noise_secs: Option<u64>,
    /// Seed of the noise (the same seed sends the same bytes).
    #[arg(long, default_value_t = 1, requires = "noise_secs")]
    pub noise_seed: u64,
    /// Append every log record the board's terminal produces to this
    /// reception log file (a flash image; created erased when missing).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Device mode: the board runs the terminal with its own screen, keys
    /// and PN532; this side plays the online service, the clerk's PC, the
    /// camera (console on stdin) and, on a second socket, the PN532 with a card.
    #[arg(long, conflicts_with_all = ["scenarios", "bench_rounds", "unix"])]
    pub device: bool,
    /// Device mode: listen for the board's PN532 UART (QEMU's second
    /// `-serial`) on this TCP address (default: any free loopback port).
    #[arg(long, requires = "device")]
    pub pn532_tcp: Option<String>,
    /// Device mode over `--serial`: play the PN532 and its card on this
    /// serial port too (a USB-UART adapter wired to the board's PN532 UART,
    /// for a demo without a real reader or card). Without it, the board
    /// reads real cards with its own PN532.
    #[arg(long, value_name = "PORT", requires_all = ["device", "serial"])]
    pub pn532_serial: Option<String>,
    /// Device mode: the visit date (default: today in Japan).
    #[arg(long, requires = "device")]
    pub date: Option<String>,
    /// Device mode: the facility (clinic, hospital, dental, pharmacy).
    #[arg(long, requires = "device", default_value = "clinic", value_parser = ["clinic", "hospital", "dental", "pharmacy"])]
    pub facility: String,
    /// Device mode: QEMU's QMP socket (to arm the gamepad keys and take screendumps).
    #[arg(long, requires = "device")]
    pub qmp: Option<PathBuf>,
    /// Device mode: write a screendump of each new screen into this folder (needs --qmp).
    #[arg(long, requires = "qmp")]
    pub shots: Option<PathBuf>,
    /// Device mode, screenshot check: play these scenario files or folders
    /// (those that use a card), one board connection each, through QMP key
    /// presses; compare every screen with the host's rendering.
    #[arg(long, num_args = 1.., requires = "qmp")]
    pub play: Vec<PathBuf>,
    /// Device mode, screenshot check: before the first visit, answer every
    /// PN532 command with line noise for this many seconds; the board must
    /// report its reader broken, then working again once the noise stops.
    #[arg(long, value_name = "SECONDS", requires = "play")]
    pub pn532_noise_secs: Option<u64>,
    /// Device mode, screenshot check: keep the screendumps here (default: target/screens).
    #[arg(long, requires = "play")]
    pub screens: Option<PathBuf>,
}

/// `train --web`: default listening address (this computer only).
pub const WEB_DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// `train --web`: default database file, in the working folder.
pub const WEB_DEFAULT_DB: &str = "training.sqlite3";

/// Arguments of `host-sim train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// A lesson folder (with lesson.toml) or a folder of lesson folders
    /// (default: the bundled `scenarios/` pack).
    pub pack: Option<PathBuf>,
    /// Save score sheets (JSON and Markdown) in this folder.
    #[arg(long, value_name = "DIR", default_value = "training-results")]
    pub out: PathBuf,
    /// Serve the training in a browser, for a class, instead of the terminal UI.
    #[arg(long)]
    pub web: bool,
    /// With --web: the address to listen on.
    #[arg(long, value_name = "HOST:PORT", default_value = WEB_DEFAULT_ADDR, requires = "web")]
    pub addr: String,
    /// With --web: the SQLite file of the class's answers (created when missing).
    #[arg(long, value_name = "FILE", default_value = WEB_DEFAULT_DB, requires = "web")]
    pub db: PathBuf,
}

/// Arguments of `host-sim faults`.
#[derive(Debug, Args)]
pub struct FaultsArgs {
    /// Scenario files or folders (default: the bundled pack).
    pub paths: Vec<PathBuf>,
    /// Only every Nth faulted run of each scenario (1: all).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub sample: u64,
}
