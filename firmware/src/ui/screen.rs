//! What the terminal shows, as pure data: one [`Screen`] variant per thing a
//! patient or a staff member sees. No text, no layout, no drawing here (see
//! [`text`](super::text) and [`render`](super::render)).

use crate::domain::{CopayRate, LimitClass, SpecificDisease};

/// Consecutive face-authentication failures after which face
/// authentication locks (MHLW leaflet; DOMAIN.md §3).
pub const FACE_AUTH_LIMIT: u8 = 10;

/// Digits of the card's user-authentication PIN.
pub const PIN_DIGITS: u8 = 4;

/// One screen of the reception terminal.
///
/// Pure data and `Copy`: the flow hands a value to the renderer, which keeps
/// nothing. Every value of every field renders (out-of-range counts are
/// clamped, long text is wrapped and clipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Screen {
    /// Waiting for a patient. `online`: "マイナ保険証をかざしてください";
    /// otherwise (the facility cannot confirm online) papers go to the counter.
    Idle {
        /// Whether the facility can confirm eligibility online.
        online: bool,
    },
    /// A card is on the reader and being read.
    ReadingCard,
    /// Choose how to prove identity. Cards issued without a PIN
    /// (顔認証マイナンバーカード) offer face authentication only; the staff's
    /// visual check (目視確認) is always mentioned.
    ChooseAuth {
        /// Whether the card has a PIN (暗証番号 is offered).
        pin_allowed: bool,
    },
    /// The camera is matching the face with the card's photo.
    FaceScanning,
    /// Face authentication failed; shows the tries left before the lock.
    FaceFailed {
        /// Consecutive failures so far (at [`FACE_AUTH_LIMIT`] or more this
        /// shows as [`Screen::FaceLocked`]).
        failures: u8,
        /// Whether the patient may switch to the PIN instead (the card has one
        /// and it is not blocked).
        pin_allowed: bool,
    },
    /// Face authentication is locked (10 consecutive failures).
    FaceLocked,
    /// PIN entry: shows one filled dot per digit entered, never a digit.
    PinEntry {
        /// Digits entered so far (0..=4; more shows as 4).
        entered: u8,
        /// Tries the card has left, when the reader asked it.
        tries_left: Option<u8>,
    },
    /// Confirmation before sending a PIN when only one try is left.
    PinLastTry,
    /// The card rejected the PIN.
    PinWrong {
        /// Tries left (0 shows as [`Screen::PinBlocked`]).
        tries_left: u8,
    },
    /// The PIN is blocked; it is reset at the municipal office.
    PinBlocked,
    /// Staff are checking identity by sight (目視確認モード).
    VisualCheck,
    /// The combined consent (since 2024-10-07) to share medical, drug and
    /// health-check information.
    Consent,
    /// Asking the online eligibility service.
    Querying,
    /// Eligibility confirmed.
    Result {
        /// Copay ratio (負担割合).
        copay: CopayRate,
        /// High-cost care limit class (限度額適用区分), when the answer has one.
        limit: Option<LimitClass>,
        /// Specific disease (特定疾病), when the answer has one.
        disease: Option<SpecificDisease>,
        /// Whether the patient is an elderly recipient (高齢受給者, 70–74).
        elderly: bool,
    },
    /// Public assistance (医療扶助) confirmed online: no insurance copay; the
    /// counter checks the medical ticket information.
    PublicAssistance,
    /// The card is not registered for insurance use: offer registration now.
    NotRegistered,
    /// Registration for insurance use is done.
    Registered,
    /// The card's user-authentication certificate has expired.
    CertificateExpired,
    /// The certificate expires within 3 months, or expired less than 3
    /// months ago (the card still gives the eligibility check): renew it.
    RenewalAlert {
        /// Whether the certificate has already expired (grace period).
        expired: bool,
    },
    /// Android smartphone chosen and its PIN entered: hold the phone to the
    /// general-purpose reader. iPhone: authenticated on the phone, hold it.
    PhoneHold {
        /// Whether it is an iPhone.
        iphone: bool,
    },
    /// iPhone chosen: authenticate on the phone (Face ID / Touch ID).
    PhoneAuth,
    /// The card left the reader before the read finished.
    CardRemoved,
    /// The counter confirms eligibility on a paper (or phone) document.
    Fallback {
        /// Which document.
        kind: FallbackKind,
        /// The rule that chose it, shown small for staff and support.
        rule: RuleTag,
    },
    /// The online eligibility service did not answer.
    ServiceUnavailable,
    /// The terminal has no network.
    NetworkDown,
    /// Staff type a field of a paper document.
    KeyIn {
        /// Which field.
        field: crate::domain::KeyInField,
        /// What was typed so far.
        entered: KeyInText,
        /// Whether the last input was rejected.
        error: bool,
    },
    /// PIN entry on a device with arrow keys instead of a keypad (drawn by
    /// the board in place of [`Screen::PinEntry`]): the dots, and a digit
    /// picker showing the digit about to be entered. The flow never shows
    /// it; the picker goes back to 0 after each digit.
    PinPicker {
        /// Digits entered so far (0..=4; more shows as 4).
        entered: u8,
        /// Tries the card has left, when the reader asked it.
        tries_left: Option<u8>,
        /// The digit under the picker (0..=9; more shows as 9).
        digit: u8,
    },
    /// The visual-check password typed at the reader was wrong.
    VisualCheckPasswordWrong {
        /// Wrong tries left before the switch is locked.
        tries_left: u8,
    },
    /// Too many wrong visual-check passwords: the switch is locked.
    VisualCheckLocked {
        /// Minutes until it can be tried again (rounded up).
        minutes: u8,
    },
}

