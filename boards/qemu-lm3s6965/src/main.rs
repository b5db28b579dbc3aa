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
//! 6. on `StartDevice`, become the terminal: OLED, gamepad and the PN532 on
//!    UART1 drive the firmware's `Terminal` through the portable `device`
//!    crate (see `device_mode.rs` and `docs/boards/device-link.md`);
//! 7. on `Done`, exit through semihosting: 0 when the peer says ok.
#![no_std]
#![no_main]

mod bench;
mod clock;
mod device_mode;
mod gpio;
mod log_flash;
mod pl011;
mod session;
mod ssi;
mod stack;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug::{self, EXIT_FAILURE, EXIT_SUCCESS};
use defmt_semihosting as _;
use embedded_io::Write;
use firmware::link::{MAX_WIRE_FRAME, Message, encode_message};

const BOARD: &str = "qemu-lm3s6965";

#[entry]
fn main() -> ! {
    stack::paint();
    defmt::info!("boot: {} firmware {}", BOARD, firmware::VERSION);
    let Some(peripherals) = cortex_m::Peripherals::take() else {
        defmt::error!("core peripherals already taken");
        exit(false);
    };
    let ticks = bench::Ticks::new(peripherals.SYST);
    // SAFETY: the only UART0 handle in this program.
    let mut link = Link { uart: unsafe { pl011::Pl011::uart0() }, seq: 0 };
    let ok = session::session(&mut link, ticks);
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
pub struct Link {
    /// UART0.
    pub uart: pl011::Pl011,
    seq: u8,
}

impl Link {
    /// Sends `message`; `false` (logged) when it cannot be encoded.
    pub fn send(&mut self, message: &Message) -> bool {
        match self.send_checked(message) {
            Ok(()) => true,
            Err(e) => {
                defmt::error!("link: cannot encode: {}", e);
                false
            }
        }
    }

    /// Sends `message`, or says why it cannot be encoded.
    pub fn send_checked(&mut self, message: &Message) -> Result<(), firmware::link::LinkError> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire)?;
        self.seq = self.seq.wrapping_add(1);
        let Ok(()) = self.uart.write_all(&wire[..n]);
        Ok(())
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    defmt::error!("panic");
    exit(false)
}
