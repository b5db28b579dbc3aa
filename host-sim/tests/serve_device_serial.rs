//! `host-sim serve --device --serial LINK --pn532-serial PN532`, as for a
//! Raspberry Pi Pico on a desk, against the board's own device loop
//! (`boards/device`, compiled for the host) at the other end of two
//! pseudo-terminal pairs: the link (the Pico's USB CDC port) and the PN532
//! UART (a USB-UART adapter in place of the reader, host-sim playing the
//! PN532 and the card). The operator types on host-sim's console, the
//! patient presses the board's keys; one whole visit with a PIN, from the
//! card on the reader to the result screen.
#![cfg(unix)]

use device::buttons::{Buttons, Key};
use device::pn532::Reader;
use device::{Device, Panel, Uplink};
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::ui::Screen;
use std::convert::Infallible;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/pty.rs"]
mod pty;
use pty::pty;

/// Bytes read from `file` by a thread, for polling without blocking.
fn reader_thread(mut file: File) -> Receiver<Vec<u8>> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n) = file.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

/// The PN532 UART of the board: the pty to host-sim's virtual PN532.
struct Uart {
    out: File,
    incoming: Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

impl Uart {
    fn fill(&mut self) {
        while let Ok(bytes) = self.incoming.try_recv() {
            self.pending.extend(bytes);
        }
    }
}

impl embedded_io::ErrorType for Uart {
    type Error = Infallible;
}
impl embedded_io::ReadReady for Uart {
    fn read_ready(&mut self) -> Result<bool, Infallible> {
        self.fill();
        Ok(!self.pending.is_empty())
    }
}
impl embedded_io::Read for Uart {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Infallible> {
        self.fill();
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}
impl embedded_io::Write for Uart {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        self.out.write_all(buf).expect("PN532 pty write");
        Ok(buf.len())
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

/// The link: frames to host-sim over the link pty.
struct Link {
    out: File,
    seq: u8,
}

impl Uplink for Link {
    type Error = Infallible;
    fn send(&mut self, message: &Message) -> Result<(), Infallible> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire).expect("encodes");
        self.seq = self.seq.wrapping_add(1);
        self.out.write_all(&wire[..n]).expect("link pty write");
        Ok(())
    }
}

/// The display: remembers what it showed.
#[derive(Clone, Default)]
struct Shown(Arc<Mutex<Vec<Screen>>>);

impl Panel for Shown {
    type Error = Infallible;
    fn show(&mut self, screen: &Screen) -> Result<(), Infallible> {
        self.0.lock().expect("lock").push(*screen);
        Ok(())
    }
}

/// A key to ground with a pull-up: low while pressed.
struct Pin {
    pressed: Arc<AtomicU8>,
    bit: u8,
}

impl embedded_hal::digital::ErrorType for Pin {
    type Error = Infallible;
}
impl embedded_hal::digital::InputPin for Pin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.pressed.load(Ordering::SeqCst) & self.bit == 0)
    }
    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(self.pressed.load(Ordering::SeqCst) & self.bit != 0)
    }
}

type Board = Device<Shown, Uart, Pin, Link, device::ForwardOnly>;

/// The board: its parts before `StartDevice`, its loop after.
struct Desk {
    start: Instant,
    link_in: Receiver<Vec<u8>>,
    frames: FrameReader,
    parts: Option<(Shown, Reader<Uart>, Buttons<Pin>, Link)>,
    board: Option<Board>,
    keys: Arc<AtomicU8>,
    done: Option<bool>,
}

impl Desk {
    fn ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    /// One pass of the board's loop: link messages, keys, reader, timers.
    fn step(&mut self) {
        let now = self.ms();
        while let Ok(bytes) = self.link_in.try_recv() {
            for byte in bytes {
                let Some(frame) = self.frames.push(byte) else { continue };
                let (_, message) = frame.expect("host-sim sends good frames");
                match (message, self.board.as_mut()) {
                    (Message::StartDevice { facility, now: at }, None) => {
                        let (panel, reader, buttons, link) = self.parts.take().expect("parts");
                        let mut board =
                            Device::new(facility, at, now, panel, reader, buttons, link, device::ForwardOnly);
                        board.start(now).expect("start");
                        self.board = Some(board);
                    }
                    (Message::Done { ok }, _) => self.done = Some(ok),
                    (message, Some(board)) => {
                        board.on_message(now, &message).expect("on_message");
                    }
                    (other, None) => panic!("{} before StartDevice", other.kind()),
                }
            }
        }
        if let Some(board) = self.board.as_mut() {
            board.step(now).expect("step");
        }
        std::thread::sleep(Duration::from_millis(2));
    }

    fn shown(&self) -> Option<Screen> {
        self.board.as_ref().and_then(|b| b.shown().copied())
    }

