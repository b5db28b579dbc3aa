//! Where things are in a scenario file: byte offsets to line and column,
//! and dotted key paths (`documents[1].valid_until`) to and from spans.

use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

/// The position of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position { line, column: before[line_start..].chars().count() + 1 }
}

/// One key of the document: its dotted path, and where its key and value are.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    key: Range<usize>,
    value: Range<usize>,
}

/// Every key of a document, with spans, for naming the key at an offset and
/// finding the line of a key path.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    entries: Vec<Entry>,
    parsed: bool,
}

impl KeyIndex {
    /// Indexes `text`; an index of nothing when it is not valid TOML.
    pub fn new(text: &str) -> Self {
        let mut index = Self::default();
        if let Ok(root) = DeTable::parse(text) {
            index.parsed = true;
            index.table("", root.get_ref());
        }
        index
    }

    fn table(&mut self, prefix: &str, table: &DeTable<'_>) {
        for (k, v) in table.iter() {
            let path = if prefix.is_empty() { k.get_ref().to_string() } else { format!("{prefix}.{}", k.get_ref()) };
            self.entries.push(Entry { path: path.clone(), key: k.span(), value: v.span() });
            self.value(&path, v.get_ref());
        }
    }

    fn value(&mut self, path: &str, value: &DeValue<'_>) {
        match value {
            DeValue::Table(t) => self.table(path, t),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{i}]");
                    self.entries.push(Entry { path: item_path.clone(), key: item.span(), value: item.span() });
                    self.value(&item_path, item.get_ref());
                }
            }
            _ => {}
        }
    }

    /// Whether the text was valid TOML.
    pub fn is_toml(&self) -> bool {
        self.parsed
    }

    /// Whether the document has the top-level key `key`.
    pub fn has_key(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.path == key)
    }

    /// The most specific key whose key or value covers the span `at` (an
    /// error's span); `None` when only the whole document does.
    pub fn key_at(&self, at: Range<usize>) -> Option<&str> {
        if at == (0..0) {
            // toml reports errors of the document itself (a missing
            // top-level key) at 0..0.
            return None;
        }
        let covers = |r: &Range<usize>| r.start <= at.start && at.end <= r.end.max(r.start + 1);
        self.entries
            .iter()
            .filter_map(|e| {
                let len = |r: &Range<usize>| r.end - r.start;
                match (covers(&e.key), covers(&e.value)) {
                    (true, _) => Some((len(&e.key), e)),
                    (false, true) => Some((len(&e.value), e)),
                    _ => None,
                }
            })
            .min_by_key(|(len, e)| (*len, std::cmp::Reverse(e.path.len())))
            .map(|(_, e)| e.path.as_str())
    }

    /// Where the key `path` is written; for a path not in the file, where its
    /// nearest written parent is.
    pub fn offset_of(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(e) = self.entries.iter().find(|e| e.path == p) {
                return Some(e.key.start);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "title = \"t\"\n[facility]\nkind = \"clinic\"\n\n[[documents]]\nkind = \"notice\"\n\n[[documents]]\nkind = \"old_card\"\nvalid_until = \"R7.12.1\"\n\nactions = []\n";

    #[test]
    fn positions_are_one_based_and_count_characters() {
        assert_eq!(position("a\nbc", 0), Position { line: 1, column: 1 });
        assert_eq!(position("a\nbc", 3), Position { line: 2, column: 2 });
        assert_eq!(position("令和\nx", "令和\n".len()), Position { line: 2, column: 1 });
    }

    #[test]
    fn key_paths_round_trip() {
        let index = KeyIndex::new(DOC);
        let off = DOC.find("valid_until").unwrap();
        assert_eq!(index.key_at(off..off + 11), Some("documents[1].valid_until"));
        let value = DOC.find("\"R7.12.1\"").unwrap();
        assert_eq!(index.key_at(value..value + 9), Some("documents[1].valid_until"));
        assert_eq!(index.key_at(0..DOC.len()), None);
        assert_eq!(index.key_at(0..0), None);
        assert_eq!(index.offset_of("documents[1].valid_until"), Some(off));
        assert_eq!(position(DOC, index.offset_of("documents[1].copay").unwrap()).line, 8);
        let clinic = DOC.find("\"clinic\"").unwrap();
        assert_eq!(index.key_at(clinic..clinic + 8), Some("facility.kind"));
    }
}
