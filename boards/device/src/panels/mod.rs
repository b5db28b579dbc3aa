//! Displays from the crates made for them, as [`Panel`](crate::Panel)s for
//! the device loop, each behind its cargo feature:
//!
//! - `ssd1306`: [`Ssd1306Panel`], a 128×64 monochrome OLED (I2C or SPI)
//!   through the `ssd1306` crate's buffered mode, drawn in the firmware's
//!   128×64 layout in `BinaryColor`;
//! - `st7789`: [`St7789Panel`], a 320×240 colour TFT on SPI through
//!   `mipidsi`, drawn straight to the panel (no frame buffer: 150 KB) in
//!   the firmware's 320×240 layout in `Rgb565`.
//!
//! The driver crates are re-exported so that a board builds the bus
//! interface with the same versions.

#[cfg(feature = "ssd1306")]
pub mod ssd1306;
#[cfg(feature = "st7789")]
pub mod st7789;

#[cfg(feature = "ssd1306")]
pub use self::ssd1306::Ssd1306Panel;
#[cfg(feature = "st7789")]
pub use self::st7789::St7789Panel;

#[cfg(test)]
pub(crate) mod recording;
