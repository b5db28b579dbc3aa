//! The reception log as a queue in NOR flash (sequential-storage).

use super::blocking::{BlockingFlash, block_on};
use super::record::{RECORD_MAX, RecordError, decode, encode};
use crate::reception::LogRecord;
use core::fmt;
use core::ops::Range;
use embedded_storage::nor_flash::MultiwriteNorFlash;
use sequential_storage::cache::{Cache, Uncached};
use sequential_storage::queue::{QueueConfig, QueueStorage};

/// Why the log could not be written or read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogError<E> {
    /// The flash failed (the append may not have happened).
    Flash(E),
    /// The flash holds something sequential-storage cannot make sense of.
    Corrupted,
    /// The flash range is not a whole number of erase pages.
    BadRange,
    /// A record stored in the log does not decode.
    Record(RecordError),
    /// Any other sequential-storage error.
    Storage,
}

impl<E: fmt::Debug> fmt::Display for LogError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flash(e) => write!(f, "reception log: flash error {e:?}"),
            Self::Corrupted => f.write_str("reception log: flash contents corrupted"),
            Self::BadRange => f.write_str("reception log: flash range is not whole erase pages"),
            Self::Record(e) => write!(f, "reception log: {e}"),
            Self::Storage => f.write_str("reception log: storage error"),
        }
    }
}

impl<E> From<sequential_storage::Error<E>> for LogError<E> {
    fn from(e: sequential_storage::Error<E>) -> Self {
        match e {
            sequential_storage::Error::Storage { value, .. } => Self::Flash(value),
            sequential_storage::Error::Corrupted { .. } => Self::Corrupted,
            _ => Self::Storage,
        }
    }
}

/// The reception log in the `range` of a NOR flash. When it is full the
/// oldest records make room.
pub struct ReceptionLog<F: MultiwriteNorFlash> {
    queue: QueueStorage<BlockingFlash<F>, Cache<Uncached, Uncached, Uncached>>,
}

impl<F: MultiwriteNorFlash> ReceptionLog<F> {
    /// The log in `range` of `flash` (whole erase pages, at least two).
    pub fn new(flash: F, range: Range<u32>) -> Result<Self, LogError<F::Error>> {
        let config = QueueConfig::try_new(range).map_err(|_| LogError::BadRange)?;
        Ok(Self { queue: QueueStorage::new(BlockingFlash(flash), config, Cache::new_uncached()) })
    }

    /// Appends `record`; `Ok` means it is in flash.
    pub fn append(&mut self, record: &LogRecord) -> Result<(), LogError<F::Error>> {
        let mut buf = [0u8; RECORD_MAX];
        let bytes = encode(record, &mut buf).map_err(LogError::Record)?;
        block_on(self.queue.push(bytes, true)).map_err(LogError::from)
    }

    /// Calls `each` with every record, oldest first.
    pub fn for_each(&mut self, mut each: impl FnMut(LogRecord)) -> Result<(), LogError<F::Error>> {
        let mut iter = block_on(self.queue.iter())?;
        let mut buf = [0u8; RECORD_MAX];
        while let Some(entry) = block_on(iter.next(&mut buf))? {
            each(decode(&entry).map_err(LogError::Record)?);
        }
        Ok(())
    }

    /// The flash back.
    pub fn release(self) -> F {
        self.queue.destroy().0.0
    }
}
