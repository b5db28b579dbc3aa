//! Monotonic time from SysTick: an interrupt every millisecond counts
//! milliseconds; the counter's current value refines it to core ticks.
//!
//! The lm3s6965evb runs its core at 12 MHz in QEMU (the reset clock); under
//! `-icount` the ticks advance with executed instructions instead.

use core::sync::atomic::{AtomicU32, Ordering};
use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_rt::exception;

/// Core clock, Hz.
pub const CORE_HZ: u32 = 12_000_000;
/// SysTick ticks per millisecond.
pub const TICKS_PER_MS: u32 = CORE_HZ / 1_000;

static MILLIS: AtomicU32 = AtomicU32::new(0);

#[exception]
fn SysTick() {
    // The only writer: a load and a store are enough (thumbv6m has no fetch_add).
    MILLIS.store(MILLIS.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
}

/// The running clock (owns SysTick).
pub struct Clock {
    _syst: SYST,
}

impl Clock {
    /// Starts SysTick: an interrupt each millisecond.
    pub fn start(mut syst: SYST) -> Self {
        syst.disable_counter();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(TICKS_PER_MS - 1);
        syst.clear_current();
        syst.enable_interrupt();
        syst.enable_counter();
        Self { _syst: syst }
    }

    /// Milliseconds since [`start`](Self::start) (wraps after 49 days).
    pub fn now_ms(&self) -> u64 {
        u64::from(MILLIS.load(Ordering::Relaxed))
    }

    /// Core ticks since start, for measuring: milliseconds plus the ticks of
    /// the current one.
    pub fn ticks(&self) -> u64 {
        loop {
            let before = MILLIS.load(Ordering::Relaxed);
            let within = TICKS_PER_MS - 1 - SYST::get_current();
            if MILLIS.load(Ordering::Relaxed) == before {
                return u64::from(before) * u64::from(TICKS_PER_MS) + u64::from(within);
            }
        }
    }
}
