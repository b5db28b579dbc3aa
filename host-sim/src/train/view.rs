//! What a clerk sees at the counter, derived from a scenario: the terminal's
//! screen, the documents put on the counter, what the patient says, the day
//! and the facility. All text is Japanese; dates are 和暦.
//!
//! The terminal's screen is derived only from what the scenario implies
//! (facility, reader and network state, the actions at the reader, the
//! queries the scenario's derivation made) and worded with the firmware's
//! own screen texts (`firmware::ui::text`) where a firmware screen exists.
//! It never looks at the decision, so it does not give the answer away.

use crate::scenario::Scenario;
use crate::scenario::format::{ActionKind, FacilityKindSpec, NetworkSpec, SexSpec};
use chrono::{Datelike, NaiveDate};
use firmware::domain::{
    Coverage, Document, InsurerNumber, OnlineAnswer, OnlineStatus, Person, QueryKey, Validity, WarekiDate,
};
use firmware::ui::text::{self, Wording};

/// The counter as a clerk sees it for one visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterView {
    /// Today: "令和7年10月1日（水）".
    pub today: String,
    /// The facility: "診療所・オンライン資格確認あり".
    pub facility: String,
    /// What the terminal's screen shows (one or two lines).
    pub terminal: Vec<String>,
    /// What the clerk already did at the staff screen (key-in, query by numbers).
    pub clerk: Vec<String>,
    /// The documents on the counter, in order.
    pub documents: Vec<DocumentView>,
    /// The patient: "昭和55年5月5日生まれ（45歳）・女性".
    pub patient: String,
    /// What the clerk hears or notices (the scenario's `situation`; never
    /// its title or explanation, which may state the answer).
    pub says: Option<String>,
    /// The patient's circumstances, in plain Japanese.
    pub circumstances: Vec<String>,
}

impl CounterView {
    /// Every text of the view, in the order the question screen shows it
    /// (for checks and for other front ends).
    pub fn texts(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![&self.today, &self.facility];
        out.extend(self.terminal.iter().map(String::as_str));
        out.extend(self.clerk.iter().map(String::as_str));
        for d in &self.documents {
            out.push(&d.kind);
            out.extend(d.lines.iter().map(String::as_str));
        }
        out.push(&self.patient);
        out.extend(self.says.as_deref());
        out.extend(self.circumstances.iter().map(String::as_str));
        out
    }
}

/// One document as the clerk reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentView {
    /// Kind, in Japanese: "資格確認書".
    pub kind: String,
    /// The printed fields, one a line: "有効期限 令和8年9月30日".
    pub lines: Vec<String>,
}

/// A date in 和暦: "令和7年9月30日" (ISO outside the eras the firmware knows).
pub fn wareki(d: NaiveDate) -> String {
    WarekiDate::from_date(d).map_or_else(|| d.to_string(), |w| w.to_string())
}

/// The day of the week in Japanese: "水".
pub fn weekday_ja(d: NaiveDate) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][d.weekday().num_days_from_monday() as usize]
}

/// A firmware screen's main message on one line.
fn said(w: &Wording) -> String {
    w.body.replace('\n', "")
}

impl CounterView {
    /// The counter of `s`.
    pub fn of(s: &Scenario) -> Self {
        let spec = &s.spec;
        let date = spec.date.0;
        let kind = match spec.facility.kind {
            FacilityKindSpec::Clinic => "診療所",
            FacilityKindSpec::Hospital => "病院",
            FacilityKindSpec::Dental => "歯科",
            FacilityKindSpec::Pharmacy => "薬局",
        };
        let online = if spec.facility.online_capable {
            "オンライン資格確認あり"
        } else {
            "オンライン資格確認なし"
        };
        let p = &spec.patient;
        let person = Person { birth_date: p.birth_date.0, sex: None };
        let sex = match p.sex {
            SexSpec::Male => "男性",
            SexSpec::Female => "女性",
        };
        let mut circumstances = Vec::new();
        let mut say = |on: bool, text: &str| {
            if on {
                circumstances.push(text.to_string());
            }
        };
        say(p.public_expense, "公費の医療証があります（マル乳・マル障など）");
        say(p.high_cost_care, "入院など高額な治療で、限度額の適用を受けたい");
        say(p.specific_disease, "特定疾病（人工透析・血友病・HIV）の治療を受けています");
        say(p.non_taxed_long_stay, "住民税非課税世帯で、過去12か月の入院が90日を超えています");
        say(p.premium_arrears, "保険料の滞納があります");
        Self {
            today: format!("{}（{}）", wareki(date), weekday_ja(date)),
            facility: format!("{kind}・{online}"),
            terminal: terminal_screen(s),
            clerk: clerk_lines(s),
            documents: s.built.visit.documents.iter().map(|d| document_view(d, s)).collect(),
            patient: format!("{}生まれ（{}歳）・{sex}", wareki(p.birth_date.0), person.age_on(date)),
            says: spec.situation_text().map(str::to_string),
            circumstances,
        }
    }
}

