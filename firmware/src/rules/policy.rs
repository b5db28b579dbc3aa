//! The effective-dated policy table: every rule the terminal applies, national
//! rules first, then insurer overrides and temporary measures.
//!
//! A new notice (an insurer's own unified expiry, a temporary measure extended
//! or ended) is a new or changed row here, not a new code path.

use super::rule::{Known, Period, Replaced, Rule, RuleId, RuleKind, SchemeKind, Scope, Source};
use crate::domain::InsurerNumber;
use chrono::NaiveDate;

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid date in the policy table"),
    }
}

const fn between(from: NaiveDate, until: NaiveDate) -> Period {
    Period { from: Some(from), until: Some(until) }
}

const fn until(y: i32, m: u32, d: u32) -> Period {
    Period { from: None, until: Some(date(y, m, d)) }
}

/// The day the law ended new paper cards (令和5年法律第48号).
pub const PAPER_CARD_ISSUE_END: NaiveDate = date(2024, 12, 2);
/// Start of the temporary measure (expired old card or お知らせ alone after
/// an online check by the numbers).
pub const TEMPORARY_MEASURE_START: NaiveDate = date(2025, 12, 2);
/// Day the measure was announced (MHLW 事務連絡 2025-11-12).
pub const TEMPORARY_MEASURE_ANNOUNCED: NaiveDate = date(2025, 11, 12);
/// Last day of the measure as announced on 2025-11-12.
pub const TEMPORARY_MEASURE_END: NaiveDate = date(2026, 3, 31);
/// Day the health minister announced the extension (2026-03-19).
pub const TEMPORARY_MEASURE_EXTENSION_ANNOUNCED: NaiveDate = date(2026, 3, 19);
/// Last day of the extended measure.
pub const TEMPORARY_MEASURE_EXTENDED_END: NaiveDate = date(2026, 7, 31);
/// First day only a マイナ保険証 or a 資格確認書 is accepted (the measure
/// ended; late-stage elderly no longer all get a 資格確認書).
pub const AUGUST_2026: NaiveDate = date(2026, 8, 1);
/// First day a smartphone can be shown as the insurance card (スマホ保険証).
pub const SMARTPHONE_START: NaiveDate = date(2025, 9, 19);
/// Late-stage elderly of this age or over on [`AUGUST_2026`] get a 資格確認書
/// without applying.
pub const LATE_ELDERLY_AUTOMATIC_AGE: u8 = 85;

const SEED_000: Source = Source::Seed("000");
const SEED_003: Source = Source::Seed("003");
const MHLW_0710: Source =
    Source::Notice("厚生労働省 保発0710第1号 令和5年7月10日（富士フイルム健康保険組合のお知らせ 12263）");
const MHLW_TEMP: Source = Source::Notice("厚生労働省 通知 令和7年11月12日（prorelations.jp、TBS NEWS DIG の報道）");
const MHLW_LATE: Source = Source::Notice("厚生労働省 通知 令和7年4月3日（保団連 hodanren.doc-net.or.jp）");
const READER_FLOW: Source = Source::Notice("厚生労働省 顔認証付きカードリーダーの案内リーフレット");
const AGE_RULES: Source = Source::Notice("健康保険法第74条、高齢者の医療の確保に関する法律第50条・第67条");
const MHLW_EXTENSION: Source = Source::Notice(
    "厚生労働大臣 記者会見 令和8年3月19日（新潟日報 799360、KAB 16433268、fujipost 48684 の報道。厚生労働省の通知は未確認）",
);
const LATE_2026: Source = Source::Notice(
    "埼玉県後期高齢者医療広域連合「令和8年8月から資格確認書の交付要件が変わります」; 魚沼市 後期高齢者医療の資格確認書; 南房総市 0000021464",
);
const CERT_GRACE: Source = Source::Notice(
    "厚生労働省 newpage_50657（報道・保険者の案内による。西日本プラント工業健保 2802、日野自動車健保 FAQ 18475、クローバー社労士 の案内）",
);
const SMARTPHONE: Source =
    Source::Notice("医療機関等向け総合ポータル KB0012286（報道による）; ASCII 4316751; BCN 20250919_557389");
