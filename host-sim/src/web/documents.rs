//! The documents on the counter, drawn in HTML as they look: the card-sized
//! 資格確認書, old 保険証, 高齢受給者証 and 医療証, the A4 お知らせ and
//! 申立書, the マイナポータル screen on a phone. Printed dates are 和暦.
//!
//! Scenarios carry no patient's name: the name field shows "見本" as a
//! specimen does. Only what the document itself prints is shown, never
//! what the terminal decided.

use crate::train::view::{wareki, yen};
use chrono::NaiveDate;
use firmware::domain::{Coverage, Document, InsurerNumber, Person, Scheme};
use maud::{Markup, html};

/// Who the documents belong to (printed on most of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// "男" or "女".
    pub sex: &'static str,
    /// The visit's day (for the patient's age on the portal screen).
    pub today: NaiveDate,
}

/// A document as it lies on the counter.
pub fn document(d: &Document, holder: &Holder, on_reader: Option<bool>) -> Markup {
    match d {
        Document::MynaCard(c) => html! {
            figure.doc.card.myna aria-label="マイナンバーカード" {
                div.card-head { span.card-title { "マイナンバーカード" } span.card-sub { "個人番号カード" } }
                div.card-body {
                    div.photo aria-hidden="true" {}
                    dl.fields {
                        (field("氏名", "見本"))
                        (field("生年月日", &wareki(holder.birth_date)))
                        (field("性別", holder.sex))
                        @if c.pin_less { (field("暗証番号", "設定なし（顔認証マイナンバーカード）")) }
                    }
                }
                figcaption.where {
                    (match on_reader {
                        Some(true) => "カードリーダーに置かれています",
                        Some(false) => "カードリーダーから取り外されました",
                        None => "受付に出されました（カードリーダーには置いていません）",
                    })
                }
            }
        },
        Document::Certificate(c) => html! {
            figure.doc.card.certificate aria-label="資格確認書" {
                div.card-head { span.card-title { "資格確認書" } span.card-sub { (scheme_name(&c.coverage.insurer)) } }
                dl.fields {
                    (member_fields(&c.coverage))
                    (field("氏名", "見本"))
                    (field("生年月日", &wareki(holder.birth_date)))
                    (field("性別", holder.sex))
                    @if let Some(from) = c.valid_from { (field("有効開始日", &wareki(from))) }
                    (field("有効期限", &wareki(c.valid_until)))
                    @if let Some(copay) = c.coverage.copay {
                        (field("一部負担金の割合", &match c.copay_from {
                            Some(from) => format!("{}（{}から）", copay.ja(), wareki(from)),
                            None => copay.ja().to_string(),
                        }))
                    }
                    (field("保険者番号", &c.coverage.insurer.to_string()))
                }
            }
        },
        Document::OldCard(o) => html! {
            figure.doc.card.old-card aria-label="健康保険証" {
                div.card-head { span.card-title { (old_card_title(&o.coverage.insurer)) } span.card-sub { "本人（被保険者）" } }
                dl.fields {
                    (member_fields(&o.coverage))
                    (field("氏名", "見本"))
                    (field("生年月日", &wareki(holder.birth_date)))
                    (field("性別", holder.sex))
                    (field("交付年月日", &wareki(o.issued_on)))
                    (field("有効期限", &wareki_or_blank(o.valid_until)))
                    @if let Some(copay) = o.coverage.copay { (field("一部負担金の割合", copay.ja())) }
                    (field("保険者番号", &o.coverage.insurer.to_string()))
                }
                @if let Some(on) = o.face_changed_on {
                    figcaption.says { "患者さん：「" (wareki(on)) "に住所（氏名）が変わりました」" }
                }
            }
        },
        Document::Notice(n) => html! {
            figure.doc.a4.notice aria-label="資格情報のお知らせ" {
                div.a4-title { "資格情報のお知らせ" }
                p.a4-lead { "あなたの健康保険の資格情報は次のとおりです。" }
                table.a4-table {
                    tr { th { "保険者番号" } td { (n.coverage.insurer.to_string()) } }
                    tr { th { "保険者名称" } td { (scheme_name(&n.coverage.insurer)) } }
                    (member_rows(&n.coverage))
                    tr { th { "氏名" } td { "見本" } }
                    tr { th { "生年月日" } td { (wareki(holder.birth_date)) } }
                    @if let Some(copay) = n.coverage.copay { tr { th { "一部負担金の割合" } td { (copay.ja()) } } }
                    @if let Some(on) = n.issued_on { tr { th { "交付年月日" } td { (wareki(on)) } } }
                }
                p.a4-note { "医療機関等では、マイナンバーカードと一緒に提示してください。" }
            }
        },
        Document::Portal(p) => html! {
            figure.doc.phone aria-label="マイナポータルの資格情報画面" {
                div.phone-screen {
                    div.phone-bar { "マイナポータル" }
                    div.phone-title { "健康保険証の資格情報" }
                    dl.fields {
                        (field("保険者名称", scheme_name(&p.coverage.insurer)))
                        (field("保険者番号", &p.coverage.insurer.to_string()))
                        (member_fields(&p.coverage))
                        (field("生年月日", &wareki(holder.birth_date)))
                        (field("年齢", &format!("{}歳", Person { birth_date: holder.birth_date, sex: None }.age_on(holder.today))))
                        @if let Some(copay) = p.coverage.copay { (field("負担割合", copay.ja())) }
                    }
                }
            }
        },
        Document::ElderlyRecipient(e) => html! {
            figure.doc.card.elderly aria-label="高齢受給者証" {
                div.card-head { span.card-title { "高齢受給者証" } }
                dl.fields {
                    (field("氏名", "見本"))
                    (field("生年月日", &wareki(holder.birth_date)))
                    (field("一部負担金の割合", e.copay.ja()))
                    @if let Some(f) = e.effective_from {
                        (field("発効期日", &wareki(f)))
                    }
                    (field("有効期限", &wareki(e.valid_until)))
                }
            }
        },
        Document::Limit(l) => {
            let title =
                if l.reduced { "限度額適用・標準負担額減額認定証" } else { "限度額適用認定証" };
            html! {
                figure.doc.card.limit aria-label=(title) {
                    div.card-head { span.card-title { (title) } }
                    dl.fields {
                        (field("氏名", "見本"))
                        (field("適用区分", l.class.ja()))
                        (field("有効期限", &wareki(l.valid_until)))
                    }
                }
            }
        }
        Document::SpecificDisease(c) => html! {
            figure.doc.card.disease aria-label="特定疾病療養受療証" {
                div.card-head { span.card-title { "特定疾病療養受療証" } }
                dl.fields {
                    (field("氏名", "見本"))
                    (field("認定疾病名", c.disease.ja()))
                    (field("自己負担限度額", &format!("月額 {}円", yen(c.cap.yen()))))
                    (field("有効期限", &wareki_or_blank(c.valid_until)))
                }
            }
        },
        Document::PublicExpense(t) => html! {
            figure.doc.card.public aria-label="公費の医療証" {
                div.card-head { span.card-title { "医療証（公費負担）" } }
                dl.fields {
                    (field("法別番号", &format!("{:02}", t.programme)))
                    (field("氏名", "見本"))
                    (field("生年月日", &wareki(holder.birth_date)))
                    (field("有効期限", &wareki_or_blank(t.valid_until)))
                }
            }
        },
        Document::SelfDeclaration(f) => html! {
            figure.doc.a4.declaration aria-label="被保険者資格申立書" {
                div.a4-title { "被保険者資格申立書" }
                p.a4-lead { "私は、次の医療保険の被保険者等の資格を有していることを申し立てます。" }
                table.a4-table {
                    tr { th { "保険者番号" } td { (f.insurer.as_ref().map_or_else(|| "（記入なし）".to_string(), |i| i.to_string())) } }
                    tr { th { "一部負担金の割合" } td { (f.declared_copay.map_or("（記入なし）", |c| c.ja())) } }
                    tr { th { "氏名" } td { "見本" } }
                    tr { th { "生年月日" } td { (wareki(holder.birth_date)) } }
                }
                p.a4-note { "（記入済み・署名あり）" }
            }
        },
    }
}

