//! The cases. Patients are born 1980-05-05 unless a case says otherwise, so
//! a copay derived from age is 30% and fires `COPAY-WORKING-AGE`.

use super::builder::{VisitBuilder as V, answer_from, d, elderly_answer};
use super::{Case, Expect};
use crate::domain::{CardMedium, CopayRate, DocumentKind as K, FacilityKind, LimitClass, SpecificDisease, Validity};
use crate::rules::{Basis, IdentityMethod, Outcome, Together};

/// Requirements, each its alternatives.
type Req = &'static [&'static [Together]];

const CARD: Together = Together::one(K::MynaCard);
const CERT: Together = Together::one(K::Certificate);
const CARD_NOTICE: Together = CARD.with(K::Notice);
const CARD_PORTAL: Together = CARD.with(K::Portal);
const FORM: Together = Together::one(K::SelfDeclaration);

const R_ELDERLY_RECIPIENT: &[Together] = &[Together::one(K::ElderlyRecipient)];
const R_LIMIT: &[Together] = &[Together::one(K::Limit)];
const R_PUBLIC_EXPENSE: &[Together] = &[Together::one(K::PublicExpense)];
const R_SELF_DECLARATION: &[Together] = &[FORM];
const R_SPECIFIC_DISEASE: &[Together] = &[Together::one(K::SpecificDisease)];
/// The card together with the お知らせ (it is on the counter).
const R_CARD_NOTICE: &[Together] = &[CARD_NOTICE];
/// The card together with the マイナポータル screen.
const R_CARD_PORTAL: &[Together] = &[CARD_PORTAL];
/// Where the card cannot be read: its お知らせ or マイナポータル screen.
const R_CARD_WITH_PAPER: &[Together] = &[CARD_NOTICE, CARD_PORTAL];
/// A 資格確認書, or the card with its お知らせ or マイナポータル screen.
const R_PAPER: &[Together] = &[CERT, CARD_NOTICE, CARD_PORTAL];
/// A paper proof, or the self-declaration form.
const R_PAPER_OR_FORM: &[Together] = &[CERT, CARD_NOTICE, CARD_PORTAL, FORM];
/// Where cards are read online: the card, or a 資格確認書.
const R_CARD_OR_CERTIFICATE: &[Together] = &[CARD, CERT];
/// A document of the new coverage, or the form.
const R_CERTIFICATE_OR_FORM: &[Together] = &[CERT, FORM];

const TACHIKAWA_NHI: &str = "13202";
const CHIYODA_NHI: &str = "13101";
const TOKYO_LATE: &str = "3913101";
const KANAGAWA_LATE: &str = "3914101";
const KYOKAI: &str = "0113001";
const KUMIAI: &str = "0613123";

const TEN: Option<CopayRate> = Some(CopayRate::Ten);
const TWENTY: Option<CopayRate> = Some(CopayRate::Twenty);
const THIRTY: Option<CopayRate> = Some(CopayRate::Thirty);

const fn accepted(basis: Basis, copay: Option<CopayRate>, rules: &'static [&'static str]) -> Expect {
    Expect { outcome: Outcome::Accepted, basis: Some(basis), copay, mismatch: false, required: &[], rules }
}

const fn declared(copay: Option<CopayRate>, required: Req, rules: &'static [&'static str]) -> Expect {
    Expect {
        outcome: Outcome::SelfDeclaration,
        basis: Some(Basis::SelfDeclaration),
        copay,
        mismatch: false,
        required,
        rules,
    }
}

const fn needs(required: Req, rules: &'static [&'static str]) -> Expect {
    Expect { outcome: Outcome::NeedsMore, basis: None, copay: None, mismatch: false, required, rules }
}

const fn refused(rules: &'static [&'static str]) -> Expect {
    Expect { outcome: Outcome::Refused, basis: None, copay: None, mismatch: false, required: &[], rules }
}

const fn requiring(e: Expect, required: Req) -> Expect {
    Expect { required, ..e }
}

const fn mismatch(e: Expect) -> Expect {
    Expect { mismatch: true, ..e }
}

macro_rules! case {
    ($name:literal, $visit:expr, $expect:expr) => {
        Case { name: $name, visit: || $visit.build(), expect: $expect }
    };
}

const WORKING: &str = "COPAY-WORKING-AGE";

