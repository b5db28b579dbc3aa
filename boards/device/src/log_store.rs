//! Where the device keeps its reception log: [`ReceptionLog`] on any
//! `embedded-storage` NOR flash (the boards), or nowhere ([`ForwardOnly`],
//! host tests whose host keeps the log).
//!
//! The loop appends every record and forwards it to the host either way; a
//! failed append is counted and reported (`Message::LogFailed`), never
//! dropped silently.

use core::convert::Infallible;
use core::fmt;
use embedded_storage::nor_flash::MultiwriteNorFlash;
use firmware::log::{LogError, ReceptionLog};
use firmware::reception::LogRecord;

/// A place to append log records.
pub trait LogStore {
    /// Why an append failed.
    type Error: fmt::Debug;

    /// Appends `record`; `Ok` means it is stored.
    fn append(&mut self, record: &LogRecord) -> Result<(), Self::Error>;
}

impl<F: MultiwriteNorFlash> LogStore for ReceptionLog<F> {
    type Error = LogError<F::Error>;

    fn append(&mut self, record: &LogRecord) -> Result<(), Self::Error> {
        ReceptionLog::append(self, record)
    }
}

/// A store that could not be opened (the board's flash region is missing
/// or unreadable): every append fails with [`Unavailable`], so the loop
/// reports each record as not stored.
impl<S: LogStore> LogStore for Option<S> {
    type Error = Unavailable<S::Error>;

    fn append(&mut self, record: &LogRecord) -> Result<(), Self::Error> {
        match self {
            Some(store) => store.append(record).map_err(Unavailable::Failed),
            None => Err(Unavailable::NoStore),
        }
    }
}

/// Why an optional store did not take a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable<E> {
    /// There is no store.
    NoStore,
    /// The store failed.
    Failed(E),
}

/// Keeps nothing: records only go to the host (host tests of the loop).
#[derive(Debug, Clone, Copy, Default)]
pub struct ForwardOnly;

impl LogStore for ForwardOnly {
    type Error = Infallible;

    fn append(&mut self, _: &LogRecord) -> Result<(), Infallible> {
        Ok(())
    }
}
