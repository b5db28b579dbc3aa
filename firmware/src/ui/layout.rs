//! The two layouts, and what each screen puts on them: a title, a column of
//! blocks (paragraphs, result rows, PIN dots, an input field) and up to two
//! choices. Which words: [`text`](super::text). Where the pixels go:
//! [`render`](super::render).

use embedded_graphics::geometry::Size;

use super::screen::{FACE_AUTH_LIMIT, PIN_DIGITS, Screen};
use super::text::{self, Wording};

/// A display the terminal can draw on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Layout {
    /// 128×64 monochrome or gray OLED (the emulated board's SSD0323, 4-bit
    /// gray): terse text in a 10 px font.
    Oled128x64,
    /// 320×240 colour TFT (RGB565): title bar, full sentences in 16 px,
    /// choice buttons.
    Tft320x240,
}

impl Layout {
    /// Both layouts.
    pub const ALL: [Self; 2] = [Self::Oled128x64, Self::Tft320x240];

    /// Size in pixels.
    pub const fn size(self) -> Size {
        match self {
            Self::Oled128x64 => Size::new(128, 64),
            Self::Tft320x240 => Size::new(320, 240),
        }
    }

    /// Short name, as the reference images' folder.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Oled128x64 => "oled128x64",
            Self::Tft320x240 => "tft320x240",
        }
    }

    const fn is_short(self) -> bool {
        matches!(self, Self::Oled128x64)
    }
}

/// What kind of moment a screen is; it picks the title bar's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Tone {
    /// Waiting for the patient to act.
    Normal,
    /// The terminal is working; the patient waits.
    Busy,
    /// Done (green).
    Success,
    /// Go to the counter, check something (amber).
    Caution,
    /// Locked or blocked (red).
    Danger,
    /// For staff (visual check, key-in).
    Staff,
}

impl Screen {
    /// The screen as shown: counts that mean a lock show as the lock screen.
    pub const fn shown(self) -> Self {
        match self {
            Self::FaceFailed { failures, .. } if failures >= FACE_AUTH_LIMIT => Self::FaceLocked,
            Self::PinWrong { tries_left: 0 } => Self::PinBlocked,
            other => other,
        }
    }

    /// The screen's tone (title bar colour; a board may also drive an LED).
    pub const fn tone(&self) -> Tone {
        match self.shown() {
            Self::Idle { .. } | Self::ChooseAuth { .. } | Self::PinEntry { .. } | Self::Consent => Tone::Normal,
            Self::PinPicker { .. } => Tone::Normal,
            Self::PhoneHold { .. } | Self::PhoneAuth => Tone::Normal,
            Self::RenewalAlert { .. } => Tone::Caution,
            Self::NotRegistered => Tone::Normal,
            Self::ReadingCard | Self::FaceScanning | Self::Querying => Tone::Busy,
            Self::Result { .. } | Self::Registered | Self::PublicAssistance => Tone::Success,
            Self::FaceFailed { .. } | Self::PinLastTry | Self::PinWrong { .. } | Self::CardRemoved => Tone::Caution,
            Self::CertificateExpired | Self::Fallback { .. } | Self::ServiceUnavailable | Self::NetworkDown => {
                Tone::Caution
            }
            Self::FaceLocked | Self::PinBlocked => Tone::Danger,
            Self::VisualCheck | Self::KeyIn { .. } => Tone::Staff,
            Self::VisualCheckPasswordWrong { .. } => Tone::Caution,
            Self::VisualCheckLocked { .. } => Tone::Danger,
        }
    }
}

/// A piece of text, possibly with a number in it, without formatting into a
/// buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Txt<'a> {
    /// Plain text.
    Str(&'a str),
    /// Two texts in a row.
    Join(&'a str, &'static str),
    /// `pre`, the number, `post`: "残り3回".
    Count { pre: &'static str, n: u8, post: &'static str },
}

