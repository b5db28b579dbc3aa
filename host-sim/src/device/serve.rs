//! `host-sim serve --device`: the peer of a board in device mode, driven by
//! the operator's console (the demo) or by the screenshot check.

use super::cards;
use super::console::{self, ConsoleCommand};
use super::pn532_port::Pn532Port;
use super::qmp::Qmp;
use super::session::{BoardEvent, DeviceSession, SerialWire, Wire};
use crate::cli::ServeArgs;
use crate::render::screen_name;
use crate::virtual_pn532::FaultAim;
use firmware::domain::{Facility, FacilityKind, NetworkState, ReaderState};
use firmware::reception::WireEvent;
use std::io::{BufRead, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Binds a loopback listener.
pub fn listen(addr: &str) -> Result<TcpListener, String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    if !local.ip().is_loopback() {
        return Err(format!("refusing to serve on non-loopback address {local}"));
    }
    Ok(listener)
}

/// Accepts one connection, giving up after `timeout`.
pub fn accept(listener: &TcpListener, what: &str, timeout: Duration) -> Result<TcpStream, String> {
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let start = std::time::Instant::now();
    loop {
        match listener.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).map_err(|e| e.to_string())?;
                return Ok(s);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if start.elapsed() > timeout {
                    return Err(format!("no board connected to the {what} socket within {} s", timeout.as_secs()));
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(format!("{what} socket: {e}")),
        }
    }
}

/// Today's date in Japan (UTC+9), from the system clock.
pub fn today_jst() -> chrono::NaiveDate {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = (secs + 9 * 3600) / 86_400;
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}

/// Screendumps taken on each new screen, numbered in order.
pub struct Shots {
    dir: PathBuf,
    taken: u32,
}

impl Shots {
    /// Writes into `dir` (created).
    pub fn new(dir: PathBuf) -> Result<Self, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Self { dir, taken: 0 })
    }

    /// Takes the picture of the screen on show through `qmp`; returns its file.
    pub fn take(&mut self, qmp: &mut Qmp, name: &str) -> Result<PathBuf, String> {
        self.taken += 1;
        let file = self.dir.join(format!("{:03}-{name}.png", self.taken));
        let file = std::path::absolute(&file).map_err(|e| e.to_string())?;
        qmp.screendump(&file)?;
        Ok(file)
    }
}

fn facility(args: &ServeArgs) -> Facility {
    Facility {
        kind: match args.facility.as_str() {
            "hospital" => FacilityKind::Hospital,
            "dental" => FacilityKind::Dental,
            "pharmacy" => FacilityKind::Pharmacy,
            _ => FacilityKind::Clinic,
        },
        online_capable: true,
        reader: ReaderState::Working,
        network: NetworkState::Up,
        phone_reader: false,
    }
}

/// The board's link, and its PN532 UART when this side plays the reader.
type Wires = (Box<dyn Wire>, Option<Pn532Port>);

/// Listens for the board's link and PN532 sockets and says where.
fn listeners(args: &ServeArgs) -> Result<(TcpListener, TcpListener), String> {
    let link = listen(args.tcp.as_deref().unwrap_or("127.0.0.1:0"))?;
    let pn532 = listen(args.pn532_tcp.as_deref().unwrap_or("127.0.0.1:0"))?;
    println!("listening on tcp:{}", link.local_addr().map_err(|e| e.to_string())?);
    println!("pn532 listening on tcp:{}", pn532.local_addr().map_err(|e| e.to_string())?);
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    Ok((link, pn532))
}

/// Opens the board's wires: the link and the PN532 on serial ports
/// (`--serial`, `--pn532-serial`), or two loopback sockets the board
/// connects to (QEMU's two `-serial`).
fn wires(args: &ServeArgs) -> Result<Wires, String> {
    let timeout = Duration::from_secs(args.timeout_secs);
    if let Some(port) = &args.serial {
        let link = crate::serial_link::open(port, Duration::ZERO)?;
        println!("serving serial:{port}");
        let pn532 = match &args.pn532_serial {
            Some(p) => {
                let port = Pn532Port::serial(crate::serial_link::open(p, Duration::from_millis(5))?)?;
                println!("pn532 on serial:{p}");
                Some(port)
            }
            None => {
                println!("no virtual reader: the board reads cards with its own PN532");
                None
            }
        };
        std::io::stdout().flush().map_err(|e| e.to_string())?;
        return Ok((Box::new(SerialWire(link)), pn532));
    }
    let (link, pn532) = listeners(args)?;
    let link = accept(&link, "link", timeout)?;
    let pn532 = accept(&pn532, "PN532", timeout)?;
    link.set_nonblocking(true).map_err(|e| e.to_string())?;
    link.set_nodelay(true).map_err(|e| e.to_string())?;
    Ok((Box::new(link), Some(Pn532Port::start(pn532)?)))
}

