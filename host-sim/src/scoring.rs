//! The trainee's choices, the right answer, and scoring: one module for
//! both training UIs, the terminal's ([`crate::train`]) and the browser's
//! ([`crate::web`]), so both score alike.
//!
//! Each scenario is scored on the items its right answer has, one point each:
//!
//! | item | scored when the right outcome is | right when |
//! |---|---|---|
//! | 対応 (outcome) | always | the choice's outcome is the expected one |
//! | 根拠 (basis) | one with a basis (accepted, self-declaration) | the chosen basis is the expected one |
//! | 負担割合 (copay) | accepted or self-declaration | the chosen copay (or 未確定) is the expected one |
//! | 書類 (document) | needs more | the document asked for is one of the expected `required` ones; with none expected, "書類以外" |
//!
//! The maximum therefore depends on the scenario only, never on the choice.

use crate::scenario::expect::{Expectation, kind_name};
use crate::scenario::format::requirement_name;
use firmware::domain::{CopayRate, DocumentKind};
use firmware::rules::{Basis, Decision, Outcome, Required};
use serde::Serialize;

/// Every basis, in menu order (keys 1..=7).
pub const BASES: [Basis; 7] = [
    Basis::Online,
    Basis::Certificate,
    Basis::NoticeWithCard,
    Basis::PortalWithCard,
    Basis::OldCard,
    Basis::OldCardOnlineChecked,
    Basis::NoticeOnlineChecked,
];

/// Documents a clerk can ask for, in menu order (keys 1..=9); key 0 is
/// [`Need::Other`]. The self-declaration form is a choice of its own.
pub const ASKABLE: [DocumentKind; 9] = [
    DocumentKind::MynaCard,
    DocumentKind::Certificate,
    DocumentKind::Notice,
    DocumentKind::Portal,
    DocumentKind::OldCard,
    DocumentKind::ElderlyRecipient,
    DocumentKind::Limit,
    DocumentKind::SpecificDisease,
    DocumentKind::PublicExpense,
];

/// The copay the trainee charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CopayChoice {
    /// A ratio.
    Rate(CopayRate),
    /// 未確定: it cannot be settled yet (a document or a declaration is missing).
    Undetermined,
}

impl CopayChoice {
    /// As an optional ratio (`None`: undetermined), the way decisions state it.
    pub fn rate(self) -> Option<CopayRate> {
        match self {
            Self::Rate(r) => Some(r),
            Self::Undetermined => None,
        }
    }

    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Self::Rate(r) => r.ja(),
            Self::Undetermined => "未確定",
        }
    }
}

/// What the clerk asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// A document.
    Document(DocumentKind),
    /// Something that is not a document: an identity check, an online
    /// check, choosing among coverages, typing the numbers again.
    Other,
}

impl Need {
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Self::Document(k) => doc_ja(k),
            Self::Other => "書類以外の確認（本人確認・オンライン確認など）",
        }
    }

    /// The scenario-file name of the document, or `other`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Document(k) => kind_name(k),
            Self::Other => "other",
        }
    }
}

/// What the trainee chose for one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    /// Accept on a basis, charging a copay.
    Accept {
        /// What the coverage rests on.
        basis: Basis,
        /// The copay charged.
        copay: CopayChoice,
    },
    /// Ask for something first.
    Ask(Need),
    /// Accept on the self-declaration form (被保険者資格申立書).
    SelfDeclare {
        /// The copay charged.
        copay: CopayChoice,
    },
    /// Refuse insurance (保険診療不可).
    Refuse,
}

impl Choice {
    /// The outcome the choice amounts to.
    pub fn outcome(self) -> Outcome {
        match self {
            Self::Accept { .. } => Outcome::Accepted,
            Self::Ask(_) => Outcome::NeedsMore,
            Self::SelfDeclare { .. } => Outcome::SelfDeclaration,
            Self::Refuse => Outcome::Refused,
        }
    }