/// The document the counter checks when the card cannot be used online
/// (DOMAIN.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FallbackKind {
    /// 資格情報のお知らせ together with the My Number card.
    NoticeWithCard,
    /// 資格確認書.
    Certificate,
    /// マイナポータル's eligibility screen together with the card.
    PortalScreen,
    /// 被保険者資格申立書 (self-declaration); the normal copay applies.
    SelfDeclaration,
    /// A 健康保険証 still within its printed validity.
    OldCard,
    /// A 高齢受給者証 (70–74 on paper: it gives the copay ratio).
    ElderlyRecipient,
    /// Nothing to show: the patient speaks to the counter, where staff check
    /// (several coverages, nothing valid presented).
    AtCounter,
    /// The お知らせ or the マイナポータル screen, either one, with the card.
    NoticeOrPortal,
    /// A 資格確認書, or the お知らせ or マイナポータル screen with the card.
    CertificateOrNotice,
    /// A paper proof (資格確認書 ...) if the patient holds one, otherwise
    /// the self-declaration form at the normal copay.
    PaperOrSelfDeclaration,
}

impl FallbackKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 10] = [
        Self::NoticeWithCard,
        Self::Certificate,
        Self::PortalScreen,
        Self::SelfDeclaration,
        Self::OldCard,
        Self::ElderlyRecipient,
        Self::AtCounter,
        Self::NoticeOrPortal,
        Self::CertificateOrNotice,
        Self::PaperOrSelfDeclaration,
    ];
}

/// Bytes of a [`RuleTag`].
pub const RULE_TAG_LEN: usize = 32;

/// A short ASCII rule id ("R-OFFLINE-NOTICE"), `Copy` and fixed-size.
///
/// Holds 1 to [`RULE_TAG_LEN`] printable ASCII characters (no spaces).
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct RuleTag {
    bytes: [u8; RULE_TAG_LEN],
    len: u8,
}