const PUBLIC_ASSISTANCE: Source =
    Source::Notice("呉市「医療扶助のオンライン資格確認」; 岡山市 0000057396; 資格有効性6・被保険者証区分A1");
const UNCONFIRMED_COPAY: Source =
    Source::Notice("厚生労働省 マニュアル改訂（時事メディカル 57010 の報道、未確認）; 保発0710第1号 令和5年7月10日");

macro_rules! rule {
    ($id:literal, $kind:expr, $scope:expr, $period:expr, $source:expr, $ja:literal, $en:literal) => {
        rule!($id, $kind, $scope, $period, Known::ALWAYS, $source, $ja, $en)
    };
    ($id:literal, $kind:expr, $scope:expr, $period:expr, $known:expr, $source:expr, $ja:literal, $en:literal) => {
        Rule {
            id: RuleId($id),
            kind: $kind,
            scope: $scope,
            applies: $period,
            known: $known,
            ja: $ja,
            en: $en,
            source: $source,
        }
    };
}

/// Announced on `announced`, still current.
const fn announced(y: i32, m: u32, d: u32) -> Known {
    Known { announced: Some(date(y, m, d)), replaced: None }
}

/// Announced on `announced`, replaced by `by` from `on`.
const fn replaced(announced: NaiveDate, on: NaiveDate, by: &'static str) -> Known {
    Known { announced: Some(announced), replaced: Some(Replaced { on, by: RuleId(by) }) }
}

