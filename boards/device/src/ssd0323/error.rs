//! Why talking to the SSD0323 failed.

use core::fmt;

/// An SSD0323 error: the SPI bus or the D/C pin failed (the causes are kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error<BusE, PinE> {
    /// The SPI transfer failed.
    Bus(BusE),
    /// Setting the D/C pin failed.
    Pin(PinE),
}

impl<BusE: fmt::Debug, PinE: fmt::Debug> fmt::Display for Error<BusE, PinE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bus(e) => write!(f, "SSD0323: SPI transfer failed: {e:?}"),
            Self::Pin(e) => write!(f, "SSD0323: D/C pin failed: {e:?}"),
        }
    }
}

impl<BusE: fmt::Debug, PinE: fmt::Debug> core::error::Error for Error<BusE, PinE> {}
