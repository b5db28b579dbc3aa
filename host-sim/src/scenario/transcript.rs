//! A stable, diffable text transcript of one scenario: inputs, the derived
//! visit, the decision with every rule's Japanese and English text, and the
//! comparison with the expectation.
//!
//! No timings or absolute paths, so two runs of the same scenario give the
//! same text. PINs are masked; scenarios carry no names.

use super::build::status_line;
use super::expect::{FieldDiff, basis_name, kind_name, outcome_name};
use super::format::{ActionSpec, requirement_name};
use super::load::Scenario;
use chrono::{Datelike, NaiveDate};
use firmware::domain::{Coverage, Document, OnlineStatus, WarekiDate};
use firmware::rules::{CopayCheck, CopaySource, Decision, ExpectedCopay, Required};
use std::fmt::Write;

/// "2025-10-01 (令和7年10月1日)".
pub fn date(d: NaiveDate) -> String {
    let iso = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    match WarekiDate::from_date(d) {
        Some(w) => format!("{iso} ({w})"),
        None => iso,
    }
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "-".to_string(), date)
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn coverage(c: &Coverage) -> String {
    let mut s = format!("保険者番号 {} {}", c.insurer, c.member);
    if let Some(copay) = c.copay {
        let _ = write!(s, ", copay {}", copay.ja());
    }
    s
}

fn document(d: &Document) -> String {
    let what = match d {
        Document::MynaCard(c) => format!(
            "certificate valid until {}, registered {}, pin-less {}",
            date(c.certificate_valid_until),
            yes(c.registered),
            yes(c.pin_less)
        ),
        Document::Certificate(c) => {
            let mut s =
                format!("{}, valid {} .. {}", coverage(&c.coverage), opt_date(c.valid_from), date(c.valid_until));
            if let Some(f) = c.copay_from {
                let _ = write!(s, ", copay from {}", date(f));
            }
            s
        }
        Document::Notice(n) => format!("{}, issued {}", coverage(&n.coverage), opt_date(n.issued_on)),
        Document::Portal(p) => coverage(&p.coverage),
        Document::OldCard(c) => format!(
            "{}, issued {}, valid until {}, details changed {}",
            coverage(&c.coverage),
            date(c.issued_on),
            opt_date(c.valid_until),
            opt_date(c.face_changed_on)
        ),
        Document::ElderlyRecipient(e) => match e.effective_from {
            Some(f) => {
                format!("copay {}, in effect from {}, valid until {}", e.copay.ja(), date(f), date(e.valid_until))
            }
            None => format!("copay {}, valid until {}", e.copay.ja(), date(e.valid_until)),
        },
        Document::Limit(l) => {
            format!("区分{}, reduced (減額) {}, valid until {}", l.class.ja(), yes(l.reduced), date(l.valid_until))
        }
        Document::SpecificDisease(s) => {
            format!("{}, cap ¥{}, valid until {}", s.disease.ja(), s.cap.yen(), opt_date(s.valid_until))
        }
        Document::PublicExpense(p) => format!("法別 {}, valid until {}", p.programme, opt_date(p.valid_until)),
        Document::SelfDeclaration(f) => format!(
            "declared insurer {}, declared copay {}",
            f.insurer.as_ref().map_or_else(|| "-".to_string(), |i| i.to_string()),
            f.declared_copay.map_or("-", |c| c.ja())
        ),
    };
    let k = d.kind();
    format!("{} ({}): {what}", kind_name(k), k.ja())
}

fn action(a: &ActionSpec) -> String {
    let mut s = a.action.name().to_string();
    if let Some(m) = a.method {
        let _ = write!(s, " method={}", snake(&format!("{m:?}")));
    }
    if let Some(r) = a.result {
        let _ = write!(s, " result={}", snake(&format!("{r:?}")));
    }
    if a.digits.is_some() {
        s.push_str(" digits=****");
    }
    if let Some(ans) = a.answer {
        let _ = write!(s, " answer={ans}");
    }
    if let Some(f) = a.field {
        let _ = write!(s, " field={}", snake(&format!("{f:?}")));
    }
    if let Some(t) = &a.text {
        let _ = write!(s, " text=\"{t}\"");
    }
    if let Some(sec) = a.seconds {
        let _ = write!(s, " seconds={sec}");
    }
    if a.password.is_some() {
        s.push_str(" password=****");
    }
    s
}

/// A Rust variant name in snake case: "NoMatch" → "no_match".
fn snake(s: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = false;
        } else {
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c);
        }
    }
    out
}

