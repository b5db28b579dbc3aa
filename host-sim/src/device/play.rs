//! The screenshot check: a bundled scenario's patient actions played on a
//! device-mode board through QEMU key presses (QMP), its card on the
//! virtual PN532, the clerk's and the camera's part over the link. Every
//! new screen is screendumped and compared pixel for pixel with the host's
//! rendering of the screen the board reported, and after each action the
//! board must show the screen the host's own play of the visit shows.

use super::qmp::Qmp;
use super::screenshot::{self, Levels};
use super::session::{BoardEvent, DeviceSession};
use crate::render::screen_name;
use crate::scenario::format::{ActionKind, FaceResult, MethodSpec};
use crate::scenario::load::Scenario;
use crate::scenario::session::{card, play, prologue, serial_of, service};
use crate::virtual_card::VirtualCard;
use firmware::reception::{OwnedForm, State, WireEvent};
use firmware::ui::Screen;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a key stays released before the next press.
const KEY_RELEASED: Duration = Duration::from_millis(200);
/// How long a key press may take to change the screen.
const KEY_SCREEN_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a clerk's entry before the actions may take to change the
/// screen (most change nothing on the reader).
const PROLOGUE_SCREEN_TIMEOUT: Duration = Duration::from_millis(300);
/// How long the board may take to reach the screen the host reached
/// (card reads, query retries at 10 s each).
const SETTLE_TIMEOUT: Duration = Duration::from_secs(45);

/// Whether a scenario puts a card on the reader (the others are skipped).
pub fn uses_card(s: &Scenario) -> bool {
    // A smartphone goes to the general-purpose NFC reader, which the board
    // does not have: phone visits play on the host and in the QEMU scenario
    // agreement run.
    let phone = s.spec.patient.card.as_ref().is_some_and(|c| c.medium.is_phone());
    // The board's five keys type no visual-check password (and its terminal
    // has none configured): those visits play on the host and in the QEMU
    // scenario agreement run.
    let password = s.spec.actions.iter().any(|a| a.action == ActionKind::VisualCheckPassword);
    !phone && !password && s.spec.actions.iter().any(|a| a.action == ActionKind::PlaceCard)
}

/// The board's screen as the host's terminal shows it: the board draws its
/// digit picker where the terminal shows PIN entry.
fn as_terminal_shows(screen: Screen) -> Screen {
    match screen {
        Screen::PinPicker { entered, tries_left, .. } => Screen::PinEntry { entered, tries_left },
        other => other,
    }
}

/// A file-system-friendly id of a scenario.
pub fn scenario_dir(s: &Scenario) -> String {
    s.id().replace(['/', '#'], "_").trim_end_matches(".toml").to_string()
}

/// One scenario on one board.
pub struct Player {
    session: DeviceSession,
    qmp: Qmp,
    dir: PathBuf,
    name: String,
    shots: u32,
    /// Problems found, each naming the scenario and the screen.
    pub failures: Vec<String>,
    /// Screens drawn and compared.
    pub screens: u32,
    closed: bool,
    last_release: Instant,
    /// Every screen reported: sequence number and screen.
    reports: Vec<(u32, Screen)>,
    /// A screendump that differed from the screen reported before it: the
    /// board may already have drawn the next one (an answer of the PN532
    /// crossed the report). Judged when the next screen comes.
    overtaken: Option<Overtaken>,
}

struct Overtaken {
    seq: u32,
    name: String,
    file: PathBuf,
    got: Levels,
    differing: usize,
}

impl Player {
    /// Pumps the session until `stop` says so or `timeout` passes;
    /// screendumps and compares every new screen.
    fn pump(
        &mut self,
        timeout: Duration,
        mut stop: impl FnMut(&BoardEvent, &DeviceSession) -> bool,
    ) -> Result<bool, String> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            let events = self.session.poll()?;
            let mut hit = false;
            for event in &events {
                match event {
                    BoardEvent::Screen { seq, screen } => self.check_screen(*seq, screen)?,
                    BoardEvent::Closed => {
                        self.closed = true;
                        return Ok(false);
                    }
                    _ => {}
                }
                hit |= stop(event, &self.session);
            }
            if hit {
                return Ok(true);
            }
            if events.is_empty() {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        Ok(false)
    }

