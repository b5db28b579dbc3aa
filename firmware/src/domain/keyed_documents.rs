//! From a clerk's key-in form to the document it describes: each paper
//! document needs its own fields, and a missing one is an error naming it.

use super::documents::{
    Coverage, ElderlyRecipientCertificate, EligibilityCertificate, EligibilityNotice, OldInsuranceCard, PortalScreen,
};
use super::keyin::{KeyInError, KeyInField, KeyInProblem, KeyedFields};

fn missing(field: KeyInField) -> KeyInError {
    KeyInError { field, problem: KeyInProblem::Missing }
}

fn coverage(k: &KeyedFields) -> Coverage {
    Coverage { insurer: k.insurer.clone(), member: k.member.clone(), copay: k.copay }
}

impl EligibilityCertificate {
    /// A 資格確認書 from keyed fields; its 有効期限 is required.
    pub fn from_keyed(k: &KeyedFields) -> Result<Self, KeyInError> {
        Ok(Self {
            coverage: coverage(k),
            valid_from: k.valid_from,
            valid_until: k.valid_until.ok_or(missing(KeyInField::ValidUntil))?,
            copay_from: k.copay_from,
        })
    }
}

impl ElderlyRecipientCertificate {
    /// A 高齢受給者証 from keyed fields: the ratio (一部負担金の割合) and the
    /// 有効期限 are required; the 発効期日 is keyed as the 有効開始日 field.
    pub fn from_keyed(k: &KeyedFields) -> Result<Self, KeyInError> {
        Ok(Self {
            copay: k.copay.ok_or(missing(KeyInField::CopayRatio))?,
            effective_from: k.valid_from,
            valid_until: k.valid_until.ok_or(missing(KeyInField::ValidUntil))?,
        })
    }
}

impl EligibilityNotice {
    /// A 資格情報のお知らせ from keyed fields.
    pub fn from_keyed(k: &KeyedFields) -> Self {
        Self { coverage: coverage(k), issued_on: k.issued_on }
    }
}

impl PortalScreen {
    /// A マイナポータル screen from keyed fields.
    pub fn from_keyed(k: &KeyedFields) -> Self {
        Self { coverage: coverage(k) }
    }
}

impl OldInsuranceCard {
    /// An old 健康保険証 from keyed fields; its 交付年月日 is required (it
    /// decides whether the card could have been issued at all).
    pub fn from_keyed(k: &KeyedFields) -> Result<Self, KeyInError> {
        Ok(Self {
            coverage: coverage(k),
            issued_on: k.issued_on.ok_or(missing(KeyInField::IssuedOn))?,
            valid_until: k.valid_until,
            face_changed_on: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CopayRate, KeyInForm};
    use chrono::NaiveDate;

    fn form(valid_until: Option<&'static str>, issued: Option<&'static str>) -> KeyInForm<'static> {
        KeyInForm {
            insurer_number: Some("１３２０２７"),
            symbol: Some("立川"),
            number: Some("１２３４５"),
            branch: Some("01"),
            birth_date: Some("昭和30年6月15日"),
            valid_until,
            issued_on: issued,
            copay_ratio: Some("２割"),
            ..KeyInForm::default()
        }
    }

    #[test]
    fn certificate_from_a_full_width_wareki_form() {
        let keyed = form(Some("令和8年7月31日"), None).parse().unwrap();
        let cert = EligibilityCertificate::from_keyed(&keyed).unwrap();
        assert_eq!(cert.coverage.insurer.as_str(), "132027");
        assert_eq!(cert.coverage.member.number(), "12345");
        assert_eq!(cert.valid_until, NaiveDate::from_ymd_opt(2026, 7, 31).unwrap());
        assert_eq!(cert.coverage.copay, Some(CopayRate::Twenty));
    }

    #[test]
    fn certificate_without_expiry_names_the_field() {
        let keyed = form(None, None).parse().unwrap();
        let err = EligibilityCertificate::from_keyed(&keyed).unwrap_err();
        assert_eq!(err.field, KeyInField::ValidUntil);
        assert!(err.to_string().contains("有効期限"), "{err}");
    }

    #[test]
    fn old_card_needs_its_issue_date() {
        let keyed = form(Some("R7.9.30"), None).parse().unwrap();
        assert_eq!(OldInsuranceCard::from_keyed(&keyed).unwrap_err().field, KeyInField::IssuedOn);
        let keyed = form(Some("R7.9.30"), Some("R5.10.1")).parse().unwrap();
        let card = OldInsuranceCard::from_keyed(&keyed).unwrap();
        assert_eq!(card.issued_on, NaiveDate::from_ymd_opt(2023, 10, 1).unwrap());
        assert_eq!(card.valid_until, NaiveDate::from_ymd_opt(2025, 9, 30));
    }

    #[test]
    fn elderly_recipient_with_its_effective_date() {
        let mut f = form(Some("令和8年7月31日"), None);
        f.valid_from = Some("令和7年7月1日");
        let keyed = f.parse().unwrap();
        let e = ElderlyRecipientCertificate::from_keyed(&keyed).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
        assert_eq!((e.copay, e.effective_from), (CopayRate::Twenty, Some(day(7, 1))));
        assert!(!e.in_effect(day(6, 30)) && e.in_effect(day(7, 1)));
        let mut no_ratio = form(Some("令和8年7月31日"), None);
        no_ratio.copay_ratio = None;
        let err = ElderlyRecipientCertificate::from_keyed(&no_ratio.parse().unwrap()).unwrap_err();
        assert_eq!(err.field, KeyInField::CopayRatio);
    }

    #[test]
    fn a_bad_date_in_the_form_names_the_field_and_the_reason() {
        let err = form(Some("R1.4.30"), None).parse().unwrap_err();
        assert_eq!(err.field, KeyInField::ValidUntil);
        assert!(err.to_string().contains("平成31年4月30日"), "{err}");
    }
}