/// Every rule, national and insurer-specific.
pub static NATIONAL: &[Rule] = &[
    // --- マイナ保険証 and the online answer -------------------------------
    rule!(
        "MYNA-ONLINE-VALID",
        RuleKind::OnlineValid,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "オンライン資格確認で資格が有効と確認できました。",
        "The online check confirms valid coverage."
    ),
    rule!(
        "MYNA-ONLINE-PUBLIC-ASSISTANCE",
        RuleKind::OnlinePublicAssistance,
        Scope::All,
        Period::from(date(2024, 3, 1)),
        PUBLIC_ASSISTANCE,
        "医療扶助（生活保護）の資格を確認しました。福祉事務所への事前の申請が必要です。医療券の情報も確認してください。",
        "Public assistance (医療扶助) confirmed online: the patient must have applied to the welfare office; check the medical ticket information."
    ),
    rule!(
        "MYNA-ONLINE-INVALID",
        RuleKind::OnlineInvalid,
        Scope::All,
        Period::ALWAYS,
        MHLW_0710,
        "「資格(無効)」と表示されました。被保険者資格申立書を記入いただき、通常の負担割合で受け付けます。",
        "The service shows the coverage as invalid: take a self-declaration form; the patient pays the normal copay."
    ),
    rule!(
        "MYNA-ONLINE-NEWER",
        RuleKind::OnlineNewerCoverage,
        Scope::All,
        Period::ALWAYS,
        Source::Notice("オンライン資格確認の照会結果「資格有効性」3（新しい資格あり）"),
        "「資格(無効)」で、新しい資格があります。新しい保険の資格確認書があれば確認し、なければ被保険者資格申立書を記入いただき、通常の負担割合で受け付けます。",
        "Invalid, a newer coverage exists: check a 資格確認書 of the new coverage if the patient has one, otherwise take a self-declaration form; the patient pays the normal copay."
    ),
    rule!(
        "MYNA-ONLINE-NOT-FOUND",
        RuleKind::OnlineNotFound,
        Scope::All,
        Period::ALWAYS,
        MHLW_0710,
        "「資格情報なし」と表示されました。被保険者資格申立書を記入いただき、通常の負担割合で受け付けます。",
        "The service finds no coverage: take a self-declaration form; the patient pays the normal copay."
    ),
    rule!(
        "MYNA-ONLINE-MULTIPLE",
        RuleKind::OnlineMultiple,
        Scope::All,
        Period::ALWAYS,
        Source::Notice("オンライン資格確認の照会結果「資格有効性」5（複数該当）"),
        "複数の資格が該当しました。患者さんに確認し、受診に使う資格を選んでください。",
        "Several coverages match: ask the patient and select the one that applies."
    ),
    rule!(
        "MYNA-IDENTITY-REQUIRED",
        RuleKind::IdentityRequired,
        Scope::All,
        Period::ALWAYS,
        READER_FLOW,
        "顔認証・暗証番号・目視確認のいずれかで本人確認をして、オンライン資格確認を行ってください。",
        "Prove the holder's identity (face, PIN or staff visual check) and run the online check."
    ),
    rule!(
        "MYNA-CERT-EXPIRED",
        RuleKind::CardCertificateExpired,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "マイナンバーカードの電子証明書の有効期限が切れ、猶予期間も過ぎています。オンラインで確認できません。資格確認書、または資格情報のお知らせとカードで確認します。",
        "The card's certificate has expired and its grace period is over, so it cannot be checked online: use a 資格確認書, or the notice with the card."
    ),
    rule!(
        "MYNA-CERT-GRACE",
        RuleKind::CardCertificateGrace { months: 3 },
        Scope::All,
        Period::ALWAYS,
        CERT_GRACE,
        "電子証明書の有効期限は過ぎていますが、期限の月の3か月後の月末までは資格確認のみできます（診療・薬剤情報の提供はできません）。",
        "The certificate has expired, but until the end of the third month after the month of expiry the card still gives the eligibility check (no sharing of medical or drug information)."
    ),
    rule!(
        "MYNA-CERT-RENEWAL-ALERT",
        RuleKind::CardCertificateRenewalAlert { before: 3, after: 3 },
        Scope::All,
        Period::ALWAYS,
        CERT_GRACE,
        "電子証明書の有効期限が近い、または過ぎています。お住まいの市区町村の窓口で更新してください。",
        "The certificate expires within 3 months or expired less than 3 months ago: the holder should renew it at the municipal office."
    ),
    // --- スマホ保険証 ------------------------------------------------------
    rule!(
        "MYNA-PHONE-NOT-YET",
        RuleKind::PhoneNotYetAccepted,
        Scope::All,
        Period { from: None, until: Some(date(2025, 9, 18)) },
        SMARTPHONE,
        "スマートフォンは令和7年9月19日から保険証として使えます。マイナンバーカードをご提示ください。",
        "Smartphones are accepted as the insurance card from 2025-09-19: ask for the My Number card."
    ),
    rule!(
        "MYNA-PHONE-ACCEPTED",
        RuleKind::PhoneAccepted,
        Scope::All,
        Period::from(SMARTPHONE_START),
        SMARTPHONE,
        "スマートフォンのマイナ保険証を汎用カードリーダーで読み取りました。",
        "The smartphone was read as the insurance card at the general-purpose NFC reader."
    ),
    rule!(
        "MYNA-PHONE-NO-READER",
        RuleKind::PhoneNeedsReader,
        Scope::All,
        Period::from(SMARTPHONE_START),
        SMARTPHONE,
        "当院にはスマートフォン用の読み取り機がありません。マイナポータルの資格情報画面をご提示ください。",
        "This facility has no general-purpose NFC reader for smartphones: ask for the Mynaportal eligibility screen."
    ),
    rule!(
        "MYNA-PHONE-CERT-EXPIRED",
        RuleKind::PhoneCertificateExpired,
        Scope::All,
        Period::from(SMARTPHONE_START),
        SMARTPHONE,
        "スマートフォンの電子証明書（またはカード）の有効期限が切れているため、スマートフォンは使えません（猶予期間はありません）。マイナンバーカードか資格確認書をご提示ください。",
        "The smartphone's certificate (or the card) has expired: phones get no grace period; ask for the card or a 資格確認書."
    ),
    rule!(
        "MYNA-NOT-REGISTERED",
        RuleKind::CardNotRegistered,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "健康保険証の利用登録がされていません。カードリーダーでその場で登録できます。",
        "The card is not registered for insurance use: it can be registered at the reader now."
    ),
    rule!(
        "MYNA-OFFLINE-NEEDS-NOTICE",
        RuleKind::OfflineCardNeedsNotice,
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "当院ではカードを読み取れません。マイナ保険証と一緒に資格情報のお知らせ、またはマイナポータルの資格情報画面をご提示ください。",
        "This facility cannot read the card: ask for the notice or the Mynaportal screen together with the card."
    ),
    rule!(
        "SYSTEM-FAILURE-SELF-DECLARATION",
        RuleKind::SystemFailure,
        Scope::All,
        Period::ALWAYS,
        MHLW_0710,
        "機器・回線の障害でオンライン資格確認ができません。資格確認書、またはお知らせかマイナポータルの画面とカードがあればそれで確認し、なければ被保険者資格申立書を記入いただき、通常の負担割合で受け付けます。",
        "Reader, network or service failure: check a 資格確認書, or the notice or Mynaportal screen with the card, if the patient has one; otherwise take a self-declaration form at the normal copay."
    ),
    rule!(
        "SELF-DECLARATION-ACCEPTED",
        RuleKind::SelfDeclarationAccepted,
        Scope::All,
        Period::ALWAYS,
        MHLW_0710,
        "被保険者資格申立書により、通常の負担割合で受け付けます。",
        "Accepted on the self-declaration form at the normal copay."
    ),
    // --- 資格確認書 -------------------------------------------------------
    rule!(
        "CERT-VALID",
        RuleKind::CertificateValid,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "資格確認書は有効期限内です。",
        "The eligibility certificate is within its validity."
    ),
    rule!(
        "CERT-EXPIRED",
        RuleKind::CertificateExpired,
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "資格確認書の有効期限が切れています。新しい資格確認書をお持ちか確認してください。",
        "The eligibility certificate has expired: ask for the new one."
    ),
    rule!(
        "CERT-NOT-YET-VALID",
        RuleKind::CertificateNotYetValid,
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "資格確認書の有効開始日より前です。",
        "The eligibility certificate is not valid yet."
    ),
    rule!(
        "LATE-ELDERLY-CERT-FOR-ALL",
        RuleKind::LateElderlyCertificateForAll,
        Scope::Scheme(SchemeKind::LateElderly),
        until(2026, 7, 31),
        MHLW_LATE,
        "後期高齢者の方には、マイナ保険証の有無にかかわらず資格確認書が交付されています（令和8年7月31日まで）。",
        "Late-stage elderly patients hold a 資格確認書 whether or not they have the card (until 2026-07-31)."
    ),
    rule!(
        "LATE-ELDERLY-CERT-85",
        RuleKind::LateElderlyCertificateFromAge { age: LATE_ELDERLY_AUTOMATIC_AGE, on: AUGUST_2026 },
        Scope::Scheme(SchemeKind::LateElderly),
        Period::from(AUGUST_2026),
        LATE_2026,
        "令和8年8月1日時点で85歳以上の後期高齢者の方には、申請なしで資格確認書が交付されています。",
        "Late-stage elderly aged 85 or over on 2026-08-01 get a 資格確認書 without applying."
    ),
    rule!(
        "LATE-ELDERLY-CERT-BY-HOLDING",
        RuleKind::LateElderlyCertificateByHolding,
        Scope::Scheme(SchemeKind::LateElderly),
        Period::from(AUGUST_2026),
        LATE_2026,
        "令和8年8月1日時点で84歳以下の後期高齢者の方は、マイナ保険証をお持ちなら資格情報のお知らせ、お持ちでなければ資格確認書です（申請で資格確認書も可）。",
        "Late-stage elderly aged 84 or under on 2026-08-01: a notice if they hold a マイナ保険証, otherwise a 資格確認書 (they may apply for one)."
    ),
    // --- お知らせ / マイナポータル -----------------------------------------
    rule!(
        "NOTICE-WITH-CARD",
        RuleKind::NoticeWithCard,
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "カードを読み取れないため、マイナ保険証と資格情報のお知らせで確認します。",
        "The card cannot be read online here: accepted on the notice together with the card."
    ),
    rule!(
        "NOTICE-NEEDS-CARD",
        RuleKind::NoticeNeedsCard,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "資格情報のお知らせだけでは受診できません。マイナ保険証と一緒にご提示ください。",
        "The notice alone is not valid: it must come with the My Number card."
    ),
    rule!(
        "PORTAL-WITH-CARD",
        RuleKind::PortalWithCard,
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "カードを読み取れないため、マイナ保険証とマイナポータルの資格情報画面で確認します。",
        "The card cannot be read online here: accepted on the Mynaportal screen together with the card."
    ),
    rule!(
        "PORTAL-NEEDS-CARD",
        RuleKind::PortalNeedsCard,
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "マイナポータルの画面だけでは受診できません。マイナ保険証と一緒にご提示ください。",
        "The Mynaportal screen alone is not valid: it must come with the My Number card."
    ),
    // --- old paper cards --------------------------------------------------
    rule!(
        "OLD-CARD-VALID",
        RuleKind::OldCardValid,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "健康保険証は有効期限内で、記載事項の変更もありません。",
        "The old card is within its validity and unchanged."
    ),
    rule!(
        "OLD-CARD-PRINTED-EXPIRY",
        RuleKind::OldCardPrintedExpiry,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "健康保険証に記載の有効期限が過ぎています。",
        "The old card is past its printed expiry."
    ),
    rule!(
        "OLD-CARD-CAP-NATIONAL",
        RuleKind::OldCardLastDay(date(2025, 12, 1)),
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "従来の健康保険証は、最長でも令和7年12月1日までしか使えません。",
        "No old card is valid after 2025-12-01."
    ),
    rule!(
        "OLD-CARD-CAP-TACHIKAWA-NHI",
        RuleKind::OldCardLastDay(date(2025, 9, 30)),
        Scope::Insurer("132027"),
        Period::ALWAYS,
        // Insurer number 132027 = municipal code 13202 + check digit; the
        // number is inferred (docs/domain-notes.md).
        Source::Seed("003 Q1"),
        "立川市国民健康保険の保険証は、有効期限が令和7年9月30日に統一されています。",
        "Tachikawa NHI cards all end on 2025-09-30 (the insurer's unified expiry)."
    ),
    rule!(
        "OLD-CARD-CAP-TOKYO-LATE-ELDERLY",
        RuleKind::OldCardLastDay(date(2025, 7, 31)),
        Scope::SchemeInPrefecture(SchemeKind::LateElderly, 13),
        Period::ALWAYS,
        SEED_000,
        "東京都後期高齢者医療の保険証は、最長で令和7年7月31日までです。",
        "Tokyo late-stage elderly cards end on 2025-07-31 at the latest."
    ),
    rule!(
        "OLD-CARD-ISSUED-AFTER-END",
        RuleKind::OldCardIssuedFrom(PAPER_CARD_ISSUE_END),
        Scope::All,
        Period::ALWAYS,
        SEED_000,
        "令和6年12月2日以降、紙の保険証は交付されていません。この日以降の交付日の保険証は使えません。",
        "No paper card has been issued since 2024-12-02: a card with a later issue date is not valid."
    ),
    rule!(
        "OLD-CARD-FACE-CHANGED",
        RuleKind::OldCardFaceChanged,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "住所・氏名・世帯主・負担割合など記載事項が変わったため、この保険証は使えません。",
        "A printed detail changed (address, name, householder, copay), so the old card is no longer valid."
    ),
    rule!(
        "OLD-CARD-AGE-75",
        RuleKind::OldCardSchemeEndedAt75,
        Scope::All,
        Period::ALWAYS,
        AGE_RULES,
        "75歳の誕生日から後期高齢者医療に移行しています。以前の保険証は使えません。",
        "From the 75th birthday coverage moves to late-stage elderly care: the previous card is not valid."
    ),
    // --- temporary measures ------------------------------------------------
    rule!(
        "TEMP-EXPIRED-OLD-CARD",
        RuleKind::TemporaryExpiredOldCard,
        Scope::All,
        between(TEMPORARY_MEASURE_START, TEMPORARY_MEASURE_END),
        replaced(TEMPORARY_MEASURE_ANNOUNCED, TEMPORARY_MEASURE_EXTENSION_ANNOUNCED, "TEMP-EXPIRED-OLD-CARD-TO-JULY"),
        MHLW_TEMP,
        "暫定措置（令和8年3月31日まで）：期限切れの保険証でも、オンラインで資格を確認できれば通常の負担割合で受け付けます。",
        "Temporary measure (until 2026-03-31): an expired old card is accepted at the normal copay when coverage is confirmed online."
    ),
    rule!(
        "TEMP-NOTICE-ALONE",
        RuleKind::TemporaryNoticeAlone,
        Scope::All,
        between(TEMPORARY_MEASURE_START, TEMPORARY_MEASURE_END),
        replaced(TEMPORARY_MEASURE_ANNOUNCED, TEMPORARY_MEASURE_EXTENSION_ANNOUNCED, "TEMP-NOTICE-ALONE-TO-JULY"),
        MHLW_TEMP,
        "暫定措置（令和8年3月31日まで）：資格情報のお知らせのみでも、オンラインで資格を確認できれば受け付けます。",
        "Temporary measure (until 2026-03-31): the notice alone is accepted when coverage is confirmed online."
    ),
    rule!(
        "TEMP-EXPIRED-OLD-CARD-TO-JULY",
        RuleKind::TemporaryExpiredOldCard,
        Scope::All,
        between(TEMPORARY_MEASURE_START, TEMPORARY_MEASURE_EXTENDED_END),
        announced(2026, 3, 19),
        MHLW_EXTENSION,
        "暫定措置（令和8年7月31日まで延長）：期限切れの保険証でも、オンラインで資格を確認できれば通常の負担割合で受け付けます。",
        "Temporary measure (extended to 2026-07-31): an expired old card is accepted at the normal copay when coverage is confirmed online."
    ),
    rule!(
        "TEMP-NOTICE-ALONE-TO-JULY",
        RuleKind::TemporaryNoticeAlone,
        Scope::All,
        between(TEMPORARY_MEASURE_START, TEMPORARY_MEASURE_EXTENDED_END),
        announced(2026, 3, 19),
        MHLW_EXTENSION,
        "暫定措置（令和8年7月31日まで延長）：資格情報のお知らせのみでも、オンラインで資格を確認できれば受け付けます。",
        "Temporary measure (extended to 2026-07-31): the notice alone is accepted when coverage is confirmed online."
    ),
    rule!(
        "TEMP-MEASURE-ENDED",
        RuleKind::TemporaryMeasureEnded,
        Scope::All,
        Period::from(AUGUST_2026),
        announced(2026, 3, 19),
        MHLW_EXTENSION,
        "暫定措置は令和8年7月31日で終わりました。期限切れの保険証や資格情報のお知らせだけでは受診できません。マイナ保険証か資格確認書をご提示ください。",
        "The temporary measure ended on 2026-07-31: an expired old card or the notice alone is no longer accepted; ask for the マイナ保険証 or a 資格確認書."
    ),
    // --- nothing valid ------------------------------------------------------
    rule!(
        "NO-VALID-DOCUMENT",
        RuleKind::NoValidDocument,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "有効な資格を確認できる書類がありません。保険診療として受け付けられません（全額自己負担・後日払い戻し申請）。",
        "Nothing presented proves coverage: the visit cannot be billed to insurance (patient pays in full and claims later)."
    ),
    // --- accompanying documents ----------------------------------------------
    rule!(
        "PUBLIC-EXPENSE-SEPARATE",
        RuleKind::PublicExpenseSeparate,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "マル乳・マル障など公費の医療証は、マイナ保険証でも別に窓口でご提示ください。",
        "Public-expense tickets are always shown separately, even with the My Number card."
    ),
    rule!(
        "LIMIT-FROM-ONLINE",
        RuleKind::LimitFromOnline,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "限度額区分はオンラインで確認できました。限度額適用認定証は不要です。",
        "The limit class came with the online answer: no limit certificate needed."
    ),
    rule!(
        "LIMIT-ON-PAPER",
        RuleKind::LimitOnPaper,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "限度額を超える支払の免除には、資格確認書等と一緒に限度額適用認定証の提示が必要です。",
        "On paper, the limit certificate must be shown for the monthly cap."
    ),
    rule!(
        "LIMIT-MUST-APPLY",
        RuleKind::LimitMustApply,
        Scope::All,
        Period::ALWAYS,
        Source::Seed("003 ※4"),
        "非課税世帯で入院が90日を超える方や保険料の滞納がある世帯は、マイナ保険証でも限度額適用認定証の申請・提示が必要です。",
        "Non-taxed households with over 90 inpatient days, and households in premium arrears, must apply for and show the limit certificate."
    ),
    rule!(
        "ELDERLY-RECIPIENT-ON-PAPER",
        RuleKind::ElderlyRecipientOnPaper,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "70〜74歳の方は、保険証と一緒に高齢受給者証の提示で負担割合を確認します。",
        "Ages 70-74 on an old card: the elderly recipient certificate gives the copay."
    ),
    rule!(
        "SPECIFIC-DISEASE-FROM-ONLINE",
        RuleKind::SpecificDiseaseFromOnline,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "特定疾病の情報はオンラインで確認できました。受療証は不要です。",
        "The specific disease came with the online answer: no certificate needed."
    ),
    rule!(
        "SPECIFIC-DISEASE-ON-PAPER",
        RuleKind::SpecificDiseaseOnPaper,
        Scope::All,
        Period::ALWAYS,
        SEED_003,
        "紙の書類で受け付ける場合、特定疾病療養受療証の提示が必要です。",
        "On paper, the specific disease certificate must be shown."
    ),
    // --- copay by age (cross-check) ----------------------------------------
    rule!(
        "COPAY-PRESCHOOL",
        RuleKind::CopayPreschool,
        Scope::All,
        Period::ALWAYS,
        AGE_RULES,
        "6歳に達する日以後の最初の3月31日までは2割負担です。",
        "20% until the first 31 March on or after the day the child reaches 6."
    ),
    rule!(
        "COPAY-WORKING-AGE",
        RuleKind::CopayWorkingAge,
        Scope::All,
        Period::ALWAYS,
        AGE_RULES,
        "就学後から70歳に達する月までは3割負担です。",
        "30% from school age to the month the patient reaches 70."
    ),
    rule!(
        "COPAY-70-74",
        RuleKind::CopaySeventyToSeventyFour,
        Scope::All,
        Period::ALWAYS,
        AGE_RULES,
        "70歳に達する日の属する月の翌月（1日生まれはその月）から75歳の誕生日の前日までは2割（現役並み所得は3割）です。",
        "20% (30% for high earners) from the month after reaching 70 (the birth month for the 1st) to the 75th birthday."
    ),
    rule!(
        "COPAY-75",
        RuleKind::CopayLateElderly,
        Scope::All,
        Period::ALWAYS,
        AGE_RULES,
        "75歳の誕生日から後期高齢者医療で1割・2割・3割のいずれかです。",
        "From the 75th birthday: late-stage elderly care at 10%, 20% or 30%."
    ),
    rule!(
        "COPAY-UNCONFIRMED-BY-AGE",
        RuleKind::CopayUnconfirmedByAge,
        Scope::All,
        Period::ALWAYS,
        UNCONFIRMED_COPAY,
        "資格を確認できなくても10割負担にはしません。生年月日から年齢に応じた通常の負担割合です（70歳以上は申立書の割合）。",
        "Eligibility not confirmed: never 100%; the normal copay by age from the birth date (70 and over: the ratio declared on the form)."
    ),
    rule!(
        "COPAY-MISMATCH",
        RuleKind::CopayMismatch,
        Scope::All,
        Period::ALWAYS,
        AGE_RULES,
        "書類・オンラインの負担割合が年齢から見込まれる割合と一致しません。書類の割合で受け付け、保険者に確認してください。",
        "The stated copay does not fit the patient's age: keep the stated copay and check with the insurer."
    ),
];

