//! The reception log in the Pico's own flash: the last 512 KiB of the
//! W25Q16JV (2 MiB), kept out of the program by `memory.x`, through
//! embassy-rp's blocking flash driver (`embedded-storage` `NorFlash` and
//! `MultiwriteNorFlash`, 4 KiB sectors). The RP2040 writes single bytes;
//! [`LogWords`] presents the log's 4-byte write unit so the image is the
//! one `host-sim log` reads (a dump of the region with picotool or probe-rs
//! is such an image).
//!
//! While a sector is erased or written the flash cannot be read, so
//! embassy-rp runs that from RAM with interrupts off (about 45 ms per 4 KiB
//! erase, once per page filled): USB and the UART buffers wait that long.

use embassy_rp::Peri;
use embassy_rp::flash::{Blocking, Flash};
use embassy_rp::peripherals::FLASH;
use firmware::log::region::REGION_SIZE;
use firmware::log::{LogWords, ReceptionLog};

/// The W25Q16JV's size.
pub const FLASH_SIZE: usize = 2 * 1024 * 1024;

/// The log's flash.
pub type LogFlash = LogWords<Flash<'static, FLASH, Blocking, FLASH_SIZE>>;

/// The reception log, or `None` when it cannot be set up (every record is
/// then reported to the host as not stored).
pub type Store = Option<ReceptionLog<LogFlash>>;

/// The log in the last [`REGION_SIZE`] bytes of flash.
pub fn open(flash: Peri<'static, FLASH>) -> Store {
    let Some(words) = LogWords::new(Flash::new_blocking(flash)) else {
        defmt::error!("log: the flash's write unit or sector does not suit the log");
        return None;
    };
    let start = (FLASH_SIZE - REGION_SIZE as usize) as u32;
    match ReceptionLog::new(words, start..FLASH_SIZE as u32) {
        Ok(log) => Some(log),
        Err(e) => {
            defmt::error!("log: {}", defmt::Display2Format(&e));
            None
        }
    }
}
