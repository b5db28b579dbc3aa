//! Which key does what on which screen (table in
//! `docs/boards/device-link.md`): a pure function of the screen on show.
//!
//! Choices drawn at the bottom of a screen are "1" (left) and "2" (right),
//! so ← picks the first and → the second. PIN digits go in through a picker
//! ([`Screen::PinPicker`]): ↑ and ↓ turn the digit, select enters it, ←
//! deletes the last one.

use crate::buttons::Key;
use firmware::reception::Event;
use firmware::ui::Screen;

/// A patient's answer a key gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Choice {
    /// Face authentication.
    ChooseFace,
    /// PIN entry.
    ChoosePin,
    /// Delete the last PIN digit.
    PinBackspace,
    /// Answer on the last-try confirmation.
    ConfirmLastTry(bool),
    /// Answer on the consent screen.
    Consent(bool),
    /// Answer to "register now?".
    Register(bool),
}

impl Choice {
    /// The terminal's event.
    pub const fn event(self) -> Event<'static> {
        match self {
            Self::ChooseFace => Event::ChooseFace,
            Self::ChoosePin => Event::ChoosePin,
            Self::PinBackspace => Event::PinBackspace,
            Self::ConfirmLastTry(b) => Event::ConfirmLastTry(b),
            Self::Consent(b) => Event::Consent(b),
            Self::Register(b) => Event::Register(b),
        }
    }
}

/// What a key press means on a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum KeyAction {
    /// Feed this answer to the terminal.
    Event(Choice),
    /// Turn the picker's digit up (9 → 0).
    PickerUp,
    /// Turn the picker's digit down (0 → 9).
    PickerDown,
    /// Enter the picker's digit.
    PickerEnter,
    /// Leave the "wrong PIN" message for the picker (the terminal already
    /// waits for a new PIN).
    OpenPicker,
    /// The key does nothing here.
    Nothing,
}

/// The meaning of `key` while `screen` is on show.
pub fn key_action(screen: &Screen, key: Key) -> KeyAction {
    use Choice as W;
    use KeyAction::{Event, Nothing};
    match (screen.shown(), key) {
        (Screen::ChooseAuth { .. } | Screen::FaceLocked | Screen::PinBlocked, Key::Left) => Event(W::ChooseFace),
        (Screen::ChooseAuth { pin_allowed: true } | Screen::FaceLocked | Screen::PinBlocked, Key::Right) => {
            Event(W::ChoosePin)
        }
        (Screen::ChooseAuth { pin_allowed: false }, Key::Select) => Event(W::ChooseFace),
        // After a face that did not match: → switches to the PIN.
        (Screen::FaceFailed { pin_allowed: true, .. }, Key::Right) => Event(W::ChoosePin),
        (Screen::PinPicker { .. }, Key::Up) => KeyAction::PickerUp,
        (Screen::PinPicker { .. }, Key::Down) => KeyAction::PickerDown,
        (Screen::PinPicker { .. }, Key::Select) => KeyAction::PickerEnter,
        (Screen::PinPicker { .. }, Key::Left) => Event(W::PinBackspace),
        (Screen::PinWrong { .. }, _) => KeyAction::OpenPicker,
        (Screen::PinLastTry, Key::Left) => Event(W::ConfirmLastTry(true)),
        (Screen::PinLastTry, Key::Right) => Event(W::ConfirmLastTry(false)),
        (Screen::Consent, Key::Left) => Event(W::Consent(true)),
        (Screen::Consent, Key::Right) => Event(W::Consent(false)),
        (Screen::NotRegistered, Key::Left) => Event(W::Register(true)),
        (Screen::NotRegistered, Key::Right) => Event(W::Register(false)),
        _ => Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use KeyAction::*;
    use firmware::domain::CopayRate;

    #[test]
    fn choices_follow_their_drawn_order() {
        let on = |s: Screen, k| key_action(&s, k);
        assert_eq!(on(Screen::ChooseAuth { pin_allowed: true }, Key::Left), Event(Choice::ChooseFace));
        assert_eq!(on(Screen::ChooseAuth { pin_allowed: true }, Key::Right), Event(Choice::ChoosePin));
        assert_eq!(on(Screen::ChooseAuth { pin_allowed: false }, Key::Right), Nothing);
        assert_eq!(on(Screen::ChooseAuth { pin_allowed: false }, Key::Select), Event(Choice::ChooseFace));
        assert_eq!(on(Screen::FaceFailed { failures: 1, pin_allowed: true }, Key::Right), Event(Choice::ChoosePin));
        assert_eq!(on(Screen::FaceFailed { failures: 1, pin_allowed: false }, Key::Right), Nothing);
        assert_eq!(on(Screen::PinLastTry, Key::Left), Event(Choice::ConfirmLastTry(true)));
        assert_eq!(on(Screen::PinLastTry, Key::Right), Event(Choice::ConfirmLastTry(false)));
        assert_eq!(on(Screen::Consent, Key::Left), Event(Choice::Consent(true)));
        assert_eq!(on(Screen::Consent, Key::Right), Event(Choice::Consent(false)));
        assert_eq!(on(Screen::NotRegistered, Key::Left), Event(Choice::Register(true)));
        assert_eq!(on(Screen::NotRegistered, Key::Right), Event(Choice::Register(false)));
    }

    #[test]
    fn the_pin_picker_turns_enters_and_deletes() {
        let picker = Screen::PinPicker { entered: 1, tries_left: Some(3), digit: 4 };
        assert_eq!(key_action(&picker, Key::Up), PickerUp);
        assert_eq!(key_action(&picker, Key::Down), PickerDown);
        assert_eq!(key_action(&picker, Key::Select), PickerEnter);
        assert_eq!(key_action(&picker, Key::Left), Event(Choice::PinBackspace));
        assert_eq!(key_action(&picker, Key::Right), Nothing);
        for k in [Key::Up, Key::Select, Key::Left] {
            assert_eq!(key_action(&Screen::PinWrong { tries_left: 2 }, k), OpenPicker);
        }
        // No tries left shows the blocked screen: another method, not the picker.
        assert_eq!(key_action(&Screen::PinWrong { tries_left: 0 }, Key::Left), Event(Choice::ChooseFace));
    }

    #[test]
    fn screens_without_a_choice_ignore_every_key() {
        let busy = [
            Screen::Idle { online: true },
            Screen::ReadingCard,
            Screen::FaceScanning,
            Screen::Querying,
            Screen::VisualCheck,
            Screen::Result { copay: CopayRate::Thirty, limit: None, disease: None, elderly: false },
            Screen::PinEntry { entered: 0, tries_left: None },
        ];
        for s in busy {
            for k in Key::ALL {
                assert_eq!(key_action(&s, k), Nothing, "{s:?} {k:?}");
            }
        }
    }
}
