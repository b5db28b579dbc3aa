//! The reception log on NOR flash: every [`LogRecord`](crate::reception::LogRecord)
//! the terminal produces, appended to a queue that survives power loss
//! (sequential-storage over `embedded-storage`).
//!
//! - [`record`]: a record's bytes in flash (a format byte, then postcard);
//!   records hold no personal data (see [`LogEvent`](crate::reception::LogEvent)).
//! - [`store`]: [`ReceptionLog`], the queue: append, read back in order.
//! - [`region`]: the flash geometry every board and host-sim use.
//! - [`words`]: a flash with a smaller write unit, seen with the log's.
//! - [`blocking`]: drives sequential-storage's async API to completion on a
//!   flash whose operations finish at once.
//!
//! Behind the `reception-log` feature. See `docs/reception-log.md`.

pub mod blocking;
pub mod record;
pub mod region;
pub mod store;
pub mod words;

pub use blocking::{BlockingFlash, block_on};
pub use record::{RECORD_MAX, RecordError, decode, encode};
pub use store::{LogError, ReceptionLog};
pub use words::LogWords;