    fn check_screen(&mut self, seq: u32, screen: &Screen) -> Result<(), String> {
        self.reports.push((seq, *screen));
        self.shots += 1;
        self.screens += 1;
        let name = screen_name(screen);
        let file = self.dir.join(format!("{:03}-{name}.png", self.shots));
        let file = std::path::absolute(&file).map_err(|e| e.to_string())?;
        // The board is paused (its clock stands still) and the PN532 held
        // (no answer changes the screen) while the picture is taken.
        self.session.hold_reader(true);
        let dumped = self.qmp.screendump_paused(&file);
        self.session.hold_reader(false);
        dumped?;
        let got = screenshot::load(&file)?;
        let want = Levels::rendered(screen);
        if let Some(o) = self.overtaken.take() {
            if o.got.differing(&want) == 0 {
                // The earlier picture shows this screen: it was taken late.
                let _ = std::fs::remove_file(&o.file);
            } else {
                self.fail_pixels(o.seq, &o.name, &o.file, o.differing)?;
            }
        }
        let differing = got.differing(&want);
        if differing > 0 {
            self.overtaken = Some(Overtaken { seq, name, file, got, differing });
        }
        Ok(())
    }

    fn fail_pixels(&mut self, seq: u32, name: &str, file: &Path, differing: usize) -> Result<(), String> {
        let expected = file.with_extension("expected.png");
        let rendered = Levels::rendered(&self.reported(seq).unwrap_or(Screen::ReadingCard));
        screenshot::save(&rendered, &expected)?;
        self.failures.push(format!(
            "{}: screen #{seq} ({name}): {differing} pixels differ from the host's rendering ({} vs {})",
            self.name,
            file.display(),
            expected.display()
        ));
        Ok(())
    }

    fn reported(&self, seq: u32) -> Option<Screen> {
        self.reports.iter().find(|(s, _)| *s == seq).map(|(_, screen)| *screen)
    }

    /// Judges a picture still waiting for the next screen (none came).
    fn judge_overtaken(&mut self) -> Result<(), String> {
        if let Some(o) = self.overtaken.take() {
            self.fail_pixels(o.seq, &o.name, &o.file, o.differing)?;
        }
        Ok(())
    }

    /// Presses a key, holds it until the screen it brings arrives (the
    /// board acts on a debounced press, so a busy or starved emulator still
    /// sees it), then releases it and lets the release settle.
    fn tap(&mut self, key: &str) -> Result<(), String> {
        let since = self.last_release.elapsed();
        if since < KEY_RELEASED {
            self.pump(KEY_RELEASED - since, |_, _| false)?;
        }
        self.qmp.key(key, true)?;
        let seen = self.pump(KEY_SCREEN_TIMEOUT, |e, _| matches!(e, BoardEvent::Screen { .. }));
        self.qmp.key(key, false)?;
        self.last_release = Instant::now();
        seen.map(|_| ())
    }

    fn shown(&self) -> Option<Screen> {
        self.session.screen
    }

    /// Waits until the board shows `want` (as the terminal shows it).
    fn settle(&mut self, want: Option<Screen>, after: &str) -> Result<bool, String> {
        let Some(want) = want else { return Ok(true) };
        if self.shown().map(as_terminal_shows) == Some(want) {
            // Let anything already under way arrive, then look again.
            self.pump(Duration::from_millis(150), |_, _| false)?;
            if self.shown().map(as_terminal_shows) == Some(want) {
                return Ok(true);
            }
        }
        let reached = self.pump(SETTLE_TIMEOUT, |_, s| s.screen.map(as_terminal_shows) == Some(want))?;
        if !reached {
            self.failures.push(format!(
                "{}: after {after}: the host shows {} but the board shows {}",
                self.name,
                screen_name(&want),
                self.shown().map_or_else(|| "nothing".into(), |s| screen_name(&s))
            ));
        }
        Ok(reached)
    }

    /// Sends a peripheral event and waits (up to `wait`) for the screen it
    /// brings, so that its screendump is taken before the next input.
    fn peripheral(&mut self, event: WireEvent, wait: Duration) -> Result<(), String> {
        self.session.peripheral(event)?;
        self.pump(wait, |e, _| matches!(e, BoardEvent::Screen { .. }))?;
        Ok(())
    }
}

/// Host screens: after the clerk's prologue, after each action, at the end.
struct Expected {
    after_prologue: Option<Screen>,
    after_action: Vec<Option<Screen>>,
    clerk_decides: bool,
    last: Option<Screen>,
}