/// A printed date in 和暦, or "（記載なし）".
fn wareki_or_blank(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "（記載なし）".to_string(), wareki)
}

fn field(label: &str, value: &str) -> Markup {
    html! { div.field { dt { (label) } dd { (value) } } }
}

/// 記号・番号・枝番 in one row, as cards print them.
fn member_fields(c: &Coverage) -> Markup {
    let m = &c.member;
    html! {
        div.field.member {
            @if !m.symbol().is_empty() { dt { "記号" } dd { (m.symbol()) } }
            dt { "番号" } dd { (m.number()) }
            @if let Some(b) = m.branch() { dt { "枝番" } dd { (b.to_string()) } }
        }
    }
}

fn member_rows(c: &Coverage) -> Markup {
    let m = &c.member;
    html! {
        @if !m.symbol().is_empty() { tr { th { "記号" } td { (m.symbol()) } } }
        tr { th { "番号" } td { (m.number()) } }
        @if let Some(b) = m.branch() { tr { th { "枝番" } td { (b.to_string()) } } }
    }
}

fn scheme_name(i: &InsurerNumber) -> &'static str {
    i.scheme().ja()
}

fn old_card_title(i: &InsurerNumber) -> &'static str {
    match i.scheme() {
        Scheme::NationalHealth => "国民健康保険被保険者証",
        Scheme::LateElderly => "後期高齢者医療被保険者証",
        Scheme::Employee(_) => "健康保険被保険者証",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmware::domain::{CopayRate, EligibilityCertificate, MemberId};

    #[test]
    fn a_certificate_prints_its_numbers_and_wareki_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let cert = Document::Certificate(EligibilityCertificate {
            coverage: Coverage {
                insurer: InsurerNumber::parse("01130012").unwrap(),
                member: MemberId::parse("12", "3456", Some("01")).unwrap(),
                copay: Some(CopayRate::Thirty),
            },
            valid_from: None,
            valid_until: d(2026, 9, 30),
            copay_from: None,
        });
        let holder = Holder { birth_date: d(1980, 5, 5), sex: "女", today: d(2025, 10, 1) };
        let html = document(&cert, &holder, None).into_string();
        for text in ["資格確認書", "01130012", "記号", "3456", "枝番", "01", "令和8年9月30日", "昭和55年5月5日", "3割"]
        {
            assert!(html.contains(text), "{text} missing in {html}");
        }
    }

    #[test]
    fn yen_has_thousands_separators() {
        assert_eq!(yen(10_000), "10,000");
        assert_eq!(yen(999), "999");
    }
}
