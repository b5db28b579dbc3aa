//! Working state of one `decide` call: the visit, the policy, the rules fired
//! so far and the documents still wanted.

use super::decision::MAX_FIRED;
use super::policy::{Context, Policy};
use super::required::{MAX_ALTERNATIVES, OneOf, Required, Together};
use super::rule::{Rule, RuleKind};
use super::visit::Visit;
use crate::domain::{Document, DocumentKind, InsurerNumber, MynaCard, OnlineAnswer, OnlineStatus, QueryKey};
use heapless::Vec;

/// Mutable state threaded through the document paths.
pub(crate) struct Cx<'v> {
    pub visit: &'v Visit,
    pub policy: &'v Policy,
    pub fired: Vec<&'static Rule, MAX_FIRED>,
    /// What would prove coverage, as alternatives gathered from every path
    /// that asked ("one of these"), first asked first.
    pub proof: Vec<Together, MAX_ALTERNATIVES>,
    /// Accompanying documents, each a requirement of its own.
    pub accompanying: Required,
    /// A rule that says why nothing was accepted better than "no valid
    /// document" (the measure ended, the late-stage elderly paper changed).
    pub refusal: Option<&'static Rule>,
}

impl<'v> Cx<'v> {
    pub fn new(visit: &'v Visit, policy: &'v Policy) -> Self {
        Self { visit, policy, fired: Vec::new(), proof: Vec::new(), accompanying: Required::none(), refusal: None }
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

    /// Adds `kind` to the documents that would prove coverage (once).
    pub fn want(&mut self, kind: DocumentKind) {
        self.want_one_of(&[Together::one(kind)]);
    }

    /// Adds `alternatives` to what would prove coverage (each once; past
    /// [`MAX_ALTERNATIVES`] the first asked are kept).
    pub fn want_one_of(&mut self, alternatives: &[Together]) {
        for a in alternatives {
            if !self.proof.contains(a) {
                let _ = self.proof.push(*a);
            }
        }
    }

    /// Requires an accompanying document, as a requirement of its own.
    pub fn require(&mut self, kind: DocumentKind) {
        self.accompanying.add(OneOf::single(kind));
    }

    /// What is required: one requirement of the proof alternatives (if any
    /// were asked for), then the accompanying documents.
    pub fn required(&self) -> Required {
        let mut r = Required::none();
        if !self.proof.is_empty() {
            r.add(OneOf::new(&self.proof));
        }
        for a in self.accompanying.iter() {
            r.add(a.clone());
        }
        r
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
