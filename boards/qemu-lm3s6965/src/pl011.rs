//! ARM PL011 UART driver (UART0 of the LM3S6965 at 0x4000_C000, UART1 at
//! 0x4000_D000), polled, behind the `embedded-io` traits.

use core::convert::Infallible;
use core::ptr::{read_volatile, write_volatile};

const DR: usize = 0x000;
const FR: usize = 0x018;
const CTL: usize = 0x030;
const FR_RXFE: u32 = 1 << 4;
const FR_TXFF: u32 = 1 << 5;
const CTL_UARTEN: u32 = 1 << 0;
const CTL_TXE: u32 = 1 << 8;
const CTL_RXE: u32 = 1 << 9;

/// One PL011 UART.
pub struct Pl011 {
    base: usize,
}

impl Pl011 {
    /// UART0 of the LM3S6965.
    ///
    /// # Safety
    /// Only one `Pl011` may exist per UART: it owns the registers.
    pub unsafe fn uart0() -> Self {
        Self::enable(0x4000_C000)
    }

    /// UART1 of the LM3S6965 (QEMU connects the second `-serial` to it).
    ///
    /// # Safety
    /// As for [`uart0`](Self::uart0).
    pub unsafe fn uart1() -> Self {
        Self::enable(0x4000_D000)
    }

    fn enable(base: usize) -> Self {
        let uart = Self { base };
        uart.write_reg(CTL, CTL_UARTEN | CTL_TXE | CTL_RXE);
        uart
    }

    fn read_reg(&self, offset: usize) -> u32 {
        // SAFETY: `base + offset` is a PL011 register owned by `self`.
        unsafe { read_volatile((self.base + offset) as *const u32) }
    }

    fn write_reg(&self, offset: usize, value: u32) {
        // SAFETY: as in `read_reg`.
        unsafe { write_volatile((self.base + offset) as *mut u32, value) }
    }

    fn read_byte(&self) -> Option<u8> {
        (self.read_reg(FR) & FR_RXFE == 0).then(|| self.read_reg(DR) as u8)
    }
}

impl embedded_io::ErrorType for Pl011 {
    type Error = Infallible;
}

impl embedded_io::Write for Pl011 {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        for &byte in buf {
            while self.read_reg(FR) & FR_TXFF != 0 {}
            self.write_reg(DR, u32::from(byte));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

impl embedded_io::ReadReady for Pl011 {
    fn read_ready(&mut self) -> Result<bool, Infallible> {
        Ok(self.read_reg(FR) & FR_RXFE == 0)
    }
}

impl embedded_io::Read for Pl011 {
    /// Blocks until at least one byte arrives, then returns what is buffered.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Infallible> {
        if buf.is_empty() {
            return Ok(0);
        }
        let first = loop {
            if let Some(b) = self.read_byte() {
                break b;
            }
        };
        buf[0] = first;
        let mut n = 1;
        while n < buf.len() {
            match self.read_byte() {
                Some(b) => {
                    buf[n] = b;
                    n += 1;
                }
                None => break,
            }
        }
        Ok(n)
    }
}
