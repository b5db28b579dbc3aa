//! What a visit still needs, as the counter says it: every [`OneOf`] must
//! be met, each by any one of its alternatives, and an alternative is
//! documents shown [`Together`] ("the card together with its お知らせ").
//!
//! ```text
//! Required = OneOf ∧ OneOf ∧ …      ("and also")
//! OneOf    = Together ∨ Together ∨ … ("one of these")
//! Together = kind + kind            ("this together with that")
//! ```

use crate::domain::DocumentKind;
use core::fmt;
use serde::{Deserialize, Serialize};

/// Most requirements one decision carries.
pub const MAX_REQUIRED: usize = 6;
/// Most alternatives one requirement offers.
pub const MAX_ALTERNATIVES: usize = 5;

/// Documents shown together: a non-empty set of kinds (a bit per
/// [`DocumentKind::ALL`] position), listed in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Together(u16);

const fn bit(kind: DocumentKind) -> u16 {
    1 << (kind as u16)
}

impl Together {
    /// One document alone.
    pub const fn one(kind: DocumentKind) -> Self {
        Self(bit(kind))
    }

    /// This set with `kind` added.
    pub const fn with(self, kind: DocumentKind) -> Self {
        Self(self.0 | bit(kind))
    }

    /// Whether `kind` is one of the documents.
    pub const fn contains(self, kind: DocumentKind) -> bool {
        self.0 & bit(kind) != 0
    }

    /// The documents, in [`DocumentKind::ALL`] order.
    pub fn kinds(self) -> impl Iterator<Item = DocumentKind> {
        DocumentKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }

    /// Whether every document of `self` is also in `other`.
    pub const fn within(self, other: Self) -> bool {
        self.0 & !other.0 == 0
    }

    /// Japanese: "マイナ保険証と資格情報のお知らせ".
    pub fn ja(self) -> impl fmt::Display {
        Words(move |f: &mut fmt::Formatter<'_>| {
            for (i, k) in self.kinds().enumerate() {
                if i > 0 {
                    f.write_str("と")?;
                }
                f.write_str(k.ja())?;
            }
            Ok(())
        })
    }
}

/// One requirement: any one of its alternatives meets it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OneOf(heapless::Vec<Together, MAX_ALTERNATIVES>);

impl OneOf {
    /// A requirement with these alternatives, in the order given (the first
    /// is what the counter asks for first); duplicates and alternatives
    /// past [`MAX_ALTERNATIVES`] are dropped.
    pub fn new(alternatives: &[Together]) -> Self {
        let mut v = heapless::Vec::new();
        for a in alternatives {
            if !v.contains(a) {
                let _ = v.push(*a);
            }
        }
        Self(v)
    }

    /// A requirement met by one document.
    pub fn single(kind: DocumentKind) -> Self {
        Self::new(&[Together::one(kind)])
    }

    /// The alternatives, first preferred.
    pub fn alternatives(&self) -> &[Together] {
        &self.0
    }

    /// Every document kind any alternative names.
    pub fn mentions(&self, kind: DocumentKind) -> bool {
        self.0.iter().any(|t| t.contains(kind))
    }

    /// Japanese: "資格確認書、またはマイナ保険証と資格情報のお知らせ".
    pub fn ja(&self) -> impl fmt::Display + '_ {
        Words(move |f: &mut fmt::Formatter<'_>| {
            for (i, t) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str("、または")?;
                }
                write!(f, "{}", t.ja())?;
            }
            Ok(())
        })
    }
}

/// What a visit still needs: every requirement, each met by one of its
/// alternatives. Empty: nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Required(heapless::Vec<OneOf, MAX_REQUIRED>);

impl Required {
    /// Nothing required.
    pub const fn none() -> Self {
        Self(heapless::Vec::new())
    }

    /// Adds a requirement unless an equal one is there; past
    /// [`MAX_REQUIRED`] the earliest requirements are kept (they explain
    /// the outcome).
    pub fn add(&mut self, req: OneOf) {
        if !req.0.is_empty() && !self.0.contains(&req) {
            let _ = self.0.push(req);
        }
    }

    /// The requirements, in the order the rules asked for them.
    pub fn iter(&self) -> core::slice::Iter<'_, OneOf> {
        self.0.iter()
    }

    /// Whether nothing is required.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of requirements.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Removes every requirement.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Whether any alternative of any requirement names `kind`.
    pub fn mentions(&self, kind: DocumentKind) -> bool {
        self.0.iter().any(|r| r.mentions(kind))
    }

    /// Japanese, requirements separated by "／".
    pub fn ja(&self) -> impl fmt::Display + '_ {
        Words(move |f: &mut fmt::Formatter<'_>| {
            for (i, r) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str("／")?;
                }
                write!(f, "{}", r.ja())?;
            }
            Ok(())
        })
    }
}

/// A closure that writes text, as `Display`.
struct Words<F>(F);

impl<F: Fn(&mut fmt::Formatter<'_>) -> fmt::Result> fmt::Display for Words<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.0)(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind as K;

    #[test]
    fn together_lists_kinds_in_declaration_order() {
        let t = Together::one(K::Notice).with(K::MynaCard);
        assert_eq!(t.kinds().collect::<std::vec::Vec<_>>(), [K::MynaCard, K::Notice]);
        assert!(t.contains(K::Notice) && !t.contains(K::Portal));
        assert!(Together::one(K::Notice).within(t) && !t.within(Together::one(K::Notice)));
        assert_eq!(t.ja().to_string(), "マイナ保険証と資格情報のお知らせ");
    }

    #[test]
    fn one_of_and_required_read_in_japanese() {
        let card = Together::one(K::MynaCard);
        let r = OneOf::new(&[
            Together::one(K::Certificate),
            card.with(K::Notice),
            card.with(K::Notice),
            card.with(K::Portal),
        ]);
        assert_eq!(r.alternatives().len(), 3, "duplicates dropped");
        assert_eq!(
            r.ja().to_string(),
            "資格確認書、またはマイナ保険証と資格情報のお知らせ、またはマイナ保険証とマイナポータルの資格情報画面"
        );
        let mut req = Required::none();
        req.add(r.clone());
        req.add(r);
        req.add(OneOf::single(K::Limit));
        assert_eq!(req.len(), 2);
        assert!(req.mentions(K::Portal) && req.mentions(K::Limit) && !req.mentions(K::OldCard));
        assert!(req.ja().to_string().ends_with("／限度額適用認定証"));
    }
}