/// Whether the card was placed on the reader (and not taken off again).
fn card_on_reader(s: &Scenario) -> Option<bool> {
    let mut on = None;
    for a in &s.spec.actions {
        match a.action {
            ActionKind::PlaceCard => on = Some(true),
            ActionKind::RemoveCard => on = Some(false),
            _ => {}
        }
    }
    on
}

/// What the terminal's screen shows at the end of the scenario's actions:
/// the scenario is played at a virtual counter (the firmware's reception
/// state machine) and its last screen is shown as text, except a decision
/// screen that only the clerk's own request brought up (it would give the
/// answer away).
fn terminal_screen(s: &Scenario) -> Vec<String> {
    let Ok(session) = crate::scenario::session::play(s) else {
        return vec!["（端末を再現できません）".to_string()];
    };
    let Some(screen) = session.screens_before_clerk().last() else { return Vec::new() };
    let mut text = String::new();
    firmware::ui::for_each_screen_char(screen, firmware::ui::Layout::Tft320x240, |c| text.push(c));
    // The rule tag in a staff screen's small print names the deciding rule:
    // a trainee does not see it.
    let tag = match screen {
        firmware::ui::Screen::Fallback { rule, .. } => Some(*rule),
        _ => None,
    };
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && tag.is_none_or(|t| *l != t.as_str()))
        .map(str::to_string)
        .collect();
    if !card_on_reader(s).unwrap_or(false)
        && s.spec.documents.iter().any(|d| d.kind == firmware::domain::DocumentKind::MynaCard)
    {
        lines.push("（マイナンバーカードはカードリーダーに置かれていません）".to_string());
    }
    lines
}

/// "資格(無効)", "資格情報なし" ... as the online result is shown.
pub fn validity_ja(v: Validity) -> &'static str {
    match v {
        Validity::Valid => "資格有効",
        Validity::Invalid => "資格(無効)",
        Validity::InvalidNewerExists => "資格(無効)・新しい資格あり",
        Validity::NotFound => "資格情報なし",
        Validity::Multiple => "複数の資格が該当",
        Validity::PublicAssistance => "医療扶助の資格あり",
    }
}

/// "負担割合 3割　限度額区分 オ" (the rows of the firmware's result screen).
fn result_rows(a: &OnlineAnswer, date: NaiveDate) -> String {
    let mut rows = Vec::new();
    if let Some(c) = a.stated_copay(date) {
        rows.push(format!("{} {}", text::LABEL_COPAY, c.ja()));
    }
    if let Some(l) = a.limit {
        rows.push(format!("{} {}", text::LABEL_LIMIT, text::limit_label(l)));
    }
    if let Some(d) = a.disease {
        rows.push(format!("{} {}", text::LABEL_DISEASE, d.ja()));
    }
    if a.elderly.is_some() {
        rows.push(format!("{} {}", text::LABEL_ELDERLY, text::ELDERLY_YES));
    }
    rows.join("　")
}

/// What the clerk did at the staff screen: typing numbers, asking by numbers.
fn clerk_lines(s: &Scenario) -> Vec<String> {
    let spec = &s.spec;
    let keyed = spec.actions.iter().any(|a| a.action == ActionKind::KeyIn);
    let mut lines = Vec::new();
    let mut checked = false;
    for (i, a) in spec.actions.iter().enumerate() {
        if a.action != ActionKind::OnlineCheckByNumbers {
            continue;
        }
        checked = true;
        let source = if keyed { "入力した番号" } else { "書類に記載の番号" };
        let query = s.built.derivation.queries.iter().find(|q| q.action == i && q.by == QueryKey::Numbers);
        lines.push(match query {
            Some(q) => match &q.status {
                OnlineStatus::Answered { answer, .. } => {
                    let rows = result_rows(answer, s.built.visit.date);
                    let rows = if answer.validity == Validity::Valid && !rows.is_empty() {
                        format!("（{rows}）")
                    } else {
                        String::new()
                    };
                    format!("{source}でオンライン資格確認：{}{rows}", validity_ja(answer.validity))
                }
                _ => format!("{source}でオンライン資格確認：{}", said(&text::SERVICE_UNAVAILABLE)),
            },
            None if !spec.facility.online_capable => "番号でのオンライン資格確認：この施設ではできません".to_string(),
            None if spec.facility.network == Some(NetworkSpec::Down) => {
                format!("番号でのオンライン資格確認：{}", said(&text::NETWORK_DOWN))
            }
            None => format!("番号を入力：入力画面に「{}」（照会は送られていません）", text::KEY_IN_ERROR),
        });
    }
    if keyed && !checked {
        lines.push("書類の番号を入力（オンライン資格確認はまだ）".to_string());
    }
    lines
}