impl RuleTag {
    /// The tag, or `None` when `s` is empty, longer than [`RULE_TAG_LEN`]
    /// bytes, or has anything but printable ASCII without spaces.
    pub const fn new(s: &str) -> Option<Self> {
        let src = s.as_bytes();
        if src.is_empty() || src.len() > RULE_TAG_LEN {
            return None;
        }
        let mut bytes = [0u8; RULE_TAG_LEN];
        let mut i = 0;
        while i < src.len() {
            if !src[i].is_ascii_graphic() {
                return None;
            }
            bytes[i] = src[i];
            i += 1;
        }
        Some(Self { bytes, len: src.len() as u8 })
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        let len = usize::from(self.len).min(RULE_TAG_LEN);
        core::str::from_utf8(self.bytes.get(..len).unwrap_or(&[])).unwrap_or("")
    }
}

impl core::fmt::Debug for RuleTag {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "RuleTag({:?})", self.as_str())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for RuleTag {
    fn format(&self, f: defmt::Formatter) {
        defmt::write!(f, "{=str}", self.as_str())
    }
}

/// Bytes of a [`KeyInText`].
pub const KEY_IN_LEN: usize = 24;

/// What staff typed into a key-in field so far: up to [`KEY_IN_LEN`] bytes of
/// UTF-8, `Copy` and fixed-size. Characters the screen font lacks show as `?`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct KeyInText {
    bytes: [u8; KEY_IN_LEN],
    len: u8,
}

impl KeyInText {
    /// Nothing typed yet.
    pub const EMPTY: Self = Self { bytes: [0; KEY_IN_LEN], len: 0 };

    /// The text, or `None` when `s` is longer than [`KEY_IN_LEN`] bytes or
    /// has a control character.
    pub fn new(s: &str) -> Option<Self> {
        if s.len() > KEY_IN_LEN || s.chars().any(char::is_control) {
            return None;
        }
        let mut bytes = [0u8; KEY_IN_LEN];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Self { bytes, len: s.len() as u8 })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let len = usize::from(self.len).min(KEY_IN_LEN);
        core::str::from_utf8(self.bytes.get(..len).unwrap_or(&[])).unwrap_or("")
    }

    /// Whether nothing was typed.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl core::fmt::Debug for KeyInText {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "KeyInText({:?})", self.as_str())
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for KeyInText {
    fn format(&self, f: defmt::Formatter) {
        defmt::write!(f, "{=str}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_tag_accepts_short_ascii_only() {
        assert_eq!(RuleTag::new("R-OFFLINE-NOTICE").map(|t| t.len), Some(16));
        assert_eq!(RuleTag::new("R-OFFLINE-NOTICE").unwrap().as_str(), "R-OFFLINE-NOTICE");
        assert!(RuleTag::new("").is_none());
        assert!(RuleTag::new("R OFFLINE").is_none());
        assert!(RuleTag::new("R-資格").is_none());
        assert!(RuleTag::new(&"X".repeat(RULE_TAG_LEN)).is_some());
        assert!(RuleTag::new(&"X".repeat(RULE_TAG_LEN + 1)).is_none());
    }

    #[test]
    fn key_in_text_round_trips_and_bounds() {
        assert_eq!(KeyInText::new("33120015").unwrap().as_str(), "33120015");
        assert_eq!(KeyInText::new("東京あ").unwrap().as_str(), "東京あ");
        assert!(KeyInText::new("12\n3").is_none());
        assert!(KeyInText::new(&"1".repeat(KEY_IN_LEN + 1)).is_none());
        assert!(KeyInText::EMPTY.is_empty() && KeyInText::EMPTY.as_str().is_empty());
    }

    #[test]
    fn screen_is_small_and_copy() {
        fn is_copy<T: Copy>() {}
        is_copy::<Screen>();
        // A 32-byte rule tag (the longest rule id is 31 characters) plus
        // its length and the variant tag.
        assert!(core::mem::size_of::<Screen>() <= 40, "{}", core::mem::size_of::<Screen>());
    }
}