/// A policy: the rule table the decision uses.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    rules: &'static [Rule],
}

/// What a rule lookup needs to know about the visit.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The visit date.
    pub date: NaiveDate,
    /// The insurer of the document being judged, if any.
    pub insurer: Option<&'a InsurerNumber>,
}

impl Policy {
    /// The national table with every insurer override and temporary measure.
    pub const fn national() -> Self {
        Self { rules: NATIONAL }
    }

    /// A policy over another table (tests, or a facility's local additions).
    pub const fn with_rules(rules: &'static [Rule]) -> Self {
        Self { rules }
    }

    /// All rows.
    pub fn rules(&self) -> &'static [Rule] {
        self.rules
    }

    /// The row with this id.
    pub fn get(&self, id: &str) -> Option<&'static Rule> {
        self.rules.iter().find(|r| r.id.as_str() == id)
    }

    /// Position of a rule in the table (for compact encodings).
    pub fn index_of(&self, rule: &Rule) -> Option<usize> {
        self.rules.iter().position(|r| r.id == rule.id)
    }

    /// Rows in force for `ctx` whose kind satisfies `pred`, in table order.
    pub fn in_force<'p>(
        &'p self,
        ctx: Context<'p>,
        pred: impl Fn(&RuleKind) -> bool + 'p,
    ) -> impl Iterator<Item = &'static Rule> + 'p {
        self.rules.iter().filter(move |r| pred(&r.kind) && r.current_on(ctx.date) && r.scope.covers(ctx.insurer))
    }

    /// The first row of exactly `kind` in force for `ctx`.
    pub fn find(&self, ctx: Context<'_>, kind: RuleKind) -> Option<&'static Rule> {
        self.in_force(ctx, move |k| *k == kind).next()
    }

    /// The earliest last day any rule in force sets for old cards of
    /// `ctx.insurer`, with the rule that sets it.
    pub fn old_card_last_day(&self, ctx: Context<'_>) -> Option<(NaiveDate, &'static Rule)> {
        self.in_force(ctx, |k| matches!(k, RuleKind::OldCardLastDay(_)))
            .filter_map(|r| match r.kind {
                RuleKind::OldCardLastDay(d) => Some((d, r)),
                _ => None,
            })
            .min_by_key(|(d, _)| *d)
    }

    /// The first issue date from which old cards are not genuine.
    pub fn old_card_issue_end(&self, ctx: Context<'_>) -> Option<(NaiveDate, &'static Rule)> {
        self.in_force(ctx, |k| matches!(k, RuleKind::OldCardIssuedFrom(_)))
            .filter_map(|r| match r.kind {
                RuleKind::OldCardIssuedFrom(d) => Some((d, r)),
                _ => None,
            })
            .min_by_key(|(d, _)| *d)
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::national()
    }
}