/// Serves one board in device mode with the console on stdin.
pub fn serve_device(args: &ServeArgs) -> Result<(), String> {
    if !args.play.is_empty() {
        if args.serial.is_some() {
            return Err("--play presses QEMU's keys through QMP: it cannot drive a board on a serial port".into());
        }
        let (link, pn532) = listeners(args)?;
        let qmp = args.qmp.as_deref().ok_or("--play needs --qmp")?;
        let out = args.screens.clone().unwrap_or_else(|| PathBuf::from("target/screens"));
        let timeout = Duration::from_secs(args.timeout_secs);
        let noise = args.pn532_noise_secs.map(Duration::from_secs);
        let options = super::play::PlayOptions { out: &out, timeout, noise, log: args.log.as_deref() };
        return super::play::serve_play(&link, &pn532, qmp, &args.play, &options);
    }
    let (link, pn532) = wires(args)?;
    let date = match &args.date {
        Some(d) => firmware::domain::parse_date(d).map_err(|e| format!("--date {d:?}: {e}"))?,
        None => today_jst(),
    };
    let mut session = DeviceSession::over(link, pn532, cards::service()?, facility(args), date);
    if let Some(path) = &args.log {
        session.log_to(path)?;
    }
    let mut qmp = match &args.qmp {
        Some(path) => Some(Qmp::connect(path, Duration::from_secs(10))?),
        None => None,
    };
    if let Some(q) = qmp.as_mut() {
        q.arm_gamepad()?;
    }
    let mut shots = match (&args.shots, &qmp) {
        (Some(dir), Some(_)) => Some(Shots::new(dir.clone())?),
        (Some(_), None) => return Err("--shots needs --qmp".into()),
        _ => None,
    };
    println!("visit date {date}; type `help` for the console commands");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Keys typed on the console, pressed one at a time so that each
    // screen they bring can be shown (and screendumped) before the next.
    let mut pending_keys: std::collections::VecDeque<&str> = Default::default();
    let mut last_key = std::time::Instant::now();
    loop {
        if let (Some(q), true) = (qmp.as_mut(), last_key.elapsed() > Duration::from_millis(250))
            && let Some(k) = pending_keys.pop_front()
        {
            q.tap(k)?;
            last_key = std::time::Instant::now();
        }
        for event in session.poll()? {
            match event {
                BoardEvent::Closed => {
                    println!("board: gone");
                    return Ok(());
                }
                BoardEvent::Started { board } => println!("board: {board} started in device mode"),
                BoardEvent::Screen { seq, screen } => {
                    let name = screen_name(&screen);
                    match (shots.as_mut(), qmp.as_mut()) {
                        (Some(s), Some(q)) => {
                            session.hold_reader(true);
                            let file = s.take(q, &name);
                            session.hold_reader(false);
                            println!("screen {seq}: {name} -> {}", file?.display());
                        }
                        _ => println!("screen {seq}: {name}"),
                    }
                }
                BoardEvent::State { state, reader } => println!("state: {state:?} (reader {reader:?})"),
                BoardEvent::Decided => println!("board: visit decided"),
            }
        }
        for line in session.log.drain(..) {
            if !line.starts_with("pn532: InDataExchange") && !line.contains("Diagnose") {
                println!("{line}");
            }
        }
        match rx.try_recv() {
            Ok(line) => match console::parse(&line) {
                Ok(Some(ConsoleCommand::Quit)) => {
                    session.done(true)?;
                    return Ok(());
                }
                Ok(Some(ConsoleCommand::Keys(keys))) => match qmp {
                    Some(_) => pending_keys.extend(keys),
                    None => println!("keys need QEMU's QMP socket (--qmp)"),
                },
                Ok(Some(command)) => run_command(&mut session, command, date)?,
                Ok(None) => {}
                Err(e) => println!("{e}"),
            },
            Err(mpsc::TryRecvError::Empty) => std::thread::sleep(Duration::from_millis(2)),
            Err(mpsc::TryRecvError::Disconnected) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

fn run_command(session: &mut DeviceSession, command: ConsoleCommand, date: chrono::NaiveDate) -> Result<(), String> {
    match command {
        ConsoleCommand::Place(_) | ConsoleCommand::Remove | ConsoleCommand::Fault { .. } | ConsoleCommand::FaultOff
            if !session.plays_reader() =>
        {
            println!("this board reads cards with its own PN532: place or remove a real card on it");
        }
        ConsoleCommand::Place(card) => {
            session.reader()?.place_card(card.card(date)?)?;
            println!("card {card} placed ({})", card.describe());
        }
        ConsoleCommand::Remove => match session.reader()?.remove_card() {
            Some(_) => println!("card removed"),
            None => println!("no card on the reader"),
        },
        ConsoleCommand::Face { matched } => session.peripheral(WireEvent::FaceResult { matched })?,
        ConsoleCommand::Visual => {
            session.peripheral(WireEvent::StaffVisualCheck)?;
            session.peripheral(WireEvent::StaffIdentityConfirmed)?;
        }
        ConsoleCommand::Decide => session.peripheral(WireEvent::StaffDecide)?,
        ConsoleCommand::Cancel => session.peripheral(WireEvent::StaffCancel)?,
        ConsoleCommand::Network { up } => {
            let network = if up { NetworkState::Up } else { NetworkState::Down };
            session.peripheral(WireEvent::Equipment { reader: ReaderState::Working, network })?;
            println!("network {}", if up { "on" } else { "off" });
        }
        ConsoleCommand::Fault { fault, every } => {
            let aim = if every { FaultAim::EveryCommand } else { FaultAim::DataExchange { skip: 0, times: 1 } };
            session.reader()?.arm(fault, aim);
            println!("PN532 fault {fault} armed{}", if every { " on every command" } else { " on the next APDU" });
        }
        ConsoleCommand::FaultOff => {
            session.reader()?.clear_faults();
            println!("PN532 faults disarmed");
        }
        ConsoleCommand::Help => print!("{}", console::help()),
        ConsoleCommand::Quit | ConsoleCommand::Keys(_) => {}
    }
    Ok(())
}