    /// The basis it states, if any.
    pub fn basis(self) -> Option<Basis> {
        match self {
            Self::Accept { basis, .. } => Some(basis),
            Self::SelfDeclare { .. } => Some(Basis::SelfDeclaration),
            _ => None,
        }
    }

    /// The copay it charges, if it charges one.
    pub fn copay(self) -> Option<CopayChoice> {
        match self {
            Self::Accept { copay, .. } | Self::SelfDeclare { copay } => Some(copay),
            _ => None,
        }
    }

    /// One line in Japanese: "受け付ける（資格確認書）・3割".
    pub fn ja(self) -> String {
        match self {
            Self::Accept { basis, copay } => format!("受け付ける（{}）・{}", basis_ja(basis), copay.ja()),
            Self::Ask(need) => format!("求める：{}", need.ja()),
            Self::SelfDeclare { copay } => format!("申立書で受け付ける・{}", copay.ja()),
            Self::Refuse => "保険診療不可".to_string(),
        }
    }

    /// Machine-readable form for the JSON score sheet.
    pub fn record(self) -> ChoiceRecord {
        ChoiceRecord {
            action: match self {
                Self::Accept { .. } => "accept",
                Self::Ask(_) => "ask",
                Self::SelfDeclare { .. } => "self_declaration",
                Self::Refuse => "refuse",
            },
            basis: self.basis().map(crate::scenario::expect::basis_name),
            copay: self.copay().map(CopayChoice::name),
            asked: match self {
                Self::Ask(n) => Some(n.name()),
                _ => None,
            },
        }
    }
}

/// Every copay a trainee can charge, in menu order.
pub const COPAYS: [CopayChoice; 4] = [
    CopayChoice::Rate(CopayRate::Ten),
    CopayChoice::Rate(CopayRate::Twenty),
    CopayChoice::Rate(CopayRate::Thirty),
    CopayChoice::Undetermined,
];

impl CopayChoice {
    /// The name a record uses: "3割", or "undetermined".
    pub fn name(self) -> &'static str {
        self.rate().map_or("undetermined", CopayRate::ja)
    }

    /// The copay a record names ([`CopayChoice::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        COPAYS.into_iter().find(|c| c.name() == name)
    }
}

impl Need {
    /// What a record names ([`Need::name`]): an askable document or `other`.
    pub fn from_name(name: &str) -> Option<Self> {
        if name == Self::Other.name() {
            return Some(Self::Other);
        }
        ASKABLE.into_iter().map(Self::Document).find(|n| n.name() == name)
    }
}

impl ChoiceRecord {
    /// The choice this record states: the inverse of [`Choice::record`].
    pub fn choice(&self) -> Option<Choice> {
        Choice::from_names(self.action, self.basis, self.copay, self.asked)
    }
}

impl Choice {
    /// The choice named the way [`Choice::record`] names it (what a web
    /// form sends back); `None` when a part is missing or unknown.
    pub fn from_names(action: &str, basis: Option<&str>, copay: Option<&str>, asked: Option<&str>) -> Option<Self> {
        let basis = || BASES.into_iter().find(|b| Some(crate::scenario::expect::basis_name(*b)) == basis);
        let copay = || CopayChoice::from_name(copay?);
        match action {
            "accept" => Some(Self::Accept { basis: basis()?, copay: copay()? }),
            "ask" => Some(Self::Ask(Need::from_name(asked?)?)),
            "self_declaration" => Some(Self::SelfDeclare { copay: copay()? }),
            "refuse" => Some(Self::Refuse),
            _ => None,
        }
    }
}

/// A choice as written to the JSON score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChoiceRecord {
    /// `accept`, `ask`, `self_declaration` or `refuse`.
    pub action: &'static str,
    /// The basis the choice states (scenario-file names; `self_declaration` for the form).
    pub basis: Option<&'static str>,
    /// The copay charged: "3割", or "undetermined".
    pub copay: Option<&'static str>,
    /// What was asked for: a document kind (scenario-file names) or `other`.
    pub asked: Option<&'static str>,
}