fn expected(s: &Scenario) -> Result<Expected, String> {
    let settled = |n: usize| -> Result<Option<Screen>, String> {
        let mut t = s.clone();
        t.spec.actions.truncate(n);
        let session = play(&t).map_err(|e| format!("{}: {e}", s.id()))?;
        Ok(session.screens_before_clerk().last().copied())
    };
    let full = play(s).map_err(|e| format!("{}: {e}", s.id()))?;
    Ok(Expected {
        after_prologue: settled(0)?,
        after_action: (1..=s.spec.actions.len()).map(settled).collect::<Result<_, _>>()?,
        clerk_decides: full.clerk_asked_after.is_some(),
        last: full.counter.screens.last().copied(),
    })
}

/// Boots a visit gets before it fails: a second boot is allowed (and named
/// in the summary) because a heavily loaded machine has twice left a board
/// idle after the card was placed, a failure that did not repeat.
const BOOTS_PER_VISIT: u32 = 2;

/// How long the board may take to report its reader broken under line
/// noise, or working again once the line is clean.
const READER_STATE_TIMEOUT: Duration = Duration::from_secs(15);

/// Line noise on the PN532 UART for `length` before a visit: every command
/// gets random bytes instead of an answer. The board must report its reader
/// broken, and working again once the noise stops. `Ok(false)`: it did not
/// (a failure is recorded).
fn pn532_noise(p: &mut Player, length: Duration) -> Result<bool, String> {
    use crate::virtual_pn532::{FaultAim, Pn532Fault};
    use firmware::domain::ReaderState;
    let started = Instant::now();
    p.session.reader()?.arm(Pn532Fault::Noise, FaultAim::EveryCommand);
    let broken = p.pump(READER_STATE_TIMEOUT.max(length), |e, _| {
        matches!(e, BoardEvent::State { reader: ReaderState::Broken, .. })
    })?;
    let broken_after = started.elapsed();
    p.pump(length.saturating_sub(broken_after), |_, _| false)?;
    let noisy = p.session.log.iter().filter(|l| l.starts_with("pn532: fault noise")).count();
    p.session.reader()?.clear_faults();
    let cleared = Instant::now();
    let working = broken
        && p.pump(READER_STATE_TIMEOUT, |e, _| matches!(e, BoardEvent::State { reader: ReaderState::Working, .. }))?;
    if !broken || !working {
        p.failures.push(format!(
            "{}: PN532 line noise ({noisy} commands answered with noise): the board {}",
            p.name,
            if broken { "did not report its reader working again" } else { "never reported its reader broken" }
        ));
        return Ok(false);
    }
    println!(
        "screens: PN532 line noise before {}: {noisy} commands answered with noise; reader broken after {:.1} s, \
         working again {:.1} s after the noise stopped",
        p.name,
        broken_after.as_secs_f64(),
        cleared.elapsed().as_secs_f64()
    );
    Ok(true)
}

