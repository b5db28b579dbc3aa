//! Normalisation of typed and printed text: full-width digits, letters and
//! spaces become ASCII so that parsers see one form.
//!
//! Japanese input methods type digits and Latin letters either half-width
//! (`7`) or full-width (`７`), and the prolonged-sound mark `ー` where a
//! hyphen was meant. Parsers read text through [`Normalized`], which maps
//! every character with [`normalize_char`] and keeps the 1-based position of
//! the character as typed, so that errors can point at it.

/// Maps one character to its ASCII form where it has one that means the same
/// in numbers, dates and IDs:
///
/// - the full-width ASCII block `！`..`～` (digits `０-９`, letters `Ａ-Ｚ`,
///   `ａ-ｚ`, `．`, `／`, `－`, `％` ...) → the ASCII character;
/// - the ideographic space `　` → `' '`;
/// - dashes and minus signs (`‐`, `‑`, `‒`, `–`, `—`, `―`, `−`) → `'-'`.
///
/// Kanji and kana are left alone, including `ー` and `。`: whether those mean
/// `-` and `.` depends on what surrounds them ([`Normalized`] decides it for
/// digits on both sides).
pub const fn normalize_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            // The full-width block mirrors ASCII 0x21..=0x7E at 0xFF01..=0xFF5E.
            match char::from_u32(c as u32 - 0xFF01 + 0x21) {
                Some(a) => a,
                None => c,
            }
        }
        '\u{3000}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Whether `c`, once normalised, is white space (ASCII or ideographic).
pub fn is_space(c: char) -> bool {
    normalize_char(c).is_whitespace()
}

/// One character of the input: where it was, as typed, and normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NormChar {
    /// 1-based position of the character in the input, counted in characters.
    pub pos: usize,
    /// The character as typed.
    pub raw: char,
    /// The normalised character.
    pub ch: char,
}

/// Iterator over the characters of a string, normalised with
/// [`normalize_char`], with their positions.
///
/// Beyond [`normalize_char`], a prolonged-sound mark (`ー`, `ｰ`) between two
/// digits becomes `'-'` ("2025ー09ー30"), and an ideographic full stop (`。`,
/// `｡`) between two digits becomes `'.'` ("7。9。30"): input methods in
/// Japanese mode produce these where a hyphen or a dot was meant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Normalized<'a> {
    rest: &'a str,
    pos: usize,
    prev: Option<char>,
}

impl<'a> Normalized<'a> {
    /// Iterates over `s`.
    pub fn new(s: &'a str) -> Self {
        Self { rest: s, pos: 0, prev: None }
    }
}

impl Iterator for Normalized<'_> {
    type Item = NormChar;

    fn next(&mut self) -> Option<NormChar> {
        let mut chars = self.rest.chars();
        let raw = chars.next()?;
        self.rest = chars.as_str();
        self.pos += 1;
        let mut ch = normalize_char(raw);
        let between_digits = self.prev.is_some_and(|p| p.is_ascii_digit())
            && self.rest.chars().next().is_some_and(|n| normalize_char(n).is_ascii_digit());
        match ch {
            '\u{30FC}' | '\u{FF70}' if between_digits => ch = '-',
            '\u{3002}' | '\u{FF61}' if between_digits => ch = '.',
            _ => {}
        }
        self.prev = Some(ch);
        Some(NormChar { pos: self.pos, raw, ch })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rest.chars().size_hint()
    }
}

/// The normalised characters of `s` that are not white space, with their
/// positions in `s`.
pub fn without_spaces(s: &str) -> impl Iterator<Item = NormChar> + '_ {
    Normalized::new(s).filter(|c| !c.ch.is_whitespace())
}

/// The normalised characters of `s` between its first and last characters
/// that are not white space (leading and trailing spaces, full-width ones
/// included, are dropped; inner ones are kept), with their positions in `s`.
pub fn trimmed(s: &str) -> impl Iterator<Item = NormChar> + '_ {
    let lead = s.chars().take_while(|&c| is_space(c)).count();
    let body = s.trim_matches(is_space);
    Normalized::new(body).map(move |c| NormChar { pos: c.pos + lead, ..c })
}

/// Whether `s` is empty or only white space (full-width spaces included).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(is_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> heapless::String<64> {
        let mut out = heapless::String::new();
        for c in Normalized::new(s) {
            out.push(c.ch).unwrap();
        }
        out
    }

    #[test]
    fn full_width_ascii_becomes_ascii() {
        assert_eq!(norm("０１２３４５６７８９"), "0123456789");
        assert_eq!(norm("ＡＢＣＸＹＺａｂｃｘｙｚ"), "ABCXYZabcxyz");
        assert_eq!(norm("．／－％"), "./-%");
        assert_eq!(norm("　"), " ");
        assert_eq!(normalize_char('！'), '!');
        assert_eq!(normalize_char('～'), '~');
        assert_eq!(normalize_char('−'), '-');
    }

    #[test]
    fn kanji_and_kana_are_left_alone() {
        assert_eq!(norm("令和元年ひらがなカタカナ"), "令和元年ひらがなカタカナ");
        assert_eq!(normalize_char('ー'), 'ー');
        assert_eq!(normalize_char('。'), '。');
        assert_eq!(norm("ラーメン。"), "ラーメン。");
    }

    #[test]
    fn long_mark_and_full_stop_between_digits() {
        assert_eq!(norm("２０２５ー０９ー３０"), "2025-09-30");
        assert_eq!(norm("7。9。30"), "7.9.30");
        assert_eq!(norm("1ー"), "1ー");
        assert_eq!(norm("ー1"), "ー1");
        assert_eq!(norm("aー1"), "aー1");
    }

    #[test]
    fn positions_count_characters_as_typed() {
        let v: heapless::Vec<NormChar, 8> = without_spaces("令 ７").collect();
        assert_eq!(v[0], NormChar { pos: 1, raw: '令', ch: '令' });
        assert_eq!(v[1], NormChar { pos: 3, raw: '７', ch: '7' });
        let v: heapless::Vec<NormChar, 8> = trimmed("　 1 2　").collect();
        assert_eq!(v.iter().map(|c| (c.pos, c.ch)).collect::<Vec<_>>(), [(3, '1'), (4, ' '), (5, '2')]);
    }

    #[test]
    fn blank() {
        assert!(is_blank(""));
        assert!(is_blank(" 　\t"));
        assert!(!is_blank(" x "));
    }
}
