//! The 4-digit user-authentication PIN (利用者証明用電子証明書の暗証番号).
//!
//! The terminal collects it one key press at a time, hands it once to
//! [`verify_pin`](super::jpki::verify_pin) and drops it. It is zeroised on
//! drop and on [`clear`](Pin::clear), cannot be cloned, serialised or logged,
//! and its `Debug` prints no digits.

use core::fmt;

/// Digits of a JPKI user-authentication PIN.
pub const PIN_LEN: usize = 4;

/// Why a key press was not taken or a PIN cannot be used yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PinError {
    /// The key is not a digit 0..=9.
    NotADigit,
    /// Four digits were entered already.
    Full,
    /// Fewer than four digits were entered.
    Incomplete,
}

impl fmt::Display for PinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotADigit => write!(f, "PIN keys are the digits 0 to 9"),
            Self::Full => write!(f, "the PIN has 4 digits already"),
            Self::Incomplete => write!(f, "the PIN needs 4 digits"),
        }
    }
}

impl core::error::Error for PinError {}

/// A PIN being entered or entered: up to 4 ASCII digits.
///
/// Not `Clone`, not `Copy`, not `Serialize`: there is one copy, and it is
/// zeroised when dropped. Moving it may leave stale copies on the stack that
/// no safe code can reach; keep it in one place (e.g. inside the terminal
/// state) and pass it by reference.
#[derive(Default)]
pub struct Pin {
    digits: [u8; PIN_LEN],
    len: usize,
}

impl Pin {
    /// An empty PIN.
    pub const fn new() -> Self {
        Self { digits: [0; PIN_LEN], len: 0 }
    }

    /// Appends one key press, a digit value 0..=9 (not ASCII).
    pub fn push_digit(&mut self, digit: u8) -> Result<(), PinError> {
        if digit > 9 {
            return Err(PinError::NotADigit);
        }
        let slot = self.digits.get_mut(self.len).ok_or(PinError::Full)?;
        *slot = b'0' + digit;
        self.len += 1;
        Ok(())
    }

    /// Removes the last digit (the keypad's back key); `false` when empty.
    pub fn pop_digit(&mut self) -> bool {
        if self.len == 0 {
            return false;
        }
        self.len -= 1;
        if let Some(slot) = self.digits.get_mut(self.len) {
            super::zeroize(core::slice::from_mut(slot));
        }
        true
    }

    /// Digits entered so far (for drawing `●` marks).
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether no digit was entered.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether all 4 digits were entered.
    pub const fn is_complete(&self) -> bool {
        self.len == PIN_LEN
    }

    /// Forgets the digits, zeroising them.
    pub fn clear(&mut self) {
        super::zeroize(&mut self.digits);
        self.len = 0;
    }

    /// The 4 ASCII digits, once complete. Only the VERIFY builder reads them.
    pub(crate) fn ascii(&self) -> Result<&[u8; PIN_LEN], PinError> {
        if self.is_complete() { Ok(&self.digits) } else { Err(PinError::Incomplete) }
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        self.clear();
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin(****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(digits: &[u8]) -> Pin {
        let mut p = Pin::new();
        for &d in digits {
            p.push_digit(d).unwrap();
        }
        p
    }

    #[test]
    fn collects_exactly_four_digits() {
        let mut p = Pin::new();
        assert!(p.is_empty());
        assert_eq!(p.ascii(), Err(PinError::Incomplete));
        for (i, d) in [1, 2, 3, 4].into_iter().enumerate() {
            assert!(!p.is_complete());
            p.push_digit(d).unwrap();
            assert_eq!(p.len(), i + 1);
        }
        assert!(p.is_complete());
        assert_eq!(p.ascii(), Ok(b"1234"));
        assert_eq!(p.push_digit(5), Err(PinError::Full));
        assert_eq!(p.ascii(), Ok(b"1234"));
    }

    #[test]
    fn rejects_non_digits() {
        let mut p = Pin::new();
        assert_eq!(p.push_digit(10), Err(PinError::NotADigit));
        assert_eq!(p.push_digit(b'1'), Err(PinError::NotADigit));
        assert!(p.is_empty());
    }

    #[test]
    fn clear_and_pop_zeroise() {
        let mut p = pin(&[9, 8, 7]);
        assert!(p.pop_digit());
        assert_eq!(p.digits, [b'9', b'8', 0, 0]);
        p.clear();
        assert_eq!(p.digits, [0; PIN_LEN]);
        assert!(p.is_empty());
        assert!(!p.pop_digit());
        p.push_digit(0).unwrap();
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn debug_prints_no_digits() {
        let p = pin(&[1, 2, 3, 4]);
        let s = format!("{p:?}");
        assert_eq!(s, "Pin(****)");
        assert_eq!(format!("{:?}", Pin::new()), "Pin(****)");
    }
}
