//! One evaluator per way coverage can be established, tried in order of
//! preference by `decide`.

pub(crate) mod accompanying;
pub(crate) mod alternatives;
pub(crate) mod certificate;
pub(crate) mod myna;
pub(crate) mod notice;
pub(crate) mod old_card;
pub(crate) mod temporary;

use super::decision::{Basis, CopaySource};
use super::rule::Rule;
use crate::domain::{CopayRate, InsurerNumber};

/// A copay stated by a document or answer.
pub(crate) type Stated = Option<(CopayRate, CopaySource)>;

/// What one path concluded.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathResult<'v> {
    /// Nothing on the counter for this path.
    NotPresented,
    /// Coverage established.
    Accepted { basis: Basis, rule: &'static Rule, stated: Stated, insurer: Option<&'v InsurerNumber> },
    /// Self-declaration is the way forward (failure or invalid answer).
    SelfDeclaration { rule: &'static Rule },
    /// One more thing would establish coverage (already asked for in `Cx`).
    NeedsMore { rule: &'static Rule },
    /// Presented, but not valid.
    Rejected,
}
