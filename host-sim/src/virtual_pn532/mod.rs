//! A virtual PN532 NFC front end on its HSU (UART) interface, with the
//! virtual My Number card ([`crate::virtual_card`]) in its field.
//!
//! Written from the PN532 User Manual (UM0701-02), independently of any
//! board driver, so that a bug shared by both ends cannot pass:
//!
//! - [`frame`]: normal, extended, ACK, NACK and error frames;
//! - [`command`]: the commands a type-B reader needs;
//! - [`fault`]: PN532-level faults to play;
//! - [`reader`]: the device: bytes in, bytes out; a card placed or removed
//!   on command.

pub mod command;
pub mod fault;
pub mod frame;
pub mod reader;

pub use command::{Command, CommandError};
pub use fault::{Pn532Fault, UnknownFault};
pub use frame::{Frame, FrameError, FrameParser, encode_info};
pub use reader::{Atqb, FaultAim, VirtualPn532};

/// InDataExchange / InRelease status: success.
pub const STATUS_OK: u8 = 0x00;
/// Status: time out, the target has not answered.
pub const STATUS_TIMEOUT: u8 = 0x01;
/// Status: the command is not acceptable in the current context (e.g. an
/// unknown target number).
pub const STATUS_NOT_IN_CONTEXT: u8 = 0x27;
/// Status: the card previously activated has disappeared.
pub const STATUS_CARD_DISAPPEARED: u8 = 0x2B;

#[cfg(test)]
mod tests;