/// Every case.
pub static CASES: &[Case] = &[
    // ---- マイナ保険証 online ------------------------------------------------
    case!(
        "myna-face-valid",
        V::on(2025, 10, 1).online_valid(CopayRate::Thirty),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-pin-valid-pharmacy",
        V::on(2025, 10, 1).at(FacilityKind::Pharmacy).online_valid(CopayRate::Thirty).identity(IdentityMethod::Pin),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-visual-check-valid-dental",
        V::on(2025, 10, 1)
            .at(FacilityKind::Dental)
            .online_valid(CopayRate::Thirty)
            .identity(IdentityMethod::VisualCheck),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-valid-hospital-notice-not-needed",
        V::on(2025, 10, 1).at(FacilityKind::Hospital).online_valid(CopayRate::Thirty).notice(KYOKAI),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-answer-without-copay-uses-age",
        V::on(2025, 10, 1).online_answer(crate::domain::OnlineAnswer {
            copay: None,
            ..crate::domain::OnlineAnswer::valid(CopayRate::Thirty)
        }),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", WORKING])
    ),
    case!(
        "myna-validity-2-invalid",
        V::on(2025, 10, 1).online_validity(Validity::Invalid),
        declared(THIRTY, &[R_SELF_DECLARATION], &["COPAY-UNCONFIRMED-BY-AGE", "MYNA-ONLINE-INVALID", WORKING])
    ),
    case!(
        "myna-validity-2-form-filled",
        V::on(2025, 10, 1).online_validity(Validity::Invalid).self_declaration(THIRTY),
        declared(THIRTY, &[], &["MYNA-ONLINE-INVALID", "SELF-DECLARATION-ACCEPTED"])
    ),
    case!(
        "myna-validity-3-newer",
        V::on(2025, 10, 1).online_validity(Validity::InvalidNewerExists),
        declared(THIRTY, &[R_CERTIFICATE_OR_FORM], &["COPAY-UNCONFIRMED-BY-AGE", "MYNA-ONLINE-NEWER", WORKING])
    ),
    case!(
        "myna-validity-4-not-found",
        V::on(2025, 10, 1).online_validity(Validity::NotFound),
        declared(THIRTY, &[R_SELF_DECLARATION], &["COPAY-UNCONFIRMED-BY-AGE", "MYNA-ONLINE-NOT-FOUND", WORKING])
    ),
    case!(
        "myna-validity-5-multiple",
        V::on(2025, 10, 1).online_validity(Validity::Multiple),
        needs(&[], &["MYNA-ONLINE-MULTIPLE"])
    ),
    case!("myna-identity-not-proven", V::on(2025, 10, 1).card(), needs(&[], &["MYNA-IDENTITY-REQUIRED"])),
    case!(
        "myna-not-registered",
        V::on(2025, 10, 1).card_until(d(2030, 1, 1), false),
        needs(&[], &["MYNA-NOT-REGISTERED"])
    ),
    case!(
        "myna-cert-last-valid-day",
        V::on(2025, 10, 10)
            .card_until(d(2025, 10, 10), true)
            .identity(IdentityMethod::Face)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-CERT-RENEWAL-ALERT", "MYNA-ONLINE-VALID"])
    ),
    // Certificate until 2025-10-10: grace to 2026-01-31 (end of the third
    // month after October), renewal alert 2025-07-10 .. 2026-01-10.
    case!(
        "myna-cert-grace-day-after-expiry",
        V::on(2025, 10, 11)
            .card_until(d(2025, 10, 10), true)
            .identity(IdentityMethod::Face)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-CERT-GRACE", "MYNA-CERT-RENEWAL-ALERT", "MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-cert-grace-not-yet-identified",
        V::on(2025, 10, 11).card_until(d(2025, 10, 10), true),
        needs(&[], &["MYNA-CERT-GRACE", "MYNA-IDENTITY-REQUIRED"])
    ),
    case!(
        "myna-cert-grace-last-day",
        V::on(2026, 1, 31)
            .card_until(d(2025, 10, 10), true)
            .identity(IdentityMethod::Pin)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-CERT-GRACE", "MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-cert-expired-day-after-grace",
        V::on(2026, 2, 1).card_until(d(2025, 10, 10), true),
        needs(&[R_PAPER], &["MYNA-CERT-EXPIRED"])
    ),
    case!(
        "myna-cert-expired-with-notice",
        V::on(2026, 2, 1).card_until(d(2025, 10, 10), true).notice(KYOKAI),
        accepted(Basis::NoticeWithCard, THIRTY, &["MYNA-CERT-EXPIRED", "NOTICE-WITH-CARD", WORKING])
    ),
    case!(
        "myna-cert-renewal-alert-day-before-window",
        V::on(2026, 2, 14).card_until(d(2026, 5, 15), true).online_valid(CopayRate::Thirty),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "myna-cert-renewal-alert-first-day-of-window",
        V::on(2026, 2, 15).card_until(d(2026, 5, 15), true).online_valid(CopayRate::Thirty),
        accepted(Basis::Online, THIRTY, &["MYNA-CERT-RENEWAL-ALERT", "MYNA-ONLINE-VALID"])
    ),
    // ---- スマホ保険証 ------------------------------------------------------------
    case!(
        "phone-day-before-start",
        V::on(2025, 9, 18).phone_reader().phone(CardMedium::Android, d(2030, 1, 1)),
        needs(&[R_CARD_OR_CERTIFICATE], &["MYNA-PHONE-NOT-YET"])
    ),
    case!(
        "phone-android-first-day",
        V::on(2025, 9, 19)
            .phone_reader()
            .phone(CardMedium::Android, d(2030, 1, 1))
            .identity(IdentityMethod::Pin)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-PHONE-ACCEPTED", "MYNA-ONLINE-VALID"])
    ),
    case!(
        "phone-iphone-today",
        V::on(2026, 11, 30)
            .phone_reader()
            .phone(CardMedium::IPhone, d(2030, 1, 1))
            .identity(IdentityMethod::Phone)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-PHONE-ACCEPTED", "MYNA-ONLINE-VALID"])
    ),
    case!(
        "phone-no-general-reader",
        V::on(2026, 11, 30).phone(CardMedium::Android, d(2030, 1, 1)),
        needs(&[R_CARD_PORTAL], &["MYNA-PHONE-NO-READER"])
    ),
    case!(
        "phone-no-general-reader-portal-shown",
        V::on(2026, 11, 30).phone(CardMedium::IPhone, d(2030, 1, 1)).portal(KYOKAI),
        accepted(Basis::PortalWithCard, THIRTY, &["MYNA-PHONE-NO-READER", "PORTAL-WITH-CARD", WORKING])
    ),
    case!(
        "phone-certificate-last-day",
        V::on(2026, 11, 30)
            .phone_reader()
            .phone(CardMedium::Android, d(2026, 11, 30))
            .identity(IdentityMethod::Pin)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-PHONE-ACCEPTED", "MYNA-ONLINE-VALID"])
    ),
    case!(
        "phone-certificate-day-after-no-grace",
        V::on(2026, 12, 1)
            .phone_reader()
            .phone(CardMedium::Android, d(2026, 11, 30))
            .identity(IdentityMethod::Pin)
            .answer(crate::domain::QueryKey::Card, crate::domain::OnlineAnswer::valid(CopayRate::Thirty)),
        needs(&[R_CARD_OR_CERTIFICATE], &["MYNA-PHONE-CERT-EXPIRED"])
    ),
    // ---- 医療扶助 ------------------------------------------------------------------
    case!(
        "public-assistance-validity-6",
        V::on(2026, 11, 30).online_answer(crate::domain::OnlineAnswer {
            card_class: Some(crate::domain::CardClass::PublicAssistance),
            copay: None,
            ..crate::domain::OnlineAnswer::with_validity(Validity::PublicAssistance)
        }),
        Expect {
            outcome: Outcome::Accepted,
            basis: Some(Basis::PublicAssistance),
            copay: None,
            mismatch: false,
            required: &[],
            rules: &["MYNA-ONLINE-PUBLIC-ASSISTANCE"],
        }
    ),
    // ---- failures -----------------------------------------------------------
    case!(
        "network-down-self-declaration",
        V::on(2025, 10, 1).network_down().card(),
        declared(THIRTY, &[R_PAPER_OR_FORM], &["COPAY-UNCONFIRMED-BY-AGE", "SYSTEM-FAILURE-SELF-DECLARATION", WORKING])
    ),
    case!(
        "reader-broken-self-declaration",
        V::on(2025, 10, 1).reader_broken().card(),
        declared(THIRTY, &[R_PAPER_OR_FORM], &["COPAY-UNCONFIRMED-BY-AGE", "SYSTEM-FAILURE-SELF-DECLARATION", WORKING])
    ),
    case!(
        "service-timeout-self-declaration",
        V::on(2025, 10, 1).card().identity(IdentityMethod::Face).timeout(),
        declared(THIRTY, &[R_PAPER_OR_FORM], &["COPAY-UNCONFIRMED-BY-AGE", "SYSTEM-FAILURE-SELF-DECLARATION", WORKING])
    ),
    case!(
        "service-error-form-filled",
        V::on(2025, 10, 1).card().identity(IdentityMethod::Pin).service_error().self_declaration(THIRTY),
        declared(THIRTY, &[], &["SYSTEM-FAILURE-SELF-DECLARATION", "SELF-DECLARATION-ACCEPTED"])
    ),
    case!(
        "network-down-notice-with-card",
        V::on(2025, 10, 1).network_down().card().notice(KYOKAI),
        accepted(Basis::NoticeWithCard, THIRTY, &["SYSTEM-FAILURE-SELF-DECLARATION", "NOTICE-WITH-CARD", WORKING])
    ),
    case!(
        "network-down-elderly-declares-20",
        V::on(2025, 10, 1).born(1953, 3, 3).network_down().card().self_declaration(TWENTY),
        declared(TWENTY, &[], &["SYSTEM-FAILURE-SELF-DECLARATION", "SELF-DECLARATION-ACCEPTED"])
    ),
    case!(
        "network-down-elderly-undeclared",
        V::on(2025, 10, 1).born(1953, 3, 3).network_down().card(),
        declared(
            None,
            &[R_PAPER_OR_FORM],
            &["COPAY-UNCONFIRMED-BY-AGE", "SYSTEM-FAILURE-SELF-DECLARATION", "COPAY-70-74"]
        )
    ),
    case!(
        "network-down-birth-date-unknown",
        V::on(2025, 10, 1).unknown_patient().network_down().card(),
        declared(None, &[R_PAPER_OR_FORM], &["SYSTEM-FAILURE-SELF-DECLARATION"])
    ),
    case!(
        "online-valid-birth-date-unknown",
        V::on(2025, 10, 1).unknown_patient().online_valid(CopayRate::Twenty),
        accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID"])
    ),
    // ---- offline facility ------------------------------------------------------
    case!(
        "offline-card-alone",
        V::on(2025, 10, 1).offline().card(),
        needs(&[R_CARD_WITH_PAPER], &["MYNA-OFFLINE-NEEDS-NOTICE"])
    ),
    case!(
        "offline-card-with-notice",
        V::on(2025, 10, 1).offline().card().notice(KYOKAI),
        accepted(Basis::NoticeWithCard, THIRTY, &["MYNA-OFFLINE-NEEDS-NOTICE", "NOTICE-WITH-CARD", WORKING])
    ),
    case!(
        "offline-card-with-portal",
        V::on(2025, 10, 1).offline().card().portal(KUMIAI),
        accepted(Basis::PortalWithCard, THIRTY, &["MYNA-OFFLINE-NEEDS-NOTICE", "PORTAL-WITH-CARD", WORKING])
    ),
    case!(
        "offline-certificate",
        V::on(2025, 10, 1).offline().certificate(CHIYODA_NHI, None, d(2026, 9, 30), None),
        accepted(Basis::Certificate, THIRTY, &["CERT-VALID", WORKING])
    ),
    // ---- お知らせ / portal alone, temporary measure ----------------------------
    case!("notice-alone", V::on(2025, 11, 1).notice(KYOKAI), needs(&[R_CARD_NOTICE], &["NOTICE-NEEDS-CARD"])),
    case!("portal-alone", V::on(2025, 11, 1).portal(KYOKAI), needs(&[R_CARD_PORTAL], &["PORTAL-NEEDS-CARD"])),
    case!(
        "notice-alone-online-day-before-measure",
        V::on(2025, 12, 1).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        needs(&[R_CARD_NOTICE], &["NOTICE-NEEDS-CARD"])
    ),
    case!(
        "notice-alone-online-first-day-of-measure",
        V::on(2025, 12, 2).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE"])
    ),
    // As announced on 2025-11-12 the measure ended on 2026-03-31; from the
    // extension's announcement (2026-03-19) it runs to 2026-07-31.
    case!(
        "notice-alone-february-as-announced-in-november",
        V::on(2026, 2, 10).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE"])
    ),
    case!(
        "notice-alone-day-before-extension-announced",
        V::on(2026, 3, 18).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE"])
    ),
    case!(
        "notice-alone-day-extension-announced",
        V::on(2026, 3, 19).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE-TO-JULY"])
    ),
    case!(
        "notice-alone-old-end-date-now-extended",
        V::on(2026, 4, 1).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE-TO-JULY"])
    ),
    case!(
        "notice-alone-may-extended",
        V::on(2026, 5, 20).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE-TO-JULY"])
    ),
    case!(
        "notice-alone-last-day-of-extension",
        V::on(2026, 7, 31).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        accepted(Basis::NoticeOnlineChecked, THIRTY, &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE-TO-JULY"])
    ),
    case!(
        "notice-alone-day-after-extension",
        V::on(2026, 8, 1).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        needs(&[R_CARD_NOTICE], &["NOTICE-NEEDS-CARD", "TEMP-MEASURE-ENDED"])
    ),
    case!(
        "notice-alone-today",
        V::on(2026, 11, 30).notice(KYOKAI).numbers_valid(CopayRate::Thirty),
        needs(&[R_CARD_NOTICE], &["NOTICE-NEEDS-CARD", "TEMP-MEASURE-ENDED"])
    ),
    case!(
        "notice-alone-measure-not-yet-checked",
        V::on(2026, 1, 15).notice(KYOKAI),
        needs(&[R_CARD_NOTICE], &["NOTICE-NEEDS-CARD", "TEMP-NOTICE-ALONE"])
    ),
    case!(
        "notice-alone-measure-offline",
        V::on(2026, 1, 15).offline().notice(KYOKAI),
        needs(&[R_CARD_NOTICE], &["NOTICE-NEEDS-CARD"])
    ),
    // ---- 資格確認書 --------------------------------------------------------------
    case!(
        "certificate-last-day",
        V::on(2026, 7, 31).certificate(KYOKAI, None, d(2026, 7, 31), None),
        accepted(Basis::Certificate, THIRTY, &["CERT-VALID", WORKING])
    ),
    case!(
        "certificate-day-after-expiry",
        V::on(2026, 8, 1).certificate(KYOKAI, None, d(2026, 7, 31), None),
        requiring(refused(&["CERT-EXPIRED", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "certificate-day-before-start",
        V::on(2025, 9, 30).certificate(KYOKAI, Some(d(2025, 10, 1)), d(2030, 9, 30), None),
        requiring(refused(&["CERT-NOT-YET-VALID", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "certificate-first-day",
        V::on(2025, 10, 1).certificate(KYOKAI, Some(d(2025, 10, 1)), d(2030, 9, 30), None),
        accepted(Basis::Certificate, THIRTY, &["CERT-VALID", WORKING])
    ),
    case!(
        "certificate-70-printed-copay",
        V::on(2025, 10, 1).born(1953, 3, 3).certificate(CHIYODA_NHI, None, d(2026, 7, 31), TWENTY),
        accepted(Basis::Certificate, TWENTY, &["CERT-VALID"])
    ),
    case!(
        "certificate-late-elderly-last-day-of-measure",
        V::on(2026, 7, 31).born(1945, 1, 1).card().certificate(TOKYO_LATE, None, d(2026, 7, 31), TEN).offline(),
        accepted(Basis::Certificate, TEN, &["MYNA-OFFLINE-NEEDS-NOTICE", "CERT-VALID", "LATE-ELDERLY-CERT-FOR-ALL"])
    ),
    case!(
        "certificate-late-elderly-after-measure",
        V::on(2026, 8, 1).born(1945, 1, 1).certificate(TOKYO_LATE, None, d(2027, 7, 31), TEN),
        accepted(Basis::Certificate, TEN, &["CERT-VALID", "LATE-ELDERLY-CERT-BY-HOLDING"])
    ),
    case!(
        "offline-card-late-elderly-expired-certificate",
        V::on(2026, 8, 1).born(1945, 1, 1).offline().card().certificate(TOKYO_LATE, None, d(2026, 7, 31), TEN),
        needs(&[R_PAPER], &["MYNA-OFFLINE-NEEDS-NOTICE", "CERT-EXPIRED", "LATE-ELDERLY-CERT-BY-HOLDING"])
    ),
    // Age on 2026-08-01 by the legal count: born 1941-08-02 reaches 85 on
    // 2026-08-01; born 1941-08-03 on 2026-08-02.
    case!(
        "late-elderly-85-on-august-1-last-day-of-measure",
        V::on(2026, 7, 31).born(1941, 3, 3).certificate(KANAGAWA_LATE, None, d(2027, 7, 31), TEN),
        accepted(Basis::Certificate, TEN, &["CERT-VALID", "LATE-ELDERLY-CERT-FOR-ALL"])
    ),
    case!(
        "late-elderly-85-on-august-1",
        V::on(2026, 8, 1).born(1941, 3, 3).certificate(KANAGAWA_LATE, None, d(2027, 7, 31), TEN),
        accepted(Basis::Certificate, TEN, &["CERT-VALID", "LATE-ELDERLY-CERT-85"])
    ),
    case!(
        "late-elderly-84-on-august-1",
        V::on(2026, 8, 1).born(1942, 3, 3).certificate(KANAGAWA_LATE, None, d(2027, 7, 31), TEN),
        accepted(Basis::Certificate, TEN, &["CERT-VALID", "LATE-ELDERLY-CERT-BY-HOLDING"])
    ),
    case!(
        "late-elderly-reaches-85-on-august-1",
        V::on(2026, 11, 30).born(1941, 8, 2).certificate(KANAGAWA_LATE, None, d(2027, 7, 31), TEN),
        accepted(Basis::Certificate, TEN, &["CERT-VALID", "LATE-ELDERLY-CERT-85"])
    ),
    case!(
        "late-elderly-reaches-85-on-august-2",
        V::on(2026, 11, 30).born(1941, 8, 3).certificate(KANAGAWA_LATE, None, d(2027, 7, 31), TEN),
        accepted(Basis::Certificate, TEN, &["CERT-VALID", "LATE-ELDERLY-CERT-BY-HOLDING"])
    ),
    case!(
        "late-elderly-85-for-all-certificate-expired",
        V::on(2026, 8, 1).born(1941, 3, 3).certificate(KANAGAWA_LATE, None, d(2026, 7, 31), TEN),
        requiring(refused(&["CERT-EXPIRED", "LATE-ELDERLY-CERT-85", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    // ---- old cards: national cap, overrides, printed expiry ------------------------
    case!(
        "old-card-day-before-national-cap",
        V::on(2025, 11, 30).old_card(KYOKAI, d(2023, 4, 1), None, None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "old-card-national-cap-last-day",
        V::on(2025, 12, 1).old_card(KYOKAI, d(2023, 4, 1), None, None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "old-card-day-after-cap-offline",
        V::on(2025, 12, 2).offline().old_card(KYOKAI, d(2023, 4, 1), None, None),
        requiring(refused(&["OLD-CARD-CAP-NATIONAL", "NO-VALID-DOCUMENT"]), &[R_PAPER])
    ),
    case!(
        "old-card-day-after-cap-not-checked",
        V::on(2025, 12, 2).old_card(KYOKAI, d(2023, 4, 1), None, None),
        needs(&[], &["OLD-CARD-CAP-NATIONAL", "TEMP-EXPIRED-OLD-CARD"])
    ),
    case!(
        "old-card-expired-checked-first-day",
        V::on(2025, 12, 2).old_card(KYOKAI, d(2023, 4, 1), None, None).numbers_valid(CopayRate::Thirty),
        accepted(Basis::OldCardOnlineChecked, THIRTY, &["OLD-CARD-CAP-NATIONAL", "TEMP-EXPIRED-OLD-CARD"])
    ),
    case!(
        "old-card-expired-checked-february",
        V::on(2026, 2, 10).old_card(KYOKAI, d(2023, 4, 1), None, None).numbers_valid(CopayRate::Thirty),
        accepted(Basis::OldCardOnlineChecked, THIRTY, &["OLD-CARD-CAP-NATIONAL", "TEMP-EXPIRED-OLD-CARD"])
    ),
    case!(
        "old-card-expired-checked-old-last-day",
        V::on(2026, 3, 31).old_card(KUMIAI, d(2023, 4, 1), Some(d(2026, 3, 31)), None).numbers_valid(CopayRate::Thirty),
        accepted(Basis::OldCardOnlineChecked, THIRTY, &["OLD-CARD-CAP-NATIONAL", "TEMP-EXPIRED-OLD-CARD-TO-JULY"])
    ),
    case!(
        "old-card-expired-checked-may",
        V::on(2026, 5, 20).old_card(KYOKAI, d(2023, 4, 1), None, None).numbers_valid(CopayRate::Thirty),
        accepted(Basis::OldCardOnlineChecked, THIRTY, &["OLD-CARD-CAP-NATIONAL", "TEMP-EXPIRED-OLD-CARD-TO-JULY"])
    ),
    case!(
        "old-card-expired-checked-last-day-of-extension",
        V::on(2026, 7, 31).old_card(KYOKAI, d(2023, 4, 1), None, None).numbers_valid(CopayRate::Thirty),
        accepted(Basis::OldCardOnlineChecked, THIRTY, &["OLD-CARD-CAP-NATIONAL", "TEMP-EXPIRED-OLD-CARD-TO-JULY"])
    ),
    case!(
        "old-card-expired-checked-day-after-extension",
        V::on(2026, 8, 1).old_card(KYOKAI, d(2023, 4, 1), None, None).numbers_valid(CopayRate::Thirty),
        requiring(
            refused(&["OLD-CARD-CAP-NATIONAL", "TEMP-MEASURE-ENDED", "NO-VALID-DOCUMENT"]),
            &[R_CARD_OR_CERTIFICATE]
        )
    ),
    case!(
        "old-card-expired-today",
        V::on(2026, 11, 30).old_card(KYOKAI, d(2023, 4, 1), None, None),
        requiring(
            refused(&["OLD-CARD-CAP-NATIONAL", "TEMP-MEASURE-ENDED", "NO-VALID-DOCUMENT"]),
            &[R_CARD_OR_CERTIFICATE]
        )
    ),
    case!(
        "old-card-expired-online-says-invalid",
        V::on(2026, 1, 10)
            .old_card(KYOKAI, d(2023, 4, 1), None, None)
            .answer(crate::domain::QueryKey::Numbers, crate::domain::OnlineAnswer::with_validity(Validity::Invalid)),
        requiring(refused(&["OLD-CARD-CAP-NATIONAL", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "tachikawa-nhi-day-before-unified-expiry",
        V::on(2025, 9, 29).old_card(TACHIKAWA_NHI, d(2023, 10, 1), Some(d(2025, 9, 30)), None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "tachikawa-nhi-unified-expiry",
        V::on(2025, 9, 30).old_card(TACHIKAWA_NHI, d(2023, 10, 1), Some(d(2025, 9, 30)), None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "tachikawa-nhi-day-after-unified-expiry",
        V::on(2025, 10, 1).old_card(TACHIKAWA_NHI, d(2023, 10, 1), Some(d(2025, 9, 30)), None),
        requiring(refused(&["OLD-CARD-CAP-TACHIKAWA-NHI", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "tachikawa-nhi-no-printed-expiry",
        V::on(2025, 10, 1).old_card(TACHIKAWA_NHI, d(2023, 10, 1), None, None),
        requiring(refused(&["OLD-CARD-CAP-TACHIKAWA-NHI", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "other-nhi-unaffected-by-tachikawa",
        V::on(2025, 10, 1).old_card(CHIYODA_NHI, d(2024, 8, 1), Some(d(2025, 11, 30)), None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "tokyo-late-elderly-last-day",
        V::on(2025, 7, 31).born(1945, 1, 1).old_card(TOKYO_LATE, d(2024, 8, 1), Some(d(2025, 7, 31)), TEN),
        accepted(Basis::OldCard, TEN, &["OLD-CARD-VALID"])
    ),
    case!(
        "tokyo-late-elderly-day-after",
        V::on(2025, 8, 1).born(1945, 1, 1).offline().old_card(TOKYO_LATE, d(2024, 8, 1), None, TEN),
        requiring(refused(&["OLD-CARD-CAP-TOKYO-LATE-ELDERLY", "NO-VALID-DOCUMENT"]), &[R_PAPER])
    ),
    case!(
        "kanagawa-late-elderly-unaffected",
        V::on(2025, 8, 1).born(1945, 1, 1).old_card(KANAGAWA_LATE, d(2024, 8, 1), Some(d(2025, 11, 30)), TWENTY),
        accepted(Basis::OldCard, TWENTY, &["OLD-CARD-VALID"])
    ),
    case!(
        "old-card-printed-expiry-last-day",
        V::on(2025, 3, 31).old_card(KUMIAI, d(2023, 4, 1), Some(d(2025, 3, 31)), None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "old-card-printed-expiry-day-after",
        V::on(2025, 4, 1).old_card(KUMIAI, d(2023, 4, 1), Some(d(2025, 3, 31)), None),
        requiring(refused(&["OLD-CARD-PRINTED-EXPIRY", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "old-card-issued-last-day-of-issuance",
        V::on(2025, 6, 1).old_card(KYOKAI, d(2024, 12, 1), None, None),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "old-card-issued-after-end",
        V::on(2025, 6, 1).old_card(KYOKAI, d(2024, 12, 2), None, None),
        requiring(refused(&["OLD-CARD-ISSUED-AFTER-END", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "old-card-day-before-face-change",
        V::on(2025, 6, 9).old_card_changed(KYOKAI, d(2023, 4, 1), d(2025, 6, 10)),
        accepted(Basis::OldCard, THIRTY, &["OLD-CARD-VALID", WORKING])
    ),
    case!(
        "old-card-day-of-face-change",
        V::on(2025, 6, 10).old_card_changed(KYOKAI, d(2023, 4, 1), d(2025, 6, 10)),
        requiring(refused(&["OLD-CARD-FACE-CHANGED", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "old-card-face-changed-not-rescued-by-measure",
        V::on(2026, 1, 10).old_card_changed(KYOKAI, d(2023, 4, 1), d(2025, 6, 10)).numbers_valid(CopayRate::Thirty),
        requiring(refused(&["OLD-CARD-FACE-CHANGED", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "old-card-day-before-75th-birthday",
        V::on(2025, 8, 19)
            .born(1950, 8, 20)
            .old_card(CHIYODA_NHI, d(2024, 8, 1), Some(d(2025, 11, 30)), None)
            .elderly_recipient(CopayRate::Twenty, d(2026, 7, 31)),
        accepted(Basis::OldCard, TWENTY, &["OLD-CARD-VALID"])
    ),
    case!(
        "old-card-on-75th-birthday",
        V::on(2025, 8, 20).born(1950, 8, 20).old_card(CHIYODA_NHI, d(2024, 8, 1), Some(d(2025, 11, 30)), None),
        requiring(refused(&["OLD-CARD-AGE-75", "NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "old-card-70-without-recipient-certificate",
        V::on(2025, 6, 1).born(1953, 3, 3).old_card(KYOKAI, d(2023, 4, 1), None, None),
        requiring(
            accepted(Basis::OldCard, None, &["OLD-CARD-VALID", "COPAY-70-74", "ELDERLY-RECIPIENT-ON-PAPER"]),
            &[R_ELDERLY_RECIPIENT]
        )
    ),
    case!(
        "old-card-70-expired-recipient-certificate",
        V::on(2025, 6, 1)
            .born(1953, 3, 3)
            .old_card(KYOKAI, d(2023, 4, 1), None, None)
            .elderly_recipient(CopayRate::Twenty, d(2025, 5, 31)),
        requiring(
            accepted(Basis::OldCard, None, &["OLD-CARD-VALID", "COPAY-70-74", "ELDERLY-RECIPIENT-ON-PAPER"]),
            &[R_ELDERLY_RECIPIENT]
        )
    ),
    // ---- copay cross-check ---------------------------------------------------------
    case!(
        "copay-70-day-before-new-ratio",
        V::on(2025, 6, 30).born(1955, 6, 15).online_valid(CopayRate::Thirty),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-70-day-before-new-ratio-stated-20",
        V::on(2025, 6, 30).born(1955, 6, 15).online_answer(elderly_answer(CopayRate::Twenty)),
        mismatch(accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID", "COPAY-MISMATCH", WORKING]))
    ),
    case!(
        "copay-70-first-day-of-new-ratio",
        V::on(2025, 7, 1).born(1955, 6, 15).online_answer(elderly_answer(CopayRate::Twenty)),
        accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-70-born-on-1st-day-before",
        V::on(2025, 6, 30).born(1955, 7, 1).online_answer(elderly_answer(CopayRate::Twenty)),
        mismatch(accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID", "COPAY-MISMATCH", WORKING]))
    ),
    case!(
        "copay-70-born-on-1st-birth-month",
        V::on(2025, 7, 1).born(1955, 7, 1).online_answer(elderly_answer(CopayRate::Twenty)),
        accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-70-74-high-earner",
        V::on(2025, 10, 1).born(1953, 3, 3).online_answer(elderly_answer(CopayRate::Thirty)),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-70-74-stated-10-mismatch",
        V::on(2025, 10, 1).born(1953, 3, 3).online_answer(elderly_answer(CopayRate::Ten)),
        mismatch(accepted(Basis::Online, TEN, &["MYNA-ONLINE-VALID", "COPAY-MISMATCH", "COPAY-70-74"]))
    ),
    case!(
        "copay-preschool-last-day",
        V::on(2026, 3, 31).born(2019, 4, 2).online_valid(CopayRate::Twenty),
        accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-preschool-day-after-stated-20",
        V::on(2026, 4, 1).born(2019, 4, 2).online_valid(CopayRate::Twenty),
        mismatch(accepted(Basis::Online, TWENTY, &["MYNA-ONLINE-VALID", "COPAY-MISMATCH", WORKING]))
    ),
    case!(
        "copay-preschool-born-april-1-school-year",
        V::on(2025, 4, 1).born(2019, 4, 1).online_valid(CopayRate::Thirty),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-preschool-from-age",
        V::on(2025, 4, 1).born(2022, 1, 1).offline().certificate(KYOKAI, None, d(2026, 3, 31), None),
        accepted(Basis::Certificate, TWENTY, &["CERT-VALID", "COPAY-PRESCHOOL"])
    ),
    case!(
        "copay-75th-birthday-late-elderly-10",
        V::on(2025, 8, 20).born(1950, 8, 20).online_answer(answer_from(TOKYO_LATE, CopayRate::Ten)),
        accepted(Basis::Online, TEN, &["MYNA-ONLINE-VALID"])
    ),
    case!(
        "copay-75-late-elderly-copay-from-age",
        V::on(2025, 10, 1).born(1945, 1, 1).offline().certificate(TOKYO_LATE, None, d(2026, 7, 31), None),
        accepted(Basis::Certificate, None, &["CERT-VALID", "LATE-ELDERLY-CERT-FOR-ALL", "COPAY-75"])
    ),
    case!(
        "copay-day-before-75-stated-10",
        V::on(2025, 8, 19).born(1950, 8, 20).online_answer(answer_from(CHIYODA_NHI, CopayRate::Ten)),
        mismatch(accepted(Basis::Online, TEN, &["MYNA-ONLINE-VALID", "COPAY-MISMATCH", "COPAY-70-74"]))
    ),
    case!(
        "copay-working-age-stated-20-mismatch",
        V::on(2025, 10, 1).offline().card().notice(KYOKAI).self_declaration(None).certificate(
            KYOKAI,
            None,
            d(2026, 9, 30),
            TWENTY
        ),
        mismatch(accepted(
            Basis::Certificate,
            TWENTY,
            &["MYNA-OFFLINE-NEEDS-NOTICE", "CERT-VALID", "COPAY-MISMATCH", WORKING]
        ))
    ),
    // ---- accompanying documents -----------------------------------------------------
    case!(
        "public-expense-ticket-missing",
        V::on(2025, 10, 1).online_valid(CopayRate::Thirty).with(|c| c.public_expense = true),
        requiring(
            accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", "PUBLIC-EXPENSE-SEPARATE"]),
            &[R_PUBLIC_EXPENSE]
        )
    ),
    case!(
        "public-expense-ticket-shown",
        V::on(2025, 10, 1).online_valid(CopayRate::Thirty).public_expense(88).with(|c| c.public_expense = true),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", "PUBLIC-EXPENSE-SEPARATE"])
    ),
    case!(
        "limit-from-online",
        V::on(2025, 10, 1).with(|c| c.high_cost_care = true).online_answer(crate::domain::OnlineAnswer {
            limit: Some(LimitClass::U),
            ..crate::domain::OnlineAnswer::valid(CopayRate::Thirty)
        }),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", "LIMIT-FROM-ONLINE"])
    ),
    case!(
        "limit-on-paper-missing",
        V::on(2025, 10, 1).with(|c| c.high_cost_care = true).certificate(KYOKAI, None, d(2026, 9, 30), None),
        requiring(accepted(Basis::Certificate, THIRTY, &["CERT-VALID", "LIMIT-ON-PAPER", WORKING]), &[R_LIMIT])
    ),
    case!(
        "limit-on-paper-shown",
        V::on(2025, 10, 1)
            .with(|c| c.high_cost_care = true)
            .certificate(KYOKAI, None, d(2026, 9, 30), None)
            .limit(LimitClass::U, d(2026, 7, 31)),
        accepted(Basis::Certificate, THIRTY, &["CERT-VALID", "LIMIT-ON-PAPER", WORKING])
    ),
    case!(
        "limit-must-apply-non-taxed-long-stay",
        V::on(2025, 10, 1).with(|c| c.non_taxed_long_stay = true).online_valid(CopayRate::Thirty),
        requiring(accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", "LIMIT-MUST-APPLY"]), &[R_LIMIT])
    ),
    case!(
        "limit-must-apply-arrears-shown",
        V::on(2025, 10, 1)
            .with(|c| c.premium_arrears = true)
            .online_valid(CopayRate::Thirty)
            .limit(LimitClass::O, d(2026, 7, 31)),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", "LIMIT-MUST-APPLY"])
    ),
    case!(
        "specific-disease-from-online",
        V::on(2025, 10, 1).with(|c| c.specific_disease = true).online_answer(crate::domain::OnlineAnswer {
            disease: Some(SpecificDisease::Dialysis),
            ..crate::domain::OnlineAnswer::valid(CopayRate::Thirty)
        }),
        accepted(Basis::Online, THIRTY, &["MYNA-ONLINE-VALID", "SPECIFIC-DISEASE-FROM-ONLINE"])
    ),
    case!(
        "specific-disease-on-paper-missing",
        V::on(2025, 10, 1).with(|c| c.specific_disease = true).certificate(KYOKAI, None, d(2026, 9, 30), None),
        requiring(
            accepted(Basis::Certificate, THIRTY, &["CERT-VALID", "SPECIFIC-DISEASE-ON-PAPER", WORKING]),
            &[R_SPECIFIC_DISEASE]
        )
    ),
    case!(
        "specific-disease-on-paper-shown",
        V::on(2025, 10, 1)
            .with(|c| c.specific_disease = true)
            .certificate(KYOKAI, None, d(2026, 9, 30), None)
            .disease(SpecificDisease::Hemophilia),
        accepted(Basis::Certificate, THIRTY, &["CERT-VALID", "SPECIFIC-DISEASE-ON-PAPER", WORKING])
    ),
    // ---- nothing valid --------------------------------------------------------------------
    case!(
        "nothing-presented",
        V::on(2025, 10, 1),
        requiring(refused(&["NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "self-declaration-without-failure",
        V::on(2025, 10, 1).self_declaration(THIRTY),
        requiring(refused(&["NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
    case!(
        "only-accompanying-documents",
        V::on(2025, 10, 1)
            .elderly_recipient(CopayRate::Twenty, d(2026, 7, 31))
            .limit(LimitClass::A, d(2026, 7, 31))
            .disease(SpecificDisease::Hiv)
            .public_expense(54),
        requiring(refused(&["NO-VALID-DOCUMENT"]), &[R_CARD_OR_CERTIFICATE])
    ),
];