/// Plays `s` on the board on `link` and `pn532` (and `qmp`); screendumps go into
/// `dir`. With `noise`, the PN532 line is noisy that long first
/// ([`pn532_noise`]). Returns the player with its failures (an `Err` is a
/// broken harness: a socket or QMP error).
/// With `log`, the board's log records are appended to that reception log file.
pub fn play_on_board(
    link: TcpStream,
    pn532: TcpStream,
    qmp: Qmp,
    s: &Scenario,
    dir: &Path,
    noise: Option<Duration>,
    log: Option<&Path>,
) -> Result<Player, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let want = expected(s)?;
    let serial = serial_of(&s.id());
    let service = service(&s.spec, &serial).map_err(|e| e.to_string())?;
    let mut session = DeviceSession::new(link, pn532, service, s.built.visit.facility, s.built.visit.date)?;
    if let Some(path) = log {
        session.log_to(path)?;
    }
    let mut p = Player {
        session,
        qmp,
        dir: dir.to_path_buf(),
        name: s.id(),
        shots: 0,
        failures: Vec::new(),
        screens: 0,
        closed: false,
        last_release: Instant::now(),
        reports: Vec::new(),
        overtaken: None,
    };
    // Hello → StartDevice → the idle screen.
    if !p.pump(Duration::from_secs(20), |e, _| matches!(e, BoardEvent::Screen { .. }))? {
        p.failures.push(format!("{}: the board showed no screen after StartDevice", p.name));
        return Ok(p);
    }
    p.qmp.arm_gamepad()?;
    if let Some(length) = noise
        && !pn532_noise(&mut p, length)?
    {
        return finish(p);
    }
    for event in prologue(s) {
        p.peripheral(event, PROLOGUE_SCREEN_TIMEOUT)?;
    }
    if !p.settle(want.after_prologue, "the clerk's entries")? {
        return finish(p);
    }
    let mut card: Option<VirtualCard> = card(&s.spec, &serial).map_err(|e| e.to_string())?;
    let mut form = OwnedForm::default();
    let mut keyed = false;
    // The host's clock runs on from each action: a `wait` lasts from the
    // action before it, not from when the board settled after it.
    let mut acted_at = Instant::now();
    for (i, a) in s.spec.actions.iter().enumerate() {
        let what = format!("action {} ({:?})", i + 1, a.action);
        if a.action != ActionKind::Wait {
            acted_at = Instant::now();
        }
        match a.action {
            ActionKind::PlaceCard => {
                if let Some(c) = card.take() {
                    p.session.reader()?.place_card(c)?;
                }
            }
            ActionKind::RemoveCard => card = p.session.reader()?.remove_card().or(card),
            ActionKind::ChoosePhone | ActionKind::PhoneAuthenticate => {
                // The board has no smartphone key and no general-purpose
                // NFC reader: phone scenarios play on the host and in the
                // QEMU scenario agreement run, not here.
                p.failures.push(format!("{}: {what}: smartphones are not simulated in device mode", p.name));
                return finish(p);
            }
            ActionKind::VisualCheckPassword => {
                p.failures.push(format!(
                    "{}: {what}: the board's keys type no visual-check password (device mode has none configured)",
                    p.name
                ));
                return finish(p);
            }
            ActionKind::Choose => p.tap(if a.method == Some(MethodSpec::Pin) { "right" } else { "left" })?,
            ActionKind::Face => {
                let matched = match a.result {
                    Some(r) => r == FaceResult::Match,
                    None => s.spec.patient.card.as_ref().and_then(|c| c.face_match).unwrap_or(true),
                };
                if matches!(p.shown(), Some(Screen::ChooseAuth { .. })) {
                    p.tap("left")?;
                }
                p.peripheral(WireEvent::FaceResult { matched }, KEY_SCREEN_TIMEOUT)?;
            }
            ActionKind::Pin => {
                if matches!(p.shown(), Some(Screen::ChooseAuth { .. } | Screen::FaceFailed { .. })) {
                    p.tap("right")?;
                }
                if matches!(p.shown(), Some(Screen::PinWrong { .. })) {
                    p.tap("ctrl")?;
                }
                let digits = a.digits.as_ref().map(|d| d.0.clone()).unwrap_or_default();
                for d in digits.bytes().map(|b| b.wrapping_sub(b'0')) {
                    if !matches!(p.shown(), Some(Screen::PinPicker { .. })) {
                        break;
                    }
                    for _ in 0..d {
                        p.tap("up")?;
                    }
                    p.tap("ctrl")?;
                }
                // The VERIFY goes to the card; then, on the last try, the
                // patient confirms.
                p.pump(Duration::from_millis(300), |_, _| false)?;
                if p.shown() == Some(Screen::PinLastTry) {
                    p.tap("left")?;
                }
            }
            ActionKind::Consent => p.tap(if a.answer.unwrap_or(false) { "left" } else { "right" })?,
            ActionKind::Register => {
                // The screen report comes before the state report: either says
                // the reader asks about registration.
                if p.session.state == Some(State::Register) || p.shown() == Some(Screen::NotRegistered) {
                    let yes = a.answer == Some(true);
                    if yes {
                        // Registering at the reader registers the card with the service.
                        p.session.service.db.register_card(&serial);
                    }
                    p.tap(if yes { "left" } else { "right" })?;
                }
            }
            ActionKind::StaffVisualCheck => {
                p.peripheral(WireEvent::StaffVisualCheck, KEY_SCREEN_TIMEOUT)?;
                p.peripheral(WireEvent::StaffIdentityConfirmed, KEY_SCREEN_TIMEOUT)?;
            }
            ActionKind::KeyIn => {
                if let (Some(field), Some(text)) = (a.field, a.text.as_deref()) {
                    keyed |= form.set(field, text);
                }
            }
            ActionKind::OnlineCheckByNumbers => {
                p.peripheral(WireEvent::StaffQueryByNumbers(keyed.then(|| form.clone())), KEY_SCREEN_TIMEOUT)?
            }
            ActionKind::Wait => {
                acted_at += Duration::from_secs(u64::from(a.seconds.unwrap_or(0)));
                p.pump(acted_at.saturating_duration_since(Instant::now()), |_, _| false)?;
            }
        }
        if p.closed || !p.settle(want.after_action.get(i).copied().flatten(), &what)? {
            return finish(p);
        }
    }
    if want.clerk_decides {
        if p.session.state == Some(State::Register) || p.shown() == Some(Screen::NotRegistered) {
            p.tap("right")?;
        } else {
            p.peripheral(WireEvent::StaffDecide, KEY_SCREEN_TIMEOUT)?;
        }
    }
    p.settle(want.last, "the clerk's decision")?;
    finish(p)
}