/// A right answer: what the terminal must decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Outcome.
    pub outcome: Outcome,
    /// Basis (`None`: none).
    pub basis: Option<Basis>,
    /// Copay charged (`None`: none, or not settled).
    pub copay: Option<CopayRate>,
    /// What is still required: each requirement met by one of its
    /// alternatives.
    pub required: Required,
}

impl Answer {
    /// The answer a scenario file states in `[expect]`.
    pub fn from_expectation(e: &Expectation) -> Self {
        Self { outcome: e.outcome, basis: e.basis, copay: e.copay, required: e.required_docs.clone() }
    }

    /// The answer the firmware decided.
    pub fn from_decision(d: &Decision) -> Self {
        Self { outcome: d.outcome, basis: d.basis, copay: d.copay.map(|c| c.rate), required: d.required.clone() }
    }

    /// One line in Japanese: "申立書で受け付ける・3割", "求める：資格確認書".
    pub fn ja(&self) -> String {
        let copay = self.copay.map_or("未確定", CopayRate::ja);
        match self.outcome {
            Outcome::Accepted => match self.basis {
                Some(b) => format!("受け付ける（{}）・{copay}", basis_ja(b)),
                None => format!("受け付ける・{copay}"),
            },
            Outcome::SelfDeclaration => format!("申立書で受け付ける・{copay}"),
            Outcome::NeedsMore if self.required.is_empty() => format!("求める：{}", Need::Other.ja()),
            Outcome::NeedsMore => format!("求める：{}", self.required_ja()),
            Outcome::Refused => "保険診療不可".to_string(),
        }
    }

    /// What is required in Japanese: "資格確認書、またはマイナ保険証と
    /// 資格情報のお知らせ", requirements separated by "／" ("" for none).
    pub fn required_ja(&self) -> String {
        let together = |t: &firmware::rules::Together| t.kinds().map(doc_ja).collect::<Vec<_>>().join("と");
        self.required
            .iter()
            .map(|r| r.alternatives().iter().map(together).collect::<Vec<_>>().join("、または"))
            .collect::<Vec<_>>()
            .join("／")
    }

    /// Machine-readable form for the JSON score sheet.
    pub fn record(&self) -> AnswerRecord {
        AnswerRecord {
            outcome: crate::scenario::expect::outcome_name(self.outcome),
            basis: self.basis.map(crate::scenario::expect::basis_name),
            copay: self.copay.map(CopayRate::ja),
            required: self.required.iter().map(requirement_name).collect(),
        }
    }
}

/// A right answer as written to the JSON score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerRecord {
    /// `accepted`, `needs_more`, `self_declaration` or `refused`.
    pub outcome: &'static str,
    /// Basis (scenario-file names).
    pub basis: Option<&'static str>,
    /// Copay ("3割"); none when not settled.
    pub copay: Option<&'static str>,
    /// What is still required, as in scenario files ("certificate | myna_card + notice").
    pub required: Vec<String>,
}

/// What is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 対応: accept, ask, self-declaration, refuse.
    Outcome,
    /// 根拠: what the coverage rests on.
    Basis,
    /// 負担割合: the copay.
    Copay,
    /// 書類: what to ask for.
    Document,
}

impl ItemKind {
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Self::Outcome => "対応",
            Self::Basis => "根拠",
            Self::Copay => "負担割合",
            Self::Document => "書類",
        }
    }
}

/// One scored item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What.
    pub kind: ItemKind,
    /// Whether the trainee got it right.
    pub right: bool,
    /// What the trainee chose, in Japanese ("（なし）" when the choice says nothing about it).
    pub chosen: String,
    /// The right value, in Japanese.
    pub correct: String,
}

/// The score of one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Every scored item.
    pub items: Vec<Item>,
    /// Items right.
    pub points: u32,
    /// Items scored.
    pub max: u32,
}

impl Score {
    /// Whether every item is right.
    pub fn all_right(&self) -> bool {
        self.points == self.max
    }

