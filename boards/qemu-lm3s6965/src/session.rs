//! The session with the host over UART0: the host-driven modes (smoke
//! check, corpus, bench, `StartTerminal` whole visits where the host plays
//! card, service and people) and the switch to device mode.

use crate::{BOARD, Link, bench, clock, device_mode};
use embedded_io::Read;
use firmware::corpus::CASES;
use firmware::link::{FrameReader, Message};
use firmware::reception::{Event, Handled, Terminal, WireAction};
use firmware::rules::{Policy, decide};

/// Runs the session; `true` when the peer's final verdict is ok.
pub fn session(link: &mut Link, mut ticks: bench::Ticks) -> bool {
    let hello = Message::Hello {
        board: heapless::String::try_from(BOARD).unwrap_or_default(),
        firmware: heapless::String::try_from(firmware::VERSION).unwrap_or_default(),
    };
    if !link.send(&hello) {
        return false;
    }
    let policy = Policy::national();
    let mut terminal: Option<Terminal> = None;
    let mut reader = FrameReader::new();
    let mut buf = [0u8; 64];
    loop {
        let Ok(n) = link.uart.read(&mut buf);
        for &byte in &buf[..n] {
            let message = match reader.push(byte) {
                None => continue,
                Some(Err(e)) => {
                    defmt::warn!("link: dropped frame: {}", e);
                    continue;
                }
                Some(Ok((_, message))) => message,
            };
            match message {
                Message::SmokeChallenge(challenge) => {
                    let answer = firmware::smoke::answer(&challenge);
                    defmt::info!("smoke: answer {}", answer);
                    if !link.send(&Message::SmokeAnswer(answer)) {
                        return false;
                    }
                }
                Message::SmokeVerdict { ok } => defmt::info!("smoke: verdict ok={=bool}", ok),
                Message::RunCorpus => {
                    if !run_corpus(link) {
                        return false;
                    }
                }
                Message::BenchRequest { rounds } => {
                    let (decisions, spent) = ticks.corpus(rounds);
                    let calibration_ticks = u64::from(ticks.calibration());
                    defmt::info!(
                        "bench: {=u32} decisions, {=u64} ticks; 1e6 instructions = {=u64} ticks",
                        decisions,
                        spent,
                        calibration_ticks
                    );
                    if let Some(panel) = device_mode::oled() {
                        let (draws, spent) = ticks.oled(panel);
                        defmt::info!("bench: oled {=u32} draws {=u64} ticks", draws, spent);
                    }
                    if !link.send(&Message::BenchResult { decisions, ticks: spent, calibration_ticks }) {
                        return false;
                    }
                }
                Message::StartTerminal { config, now } => {
                    let t = terminal.insert(Terminal::new(config, policy));
                    t.start(now);
                    if !drain(link, t, &policy) {
                        return false;
                    }
                }
                Message::TerminalEvent { now, event } => {
                    if !feed(link, terminal.as_mut(), &policy, now, event.as_event()) {
                        return false;
                    }
                }
                Message::CardResponse { now, bytes } => {
                    if !feed(link, terminal.as_mut(), &policy, now, Event::CardResponse(&bytes)) {
                        return false;
                    }
                }
                Message::DeliverReply { now, reply } => {
                    if !feed(link, terminal.as_mut(), &policy, now, Event::OnlineReply(&reply)) {
                        return false;
                    }
                }
                Message::StartDevice { facility, now } => {
                    defmt::info!("device mode");
                    let Some(panel) = device_mode::oled() else {
                        defmt::error!("device: the display is taken");
                        return false;
                    };
                    let clock = clock::Clock::start(ticks.into_syst());
                    return device_mode::run(link, &mut reader, &clock, panel, facility, now);
                }
                Message::Done { ok } => return ok,
                other => defmt::warn!("link: unexpected {}", other),
            }
        }
    }
}

/// Feeds one event to the terminal (if one was started) and sends what it did.
fn feed(
    link: &mut Link,
    terminal: Option<&mut Terminal>,
    policy: &Policy,
    now: firmware::reception::Now,
    event: Event<'_>,
) -> bool {
    match terminal {
        Some(t) => {
            // Deadlines that fell due go first, one step per call: send
            // their actions, then give the event again.
            while t.handle(now, event) == Handled::Deferred {
                if !send_actions(link, t, policy) {
                    return false;
                }
            }
            drain(link, t, policy)
        }
        None => {
            defmt::warn!("terminal: event before StartTerminal");
            link.send(&Message::TerminalIdle { state: firmware::reception::State::Idle, next_timeout: None })
        }
    }
}

/// Sends every queued action.
fn send_actions(link: &mut Link, t: &mut Terminal, policy: &Policy) -> bool {
    while let Some(action) = t.poll_action() {
        if !link.send(&Message::TerminalAction(WireAction::from_action(&action, policy))) {
            return false;
        }
    }
    true
}

/// Sends every queued action, then `TerminalIdle`.
fn drain(link: &mut Link, t: &mut Terminal, policy: &Policy) -> bool {
    send_actions(link, t, policy)
        && link.send(&Message::TerminalIdle { state: t.state(), next_timeout: t.poll_timeout().map(|m| m.0) })
}

fn run_corpus(link: &mut Link) -> bool {
    let policy = Policy::national();
    for (index, case) in CASES.iter().enumerate() {
        let digest = decide(&(case.visit)(), &policy).digest(&policy);
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        if !link.send(&Message::CaseResult { index, digest }) {
            return false;
        }
    }
    let count = u16::try_from(CASES.len()).unwrap_or(u16::MAX);
    defmt::info!("corpus: {=u16} cases decided", count);
    link.send(&Message::CorpusDone { count })
}
