//! The reception firmware on QEMU's lm3s6965evb.
//!
//! Boot sequence (the smoke run of `cargo xtask qemu`):
//! 1. log a defmt line (over semihosting; the host decodes it);
//! 2. send `Hello` over UART0 to the peer (`host-sim serve`);
//! 3. answer the peer's `SmokeChallenge` with the firmware's date computation;
//! 4. exit through semihosting: 0 when the peer's verdict is "ok".
#![no_std]
#![no_main]

mod pl011;
mod stack;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};
use defmt_semihosting as _;
use embedded_io::{Read, Write};
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};

const BOARD: &str = "qemu-lm3s6965";

#[entry]
fn main() -> ! {
    stack::paint();
    defmt::info!("boot: {} firmware {}", BOARD, firmware::VERSION);
    // SAFETY: the only UART0 handle in this program.
    let mut uart = unsafe { pl011::Pl011::uart0() };
    let ok = smoke(&mut uart);
    defmt::info!("stack: peak {=usize} bytes", stack::peak());
    if ok {
        defmt::info!("smoke: passed");
        debug::exit(EXIT_SUCCESS);
    } else {
        defmt::error!("smoke: failed");
        debug::exit(EXIT_FAILURE);
    }
    loop {
        cortex_m::asm::wfi();
    }
}

/// Runs the link smoke exchange; `true` when the peer accepted the answer.
fn smoke(uart: &mut pl011::Pl011) -> bool {
    let mut seq = 0u8;
    let hello = Message::Hello {
        board: heapless::String::try_from(BOARD).unwrap_or_default(),
        firmware: heapless::String::try_from(firmware::VERSION).unwrap_or_default(),
    };
    if !send(uart, &mut seq, &hello) {
        return false;
    }
    let mut reader = FrameReader::new();
    let mut buf = [0u8; 64];
    loop {
        let Ok(n) = uart.read(&mut buf);
        for &byte in &buf[..n] {
            match reader.push(byte) {
                None => {}
                Some(Err(e)) => defmt::warn!("link: dropped frame: {}", e),
                Some(Ok((peer_seq, Message::SmokeChallenge(challenge)))) => {
                    defmt::info!("link: challenge seq={=u8}", peer_seq);
                    let answer = firmware::smoke::answer(&challenge);
                    defmt::info!("smoke: answer {}", answer);
                    if !send(uart, &mut seq, &Message::SmokeAnswer(answer)) {
                        return false;
                    }
                }
                Some(Ok((_, Message::SmokeVerdict { ok }))) => return ok,
                Some(Ok((_, other))) => defmt::warn!("link: unexpected {}", other),
            }
        }
    }
}

fn send(uart: &mut pl011::Pl011, seq: &mut u8, message: &Message) -> bool {
    let mut wire = [0u8; MAX_WIRE_FRAME];
    match encode_message(*seq, message, &mut wire) {
        Ok(n) => {
            *seq = seq.wrapping_add(1);
            let Ok(()) = uart.write_all(&wire[..n]);
            true
        }
        Err(e) => {
            defmt::error!("link: cannot encode: {}", e);
            false
        }
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    defmt::error!("panic");
    debug::exit(EXIT_FAILURE);
    loop {
        cortex_m::asm::wfi();
    }
}
