//! A recording fake of an SPI device with its D/C pin (and a reset pin and
//! a delay): every write lands in one shared log with the D/C level it was
//! sent at, so tests check command bytes (D/C low) apart from parameters
//! and pixels (D/C high), in the order the panel receives them.

use core::cell::RefCell;
use core::convert::Infallible;
use embedded_hal::delay::DelayNs;
use embedded_hal::digital::{ErrorType as PinErrorType, OutputPin};
use embedded_hal::spi::{ErrorType, Operation, SpiDevice};

extern crate std;
use std::vec::Vec;

/// One thing the panel saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// An SPI write's bytes, with the D/C level (`true` = data).
    Bytes {
        /// D/C level.
        data: bool,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// The reset pin went to this level.
    Reset(bool),
    /// The caller waited this many µs.
    Wait(u32),
}

/// The shared log.
#[derive(Debug, Default)]
pub struct Log {
    dc: RefCell<bool>,
    seen: RefCell<Vec<Seen>>,
}

impl Log {
    /// What was seen, in order.
    pub fn take(&self) -> Vec<Seen> {
        self.seen.take()
    }
}

/// The SPI device.
pub struct Spi<'a>(pub &'a Log);
/// The D/C pin.
pub struct Dc<'a>(pub &'a Log);
/// The reset pin.
pub struct Rst<'a>(pub &'a Log);
/// The delay.
pub struct Delay<'a>(pub &'a Log);

impl ErrorType for Spi<'_> {
    type Error = Infallible;
}

impl SpiDevice for Spi<'_> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), Infallible> {
        let data = *self.0.dc.borrow();
        for op in operations {
            // An empty write clocks nothing onto the bus: not logged.
            if let Operation::Write(bytes) = op
                && !bytes.is_empty()
            {
                self.0.seen.borrow_mut().push(Seen::Bytes { data, bytes: bytes.to_vec() });
            }
        }
        Ok(())
    }
}

impl PinErrorType for Dc<'_> {
    type Error = Infallible;
}

impl OutputPin for Dc<'_> {
    fn set_low(&mut self) -> Result<(), Infallible> {
        *self.0.dc.borrow_mut() = false;
        Ok(())
    }
    fn set_high(&mut self) -> Result<(), Infallible> {
        *self.0.dc.borrow_mut() = true;
        Ok(())
    }
}

impl PinErrorType for Rst<'_> {
    type Error = Infallible;
}

impl OutputPin for Rst<'_> {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.0.seen.borrow_mut().push(Seen::Reset(false));
        Ok(())
    }
    fn set_high(&mut self) -> Result<(), Infallible> {
        self.0.seen.borrow_mut().push(Seen::Reset(true));
        Ok(())
    }
}

impl DelayNs for Delay<'_> {
    fn delay_ns(&mut self, ns: u32) {
        self.0.seen.borrow_mut().push(Seen::Wait(ns.div_ceil(1000)));
    }
    fn delay_us(&mut self, us: u32) {
        self.0.seen.borrow_mut().push(Seen::Wait(us));
    }
    fn delay_ms(&mut self, ms: u32) {
        self.0.seen.borrow_mut().push(Seen::Wait(ms.saturating_mul(1000)));
    }
}
