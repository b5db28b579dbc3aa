//! GPIO pins of the LM3S6965 (PL061-style ports), as embedded-hal pins.
//!
//! The data register is address-masked: a read or write at offset
//! `mask << 2` touches only the pins in `mask`, so one pin never disturbs
//! another.

use core::convert::Infallible;
use core::ptr::{read_volatile, write_volatile};
use embedded_hal::digital::{ErrorType, InputPin, OutputPin};

const DIR: usize = 0x400;
const DEN: usize = 0x51C;

/// A GPIO port's base address.
#[derive(Clone, Copy)]
pub enum Port {
    /// Port C (0x4000_6000).
    C = 0x4000_6000,
    /// Port D (0x4000_7000).
    D = 0x4000_7000,
    /// Port E (0x4002_4000).
    E = 0x4002_4000,
    /// Port F (0x4002_5000).
    F = 0x4002_5000,
}

/// One pin of one port.
pub struct Pin {
    base: usize,
    mask: u32,
}

impl Pin {
    /// Pin `n` (0..=7) of `port`, digital enabled, as an input.
    ///
    /// # Safety
    /// Only one `Pin` may exist per port pin: it owns that pin.
    pub unsafe fn input(port: Port, n: u8) -> Self {
        let pin = Self { base: port as usize, mask: 1 << (n & 7) };
        pin.modify(DIR, false);
        pin.modify(DEN, true);
        pin
    }

    /// Pin `n` of `port`, digital enabled, as an output driven `high`.
    ///
    /// # Safety
    /// As for [`input`](Self::input).
    pub unsafe fn output(port: Port, n: u8, high: bool) -> Self {
        let mut pin = Self { base: port as usize, mask: 1 << (n & 7) };
        pin.modify(DEN, true);
        pin.write(high);
        pin.modify(DIR, true);
        pin
    }

    fn reg(&self, offset: usize) -> *mut u32 {
        (self.base + offset) as *mut u32
    }

    /// Sets or clears this pin's bit in a port register. The ports are only
    /// touched from the main loop, so read-modify-write is safe here.
    fn modify(&self, offset: usize, on: bool) {
        // SAFETY: a register of the port this pin belongs to.
        unsafe {
            let v = read_volatile(self.reg(offset));
            write_volatile(self.reg(offset), if on { v | self.mask } else { v & !self.mask });
        }
    }

    fn read(&self) -> bool {
        // SAFETY: the masked data register of this pin.
        unsafe { read_volatile(self.reg((self.mask as usize) << 2)) & self.mask != 0 }
    }

    fn write(&mut self, high: bool) {
        // SAFETY: as in `read`; the mask limits the write to this pin.
        unsafe { write_volatile(self.reg((self.mask as usize) << 2), if high { self.mask } else { 0 }) }
    }
}

impl ErrorType for Pin {
    type Error = Infallible;
}

impl InputPin for Pin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.read())
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.read())
    }
}

impl OutputPin for Pin {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.write(false);
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.write(true);
        Ok(())
    }
}

/// The OLED's select line as QEMU 7.2 wires it: PD0 goes to the SD card's
/// active-low select and to the SSD0323's active-high one, so the OLED is
/// selected while PD0 is high. This turns the `SpiDevice` convention
/// (select = low) around.
pub struct OledSelect(pub Pin);

impl ErrorType for OledSelect {
    type Error = Infallible;
}

impl OutputPin for OledSelect {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.0.set_high()
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.0.set_low()
    }
}
