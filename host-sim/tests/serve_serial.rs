//! `host-sim serve --serial PORT` against a pseudo-terminal pair: the host
//! opens the pty's slave end as a serial port (as it opens a Pico's
//! `/dev/ttyACM0`), and a board-side peer on the master end runs the
//! firmware's `Terminal` as the boards do (the QEMU board's session: hello,
//! date check, decision corpus, then whole visits played from scenario files,
//! the transcripts compared with the host's).
#![cfg(unix)]

use firmware::corpus::CASES;
use firmware::domain::NetworkState;
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::reception::{Event, Handled, Terminal, WireAction};
use firmware::rules::{Policy, decide};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "support/pty.rs"]
mod pty;
use pty::pty;

/// The board side: the frames a board sends and its `Terminal`.
struct Board {
    port: File,
    seq: u8,
    reader: FrameReader,
    policy: Policy,
    terminal: Option<Terminal>,
    visits: usize,
    /// Runs every visit as if the facility's network were down: a board\n    /// that decides differently from the host.
    wrong_facility: bool,
}

impl Board {
    fn send(&mut self, message: &Message) {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire).expect("encodes");
        self.seq = self.seq.wrapping_add(1);
        self.port.write_all(&wire[..n]).expect("pty write");
    }

    fn drain(&mut self) {
        let mut out = Vec::new();
        let Some(t) = self.terminal.as_mut() else { panic!("event before StartTerminal") };
        while let Some(action) = t.poll_action() {
            out.push(Message::TerminalAction(WireAction::from_action(&action, &self.policy)));
        }
        out.push(Message::TerminalIdle { state: t.state(), next_timeout: t.poll_timeout().map(|m| m.0) });
        for m in &out {
            self.send(m);
        }
    }

    fn feed(&mut self, now: firmware::reception::Now, event: Event<'_>) {
        let mut first = Vec::new();
        if let Some(t) = self.terminal.as_mut() {
            // Deadlines due go first, one step per call, as on the board.
            while t.handle(now, event) == Handled::Deferred {
                while let Some(action) = t.poll_action() {
                    first.push(Message::TerminalAction(WireAction::from_action(&action, &self.policy)));
                }
            }
        }
        for m in &first {
            self.send(m);
        }
        self.drain();
    }

    /// Runs the session until the host's `Done`; returns its verdict.
    fn run(&mut self) -> bool {
        self.send(&Message::Hello {
            board: heapless::String::try_from("pty-board").unwrap_or_default(),
            firmware: heapless::String::try_from(firmware::VERSION).unwrap_or_default(),
        });
        let mut buf = [0u8; 256];
        loop {
            let n = self.port.read(&mut buf).expect("pty read");
            assert!(n > 0, "host closed the port before Done");
            for &byte in &buf[..n] {
                let Some(frame) = self.reader.push(byte) else { continue };
                let (_, message) = frame.expect("the host sends good frames");
                match message {
                    Message::SmokeChallenge(c) => self.send(&Message::SmokeAnswer(firmware::smoke::answer(&c))),
                    Message::SmokeVerdict { ok } => assert!(ok, "date check failed"),
                    Message::RunCorpus => {
                        for (index, case) in CASES.iter().enumerate() {
                            let digest = decide(&(case.visit)(), &self.policy).digest(&self.policy);
                            self.send(&Message::CaseResult { index: index as u16, digest });
                        }
                        self.send(&Message::CorpusDone { count: CASES.len() as u16 });
                    }
                    Message::StartTerminal { mut config, now } => {
                        self.visits += 1;
                        if self.wrong_facility {
                            config.facility.network = NetworkState::Down;
                        }
                        let t = self.terminal.insert(Terminal::new(config, self.policy));
                        t.start(now);
                        self.drain();
                    }
                    Message::TerminalEvent { now, event } => self.feed(now, event.as_event()),
                    Message::CardResponse { now, bytes } => self.feed(now, Event::CardResponse(&bytes)),
                    Message::DeliverReply { now, reply } => self.feed(now, Event::OnlineReply(&reply)),
                    Message::Done { ok } => return ok,
                    other => panic!("unexpected {}", other.kind()),
                }
            }
        }
    }
}

fn scenario(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("scenarios").join(path)
}

/// Plays `scenarios` with host-sim on the serial port and the board on the
/// pty's other end; returns the board's verdict, the visits it started and
/// host-sim's exit status and output.
fn play(scenarios: &[PathBuf], wrong_facility: bool) -> (bool, usize, bool, String) {
    let pty = pty();
    let mut host = Command::new(env!("CARGO_BIN_EXE_host-sim"));
    host.args(["serve", "--once", "--timeout-secs", "20", "--serial"]).arg(&pty.path).arg("--scenarios");
    host.args(scenarios).stdout(Stdio::piped());
    let host = host.spawn().expect("host-sim starts");
    let mut board = Board {
        port: pty.master.try_clone().expect("clone"),
        seq: 0,
        reader: FrameReader::new(),
        policy: Policy::national(),
        terminal: None,
        visits: 0,
        wrong_facility,
    };
    // The board boots and greets first, as a Pico does once the host opens
    // its USB port; a pty buffers the greeting until host-sim reads it.
    let ok = board.run();
    let out = host.wait_with_output().expect("host-sim ends");
    (ok, board.visits, out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn serve_over_a_serial_port_plays_whole_visits_with_a_board() {
    let (ok, visits, host_ok, out) = play(
        &[scenario("01-myna-basics/01-face-valid.toml"), scenario("01-myna-basics/03-pin-wrong-then-right.toml")],
        false,
    );
    assert!(out.contains("serving serial:"), "{out}");
    assert!(ok, "host's verdict: not ok\n{out}");
    assert!(host_ok, "host-sim failed\n{out}");
    assert!(visits >= 2, "{visits} visits\n{out}");
    assert!(out.contains("2 identical to the host, 0 errors"), "{out}");
}

#[test]
fn a_board_whose_terminal_differs_fails_the_serial_session() {
    let (ok, _, host_ok, out) = play(&[scenario("01-myna-basics/01-face-valid.toml")], true);
    assert!(!ok && !host_ok, "host-sim accepted a board that decided differently\n{out}");
    assert!(out.contains("DIFFER"), "{out}");
}