fn finish(mut p: Player) -> Result<Player, String> {
    p.judge_overtaken()?;
    if p.session.unsaved_on_board > 0 {
        let n = p.session.unsaved_on_board;
        p.failures.push(format!("{}: the board could not store {n} log record(s) in its own flash", p.name));
    }
    if !p.closed {
        let ok = p.failures.is_empty();
        p.session.done(ok)?;
        p.pump(Duration::from_secs(5), |e, _| *e == BoardEvent::Closed)?;
    }
    Ok(p)
}

/// How [`serve_play`] plays.
#[derive(Debug, Clone, Copy)]
pub struct PlayOptions<'a> {
    /// The screendumps' folder.
    pub out: &'a Path,
    /// How long to wait for the board to connect.
    pub timeout: Duration,
    /// Line noise on the PN532 UART before the first visit, this long.
    pub noise: Option<Duration>,
    /// The reception log file the board's records are appended to.
    pub log: Option<&'a Path>,
}

/// `host-sim serve --device --play PATHS --screens DIR`: one board per
/// scenario that uses a card (QEMU restarted by the caller for each), in
/// order; a summary at the end. With `noise`, the first visit starts with
/// that long of line noise on the PN532 UART. `Err` when anything failed.
pub fn serve_play(
    link: &std::net::TcpListener,
    pn532: &std::net::TcpListener,
    qmp_path: &Path,
    paths: &[PathBuf],
    options: &PlayOptions<'_>,
) -> Result<(), String> {
    let PlayOptions { out, timeout, noise, log } = *options;
    use crate::scenario::load::{discover, load_file};
    let found = discover(paths);
    let mut errors: Vec<String> = found.errors.iter().map(ToString::to_string).collect();
    let mut scenarios = Vec::new();
    for file in &found.files {
        match load_file(file) {
            Ok(list) => scenarios.extend(list),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let (with_card, without): (Vec<_>, Vec<_>) = scenarios.into_iter().partition(uses_card);
    println!(
        "screens: {} visits use a card and are played on the board; {} without a card are skipped",
        with_card.len(),
        without.len()
    );
    let mut failures = Vec::new();
    let mut screens = 0;
    let mut second_boot = Vec::new();
    for (i, s) in with_card.iter().enumerate() {
        for attempt in 1..=BOOTS_PER_VISIT {
            let started = Instant::now();
            let l = super::serve::accept(link, "link", timeout)?;
            let p = super::serve::accept(pn532, "PN532", timeout)?;
            let qmp = Qmp::connect(qmp_path, Duration::from_secs(10))?;
            // Line noise on the PN532 before the first visit only.
            let player = play_on_board(l, p, qmp, s, &out.join(scenario_dir(s)), noise.filter(|_| i == 0), log)?;
            screens += player.screens;
            let took = started.elapsed().as_secs_f64();
            if !player.failures.is_empty() && attempt < BOOTS_PER_VISIT {
                // Reported, never hidden: the summary names every visit that
                // needed another boot.
                println!("screens: retry {} after boot {attempt} ({} screens, {took:.1} s):", s.id(), player.screens);
                for f in &player.failures {
                    println!("screens:   boot {attempt}: {f}");
                }
                continue;
            }
            let verdict = if player.failures.is_empty() { "ok" } else { "FAILED" };
            println!("screens: {verdict} {} ({} screens, {took:.1} s, boot {attempt})", s.id(), player.screens);
            for f in &player.failures {
                println!("screens:   {f}");
            }
            if attempt > 1 && player.failures.is_empty() {
                second_boot.push(s.id());
            }
            failures.extend(player.failures);
            break;
        }
    }
    println!(
        "screens-done: {} visits, {screens} screens compared, {} failures, {} errors, {} passed only on a second boot{}",
        with_card.len(),
        failures.len(),
        errors.len(),
        second_boot.len(),
        if second_boot.is_empty() { String::new() } else { format!(" ({})", second_boot.join(", ")) }
    );
    for e in &errors {
        println!("screens: error: {e}");
    }
    if failures.is_empty() && errors.is_empty() {
        Ok(())
    } else {
        Err("the board's screens did not match the host's".into())
    }
}
