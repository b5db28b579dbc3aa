//! Time as the terminal sees it: passed in by the caller, never read.

use chrono::NaiveDate;
use core::ops::Add;
use serde::{Deserialize, Serialize};

/// Monotonic milliseconds since the terminal started (a board's timer, the
/// simulator's virtual clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Millis(pub u64);

impl Add<u32> for Millis {
    type Output = Millis;
    fn add(self, ms: u32) -> Millis {
        Millis(self.0.saturating_add(u64::from(ms)))
    }
}

/// The current time: monotonic milliseconds and the calendar day in Japan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Now {
    /// Monotonic time.
    pub ms: Millis,
    /// Today in Japan time (the visit date).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub date: NaiveDate,
}
