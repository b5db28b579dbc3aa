//! Command and data bytes over a 4-wire SPI bus: D/C low for commands, high
//! for data, one `SpiDevice` transaction each (D/C changes only between
//! transactions, while chip select is high).

use super::Error;
use embedded_hal::digital::OutputPin;
use embedded_hal::spi::SpiDevice;

/// The SPI device and the D/C pin of an SSD0323.
#[derive(Debug)]
pub struct Spi4Wire<SPI, DC> {
    spi: SPI,
    dc: DC,
}

impl<SPI: SpiDevice, DC: OutputPin> Spi4Wire<SPI, DC> {
    /// The interface over `spi` (chip select included) and the D/C pin.
    pub fn new(spi: SPI, dc: DC) -> Self {
        Self { spi, dc }
    }

    /// Sends command bytes (an opcode and its arguments).
    pub fn command(&mut self, bytes: &[u8]) -> Result<(), Error<SPI::Error, DC::Error>> {
        self.dc.set_low().map_err(Error::Pin)?;
        self.spi.write(bytes).map_err(Error::Bus)
    }

    /// Sends display RAM bytes.
    pub fn data(&mut self, bytes: &[u8]) -> Result<(), Error<SPI::Error, DC::Error>> {
        self.dc.set_high().map_err(Error::Pin)?;
        self.spi.write(bytes).map_err(Error::Bus)
    }

    /// The bus and pin back.
    pub fn release(self) -> (SPI, DC) {
        (self.spi, self.dc)
    }
}
