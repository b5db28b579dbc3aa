//! What a trainee reads after answering, kept apart from what they see
//! before (the [`CounterView`](super::view::CounterView)): the scenario's
//! title and explanation, the right answer, and the rules that decided it,
//! each with its source named as a person would cite it. Rule ids are not
//! part of it: they are for staff screens and reports, not for trainees.
//!
//! The terminal UI ([`draw`](super::draw)) and any other front end read the
//! same data.

use crate::scenario::Scenario;
use crate::scoring::Answer;
use firmware::rules::{Decision, Rule};

/// One rule as a trainee reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleNote {
    /// What the rule says (Japanese).
    pub text: &'static str,
    /// Where it comes from, by the document's name.
    pub source: String,
}

impl RuleNote {
    /// The note of `rule`.
    pub fn of(rule: &Rule) -> Self {
        Self { text: rule.ja, source: rule.source.to_string() }
    }
}

/// Everything shown after the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The scenario's title (it may name the answer).
    pub title: String,
    /// The scenario's explanation, if it has one.
    pub text: Option<String>,
    /// The right answer in Japanese ("受け付ける（資格確認書）・3割").
    pub answer: String,
    /// The rule that settled the decision.
    pub deciding: RuleNote,
    /// Every rule that fired, in order.
    pub rules: Vec<RuleNote>,
}

impl Explanation {
    /// The explanation of `scenario`, whose right answer is `expected` and
    /// whose firmware decision is `decision`.
    pub fn new(scenario: &Scenario, expected: &Answer, decision: &Decision) -> Self {
        Self {
            title: scenario.spec.title.clone(),
            text: scenario.spec.explanation_text().map(str::to_string),
            answer: expected.ja(),
            deciding: RuleNote::of(decision.deciding),
            rules: decision.fired.iter().map(|r| RuleNote::of(r)).collect(),
        }
    }

    /// Phrases that give the answer away: the title, the answer, and every
    /// sentence of the explanation and of the rules' texts. None of them may
    /// appear in what the trainee sees before answering.
    pub fn giveaways(&self) -> Vec<String> {
        let mut out = vec![self.title.clone(), self.answer.clone()];
        let texts = self.text.iter().map(String::as_str).chain(self.rules.iter().map(|r| r.text));
        for text in texts.chain([self.deciding.text]) {
            out.extend(sentences(text));
        }
        out.sort();
        out.dedup();
        out
    }
}

/// The sentences of a Japanese text (split at 。 and line ends), trimmed,
/// without ones too short to be telling (under 6 characters).
pub fn sentences(text: &str) -> Vec<String> {
    text.split(['。', '\n'])
        .map(|s| s.trim().trim_end_matches(['、', '，']).trim())
        .filter(|s| s.chars().count() >= 6)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_and_drop_short_ones() {
        assert_eq!(
            sentences("有効期限内です。\n新しい資格確認書をお持ちか確認してください。はい。"),
            vec!["有効期限内です".to_string(), "新しい資格確認書をお持ちか確認してください".to_string()]
        );
    }
}
