//! The terminal's screens: what it shows ([`Screen`]), in which words
//! ([`text`]), laid out for a 128×64 OLED or a 320×240 colour panel
//! ([`Layout`]), drawn on any embedded-graphics target ([`draw`]).
//!
//! ```
//! use embedded_graphics::framebuffer::{Framebuffer, buffer_size};
//! use embedded_graphics::pixelcolor::{Gray4, raw::{BigEndian, RawU4}};
//! use firmware::ui::{draw, Layout, Screen};
//!
//! // The SSD0323's own format: two pixels a byte, the left one in the high nibble.
//! let mut fb = Framebuffer::<Gray4, RawU4, BigEndian, 128, 64, { buffer_size::<Gray4>(128, 64) }>::new();
//! draw(&Screen::Idle { online: true }, Layout::Oled128x64, &mut fb)?;
//! assert!(fb.data().iter().any(|&b| b != 0));
//! # Ok::<(), core::convert::Infallible>(())
//! ```

pub mod layout;
pub mod render;
pub mod screen;
pub mod screen_text;
pub mod text;

pub use layout::{Layout, Tone};
pub use render::{Face, Role, UiColor, draw, draw_without_rule_tag, fits, for_each_glyph, missing_glyph};
pub use screen::{FACE_AUTH_LIMIT, FallbackKind, KeyInText, PIN_DIGITS, RuleTag, Screen};
pub use screen_text::for_each_screen_char;
