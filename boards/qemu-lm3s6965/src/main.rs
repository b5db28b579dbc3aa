//! The reception firmware on QEMU's lm3s6965evb.
//!
//! Session with the peer (`host-sim serve`) over UART0, as `cargo xtask qemu`
//! runs it:
//! 1. log a defmt line (over semihosting; the host decodes it);
//! 2. send `Hello`; answer the peer's `SmokeChallenge` with the firmware's
//!    date computation;
//! 3. on `RunCorpus`, decide every corpus case and send each digest;
//! 4. on `BenchRequest`, time `decide` with SysTick and report;
//! 5. on `StartTerminal`, run the reception state machine for whole visits:
//!    the host plays card, online service and people (`TerminalEvent`,
//!    `CardResponse`, `DeliverReply`), the board answers with every action
//!    and `TerminalIdle`;
//! 6. on `Done`, exit through semihosting: 0 when the peer says ok.
#![no_std]
#![no_main]

mod bench;
mod pl011;
mod stack;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};
use defmt_semihosting as _;
use embedded_io::{Read, Write};
use firmware::corpus::CASES;
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::reception::{Event, Handled, Terminal, TerminalConfig, WireAction};
use firmware::rules::{Policy, decide};

const BOARD: &str = "qemu-lm3s6965";

#[entry]
fn main() -> ! {
    stack::paint();
    defmt::info!("boot: {} firmware {}", BOARD, firmware::VERSION);
    let Some(peripherals) = cortex_m::Peripherals::take() else {
        defmt::error!("core peripherals already taken");
        exit(false);
    };
    let mut ticks = bench::Ticks::new(peripherals.SYST);
    // SAFETY: the only UART0 handle in this program.
    let mut link = Link { uart: unsafe { pl011::Pl011::uart0() }, seq: 0 };
    let ok = session(&mut link, &mut ticks);
    defmt::info!("stack: peak {=usize} bytes", stack::peak());
    exit(ok)
}

fn exit(ok: bool) -> ! {
    if ok {
        defmt::info!("session: passed");
        debug::exit(EXIT_SUCCESS);
    } else {
        defmt::error!("session: failed");
        debug::exit(EXIT_FAILURE);
    }
    loop {
        cortex_m::asm::wfi();
    }
}

/// The UART and our sequence number.
struct Link {
    uart: pl011::Pl011,
    seq: u8,
}

impl Link {
    fn send(&mut self, message: &Message) -> bool {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        match encode_message(self.seq, message, &mut wire) {
            Ok(n) => {
                self.seq = self.seq.wrapping_add(1);
                let Ok(()) = self.uart.write_all(&wire[..n]);
                true
            }
            Err(e) => {
                defmt::error!("link: cannot encode: {}", e);
                false
            }
        }
    }
}

/// Runs the session; `true` when the peer's final verdict is ok.
fn session(link: &mut Link, ticks: &mut bench::Ticks) -> bool {
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
                    if !link.send(&Message::BenchResult { decisions, ticks: spent, calibration_ticks }) {
                        return false;
                    }
                }
                Message::StartTerminal { facility, now } => {
                    let t = terminal.insert(Terminal::new(TerminalConfig::new(facility), policy));
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

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    defmt::error!("panic");
    exit(false)
}
