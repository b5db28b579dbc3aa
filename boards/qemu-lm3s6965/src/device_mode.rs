//! Device mode (`StartDevice`): the board is the terminal. Its pins and
//! UARTs go into the portable `device` crate, whose loop runs until the
//! host's `Done` (`docs/boards/device-link.md`).
//!
//! | part | wiring |
//! |---|---|
//! | OLED SSD0323 | SSI0 (PL022), D/C = PC7, select = PD0 (high selects, see `gpio::OledSelect`) |
//! | gamepad | PE0 up, PE1 down, PE2 left, PE3 right, PF1 select, active low |
//! | PN532 (HSU) | UART1 |
//! | host link | UART0 |
//! | reception log | `reception-log.img` on the host, through semihosting (`log_flash`) |

use crate::Link;
use crate::clock::Clock;
use crate::gpio::{OledSelect, Pin, Port};
use crate::log_flash::FileFlash;
use crate::pl011::Pl011;
use crate::ssi::Ssi0;
use device::buttons::Buttons;
use device::pn532::Reader;
use device::ssd0323::{Oled, Ssd0323};
use device::{Device, Uplink};
use embedded_hal_bus::spi::ExclusiveDevice;
use embedded_io::{Read, ReadReady};
use firmware::domain::Facility;
use firmware::link::{FrameReader, Message};
use firmware::log::region::REGION_SIZE;
use firmware::log::{LogError, ReceptionLog};
use firmware::reception::{Now, State};
use firmware::ui::Screen;

impl Uplink for &mut Link {
    type Error = firmware::link::LinkError;

    fn send(&mut self, message: &Message) -> Result<(), Self::Error> {
        Link::send_checked(self, message)
    }
}

/// The OLED: SSD0323 on SSI0 with its 4 KiB frame buffer.
pub type Display = Oled<ExclusiveDevice<Ssi0, OledSelect, embedded_hal_bus::spi::NoDelay>, Pin>;

/// The OLED on SSI0, initialised, in static RAM (frame buffer included);
/// `None` after the first call.
pub fn oled() -> Option<&'static mut Display> {
    let display = cortex_m::singleton!(: Display = {
        // SAFETY: inside this singleton: the only handles of SSI0, PC7 and PD0.
        let (ssi, dc, select) =
            unsafe { (Ssi0::new(), Pin::output(Port::C, 7, false), OledSelect(Pin::output(Port::D, 0, false))) };
        let Ok(spi) = ExclusiveDevice::new_no_delay(ssi, select);
        Oled::new(Ssd0323::new(spi, dc))
    })?;
    if let Err(e) = display.init() {
        defmt::error!("oled: init failed: {}", defmt::Debug2Format(&e));
    }
    Some(display)
}

/// The reception log in the semihosting file; `None` when it cannot be
/// opened (the device then reports every record as not stored).
fn reception_log() -> Option<ReceptionLog<FileFlash>> {
    let log = FileFlash::open().map_err(LogError::Flash).and_then(|f| ReceptionLog::new(f, 0..REGION_SIZE));
    match log {
        Ok(log) => Some(log),
        Err(e) => {
            defmt::error!("log: no reception log: {}", defmt::Debug2Format(&e));
            None
        }
    }
}

/// Runs the terminal until the host says `Done`; returns its verdict.
#[inline(never)]
pub fn run(
    link: &mut Link,
    frames: &mut FrameReader,
    clock: &Clock,
    panel: &'static mut Display,
    facility: Facility,
    now: Now,
) -> bool {
    // SAFETY: the only handles of these pins and of UART1.
    let (keys, uart1) = unsafe {
        (
            [
                Pin::input(Port::E, 0),
                Pin::input(Port::E, 1),
                Pin::input(Port::E, 2),
                Pin::input(Port::E, 3),
                Pin::input(Port::F, 1),
            ],
            Pl011::uart1(),
        )
    };
    // Calibration for `cargo xtask bench` (under -icount): ticks of a loop of
    // exactly 10^6 instructions (`delay(n)` runs n + 1 two-instruction turns).
    let t0 = clock.ticks();
    cortex_m::asm::delay(499_999);
    defmt::info!("calibration: 1000000 instructions = {=u64} ticks", clock.ticks().saturating_sub(t0));
    let store = reception_log();
    let mut device =
        Device::new(facility, now, clock.now_ms(), panel, Reader::new(uart1), Buttons::new(keys), link, store);
    if let Err(e) = device.start(clock.now_ms()) {
        defmt::error!("device: {}", defmt::Display2Format(&e));
    }
    let mut visit = VisitMeter::default();
    let mut buf = [0u8; 64];
    loop {
        let before = device.inputs();
        let t0 = clock.ticks();
        if let Err(e) = device.step(clock.now_ms()) {
            defmt::warn!("device: {}", defmt::Display2Format(&e));
        }
        let uart = &mut device.uplink_mut().uart;
        let n = match uart.read_ready() {
            Ok(true) => uart.read(&mut buf).unwrap_or(0),
            _ => 0,
        };
        for &byte in &buf[..n] {
            let message = match frames.push(byte) {
                None => continue,
                Some(Err(e)) => {
                    defmt::warn!("link: dropped frame: {}", e);
                    continue;
                }
                Some(Ok((_, message))) => message,
            };
            if let Message::Done { ok } = message {
                return ok;
            }
            match device.on_message(clock.now_ms(), &message) {
                Ok(true) => {}
                Ok(false) => defmt::warn!("device: ignored {} from the host", message.kind()),
                Err(e) => defmt::warn!("device: {}", defmt::Display2Format(&e)),
            }
        }
        let busy = device.inputs() != before;
        visit.account(&device, busy, clock.ticks().saturating_sub(t0));
        if !busy && n == 0 {
            // Nothing moved: sleep until the next millisecond tick.
            cortex_m::asm::wfi();
        }
    }
}

/// Measures a visit: SysTick ticks spent handling inputs from the moment a
/// card session starts until the result screen is shown (idle waiting for
/// the patient, the card or the host is not counted).
#[derive(Default)]
struct VisitMeter {
    ticks: Option<u64>,
}

impl VisitMeter {
    fn account<P, U, K, L, S>(&mut self, device: &Device<P, U, K, L, S>, busy: bool, spent: u64)
    where
        P: device::Panel,
        U: Read + ReadReady + embedded_io::Write,
        K: embedded_hal::digital::InputPin,
        L: Uplink,
        S: device::LogStore,
    {
        if !busy {
            return;
        }
        let state = device.terminal().state();
        match (&mut self.ticks, device.shown()) {
            (None, _) if !matches!(state, State::Idle | State::Result | State::Message) => self.ticks = Some(spent),
            (Some(t), Some(Screen::Result { .. })) => {
                let total = *t + spent;
                defmt::info!("visit: {=u64} ticks from card placed to result shown", total);
                self.ticks = None;
            }
            (Some(t), _) if state != State::Idle => *t += spent,
            (Some(_), _) => self.ticks = None,
            (None, _) => {}
        }
    }
}
