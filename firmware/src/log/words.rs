//! A flash whose write unit divides the log's ([`WRITE_SIZE`]), seen with
//! the log's write unit: sequential-storage aligns items to the write unit,
//! so every board must present the same one for the image to be the same
//! (the RP2040 writes single bytes, the log's images use 4-byte words).

use super::region::{PAGE_SIZE, WRITE_SIZE};
use embedded_storage::nor_flash::{ErrorType, MultiwriteNorFlash, NorFlash, ReadNorFlash};

/// `F` with the log's write unit and page size.
#[derive(Debug)]
pub struct LogWords<F>(F);

impl<F: NorFlash> LogWords<F> {
    /// Wraps `flash`; `None` when its write unit does not divide the log's
    /// or its erase page is not the log's page.
    pub fn new(flash: F) -> Option<Self> {
        let fits = WRITE_SIZE.is_multiple_of(F::WRITE_SIZE) && F::ERASE_SIZE == PAGE_SIZE as usize;
        fits.then_some(Self(flash))
    }

    /// The flash back.
    pub fn release(self) -> F {
        self.0
    }
}

impl<F: ErrorType> ErrorType for LogWords<F> {
    type Error = F::Error;
}

impl<F: ReadNorFlash> ReadNorFlash for LogWords<F> {
    const READ_SIZE: usize = F::READ_SIZE;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        self.0.read(offset, bytes)
    }

    fn capacity(&self) -> usize {
        self.0.capacity()
    }
}

impl<F: NorFlash> NorFlash for LogWords<F> {
    const WRITE_SIZE: usize = WRITE_SIZE;
    const ERASE_SIZE: usize = PAGE_SIZE as usize;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        self.0.erase(from, to)
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        self.0.write(offset, bytes)
    }
}

impl<F: MultiwriteNorFlash> MultiwriteNorFlash for LogWords<F> {}
