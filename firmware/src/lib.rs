//! Reception-terminal core.
//!
//! Everything the terminal decides lives here, as a `#![no_std]` library that
//! allocates nothing and owns no hardware: the same code runs in the host
//! simulator, on the emulated QEMU board and on real boards, and given the
//! same inputs produces the same outputs on each.
//!
//! - [`card`]: the My Number card over ISO 7816-4: APDUs, the JPKI
//!   application, the PIN and the user-authentication certificate.
//! - [`domain`]: people, insurers, documents, dates (和暦), copay ratios.
//! - [`link`]: framed messages between a terminal and its peer (online
//!   eligibility service, or the host simulator) over any byte stream.
//! - `log` (feature `reception-log`): the reception log on NOR flash.
//! - [`rules`]: the effective-dated policy table and `decide` for one visit.
//! - [`smoke`]: the board bring-up check exchanged over the link.
//! - [`ui`]: the screens (Japanese text), drawn on a 128×64 OLED or a 320×240 TFT.
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod card;
#[cfg(feature = "corpus")]
pub mod corpus;
pub mod domain;
pub mod link;
#[cfg(feature = "reception-log")]
pub mod log;
pub mod reception;
pub mod rules;
pub mod smoke;
pub mod ui;

/// Firmware version, as reported to peers in the link handshake.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
