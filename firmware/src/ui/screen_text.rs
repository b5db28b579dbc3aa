//! The text a screen shows, as characters: for checks ("does the result
//! screen say 資格確認が完了しました?"), transcripts and the training mode.

use super::layout::{Block, Layout, content};
use super::screen::Screen;

/// Calls `f` with every character `screen` shows in `layout`, in reading
/// order; `'\n'` separates title, blocks, choices and footer. Line breaks
/// inside a message are the display's wrapping and are left out (Japanese
/// runs on without spaces).
pub fn for_each_screen_char(screen: &Screen, layout: Layout, mut f: impl FnMut(char)) {
    let c = content(screen, layout);
    let text = |s: &str, f: &mut dyn FnMut(char)| s.chars().filter(|&ch| ch != '\n').for_each(f);
    text(c.title, &mut f);
    for block in &c.blocks {
        f('\n');
        match block {
            Block::Para(t) | Block::Note(t) | Block::Alert(t) => t.for_each_char(|ch| {
                if ch != '\n' {
                    f(ch)
                }
            }),
            Block::Pair(label, value) => {
                text(label, &mut f);
                f(' ');
                text(value, &mut f);
            }
            Block::Dots { filled, total } => {
                (0..*total).for_each(|i| f(if i < *filled { '●' } else { '○' }));
            }
            Block::Field(t) => text(t, &mut f),
            Block::Picker(d) => {
                f('▲');
                f(char::from(b'0' + (*d).min(9)));
                f('▼');
            }
        }
    }
    for choice in &c.choices {
        f('\n');
        text(choice, &mut f);
    }
    if let Some(footer) = c.footer {
        f('\n');
        text(footer, &mut f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CopayRate;

    fn text(s: &Screen) -> std::string::String {
        let mut out = std::string::String::new();
        for_each_screen_char(s, Layout::Tft320x240, |c| out.push(c));
        out
    }

    #[test]
    fn result_screen_text() {
        let s = Screen::Result { copay: CopayRate::Thirty, limit: None, disease: None, elderly: false };
        let t = text(&s);
        assert!(t.contains("資格確認が完了しました"), "{t}");
        assert!(t.contains("3割"), "{t}");
    }

    #[test]
    fn pin_entry_shows_dots_never_digits() {
        let t = text(&Screen::PinEntry { entered: 2, tries_left: Some(3) });
        assert!(t.contains("●●○○"), "{t}");
    }
}
