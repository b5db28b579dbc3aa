//! PN532 NFC controller over HSU (its UART), as the reader of My Number
//! cards (ISO/IEC 14443-4 Type B at 106 kbps).
//!
//! Layers, after the `pn532` crate's (WMT-GmbH/pn532), whose framing we do not
//! reuse: it reads a fixed `response_len + 9` bytes, which waits forever on a
//! UART when the PN532 answers shorter (status errors, error frames), and it
//! has no HSU transport for `no_std` and no Type B helper.
//! - [`frame`]: pure encoder and byte-at-a-time decoder (normal, extended,
//!   ACK, NACK and error frames; PN532 User Manual UM0701-02 §6.2.1);
//! - [`command`]: the commands the reader uses and their answers;
//! - [`transport`]: [`Hsu`](transport::Hsu) over `embedded_io` with the wake-up;
//! - [`reader`]: the poll / exchange / release state machine, fed the time,
//!   yielding card events for the terminal.

pub mod command;
pub mod frame;
pub mod reader;
pub mod transport;

pub use command::{Command, ErrorCode};
pub use frame::{Decoded, Decoder, FrameError};
pub use reader::{Reader, ReaderEvent};
pub use transport::Hsu;
