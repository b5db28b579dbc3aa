//! SSD1306 128×64 monochrome OLED as a [`Panel`]: the `ssd1306` crate in
//! buffered graphics mode (1 KiB in RAM), the screen drawn by
//! `firmware::ui::draw` in the 128×64 layout (`BinaryColor`), then flushed.
//! Usually on I2C at address 0x3C: build the interface with
//! [`I2CDisplayInterface::new`](::ssd1306::I2CDisplayInterface::new).

use crate::Panel;
use core::fmt;
use display_interface::{DisplayError, WriteOnlyDataCommand};
use firmware::ui::{Layout, Screen, draw};
use ssd1306::mode::{BufferedGraphicsMode, DisplayConfig};
use ssd1306::prelude::DisplayRotation;
use ssd1306::size::DisplaySize128x64;

pub use ::ssd1306 as driver;

/// Why the display failed: the bus interface's error (the `ssd1306` crate
/// reports bus failures as a [`DisplayError`] without the bus's own error).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Error(pub DisplayError);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SSD1306: {:?}", self.0)
    }
}

/// The display: the driver in buffered mode.
pub struct Ssd1306Panel<DI> {
    display: ssd1306::Ssd1306<DI, DisplaySize128x64, BufferedGraphicsMode<DisplaySize128x64>>,
}

impl<DI: WriteOnlyDataCommand> Ssd1306Panel<DI> {
    /// A 128×64 panel on `interface`, not rotated; call [`init`](Self::init) next.
    pub fn new(interface: DI) -> Self {
        let display =
            ssd1306::Ssd1306::new(interface, DisplaySize128x64, DisplayRotation::Rotate0).into_buffered_graphics_mode();
        Self { display }
    }

    /// Sends the init sequence (SSD1306 datasheet: display off, clock,
    /// multiplex, offset, start line, charge pump, addressing mode, COM pins,
    /// remap, contrast, pre-charge, VCOMH, display on).
    pub fn init(&mut self) -> Result<(), Error> {
        self.display.init().map_err(Error)
    }

    /// The bus interface back.
    pub fn release(self) -> DI {
        self.display.release()
    }
}

impl<DI: WriteOnlyDataCommand> Panel for Ssd1306Panel<DI> {
    type Error = Error;

    fn show(&mut self, screen: &Screen) -> Result<(), Error> {
        // Drawing only writes the RAM buffer; its error type is the bus's.
        draw(screen, Layout::Oled128x64, &mut self.display).map_err(Error)?;
        self.display.flush().map_err(Error)
    }
}

#[cfg(test)]
mod tests;
