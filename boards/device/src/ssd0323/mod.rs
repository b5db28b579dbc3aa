//! SSD0323: 128×64 OLED controller with 4-bit gray, on a 4-wire SPI bus
//! (the OLED of QEMU's lm3s6965evb).
//!
//! [`Spi4Wire`] moves command and data bytes (D/C low for commands);
//! [`panel`] holds the init table and the address window; [`Ssd0323`]
//! puts both together and flushes a whole frame buffer drawn by
//! `firmware::ui::draw` (two pixels a byte, the left one in the high nibble).

mod error;
mod interface;
pub mod panel;

pub use error::Error;
pub use interface::Spi4Wire;
pub use panel::{FRAME_BYTES, HEIGHT, WIDTH};

use embedded_graphics::framebuffer::{Framebuffer, buffer_size};
use embedded_graphics::pixelcolor::Gray4;
use embedded_graphics::pixelcolor::raw::{BigEndian, RawU4};
use embedded_hal::digital::OutputPin;
use embedded_hal::spi::SpiDevice;
use firmware::ui::{Layout, Screen, draw};

/// A frame buffer in the panel's own layout: 64 rows of 64 bytes.
pub type FrameBuffer =
    Framebuffer<Gray4, RawU4, BigEndian, { WIDTH as usize }, { HEIGHT as usize }, { buffer_size::<Gray4>(128, 64) }>;

/// The display: the bus interface and the panel's commands.
#[derive(Debug)]
pub struct Ssd0323<SPI, DC> {
    bus: Spi4Wire<SPI, DC>,
}

impl<SPI: SpiDevice, DC: OutputPin> Ssd0323<SPI, DC> {
    /// A display on this bus; call [`init`](Self::init) before drawing.
    pub fn new(spi: SPI, dc: DC) -> Self {
        Self { bus: Spi4Wire::new(spi, dc) }
    }

    /// Sends the panel's init table (display on, full window).
    pub fn init(&mut self) -> Result<(), Error<SPI::Error, DC::Error>> {
        for command in panel::INIT {
            self.bus.command(command)?;
        }
        Ok(())
    }

    /// Sends a whole frame: the full window, then 4096 data bytes.
    pub fn flush(&mut self, frame: &[u8; FRAME_BYTES]) -> Result<(), Error<SPI::Error, DC::Error>> {
        for command in panel::full_window() {
            self.bus.command(&command)?;
        }
        self.bus.command(&panel::HORIZONTAL_INCREMENT)?;
        self.bus.data(frame)
    }

    /// The bus and D/C pin back.
    pub fn release(self) -> (SPI, DC) {
        self.bus.release()
    }
}

/// An SSD0323 with its frame buffer: a [`Panel`](crate::Panel) for the
/// device loop. The buffer (4 KiB) lives inside; put the whole value in a
/// `static` or on `main`'s stack.
#[derive(Debug)]
pub struct Oled<SPI, DC> {
    display: Ssd0323<SPI, DC>,
    frame: FrameBuffer,
}

impl<SPI: SpiDevice, DC: OutputPin> Oled<SPI, DC> {
    /// A panel around an initialised display.
    pub fn new(display: Ssd0323<SPI, DC>) -> Self {
        Self { display, frame: FrameBuffer::new() }
    }

    /// Sends the panel's init table (see [`Ssd0323::init`]).
    pub fn init(&mut self) -> Result<(), Error<SPI::Error, DC::Error>> {
        self.display.init()
    }

    /// The frame buffer as last drawn.
    pub fn frame(&self) -> &[u8; FRAME_BYTES] {
        self.frame.data()
    }

    /// The display back.
    pub fn release(self) -> Ssd0323<SPI, DC> {
        self.display
    }
}

impl<SPI: SpiDevice, DC: OutputPin> crate::Panel for Oled<SPI, DC> {
    type Error = Error<SPI::Error, DC::Error>;

    fn show(&mut self, screen: &Screen) -> Result<(), Self::Error> {
        // Drawing into a frame buffer cannot fail (its error is Infallible).
        let Ok(()) = draw(screen, Layout::Oled128x64, &mut self.frame);
        self.display.flush(self.frame.data())
    }
}

#[cfg(test)]
mod tests;
