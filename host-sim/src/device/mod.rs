//! Device mode: the board runs the terminal with its own OLED, buttons and
//! PN532 reader; the host plays only what the board gets from outside (the
//! online service, the clerk's PC, the face camera) over the link, and the
//! PN532 with a card over a second socket. Contract:
//! `docs/boards/device-link.md`.
//!
//! - [`cards`]: ready-made cards and the service that knows them;
//! - [`console`]: the demo's operator commands;
//! - [`qmp`]: QEMU key presses and screendumps;
//! - [`session`]: one board's two sockets (the link polled, the PN532 on
//!   its own thread, [`pn532_port`]);
//! - [`serve`]: `host-sim serve --device`.

pub mod cards;
pub mod console;
pub mod play;
pub mod pn532_port;
pub mod qmp;
pub mod screenshot;
pub mod serve;
pub mod session;