    /// "正解", "一部正解" or "不正解".
    pub fn verdict_ja(&self) -> &'static str {
        if self.all_right() {
            "正解"
        } else if self.points > 0 {
            "一部正解"
        } else {
            "不正解"
        }
    }
}

/// Japanese name of an outcome, as a clerk's action.
pub fn outcome_ja(o: Outcome) -> &'static str {
    match o {
        Outcome::Accepted => "受け付ける",
        Outcome::NeedsMore => "書類・確認を求める",
        Outcome::SelfDeclaration => "申立書で受け付ける",
        Outcome::Refused => "保険診療不可",
    }
}

/// Japanese name of a basis.
pub fn basis_ja(b: Basis) -> &'static str {
    match b {
        Basis::Online => "オンライン資格確認",
        Basis::Certificate => "資格確認書",
        Basis::NoticeWithCard => "お知らせ＋カード",
        Basis::PortalWithCard => "ポータル画面＋カード",
        Basis::OldCard => "健康保険証",
        Basis::OldCardOnlineChecked => "期限切れ保険証＋オンライン確認",
        Basis::NoticeOnlineChecked => "お知らせのみ＋オンライン確認",
        Basis::SelfDeclaration => "被保険者資格申立書",
        Basis::PublicAssistance => "医療扶助（オンライン資格確認）",
    }
}

/// Japanese name of a document kind, as the menus show it.
pub fn doc_ja(k: DocumentKind) -> &'static str {
    match k {
        DocumentKind::MynaCard => "マイナンバーカード",
        DocumentKind::PublicExpense => "公費の医療証",
        DocumentKind::Portal => "マイナポータル画面",
        other => other.ja(),
    }
}