fn insurer_line(i: &InsurerNumber) -> String {
    format!("保険者番号 {i}（{}）", i.scheme().ja())
}

fn coverage_lines(c: &Coverage, out: &mut Vec<String>) {
    out.push(insurer_line(&c.insurer));
    out.push(c.member.to_string());
}

fn copay_line(c: Option<firmware::domain::CopayRate>) -> Option<String> {
    c.map(|c| format!("一部負担金の割合 {}", c.ja()))
}

fn document_view(d: &Document, s: &Scenario) -> DocumentView {
    let mut lines = Vec::new();
    let kind = match d {
        Document::MynaCard(c) => {
            if c.pin_less {
                lines.push("顔認証マイナンバーカード（暗証番号の設定なし）".to_string());
            }
            lines.push(
                match card_on_reader(s) {
                    Some(true) => "カードリーダーに置かれています",
                    Some(false) => "カードリーダーから取り外されました",
                    None => "受付に出されました（カードリーダーには置いていません）",
                }
                .to_string(),
            );
            "マイナンバーカード（マイナ保険証）"
        }
        Document::Certificate(c) => {
            coverage_lines(&c.coverage, &mut lines);
            if let Some(from) = c.valid_from {
                lines.push(format!("有効開始日 {}", wareki(from)));
            }
            lines.push(format!("有効期限 {}", wareki(c.valid_until)));
            if let Some(copay) = copay_line(c.coverage.copay) {
                lines.push(match c.copay_from {
                    Some(from) => format!("{copay}（{}から）", wareki(from)),
                    None => copay,
                });
            }
            "資格確認書"
        }
        Document::Notice(n) => {
            coverage_lines(&n.coverage, &mut lines);
            lines.extend(copay_line(n.coverage.copay));
            if let Some(on) = n.issued_on {
                lines.push(format!("交付年月日 {}", wareki(on)));
            }
            "資格情報のお知らせ"
        }
        Document::Portal(p) => {
            coverage_lines(&p.coverage, &mut lines);
            lines.extend(copay_line(p.coverage.copay));
            "マイナポータルの資格情報画面（スマートフォン）"
        }
        Document::OldCard(o) => {
            coverage_lines(&o.coverage, &mut lines);
            lines.push(format!("交付年月日 {}", wareki(o.issued_on)));
            lines.push(match o.valid_until {
                Some(u) => format!("有効期限 {}", wareki(u)),
                None => "有効期限の記載なし".to_string(),
            });
            lines.extend(copay_line(o.coverage.copay));
            if let Some(on) = o.face_changed_on {
                lines.push(format!("{}に住所・氏名などの記載事項が変わった（患者さんの話）", wareki(on)));
            }
            "健康保険証（従来の保険証）"
        }
        Document::ElderlyRecipient(e) => {
            lines.extend(copay_line(Some(e.copay)));
            if let Some(f) = e.effective_from {
                lines.push(format!("発効期日 {}", wareki(f)));
            }
            lines.push(format!("有効期限 {}", wareki(e.valid_until)));
            "高齢受給者証"
        }
        Document::Limit(l) => {
            lines.push(format!("適用区分 {}", l.class.ja()));
            lines.push(format!("有効期限 {}", wareki(l.valid_until)));
            if l.reduced { "限度額適用・標準負担額減額認定証" } else { "限度額適用認定証" }
        }
        Document::SpecificDisease(c) => {
            lines.push(format!("疾病 {}", c.disease.ja()));
            lines.push(format!("自己負担限度額 月{}円", yen(c.cap.yen())));
            if let Some(u) = c.valid_until {
                lines.push(format!("有効期限 {}", wareki(u)));
            }
            "特定疾病療養受療証"
        }
        Document::PublicExpense(t) => {
            lines.push(format!("法別番号 {}", t.programme));
            if let Some(u) = t.valid_until {
                lines.push(format!("有効期限 {}", wareki(u)));
            }
            "公費受給者証（医療証）"
        }
        Document::SelfDeclaration(f) => {
            if let Some(i) = &f.insurer {
                lines.push(insurer_line(i));
            }
            lines.push(match f.declared_copay {
                Some(c) => format!("申告した負担割合 {}", c.ja()),
                None => "負担割合の申告なし".to_string(),
            });
            "被保険者資格申立書（記入済み）"
        }
    };
    DocumentView { kind: kind.to_string(), lines }
}

/// 10000 → "10,000" (also used by the web documents).
pub(crate) fn yen(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_has_thousands_separators() {
        assert_eq!(yen(10_000), "10,000");
        assert_eq!(yen(999), "999");
        assert_eq!(yen(1_234_567), "1,234,567");
    }

    #[test]
    fn dates_are_wareki() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
        assert_eq!(wareki(d), "令和7年9月30日");
        assert_eq!(weekday_ja(d), "火");
    }
}