fn online(status: &OnlineStatus) -> String {
    let OnlineStatus::Answered { by, answer } = status else { return status_line(status) };
    let mut s = format!("answered (query by {}): {}", snake(&format!("{by:?}")), status_line(status));
    if let Some(i) = &answer.insurer {
        let _ = write!(s, ", insurer {i}");
    }
    if let Some(c) = answer.copay {
        let _ = write!(s, ", copay {}", c.ja());
    }
    if let Some(e) = answer.elderly {
        let _ =
            write!(s, ", elderly copay {} ({} .. {})", e.copay.ja(), opt_date(e.valid_from), opt_date(e.valid_until));
    }
    if let Some(l) = answer.limit {
        let _ = write!(s, ", limit 区分{}", l.ja());
    }
    if let Some(d) = answer.disease {
        let _ = write!(s, ", specific disease {}", d.ja());
    }
    if answer.preschool {
        s.push_str(", preschool");
    }
    if let Some(q) = answer.qualified_on {
        let _ = write!(s, ", covered from {}", date(q));
    }
    if let Some(q) = answer.disqualified_on {
        let _ = write!(s, " until {}", date(q));
    }
    s
}

fn copay_source(s: CopaySource) -> String {
    match s {
        CopaySource::Online => "the online answer".to_string(),
        CopaySource::Document(k) => format!("the {} ({})", k.en(), k.ja()),
        CopaySource::Declared => "the patient's declaration".to_string(),
        CopaySource::Age => "the patient's age".to_string(),
    }
}

fn expected_copay(e: ExpectedCopay) -> String {
    match e {
        ExpectedCopay::Exactly(r) => r.ja().to_string(),
        ExpectedCopay::TwentyOrThirty => "2割 or 3割".to_string(),
        ExpectedCopay::AnyLateElderly => "1割, 2割 or 3割".to_string(),
    }
}

/// Each requirement as in scenario files, with its Japanese wording:
/// `certificate | myna_card + notice (資格確認書、またはマイナ保険証と資格情報のお知らせ)`.
fn requirements(r: &Required) -> String {
    if r.is_empty() {
        return "(none)".to_string();
    }
    r.iter().map(|one| format!("{} ({})", requirement_name(one), one.ja())).collect::<Vec<_>>().join(", ")
}