    /// Holds `key` down long enough to pass the debouncer, then lets go.
    fn press(&mut self, key: Key) {
        let bit = 1 << Key::ALL.iter().position(|k| *k == key).unwrap_or(0);
        self.keys.fetch_or(bit, Ordering::SeqCst);
        self.run_for(60);
        self.keys.fetch_and(!bit, Ordering::SeqCst);
        self.run_for(60);
    }

    fn run_for(&mut self, ms: u64) {
        let until = self.ms() + ms;
        while self.ms() < until {
            self.step();
        }
    }

    /// Steps until `want` holds for the screen on show (10 s at most).
    fn until(&mut self, what: &str, host: &Console, mut want: impl FnMut(&Screen) -> bool) -> Screen {
        let deadline = self.ms() + 10_000;
        while self.ms() < deadline {
            self.step();
            if let Some(s) = self.shown().filter(|s| want(s)) {
                return s;
            }
        }
        panic!("no {what} screen; showing {:?}\nhost-sim said:\n{}", self.shown(), host.said());
    }
}

/// host-sim's console: stdin to type on, stdout collected.
struct Console {
    child: Child,
    out: Arc<Mutex<String>>,
}

impl Console {
    fn type_line(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("console");
    }
    fn said(&self) -> String {
        self.out.lock().expect("lock").clone()
    }
}

#[test]
fn a_pin_visit_over_serial_ports_from_card_to_result() {
    let (link, pn532) = (pty(), pty());
    let mut child = Command::new(env!("CARGO_BIN_EXE_host-sim"))
        .args(["serve", "--device", "--date", "2026-11-30", "--timeout-secs", "20", "--serial"])
        .arg(&link.path)
        .arg("--pn532-serial")
        .arg(&pn532.path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("host-sim starts");
    let out = Arc::new(Mutex::new(String::new()));
    let stdout = child.stdout.take().expect("stdout");
    let sink = out.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            sink.lock().expect("lock").push_str(&(line + "\n"));
        }
    });
    let mut host = Console { child, out };

    let keys = Arc::new(AtomicU8::new(0));
    let pins = [0u8, 1, 2, 3, 4].map(|i| Pin { pressed: keys.clone(), bit: 1 << i });
    let uart = Uart {
        out: pn532.master.try_clone().expect("clone"),
        incoming: reader_thread(pn532.master),
        pending: Vec::new(),
    };
    let shown = Shown::default();
    let mut link_out = Link { out: link.master.try_clone().expect("clone"), seq: 0 };
    // The board greets first, as the Pico does when the host opens its port.
    let hello = Message::Hello {
        board: heapless::String::try_from("pico-on-host").unwrap_or_default(),
        firmware: heapless::String::try_from(firmware::VERSION).unwrap_or_default(),
    };
    link_out.send(&hello).expect("hello");
    let mut desk = Desk {
        start: Instant::now(),
        link_in: reader_thread(link.master),
        frames: FrameReader::new(),
        parts: Some((shown.clone(), Reader::new(uart), Buttons::new(pins), link_out)),
        board: None,
        keys,
        done: None,
    };

    desk.until("idle", &host, |s| matches!(s, Screen::Idle { .. }));
    host.type_line("place valid");
    desk.until("choose-auth", &host, |s| matches!(s, Screen::ChooseAuth { pin_allowed: true }));
    desk.press(Key::Right); // 暗証番号
    // PIN 1234 on the digit picker: ↑ to the digit, select to enter it.
    for (i, digit) in [1u8, 2, 3, 4].into_iter().enumerate() {
        desk.until(
            "PIN picker",
            &host,
            |s| matches!(s, Screen::PinPicker { entered, .. } if usize::from(*entered) == i),
        );
        for _ in 0..digit {
            desk.press(Key::Up);
        }
        let s = desk.shown();
        assert!(matches!(s, Some(Screen::PinPicker { digit: d, .. }) if d == digit), "{s:?}");
        desk.press(Key::Select);
    }
    loop {
        let s = desk.until("consent or result", &host, |s| matches!(s, Screen::Consent | Screen::Result { .. }));
        match s {
            Screen::Consent => desk.press(Key::Left), // 同意する
            _ => break,
        }
    }
    host.type_line("quit");
    let deadline = desk.ms() + 5_000;
    while desk.done.is_none() && desk.ms() < deadline {
        desk.step();
    }
    assert_eq!(desk.done, Some(true), "host-sim said:\n{}", host.said());
    let status = host.child.wait().expect("host-sim ends");
    let said = host.said();
    assert!(status.success(), "{said}");
    assert!(said.contains("serving serial:") && said.contains("pn532 on serial:"), "{said}");
    assert!(said.contains("board: visit decided"), "{said}");
    let screens = shown.0.lock().expect("lock").clone();
    assert!(screens.contains(&Screen::ReadingCard), "{screens:?}");
    assert!(matches!(screens.last(), Some(Screen::Result { .. })), "{screens:?}");
}
