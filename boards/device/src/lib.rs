//! The reception terminal as a device: the drivers a board needs and the
//! loop that joins them to the firmware's [`Terminal`](firmware::reception::Terminal).
//!
//! Everything here is generic over embedded-hal 1.0 and embedded-io 0.7
//! traits (no chip, no clock, no allocator): a board crate only builds its
//! SPI bus, pins and UARTs and hands them over.
//!
//! - [`ssd0323`]: the 128×64 4-bit gray OLED controller (QEMU's lm3s6965evb);
//! - [`buttons`]: five keys, debounced, with QEMU's boot-state quirk;
//! - [`pn532`]: the NFC reader over HSU (UART): frames, commands, and the
//!   poll / exchange / release state machine that yields card events;
//! - [`panels`]: SSD1306 and ST7789 displays as panels (cargo features
//!   `ssd1306`, `st7789`; the Raspberry Pi Pico board's displays);
//! - [`log_store`]: where the loop appends the reception log (NOR flash);
//! - [`device`]: the loop: keys and reader in, `Terminal` in the middle,
//!   screens, APDUs and link messages out (`docs/boards/device-link.md`).
#![no_std]
#![forbid(unsafe_code)]

pub mod buttons;
pub mod device;
pub mod keymap;
pub mod log_store;
pub mod panels;
pub mod pn532;
pub mod ssd0323;

pub use device::{Device, DeviceError, Panel, Uplink};
pub use log_store::{ForwardOnly, LogStore};
