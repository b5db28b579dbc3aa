//! Working state of one `decide` call: the visit, the policy, the rules fired
//! so far and the documents still wanted.

use super::decision::{MAX_FIRED, MAX_REQUIRED};
use super::policy::{Context, Policy};
use super::rule::{Rule, RuleKind};
use super::visit::Visit;
use crate::domain::{Document, DocumentKind, InsurerNumber, MynaCard, OnlineAnswer, OnlineStatus, QueryKey};
use heapless::Vec;

/// Mutable state threaded through the document paths.
pub(crate) struct Cx<'v> {
    pub visit: &'v Visit,
    pub policy: &'v Policy,
    pub fired: Vec<&'static Rule, MAX_FIRED>,
    pub wanted: Vec<DocumentKind, MAX_REQUIRED>,
}

impl<'v> Cx<'v> {
    pub fn new(visit: &'v Visit, policy: &'v Policy) -> Self {
        Self { visit, policy, fired: Vec::new(), wanted: Vec::new() }
    }

    fn ctx<'a>(&self, insurer: Option<&'a InsurerNumber>) -> Context<'a> {
        Context { date: self.visit.date, insurer }
    }

    /// Records `rule` as fired (once).
    pub fn fire_rule(&mut self, rule: &'static Rule) -> &'static Rule {
        if !self.fired.iter().any(|r| r.id == rule.id) {
            // Capacity exceeds what any path can fire; a full list keeps the
            // earliest rules, which are the ones that explain the outcome.
            let _ = self.fired.push(rule);
        }
        rule
    }

    /// Fires the row of `kind` in force for `insurer`, if there is one.
    pub fn fire(&mut self, kind: RuleKind, insurer: Option<&InsurerNumber>) -> Option<&'static Rule> {
        let rule = self.policy.find(self.ctx(insurer), kind)?;
        Some(self.fire_rule(rule))
    }

    /// Whether a row of `kind` is in force for `insurer` (without firing it).
    pub fn in_force(&self, kind: RuleKind, insurer: Option<&InsurerNumber>) -> bool {
        self.policy.find(self.ctx(insurer), kind).is_some()
    }

    /// The earliest old-card last day in force for `insurer`.
    pub fn old_card_last_day(&self, insurer: &InsurerNumber) -> Option<(chrono::NaiveDate, &'static Rule)> {
        self.policy.old_card_last_day(self.ctx(Some(insurer)))
    }

    /// The issue date from which old cards of `insurer` are not genuine.
    pub fn old_card_issue_end(&self, insurer: &InsurerNumber) -> Option<(chrono::NaiveDate, &'static Rule)> {
        self.policy.old_card_issue_end(self.ctx(Some(insurer)))
    }

    /// Asks for a document (once).
    pub fn want(&mut self, kind: DocumentKind) {
        if !self.wanted.contains(&kind) {
            let _ = self.wanted.push(kind);
        }
    }

    /// The documents on the counter.
    pub fn documents(&self) -> impl Iterator<Item = &'v Document> + 'v {
        self.visit.documents.iter()
    }

    /// The My Number card, if presented.
    pub fn card(&self) -> Option<&'v MynaCard> {
        self.documents().find_map(|d| match d {
            Document::MynaCard(c) => Some(c),
            _ => None,
        })
    }

    /// The online answer to a query of kind `by`.
    pub fn answer(&self, by: QueryKey) -> Option<&'v OnlineAnswer> {
        match &self.visit.online {
            OnlineStatus::Answered { by: b, answer } if *b == by => Some(answer),
            _ => None,
        }
    }
}