/// Scores `choice` against the right answer `correct`.
pub fn score(choice: Choice, correct: &Answer) -> Score {
    const NONE: &str = "（なし）";
    let mut items = Vec::new();
    items.push(Item {
        kind: ItemKind::Outcome,
        right: choice.outcome() == correct.outcome,
        chosen: outcome_ja(choice.outcome()).to_string(),
        correct: outcome_ja(correct.outcome).to_string(),
    });
    if let Some(b) = correct.basis {
        items.push(Item {
            kind: ItemKind::Basis,
            right: choice.basis() == Some(b),
            chosen: choice.basis().map_or(NONE, basis_ja).to_string(),
            correct: basis_ja(b).to_string(),
        });
    }
    if matches!(correct.outcome, Outcome::Accepted | Outcome::SelfDeclaration) {
        items.push(Item {
            kind: ItemKind::Copay,
            right: choice.copay().is_some_and(|c| c.rate() == correct.copay),
            chosen: choice.copay().map_or(NONE, CopayChoice::ja).to_string(),
            correct: correct.copay.map_or("未確定", CopayRate::ja).to_string(),
        });
    }
    if correct.outcome == Outcome::NeedsMore {
        let asked = match choice {
            Choice::Ask(n) => Some(n),
            _ => None,
        };
        let right = match asked {
            Some(Need::Document(k)) => correct.required.mentions(k),
            Some(Need::Other) => correct.required.is_empty(),
            None => false,
        };
        let expected = if correct.required.is_empty() { Need::Other.ja().to_string() } else { correct.required_ja() };
        items.push(Item {
            kind: ItemKind::Document,
            right,
            chosen: asked.map_or(NONE, Need::ja).to_string(),
            correct: expected,
        });
    }
    let points = items.iter().filter(|i| i.right).count() as u32;
    let max = items.len() as u32;
    Score { items, points, max }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmware::rules::{OneOf, Together};

    /// An answer requiring any one of `one_of` (nothing when empty).
    fn answer(outcome: Outcome, basis: Option<Basis>, copay: Option<CopayRate>, one_of: &[DocumentKind]) -> Answer {
        let mut required = Required::none();
        let alternatives: Vec<Together> = one_of.iter().map(|k| Together::one(*k)).collect();
        required.add(OneOf::new(&alternatives));
        Answer { outcome, basis, copay, required }
    }

    fn rights(s: &Score) -> Vec<(ItemKind, bool)> {
        s.items.iter().map(|i| (i.kind, i.right)).collect()
    }

    const THIRTY: CopayChoice = CopayChoice::Rate(CopayRate::Thirty);
    const TWENTY: CopayChoice = CopayChoice::Rate(CopayRate::Twenty);

    #[test]
    fn accept_right_and_wrong() {
        let correct = answer(Outcome::Accepted, Some(Basis::Certificate), Some(CopayRate::Thirty), &[]);
        let right = score(Choice::Accept { basis: Basis::Certificate, copay: THIRTY }, &correct);
        assert_eq!((right.points, right.max), (3, 3));
        assert!(right.all_right());
        assert_eq!(right.verdict_ja(), "正解");
        let wrong_basis = score(Choice::Accept { basis: Basis::Online, copay: THIRTY }, &correct);
        assert_eq!(
            rights(&wrong_basis),
            [(ItemKind::Outcome, true), (ItemKind::Basis, false), (ItemKind::Copay, true)]
        );
        assert_eq!(wrong_basis.verdict_ja(), "一部正解");
        let wrong_copay = score(Choice::Accept { basis: Basis::Certificate, copay: TWENTY }, &correct);
        assert_eq!(wrong_copay.points, 2);
        assert_eq!(wrong_copay.items[2].chosen, "2割");
        assert_eq!(wrong_copay.items[2].correct, "3割");
        let refused = score(Choice::Refuse, &correct);
        assert_eq!((refused.points, refused.max), (0, 3));
        assert_eq!(refused.verdict_ja(), "不正解");
        assert_eq!(refused.items[1].chosen, "（なし）");
    }

    #[test]
    fn accept_with_copay_not_settled_wants_undetermined() {
        let correct = answer(Outcome::Accepted, Some(Basis::OldCard), None, &[DocumentKind::ElderlyRecipient]);
        let right = score(Choice::Accept { basis: Basis::OldCard, copay: CopayChoice::Undetermined }, &correct);
        assert_eq!((right.points, right.max), (3, 3));
        let wrong = score(Choice::Accept { basis: Basis::OldCard, copay: TWENTY }, &correct);
        assert_eq!(wrong.points, 2);
        assert_eq!(wrong.items[2].correct, "未確定");
        // Asking for the missing 高齢受給者証 is not the outcome: the visit is accepted.
        let asked = score(Choice::Ask(Need::Document(DocumentKind::ElderlyRecipient)), &correct);
        assert_eq!((asked.points, asked.max), (0, 3));
    }

    #[test]
    fn ask_right_and_wrong() {
        let correct = answer(Outcome::NeedsMore, None, None, &[DocumentKind::Notice, DocumentKind::Certificate]);
        for k in [DocumentKind::Notice, DocumentKind::Certificate] {
            let s = score(Choice::Ask(Need::Document(k)), &correct);
            assert_eq!((s.points, s.max), (2, 2), "{k:?}");
        }
        let wrong_doc = score(Choice::Ask(Need::Document(DocumentKind::OldCard)), &correct);
        assert_eq!(rights(&wrong_doc), [(ItemKind::Outcome, true), (ItemKind::Document, false)]);
        assert_eq!(wrong_doc.items[1].correct, "資格情報のお知らせ、または資格確認書");
        let other = score(Choice::Ask(Need::Other), &correct);
        assert_eq!(other.points, 1);
        let accepted = score(Choice::Accept { basis: Basis::Online, copay: THIRTY }, &correct);
        assert_eq!((accepted.points, accepted.max), (0, 2));
    }

    #[test]
    fn ask_for_something_other_than_a_document() {
        let correct = answer(Outcome::NeedsMore, None, None, &[]);
        let right = score(Choice::Ask(Need::Other), &correct);
        assert_eq!((right.points, right.max), (2, 2));
        let wrong = score(Choice::Ask(Need::Document(DocumentKind::Certificate)), &correct);
        assert_eq!((wrong.points, wrong.max), (1, 2));
    }

    #[test]
    fn self_declaration_right_and_wrong() {
        let correct = answer(
            Outcome::SelfDeclaration,
            Some(Basis::SelfDeclaration),
            Some(CopayRate::Thirty),
            &[DocumentKind::SelfDeclaration],
        );
        let right = score(Choice::SelfDeclare { copay: THIRTY }, &correct);
        assert_eq!((right.points, right.max), (3, 3));
        let wrong_copay = score(Choice::SelfDeclare { copay: CopayChoice::Undetermined }, &correct);
        assert_eq!(wrong_copay.points, 2);
        let accepted_online = score(Choice::Accept { basis: Basis::Online, copay: THIRTY }, &correct);
        assert_eq!(
            rights(&accepted_online),
            [(ItemKind::Outcome, false), (ItemKind::Basis, false), (ItemKind::Copay, true)]
        );
        // 70–74 without a declaration yet: the copay is not settled.
        let undeclared = answer(Outcome::SelfDeclaration, Some(Basis::SelfDeclaration), None, &[]);
        assert!(score(Choice::SelfDeclare { copay: CopayChoice::Undetermined }, &undeclared).all_right());
        assert!(!score(Choice::SelfDeclare { copay: TWENTY }, &undeclared).all_right());
    }

    #[test]
    fn refuse_right_and_wrong() {
        let correct = answer(Outcome::Refused, None, None, &[]);
        let right = score(Choice::Refuse, &correct);
        assert_eq!((right.points, right.max), (1, 1));
        let wrong = score(Choice::SelfDeclare { copay: THIRTY }, &correct);
        assert_eq!((wrong.points, wrong.max), (0, 1));
        assert_eq!(wrong.items[0].chosen, "申立書で受け付ける");
        assert_eq!(wrong.items[0].correct, "保険診療不可");
    }

    #[test]
    fn choices_and_answers_in_japanese() {
        assert_eq!(
            Choice::Accept { basis: Basis::NoticeWithCard, copay: TWENTY }.ja(),
            "受け付ける（お知らせ＋カード）・2割"
        );
        assert_eq!(Choice::Ask(Need::Document(DocumentKind::Certificate)).ja(), "求める：資格確認書");
        let a = answer(Outcome::NeedsMore, None, None, &[DocumentKind::MynaCard]);
        assert_eq!(a.ja(), "求める：マイナンバーカード");
    }

    #[test]
    fn every_choice_reads_back_from_its_record() {
        let mut all = vec![Choice::Refuse, Choice::Ask(Need::Other)];
        all.extend(ASKABLE.map(|k| Choice::Ask(Need::Document(k))));
        for copay in COPAYS {
            all.push(Choice::SelfDeclare { copay });
            all.extend(BASES.map(|basis| Choice::Accept { basis, copay }));
        }
        for c in &all {
            assert_eq!(c.record().choice(), Some(*c), "{c:?}");
        }
        let partial = ChoiceRecord { action: "accept", basis: Some("online"), copay: None, asked: None };
        assert_eq!(partial.choice(), None);
        let unknown = ChoiceRecord { action: "ask", basis: None, copay: None, asked: Some("self_declaration") };
        assert_eq!(unknown.choice(), None);
    }

    #[test]
    fn records_use_scenario_file_names() {
        let r = Choice::Accept { basis: Basis::OldCardOnlineChecked, copay: CopayChoice::Undetermined }.record();
        assert_eq!(r.action, "accept");
        assert_eq!(r.basis, Some("old_card_online_checked"));
        assert_eq!(r.copay, Some("undetermined"));
        assert_eq!(Choice::Ask(Need::Other).record().asked, Some("other"));
        assert_eq!(Choice::SelfDeclare { copay: THIRTY }.record().basis, Some("self_declaration"));
        assert_eq!(Choice::Refuse.record().basis, None);
        let a = answer(Outcome::NeedsMore, None, None, &[DocumentKind::Limit]).record();
        assert_eq!((a.outcome, a.required), ("needs_more", vec!["limit".to_string()]));
    }
}
