//! The facility's visual-check password (目視確認モードへの切替パスワード,
//! typed at the reader since about 2025-03) and the lockout after wrong
//! tries. Only a salted SHA-256 of the password is kept; the plain password
//! is never stored, logged or shown.

use core::fmt;

use heapless::String;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::time::Millis;

/// Salt length, bytes.
pub const SALT_LEN: usize = 16;

/// Longest password the reader accepts, bytes.
pub const VISUAL_CHECK_PASSWORD_LEN: usize = 32;

/// Wrong tries in a row before the switch is locked.
pub const VISUAL_CHECK_TRIES: u8 = 3;

/// How long the switch stays locked after too many wrong tries, ms (5 min).
pub const VISUAL_CHECK_LOCK_MS: u32 = 5 * 60 * 1000;

/// The facility's password as salt + SHA-256(salt ‖ password).
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisualCheckPassword {
    salt: [u8; SALT_LEN],
    hash: [u8; 32],
}

impl VisualCheckPassword {
    /// Derives the stored form from the plain password and a salt the
    /// provisioning host drew at random. The password itself is not kept.
    pub fn derive(password: &str, salt: [u8; SALT_LEN]) -> Self {
        Self { salt, hash: digest(&salt, password.as_bytes()) }
    }

    /// Whether `typed` is the password (compared without early exit).
    pub fn matches(&self, typed: &str) -> bool {
        let h = digest(&self.salt, typed.as_bytes());
        h.iter().zip(self.hash.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

fn digest(salt: &[u8; SALT_LEN], password: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(password);
    h.finalize().into()
}

impl fmt::Debug for VisualCheckPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VisualCheckPassword(<redacted>)")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for VisualCheckPassword {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "VisualCheckPassword(<redacted>)")
    }
}

/// A password as typed at the reader, owned (a scenario, a link frame).
/// Its `Debug` and `defmt` output never show it.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TypedPassword(String<VISUAL_CHECK_PASSWORD_LEN>);

impl TypedPassword {
    /// The typed text; `None` when longer than [`VISUAL_CHECK_PASSWORD_LEN`].
    pub fn new(text: &str) -> Option<Self> {
        String::try_from(text).ok().map(Self)
    }

    /// The typed text (only to compare with the stored hash).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Debug for TypedPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TypedPassword(<redacted>)")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for TypedPassword {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "TypedPassword(<redacted>)")
    }
}

/// What a typed password did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Right: switch to visual check.
    Accepted,
    /// Wrong; `tries_left` before the lock.
    Wrong {
        /// Wrong tries left before the lock.
        tries_left: u8,
    },
    /// Too many wrong tries (now or before): locked for `remaining_ms`.
    Locked {
        /// Time left of the lock, ms.
        remaining_ms: u64,
    },
}

/// Wrong tries in a row and the lock's deadline. Kept across visits, so
/// cancelling a visit does not lift the lock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lockout {
    wrong: u8,
    locked_until: Option<Millis>,
}

impl Lockout {
    /// Checks `typed` against `password` at `now`.
    pub fn attempt(&mut self, password: &VisualCheckPassword, typed: &str, now: Millis) -> Attempt {
        if let Some(until) = self.locked_until {
            if now < until {
                return Attempt::Locked { remaining_ms: until.0 - now.0 };
            }
            // The lock ended: a fresh count.
            *self = Self::default();
        }
        if password.matches(typed) {
            *self = Self::default();
            return Attempt::Accepted;
        }
        self.wrong = self.wrong.saturating_add(1);
        if self.wrong >= VISUAL_CHECK_TRIES {
            let until = now + VISUAL_CHECK_LOCK_MS;
            self.locked_until = Some(until);
            return Attempt::Locked { remaining_ms: until.0 - now.0 };
        }
        Attempt::Wrong { tries_left: VISUAL_CHECK_TRIES - self.wrong }
    }
}

/// Whole minutes shown for `ms` left, rounded up (1..=5 for a lock).
pub fn minutes_left(ms: u64) -> u8 {
    u8::try_from(ms.div_ceil(60_000)).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: [u8; SALT_LEN] = *b"0123456789abcdef";

    #[test]
    fn right_matches_wrong_does_not() {
        let p = VisualCheckPassword::derive("kanri-2025", SALT);
        assert!(p.matches("kanri-2025"));
        assert!(!p.matches("kanri-2024"));
        assert!(!p.matches(""));
        // Another salt, another hash.
        assert_ne!(p, VisualCheckPassword::derive("kanri-2025", *b"fedcba9876543210"));
    }

    #[test]
    fn debug_never_shows_the_password() {
        let p = VisualCheckPassword::derive("kanri-2025", SALT);
        let t = TypedPassword::new("kanri-2025").unwrap();
        for s in [format!("{p:?}"), format!("{t:?}")] {
            assert!(!s.contains("kanri"), "{s}");
        }
    }

    #[test]
    fn three_wrong_lock_for_five_minutes_then_count_restarts() {
        let p = VisualCheckPassword::derive("right", SALT);
        let mut l = Lockout::default();
        assert_eq!(l.attempt(&p, "x", Millis(0)), Attempt::Wrong { tries_left: 2 });
        assert_eq!(l.attempt(&p, "x", Millis(1)), Attempt::Wrong { tries_left: 1 });
        assert_eq!(l.attempt(&p, "x", Millis(2)), Attempt::Locked { remaining_ms: 300_000 });
        // Even the right password is refused while locked.
        assert_eq!(l.attempt(&p, "right", Millis(60_002)), Attempt::Locked { remaining_ms: 240_000 });
        // After the lock, a fresh count of three.
        assert_eq!(l.attempt(&p, "x", Millis(300_002)), Attempt::Wrong { tries_left: 2 });
        assert_eq!(l.attempt(&p, "right", Millis(300_003)), Attempt::Accepted);
        assert_eq!(l.attempt(&p, "x", Millis(300_004)), Attempt::Wrong { tries_left: 2 });
    }

    #[test]
    fn success_resets_the_count() {
        let p = VisualCheckPassword::derive("right", SALT);
        let mut l = Lockout::default();
        l.attempt(&p, "x", Millis(0));
        l.attempt(&p, "x", Millis(0));
        assert_eq!(l.attempt(&p, "right", Millis(0)), Attempt::Accepted);
        assert_eq!(l.attempt(&p, "x", Millis(0)), Attempt::Wrong { tries_left: 2 });
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes_left(300_000), 5);
        assert_eq!(minutes_left(240_001), 5);
        assert_eq!(minutes_left(1), 1);
    }
}
