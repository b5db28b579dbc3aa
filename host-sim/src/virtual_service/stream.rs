//! Serving the virtual service over a real byte stream (a TCP or unix
//! socket), blocking, with the plan's latency as real sleeps.
//!
//! Replies are written in order of their due time, and the next bytes are
//! read only after the replies they caused went out: a long latency holds the
//! stream up. The simulator mostly drives [`VirtualService`] directly.

use super::service::VirtualService;
use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

/// Time for [`serve_stream`]: a reading in ms, and a wait.
pub trait Clock {
    /// Milliseconds since the clock's start.
    fn now_ms(&mut self) -> u64;
    /// Returns at `at_ms` or later.
    fn sleep_until_ms(&mut self, at_ms: u64);
}

/// The wall clock, from its creation.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    start: Instant,
}

impl SystemClock {
    /// A clock whose time 0 is now.
    pub fn new() -> Self {
        Self { start: Instant::now() }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now_ms(&mut self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn sleep_until_ms(&mut self, at_ms: u64) {
        let now = self.now_ms();
        if at_ms > now {
            std::thread::sleep(Duration::from_millis(at_ms - now));
        }
    }
}

/// A clock that only moves when slept on: sleeping jumps to the wake-up time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VirtualClock {
    /// Current time in ms.
    pub now_ms: u64,
}

impl Clock for VirtualClock {
    fn now_ms(&mut self) -> u64 {
        self.now_ms
    }

    fn sleep_until_ms(&mut self, at_ms: u64) {
        self.now_ms = self.now_ms.max(at_ms);
    }
}

/// Why serving a stream stopped early.
#[derive(Debug)]
pub enum ServeError {
    /// Reading from the stream failed.
    Read(std::io::Error),
    /// Writing a reply failed.
    Write(std::io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read(e) => write!(f, "virtual service: reading from the terminal failed: {e}"),
            Self::Write(e) => write!(f, "virtual service: writing a reply failed: {e}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read(e) | Self::Write(e) => Some(e),
        }
    }
}

/// Serves `service` over `stream` until the terminal closes it (`Ok`) or
/// the stream fails. A read timeout set on the stream counts as a failure.
pub fn serve_stream<S: Read + Write>(
    mut stream: S,
    service: &mut VirtualService,
    clock: &mut impl Clock,
) -> Result<(), ServeError> {
    let mut buf = [0u8; 512];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(ServeError::Read(e)),
        };
        let now = clock.now_ms();
        let mut out = service.on_bytes(&buf[..n], now);
        // Stable: frames due at the same time keep their order.
        out.sort_by_key(|o| o.at_ms);
        for o in out {
            clock.sleep_until_ms(o.at_ms);
            stream.write_all(&o.bytes).map_err(ServeError::Write)?;
        }
        stream.flush().map_err(ServeError::Write)?;
    }
}
