//! PL022 synchronous serial port (SSI0 of the LM3S6965 at 0x4000_8000) as an
//! embedded-hal `SpiBus`, polled, 8-bit frames.
//!
//! Chip quirk (QEMU's `hw/ssi/pl022.c`): the model stops transmitting once
//! its 8-entry receive FIFO is full, so every written byte's received byte is
//! read back before the next is written.

use core::convert::Infallible;
use core::ptr::{read_volatile, write_volatile};
use embedded_hal::spi::{ErrorType, SpiBus};

const CR0: usize = 0x00;
const CR1: usize = 0x04;
const DR: usize = 0x08;
const SR: usize = 0x0C;
const CPSR: usize = 0x10;
const SR_TNF: u32 = 1 << 1;
const SR_RNE: u32 = 1 << 2;
const SR_BSY: u32 = 1 << 4;
const CR0_DSS_8BIT: u32 = 0x7;
/// SPO = 1, SPH = 1 (Freescale SPI mode 3, as the SSD0323 samples on the rising edge).
const CR0_MODE_3: u32 = (1 << 6) | (1 << 7);
const CR1_SSE: u32 = 1 << 1;

/// SSI0, master, 8-bit.
pub struct Ssi0 {
    base: usize,
}

impl Ssi0 {
    /// SSI0 as an SPI master: 8-bit frames, mode 3, clock = system clock / 2.
    ///
    /// # Safety
    /// Only one `Ssi0` may exist: it owns the registers.
    pub unsafe fn new() -> Self {
        let ssi = Self { base: 0x4000_8000 };
        ssi.write_reg(CR1, 0);
        ssi.write_reg(CR0, CR0_DSS_8BIT | CR0_MODE_3);
        ssi.write_reg(CPSR, 2);
        ssi.write_reg(CR1, CR1_SSE);
        // Drain anything left in the receive FIFO.
        while ssi.read_reg(SR) & SR_RNE != 0 {
            let _ = ssi.read_reg(DR);
        }
        ssi
    }

    fn read_reg(&self, offset: usize) -> u32 {
        // SAFETY: `base + offset` is a PL022 register owned by `self`.
        unsafe { read_volatile((self.base + offset) as *const u32) }
    }

    fn write_reg(&self, offset: usize, value: u32) {
        // SAFETY: as in `read_reg`.
        unsafe { write_volatile((self.base + offset) as *mut u32, value) }
    }

    /// Sends one byte and returns the byte received with it.
    fn exchange(&mut self, byte: u8) -> u8 {
        while self.read_reg(SR) & SR_TNF == 0 {}
        self.write_reg(DR, u32::from(byte));
        while self.read_reg(SR) & SR_RNE == 0 {}
        self.read_reg(DR) as u8
    }
}

impl ErrorType for Ssi0 {
    type Error = Infallible;
}

impl SpiBus for Ssi0 {
    fn read(&mut self, words: &mut [u8]) -> Result<(), Infallible> {
        for w in words {
            *w = self.exchange(0);
        }
        Ok(())
    }

    fn write(&mut self, words: &[u8]) -> Result<(), Infallible> {
        for &w in words {
            self.exchange(w);
        }
        Ok(())
    }

    fn transfer(&mut self, read: &mut [u8], write: &[u8]) -> Result<(), Infallible> {
        for i in 0..read.len().max(write.len()) {
            let got = self.exchange(write.get(i).copied().unwrap_or(0));
            if let Some(r) = read.get_mut(i) {
                *r = got;
            }
        }
        Ok(())
    }

    fn transfer_in_place(&mut self, words: &mut [u8]) -> Result<(), Infallible> {
        for w in words {
            *w = self.exchange(*w);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        while self.read_reg(SR) & SR_BSY != 0 {}
        Ok(())
    }
}
