//! Five keys (up, down, left, right, select): raw levels in, debounced
//! presses out.
//!
//! [`Debouncer`] is pure: feed it the time and the keys that read pressed,
//! it returns the keys that were just pressed. A key's level counts once it
//! has held for [`DEBOUNCE_MS`]. A key is *armed* only after it has read
//! released once: QEMU's lm3s6965evb reports every key pressed until that
//! key's first event, and a real board may boot with a key held, so the
//! state a key boots with never acts. [`Buttons`] samples five active-low
//! `InputPin`s into it.

use embedded_hal::digital::InputPin;
use firmware::reception::Millis;

/// How long a level must hold before it counts, ms.
pub const DEBOUNCE_MS: u64 = 20;

/// One key of the gamepad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Key {
    /// ↑ (QEMU: up arrow; lm3s6965evb PE0).
    Up,
    /// ↓ (down arrow; PE1).
    Down,
    /// ← (left arrow; PE2).
    Left,
    /// → (right arrow; PE3).
    Right,
    /// Select (Ctrl; PF1).
    Select,
}

impl Key {
    /// Every key, in bit order of a [`KeySet`].
    pub const ALL: [Self; 5] = [Self::Up, Self::Down, Self::Left, Self::Right, Self::Select];

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of keys (a bit each, in [`Key::ALL`] order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct KeySet(u8);

impl KeySet {
    /// No key.
    pub const EMPTY: Self = Self(0);

    /// These keys.
    pub fn of(keys: &[Key]) -> Self {
        Self(keys.iter().fold(0, |acc, k| acc | k.bit()))
    }

    /// Whether `key` is in the set.
    pub const fn contains(self, key: Key) -> bool {
        self.0 & key.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The keys in the set, in [`Key::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Key> {
        Key::ALL.into_iter().filter(move |k| self.contains(*k))
    }

    const fn with(self, key: Key, on: bool) -> Self {
        if on { Self(self.0 | key.bit()) } else { Self(self.0 & !key.bit()) }
    }
}

/// Debounces five keys and reports fresh presses of armed keys.
#[derive(Debug, Clone)]
pub struct Debouncer {
    /// Debounced levels (pressed = set).
    stable: KeySet,
    /// Since when each key's raw level differs from `stable`, if it does.
    changing_since: [Option<Millis>; 5],
    /// Keys seen released once (debounced).
    armed: KeySet,
}

impl Default for Debouncer {
    fn default() -> Self {
        Self::new()
    }
}

impl Debouncer {
    /// Nothing known yet: every key counts as pressed and unarmed, so that a
    /// key read pressed at boot does nothing until it was released.
    pub const fn new() -> Self {
        Self { stable: KeySet(0b1_1111), changing_since: [None; 5], armed: KeySet::EMPTY }
    }

    /// Feeds the keys that read pressed at `now`; returns the armed keys
    /// whose debounced level just went from released to pressed.
    pub fn update(&mut self, now: Millis, pressed: KeySet) -> KeySet {
        let mut presses = KeySet::EMPTY;
        for (i, key) in Key::ALL.into_iter().enumerate() {
            let raw = pressed.contains(key);
            if raw == self.stable.contains(key) {
                self.changing_since[i] = None;
                continue;
            }
            let since = *self.changing_since[i].get_or_insert(now);
            if now.0.saturating_sub(since.0) < DEBOUNCE_MS {
                continue;
            }
            self.changing_since[i] = None;
            self.stable = self.stable.with(key, raw);
            if !raw {
                self.armed = self.armed.with(key, true);
            } else if self.armed.contains(key) {
                presses = presses.with(key, true);
            }
        }
        presses
    }

    /// Keys that have read released once and now act.
    pub fn armed(&self) -> KeySet {
        self.armed
    }
}

/// Five active-low key inputs and their debouncer.
#[derive(Debug)]
pub struct Buttons<P> {
    pins: [P; 5],
    debouncer: Debouncer,
}

impl<P: InputPin> Buttons<P> {
    /// Keys on these pins, in [`Key::ALL`] order (up, down, left, right,
    /// select); a pin reading low is a pressed key.
    pub fn new(pins: [P; 5]) -> Self {
        Self { pins, debouncer: Debouncer::new() }
    }

    /// Samples the pins at `now`; returns the fresh presses.
    pub fn poll(&mut self, now: Millis) -> Result<KeySet, P::Error> {
        let mut pressed = KeySet::EMPTY;
        for (pin, key) in self.pins.iter_mut().zip(Key::ALL) {
            pressed = pressed.with(key, pin.is_low()?);
        }
        Ok(self.debouncer.update(now, pressed))
    }

    /// The pins back.
    pub fn release(self) -> [P; 5] {
        self.pins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(d: &mut Debouncer, from: u64, to: u64, pressed: &[Key]) -> std::vec::Vec<(u64, Key)> {
        extern crate std;
        let mut out = std::vec::Vec::new();
        for t in (from..to).step_by(5) {
            for k in d.update(Millis(t), KeySet::of(pressed)).iter() {
                out.push((t, k));
            }
        }
        out
    }
    extern crate std;

    #[test]
    fn a_key_held_at_boot_does_nothing_until_released() {
        let mut d = Debouncer::new();
        // QEMU: every key reads pressed until its first event.
        assert!(run(&mut d, 0, 500, &Key::ALL).is_empty());
        assert!(d.armed().is_empty());
        // Up is released (the harness presses and releases each key once).
        assert!(run(&mut d, 500, 600, &[Key::Down, Key::Left, Key::Right, Key::Select]).is_empty());
        assert_eq!(d.armed(), KeySet::of(&[Key::Up]));
        // Now a press of up counts once, after the debounce time.
        assert_eq!(run(&mut d, 600, 700, &[Key::Up, Key::Down, Key::Left, Key::Right, Key::Select]), [(620, Key::Up)]);
    }

    #[test]
    fn bounces_shorter_than_the_debounce_time_are_ignored() {
        let mut d = Debouncer::new();
        assert!(run(&mut d, 0, 100, &[]).is_empty());
        assert_eq!(d.armed(), KeySet::of(&Key::ALL));
        // 10 ms blips: never a press.
        for t in (100..300).step_by(20) {
            assert!(d.update(Millis(t), KeySet::of(&[Key::Select])).is_empty());
            assert!(d.update(Millis(t + 10), KeySet::EMPTY).is_empty());
        }
        // A real press: one edge, however long it is held.
        assert_eq!(run(&mut d, 300, 600, &[Key::Select]), [(320, Key::Select)]);
        assert!(run(&mut d, 600, 700, &[]).is_empty());
        assert_eq!(run(&mut d, 700, 800, &[Key::Select, Key::Left]), [(720, Key::Left), (720, Key::Select)]);
    }
}