impl Txt<'_> {
    /// Calls `f` with each character, in order.
    pub(crate) fn for_each_char(&self, mut f: impl FnMut(char)) {
        match *self {
            Txt::Str(s) => s.chars().for_each(f),
            Txt::Join(a, b) => a.chars().chain(b.chars()).for_each(f),
            Txt::Count { pre, n, post } => {
                pre.chars().for_each(&mut f);
                let digits = [n / 100, n / 10 % 10, n % 10];
                let first = if n >= 100 {
                    0
                } else if n >= 10 {
                    1
                } else {
                    2
                };
                for d in &digits[first..] {
                    f(char::from(b'0' + d));
                }
                post.chars().for_each(f);
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Txt::Str(s) if s.is_empty())
    }
}

/// One element of a screen's body, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Block<'a> {
    /// The main message, wrapped and centred.
    Para(Txt<'a>),
    /// A secondary message (quieter on the colour panel).
    Note(Txt<'a>),
    /// A warning line (red band on the colour panel, inverted on the OLED).
    Alert(Txt<'a>),
    /// A result row: label, value.
    Pair(&'static str, &'static str),
    /// PIN progress: `filled` of `total` dots.
    Dots { filled: u8, total: u8 },
    /// An input field with what was typed.
    Field(&'a str),
    /// A digit picker: the digit (0..=9) between an up and a down mark.
    Picker(u8),
}

/// Most blocks a screen has.
pub(crate) const MAX_BLOCKS: usize = 8;

/// A screen laid out as data, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Content<'a> {
    pub tone: Tone,
    pub title: &'static str,
    pub blocks: heapless::Vec<Block<'a>, MAX_BLOCKS>,
    pub choices: heapless::Vec<&'static str, 2>,
    /// Small print at the bottom (the rule tag).
    pub footer: Option<&'a str>,
}

impl<'a> Content<'a> {
    fn new(tone: Tone, title: &'static str) -> Self {
        Self { tone, title, blocks: heapless::Vec::new(), choices: heapless::Vec::new(), footer: None }
    }

    fn push(&mut self, block: Block<'a>) {
        let empty = matches!(block, Block::Para(t) | Block::Note(t) | Block::Alert(t) if t.is_empty());
        if !empty {
            // MAX_BLOCKS is above what any screen uses; a block past it is dropped.
            let _ = self.blocks.push(block);
        }
    }

    fn choice(&mut self, label: &'static str) {
        let _ = self.choices.push(label);
    }

    /// Title, message and (colour panel only) note of a wording.
    fn wording(tone: Tone, w: &Wording, layout: Layout) -> Self {
        let (title, body) = if layout.is_short() { (w.title_short, w.body_short) } else { (w.title, w.body) };
        let mut c = Self::new(tone, title);
        c.push(Block::Para(Txt::Str(body)));
        c
    }

    fn note(&mut self, w: &Wording, layout: Layout) {
        if !layout.is_short() {
            self.push(Block::Note(Txt::Str(w.note)));
        }
    }
}

/// Lays a screen out for a layout.
pub(crate) fn content(screen: &Screen, layout: Layout) -> Content<'_> {
    let short = layout.is_short();
    let tone = screen.tone();
    let simple = |w: &Wording| {
        let mut c = Content::wording(tone, w, layout);
        c.note(w, layout);
        c
    };
    match screen {
        Screen::FaceFailed { failures, .. } if *failures >= FACE_AUTH_LIMIT => simple(&text::FACE_LOCKED),
        Screen::PinWrong { tries_left: 0 } => simple(&text::PIN_BLOCKED),
        Screen::Idle { online: true } => simple(&text::IDLE_ONLINE),
        Screen::Idle { online: false } => simple(&text::IDLE_OFFLINE),
        Screen::ReadingCard => simple(&text::READING_CARD),
        Screen::ChooseAuth { pin_allowed } => {
            let w = if *pin_allowed { &text::CHOOSE_AUTH } else { &text::CHOOSE_AUTH_FACE_ONLY };
            let mut c = simple(w);
            c.choice(text::CHOICE_FACE);
            if *pin_allowed {
                c.choice(text::CHOICE_PIN);
            }
            c
        }
        Screen::FaceScanning => simple(&text::FACE_SCANNING),
        Screen::FaceFailed { failures, pin_allowed } => {
            let w = &text::FACE_FAILED;
            let mut c = Content::wording(tone, w, layout);
            let n = FACE_AUTH_LIMIT.saturating_sub(*failures);
            let post = if short { text::FACE_REMAINING_TAIL_SHORT } else { text::FACE_REMAINING_TAIL };
            c.push(Block::Alert(Txt::Count { pre: text::FACE_REMAINING, n, post }));
            if *pin_allowed {
                if short {
                    // The small panel has no note: name the key instead.
                    c.push(Block::Para(Txt::Str(text::FACE_FAILED_PIN_KEY_SHORT)));
                } else {
                    c.note(w, layout);
                }
            }
            c
        }
        Screen::FaceLocked => simple(&text::FACE_LOCKED),
        Screen::PinEntry { entered, tries_left } => {
            let mut c = simple(&text::PIN_ENTRY);
            c.push(Block::Dots { filled: (*entered).min(PIN_DIGITS), total: PIN_DIGITS });
            if let Some(n) = tries_left {
                c.push(Block::Note(Txt::Count { pre: text::REMAINING, n: *n, post: text::TIMES }));
            }
            c
        }
        Screen::PinPicker { entered, tries_left, digit } => {
            let mut c = simple(&text::PIN_ENTRY);
            c.push(Block::Dots { filled: (*entered).min(PIN_DIGITS), total: PIN_DIGITS });
            c.push(Block::Picker((*digit).min(9)));
            if let Some(n) = tries_left {
                c.push(Block::Note(Txt::Count { pre: text::REMAINING, n: *n, post: text::TIMES }));
            }
            c
        }
        Screen::PinLastTry => {
            let mut c = simple(&text::PIN_LAST_TRY);
            c.choice(text::CHOICE_YES);
            c.choice(text::CHOICE_NO);
            c
        }
        Screen::PinWrong { tries_left } => {
            let mut c = simple(&text::PIN_WRONG);
            c.push(Block::Alert(Txt::Count { pre: text::REMAINING, n: *tries_left, post: text::TIMES }));
            c
        }
        Screen::PinBlocked => simple(&text::PIN_BLOCKED),
        Screen::VisualCheck => simple(&text::VISUAL_CHECK),
        Screen::VisualCheckPasswordWrong { tries_left } => {
            let w = &text::VISUAL_CHECK_PASSWORD_WRONG;
            let mut c = Content::wording(tone, w, layout);
            let post = if short { text::VISUAL_CHECK_LOCK_TAIL_SHORT } else { text::VISUAL_CHECK_LOCK_TAIL };
            c.push(Block::Alert(Txt::Count { pre: text::FACE_REMAINING, n: *tries_left, post }));
            c.note(w, layout);
            c
        }
        Screen::VisualCheckLocked { minutes } => {
            let w = &text::VISUAL_CHECK_LOCKED;
            let mut c = Content::wording(tone, w, layout);
            let post = if short { text::VISUAL_CHECK_RETRY_TAIL_SHORT } else { text::VISUAL_CHECK_RETRY_TAIL };
            c.push(Block::Alert(Txt::Count { pre: text::FACE_REMAINING, n: *minutes, post }));
            c.note(w, layout);
            c
        }
        Screen::Consent => {
            let mut c = simple(&text::CONSENT);
            c.choice(text::CHOICE_AGREE);
            c.choice(text::CHOICE_DISAGREE);
            c
        }
        Screen::Querying => simple(&text::QUERYING),
        Screen::Result { copay, limit, disease, elderly } => {
            let w = &text::RESULT;
            let mut c = Content::wording(tone, w, layout);
            c.push(Block::Pair(text::LABEL_COPAY, copay.ja()));
            if let Some(l) = limit {
                c.push(Block::Pair(text::LABEL_LIMIT, text::limit_label(*l)));
            }
            if let Some(d) = disease {
                c.push(Block::Pair(text::LABEL_DISEASE, d.ja()));
            }
            if *elderly {
                c.push(Block::Pair(text::LABEL_ELDERLY, text::ELDERLY_YES));
            }
            c.note(w, layout);
            c
        }
        Screen::NotRegistered => {
            let mut c = simple(&text::NOT_REGISTERED);
            c.choice(text::CHOICE_REGISTER);
            c.choice(text::CHOICE_NOT_REGISTER);
            c
        }
        Screen::Registered => simple(&text::REGISTERED),
        Screen::CertificateExpired => simple(&text::CERTIFICATE_EXPIRED),
        Screen::PublicAssistance => simple(&text::PUBLIC_ASSISTANCE),
        Screen::RenewalAlert { expired: false } => simple(&text::RENEWAL_ALERT),
        Screen::RenewalAlert { expired: true } => simple(&text::RENEWAL_ALERT_GRACE),
        Screen::PhoneHold { iphone: false } => simple(&text::PHONE_HOLD_ANDROID),
        Screen::PhoneHold { iphone: true } => simple(&text::PHONE_HOLD_IPHONE),
        Screen::PhoneAuth => simple(&text::PHONE_AUTH),
        Screen::CardRemoved => simple(&text::CARD_REMOVED),
        Screen::Fallback { kind, rule } => {
            let mut c = simple(&text::fallback(*kind));
            c.footer = Some(rule.as_str());
            c
        }
        Screen::ServiceUnavailable => simple(&text::SERVICE_UNAVAILABLE),
        Screen::NetworkDown => simple(&text::NETWORK_DOWN),
        Screen::KeyIn { field, entered, error } => {
            let title = if short { text::KEY_IN_TITLE_SHORT } else { text::KEY_IN_TITLE };
            let mut c = Content::new(tone, title);
            let prompt = if short { text::KEY_IN_PROMPT_SHORT } else { text::KEY_IN_PROMPT };
            c.push(Block::Para(Txt::Join(text::key_in_label(*field), prompt)));
            c.push(Block::Field(entered.as_str()));
            if *error {
                let e = if short { text::KEY_IN_ERROR_SHORT } else { text::KEY_IN_ERROR };
                c.push(Block::Alert(Txt::Str(e)));
            }
            c
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CopayRate, LimitClass, SpecificDisease};

    fn chars(t: Txt<'_>) -> heapless::String<64> {
        let mut s = heapless::String::new();
        t.for_each_char(|c| {
            let _ = s.push(c);
        });
        s
    }

    #[test]
    fn counts_render_without_leading_zeros() {
        for (n, want) in [(0, "残り0回"), (7, "残り7回"), (10, "残り10回"), (255, "残り255回")] {
            assert_eq!(chars(Txt::Count { pre: "残り", n, post: "回" }), want);
        }
    }

    #[test]
    fn lock_counts_show_the_lock_screens() {
        assert_eq!(Screen::FaceFailed { failures: 10, pin_allowed: true }.shown(), Screen::FaceLocked);
        assert_eq!(Screen::FaceFailed { failures: 255, pin_allowed: false }.tone(), Tone::Danger);
        let nine = Screen::FaceFailed { failures: 9, pin_allowed: true };
        assert_eq!(nine.shown(), nine);
        assert_eq!(Screen::PinWrong { tries_left: 0 }.shown(), Screen::PinBlocked);
    }

    #[test]
    fn result_lists_only_what_the_answer_has() {
        let s = Screen::Result {
            copay: CopayRate::Twenty,
            limit: Some(LimitClass::Ippan),
            disease: Some(SpecificDisease::Dialysis),
            elderly: true,
        };
        let pairs =
            |s: &Screen| content(s, Layout::Tft320x240).blocks.iter().filter(|b| matches!(b, Block::Pair(..))).count();
        assert_eq!(pairs(&s), 4);
        let s = Screen::Result { copay: CopayRate::Thirty, limit: None, disease: None, elderly: false };
        assert_eq!(pairs(&s), 1);
    }
}
