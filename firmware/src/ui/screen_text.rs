//! The text a screen shows, as characters: for checks ("does the result
//! screen say 資格確認が完了しました?"), transcripts and the training mode.

use super::layout::{Block, Layout, content};
use super::screen::Screen;

/// Calls `f` with every character `screen` shows in `layout`, in reading
/// order; `'\n'` separates title, blocks, choices and footer (and line breaks
/// within a message are kept).
pub fn for_each_screen_char(screen: &Screen, layout: Layout, mut f: impl FnMut(char)) {
    let c = content(screen, layout);
    c.title.chars().for_each(&mut f);
    for block in &c.blocks {
        f('\n');
        match block {
            Block::Para(t) | Block::Note(t) | Block::Alert(t) => t.for_each_char(&mut f),
            Block::Pair(label, value) => {
                label.chars().for_each(&mut f);
                f(' ');
                value.chars().for_each(&mut f);
            }
            Block::Dots { filled, total } => {
                (0..*total).for_each(|i| f(if i < *filled { '●' } else { '○' }));
            }
            Block::Field(text) => text.chars().for_each(&mut f),
        }
    }
    for choice in &c.choices {
        f('\n');
        choice.chars().for_each(&mut f);
    }
    if let Some(footer) = c.footer {
        f('\n');
        footer.chars().for_each(&mut f);
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