/// The transcript of `s`, decided as `decision`, compared as `diffs`.
pub fn render(s: &Scenario, decision: &Decision, diffs: &[FieldDiff]) -> String {
    let mut t = String::new();
    let spec = &s.spec;
    let visit = &s.built.visit;
    let _ = writeln!(
        t,
        "# host-sim scenario transcript (the reception state machine at a virtual counter, checked against the rules-only derivation)"
    );
    let _ = writeln!(t, "scenario: {}", s.id());
    let _ = writeln!(t, "title: {}", spec.title);
    if let Some(d) = spec.situation_text() {
        let _ = writeln!(t, "situation: {d}");
    }
    if let Some(d) = spec.explanation_text() {
        let _ = writeln!(t, "explanation: {d}");
    }
    let _ = writeln!(t, "\n## Inputs");
    let _ = writeln!(t, "date: {}", date(visit.date));
    if let Some(time) = spec.time {
        let _ = writeln!(t, "time: {}", time.0.format("%H:%M"));
    }
    let f = visit.facility;
    let _ = writeln!(
        t,
        "facility: {}, online-capable {}, reader {}, network {}",
        snake(&format!("{:?}", f.kind)),
        yes(f.online_capable),
        snake(&format!("{:?}", f.reader)),
        snake(&format!("{:?}", f.network))
    );
    if spec.facility.visual_check_password.is_some() {
        // Configured, never shown.
        let _ = writeln!(t, "visual-check password at the reader: **** (the terminal keeps a salted hash)");
    }
    let faults = &spec.facility.faults;
    let _ = writeln!(
        t,
        "faults: service {}, garbled frames {}",
        snake(&format!("{:?}", faults.service)),
        faults.garbled_frames
    );
    match visit.patient {
        Some(p) => {
            let sex = p.sex.map_or("unknown".to_string(), |s| snake(&format!("{s:?}")));
            let _ = writeln!(
                t,
                "patient: born {}, {sex}, age {} on the visit date",
                date(p.birth_date),
                p.age_on(visit.date)
            );
        }
        None => {
            let _ = writeln!(t, "patient: birth date unknown");
        }
    }
    let c = visit.circumstances;
    let said: Vec<&str> = [
        (c.public_expense, "public_expense"),
        (c.high_cost_care, "high_cost_care"),
        (c.specific_disease, "specific_disease"),
        (c.non_taxed_long_stay, "non_taxed_long_stay"),
        (c.premium_arrears, "premium_arrears"),
    ]
    .into_iter()
    .filter_map(|(b, n)| b.then_some(n))
    .collect();
    let _ = writeln!(t, "circumstances: {}", if said.is_empty() { "(none)".to_string() } else { said.join(", ") });
    match &spec.patient.card {
        Some(card) => {
            let _ = writeln!(
                t,
                "card: certificate valid until {}, registered {}, pin-less {}, PIN {}, face match {}",
                date(card.certificate_valid_until.0),
                yes(card.registered),
                yes(card.pin_less),
                if card.pin.is_some() { "****" } else { "-" },
                card.face_match.map_or("-", yes)
            );
        }
        None => {
            let _ = writeln!(t, "card: (none)");
        }
    }
    let _ = writeln!(t, "coverage records of the online service:");
    if spec.patient.coverage.is_empty() {
        let _ = writeln!(t, "  (none)");
    }
    for (i, r) in spec.patient.coverage.iter().enumerate() {
        let mut line = format!(
            "  {}. 保険者番号 {} 記号 {} 番号 {} 枝番 {}, {} .. {}",
            i + 1,
            r.insurer.0,
            r.symbol.as_deref().unwrap_or("-"),
            r.number,
            r.branch.as_deref().unwrap_or("-"),
            date(r.from.0),
            opt_date(r.until.map(|u| u.0))
        );
        if let Some(c) = r.copay {
            let _ = write!(line, ", copay {}", c.0.ja());
        }
        if let Some(e) = r.elderly_copay {
            let _ = write!(
                line,
                ", elderly copay {} ({} .. {})",
                e.0.ja(),
                opt_date(r.elderly_from.map(|d| d.0)),
                opt_date(r.elderly_until.map(|d| d.0))
            );
        }
        if let Some(l) = r.limit {
            let _ = write!(line, ", limit 区分{}", l.0.ja());
        }
        if let Some(d) = r.specific_disease {
            let _ = write!(line, ", specific disease {}", snake(&format!("{d:?}")));
        }
        let _ = write!(line, ", linked to the card {}", yes(r.card_linked.unwrap_or(true)));
        let _ = writeln!(t, "{line}");
    }
    let _ = writeln!(t, "documents on the counter:");
    if visit.documents.is_empty() {
        let _ = writeln!(t, "  (none)");
    }
    for (i, d) in visit.documents.iter().enumerate() {
        let _ = writeln!(t, "  {}. {}", i + 1, document(d));
    }
    if !s.built.keyed.is_empty() {
        let _ = writeln!(t, "keyed in at the terminal as printed (printed = true):");
    }
    for k in &s.built.keyed {
        let form = k.form.as_form();
        let typed: Vec<String> = firmware::domain::KeyInField::ALL
            .iter()
            .filter_map(|&f| form.get(f).map(|text| format!("{} \"{text}\"", f.en())))
            .collect();
        let verdict = match &k.verdict {
            Ok(()) => "accepted".to_string(),
            Err(e) => format!("refused: {e}"),
        };
        let _ = writeln!(t, "  documents[{}] {:?}: {}; {verdict}", k.index, k.kind, typed.join(", "));
    }
    let _ = writeln!(t, "actions:");
    if spec.actions.is_empty() {
        let _ = writeln!(t, "  (none)");
    }
    for (i, a) in spec.actions.iter().enumerate() {
        let _ = writeln!(t, "  {}. {}", i + 1, action(a));
    }

    let _ = writeln!(t, "\n## Derived visit");
    for step in &s.built.derivation.steps {
        let _ = writeln!(t, "- {step}");
    }
    let _ = writeln!(
        t,
        "identity: {}",
        visit.identity.map_or_else(|| "not proven".to_string(), |m| snake(&format!("{m:?}")))
    );
    let _ = writeln!(t, "online: {}", online(&visit.online));
    for note in &s.built.derivation.recorded_only {
        let _ = writeln!(t, "recorded only: {note}");
    }

    let _ = writeln!(t, "\n## Decision");
    let _ = writeln!(t, "outcome: {}", outcome_name(decision.outcome));
    let _ = writeln!(t, "basis: {}", decision.basis.map_or("(none)", basis_name));
    match decision.copay {
        Some(c) => {
            let _ = writeln!(t, "copay: {} (from {})", c.rate.ja(), copay_source(c.source));
        }
        None => {
            let _ = writeln!(t, "copay: (none)");
        }
    }
    let check = match decision.copay_check {
        CopayCheck::NotChecked => "not checked".to_string(),
        CopayCheck::Consistent => "consistent with the age".to_string(),
        CopayCheck::Mismatch { expected, stated } => {
            format!("MISMATCH: stated {}, the age allows {}", stated.ja(), expected_copay(expected))
        }
    };
    let _ = writeln!(t, "copay check: {check}");
    let _ = writeln!(t, "still required: {}", requirements(&decision.required));
    let _ = writeln!(t, "deciding rule: {}", decision.deciding.id);
    let _ = writeln!(t, "rules fired, in order:");
    for r in &decision.fired {
        let _ = writeln!(t, "  - {}", r.id);
        let _ = writeln!(t, "      ja: {}", r.ja);
        let _ = writeln!(t, "      en: {}", r.en);
        let _ = writeln!(t, "      source: {}", r.source);
    }

    let _ = writeln!(t, "\n## Expectation");
    let failed = diffs.iter().any(|d| d.differs);
    let _ = writeln!(t, "result: {}", if failed { "FAILED" } else { "passed" });
    for d in diffs {
        let mark = if d.differs { "✗" } else { " " };
        let _ = writeln!(t, "{mark} {}: expected {}; actual {}", d.field, d.expected, d.actual);
        if let (true, Some(detail)) = (d.differs, &d.detail) {
            let _ = writeln!(t, "    {detail}");
        }
    }
    t
}
