//! ST7789 320×240 colour TFT on SPI as a [`Panel`]: `mipidsi`'s ST7789
//! model (240×320 in the controller, turned 90° to landscape), the screen
//! drawn by `firmware::ui::draw` in the 320×240 layout (`Rgb565`) straight
//! to the panel: there is no frame buffer (it would take 150 KB).
//!
//! The caller lends a small buffer for the SPI pixel batches and a delay
//! for the init sequence; nothing waits afterwards.

use crate::Panel;
use core::fmt;
use embedded_hal::delay::DelayNs;
use embedded_hal::digital::OutputPin;
use embedded_hal::spi::SpiDevice;
use firmware::ui::{Layout, Screen, draw};
use mipidsi::interface::{SpiError, SpiInterface};
use mipidsi::models::ST7789;
use mipidsi::options::{ColorInversion, Orientation, Rotation};
use mipidsi::{Builder, Display, InitError};

pub use ::mipidsi as driver;

/// The controller's frame: 240 columns, 320 rows (portrait).
pub const CONTROLLER_SIZE: (u16, u16) = (240, 320);

/// Why the display failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error<SpiE, DcE, RstE> {
    /// The SPI bus failed.
    Spi(SpiE),
    /// The data/command pin failed.
    Dc(DcE),
    /// The reset pin failed.
    Reset(RstE),
    /// The driver refused the panel's size or interface (a wiring or
    /// configuration mistake, not a bus failure).
    Configuration,
}

impl<SpiE: fmt::Debug, DcE: fmt::Debug, RstE: fmt::Debug> fmt::Display for Error<SpiE, DcE, RstE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spi(e) => write!(f, "ST7789: SPI failed: {e:?}"),
            Self::Dc(e) => write!(f, "ST7789: D/C pin failed: {e:?}"),
            Self::Reset(e) => write!(f, "ST7789: reset pin failed: {e:?}"),
            Self::Configuration => write!(f, "ST7789: size or interface refused by the driver"),
        }
    }
}

impl<SpiE, DcE, RstE> From<SpiError<SpiE, DcE>> for Error<SpiE, DcE, RstE> {
    fn from(e: SpiError<SpiE, DcE>) -> Self {
        match e {
            SpiError::Spi(e) => Self::Spi(e),
            SpiError::Dc(e) => Self::Dc(e),
        }
    }
}

/// Colour inversion: most 320×240 IPS modules with an ST7789 show true
/// colours only with inversion on (INVON); a module that shows a negative
/// picture needs [`ColorInversion::Normal`].
pub const INVERSION: ColorInversion = ColorInversion::Inverted;

/// The error of a panel on these bus and pin types.
pub type PanelError<SPI, DC, RST> = Error<
    <SPI as embedded_hal::spi::ErrorType>::Error,
    <DC as embedded_hal::digital::ErrorType>::Error,
    <RST as embedded_hal::digital::ErrorType>::Error,
>;

type Tft<'b, SPI, DC, RST> = Display<SpiInterface<'b, SPI, DC>, ST7789, RST>;

/// The display, initialised.
pub struct St7789Panel<'b, SPI: SpiDevice, DC: OutputPin, RST: OutputPin> {
    display: Tft<'b, SPI, DC, RST>,
}

impl<'b, SPI, DC, RST> St7789Panel<'b, SPI, DC, RST>
where
    SPI: SpiDevice,
    DC: OutputPin,
    RST: OutputPin,
{
    /// Resets the panel through `rst` and sends the init sequence (ST7789
    /// datasheet: SLPOUT, MADCTL, INVON, COLMOD 16 bit, NORON, DISPON),
    /// landscape. `buffer` batches pixels for the bus (512 bytes is plenty).
    pub fn init(
        spi: SPI,
        dc: DC,
        rst: RST,
        buffer: &'b mut [u8],
        delay: &mut impl DelayNs,
    ) -> Result<Self, PanelError<SPI, DC, RST>> {
        let display = Builder::new(ST7789, SpiInterface::new(spi, dc, buffer))
            .display_size(CONTROLLER_SIZE.0, CONTROLLER_SIZE.1)
            .orientation(Orientation::new().rotate(Rotation::Deg90))
            .invert_colors(INVERSION)
            .reset_pin(rst)
            .init(delay)
            .map_err(|e| match e {
                InitError::Interface(e) => e.into(),
                InitError::ResetPin(e) => Error::Reset(e),
                InitError::InvalidConfiguration(_) => Error::Configuration,
            })?;
        Ok(Self { display })
    }

    /// The bus, the D/C pin and the reset pin back.
    pub fn release(self) -> (SPI, DC, Option<RST>) {
        let (interface, _, rst) = self.display.release();
        let (spi, dc) = interface.release();
        (spi, dc, rst)
    }
}

impl<SPI, DC, RST> Panel for St7789Panel<'_, SPI, DC, RST>
where
    SPI: SpiDevice,
    DC: OutputPin,
    RST: OutputPin,
{
    type Error = PanelError<SPI, DC, RST>;

    fn show(&mut self, screen: &Screen) -> Result<(), Self::Error> {
        draw(screen, Layout::Tft320x240, &mut self.display).map_err(Error::from)
    }
}

#[cfg(test)]
mod tests;
