//! Every document a patient may present at the counter (DOMAIN.md §1), with
//! the printed fields the rules read.

use super::{CopayRate, DiseaseCap, InsurerNumber, LimitClass, MemberId, SpecificDisease};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What carries the マイナ保険証: the plastic card or a smartphone
/// (スマホ保険証, from 2025-09-19).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "snake_case")]
pub enum CardMedium {
    /// The My Number card itself.
    #[default]
    Card,
    /// An Android phone with the smartphone certificate (token
    /// `JPKIAPGPSETOKEN`; its own 4-digit PIN).
    Android,
    /// An iPhone with the My Number card in the wallet (the holder
    /// authenticates on the phone).
    #[serde(rename = "iphone")]
    IPhone,
}

impl CardMedium {
    /// Whether this is a smartphone.
    pub const fn is_phone(self) -> bool {
        !matches!(self, Self::Card)
    }
}

/// マイナ保険証: the My Number card, as far as the rules need it. The
/// terminal never reads the My Number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MynaCard {
    /// Last day (Japan time) the user-authentication certificate is valid.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub certificate_valid_until: NaiveDate,
    /// Whether the card is registered for insurance use (保険証利用登録).
    pub registered: bool,
    /// Issued without a PIN (顔認証マイナンバーカード): face or visual check only.
    pub pin_less: bool,
    /// The card itself or a smartphone.
    #[serde(default)]
    pub medium: CardMedium,
}

/// Printed coverage fields shared by the paper documents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Coverage {
    /// 保険者番号.
    pub insurer: InsurerNumber,
    /// 記号・番号・枝番.
    pub member: MemberId,
    /// 一部負担金の割合, where printed (70+ documents).
    pub copay: Option<CopayRate>,
}

/// 資格確認書: the eligibility certificate for people without a マイナ保険証.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EligibilityCertificate {
    /// Printed coverage.
    pub coverage: Coverage,
    /// 有効開始日 / 資格取得年月日, where printed.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_from: Option<NaiveDate>,
    /// 有効期限 (set by the insurer, at most 5 years).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: NaiveDate,
    /// Effective date of the printed copay ratio (70+).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub copay_from: Option<NaiveDate>,
}

/// 資格情報のお知らせ: notice sent to マイナ保険証 holders; valid only with
/// the card.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EligibilityNotice {
    /// Printed coverage.
    pub coverage: Coverage,
    /// 交付年月日.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub issued_on: Option<NaiveDate>,
}

/// マイナポータルの資格情報画面: the patient's phone screen or PDF; same role as
/// the notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PortalScreen {
    /// Coverage shown.
    pub coverage: Coverage,
}

/// 健康保険証: an old paper card, no new issue from 2024-12-02.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OldInsuranceCard {
    /// Printed coverage.
    pub coverage: Coverage,
    /// 交付年月日.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub issued_on: NaiveDate,
    /// 有効期限, where printed (many employee cards print none).
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: Option<NaiveDate>,
    /// Day a printed detail changed (address, name, householder, copay
    /// ratio), after which the card is no longer valid.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub face_changed_on: Option<NaiveDate>,
}

/// 高齢受給者証: the 70–74 copay certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ElderlyRecipientCertificate {
    /// 一部負担金の割合 (2割 or 3割).
    pub copay: CopayRate,
    /// 発効期日: the ratio printed applies from this day (a certificate
    /// issued ahead of the 70th-birthday month, or of a new ratio, is not
    /// in effect before it); `None` when not printed.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub effective_from: Option<NaiveDate>,
    /// 有効期限.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: NaiveDate,
}

impl ElderlyRecipientCertificate {
    /// Whether the certificate's ratio applies on `date`: from its 発効期日
    /// to its 有効期限.
    pub fn in_effect(&self, date: NaiveDate) -> bool {
        self.effective_from.is_none_or(|f| f <= date) && date <= self.valid_until
    }
}

/// 限度額適用認定証 / 限度額適用・標準負担額減額認定証.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LimitCertificate {
    /// 適用区分.
    pub class: LimitClass,
    /// The 減額 variant (non-taxed households: also lowers meal costs).
    pub reduced: bool,
    /// 有効期限.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: NaiveDate,
}

/// 特定疾病療養受療証.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SpecificDiseaseCertificate {
    /// The disease.
    pub disease: SpecificDisease,
    /// Monthly cap per facility.
    pub cap: DiseaseCap,
    /// 有効期限; none for 70+.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: Option<NaiveDate>,
}

/// A 公費 medical ticket (マル乳, マル障 ...): always presented separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PublicExpenseTicket {
    /// 法別番号 of the programme (first two digits of the payer number).
    pub programme: u8,
    /// 有効期限, where printed.
    #[cfg_attr(feature = "defmt", defmt(Debug2Format))]
    pub valid_until: Option<NaiveDate>,
}

/// 被保険者資格申立書: the self-declaration form, filled in at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SelfDeclaration {
    /// Insurer the patient declares, if known.
    pub insurer: Option<InsurerNumber>,
    /// Copay ratio the patient declares (70+ tick 1割/2割/3割).
    pub declared_copay: Option<CopayRate>,
}

/// One document on the counter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Document {
    /// マイナ保険証.
    MynaCard(MynaCard),
    /// 資格確認書.
    Certificate(EligibilityCertificate),
    /// 資格情報のお知らせ.
    Notice(EligibilityNotice),
    /// マイナポータル 資格情報画面.
    Portal(PortalScreen),
    /// 健康保険証 (old).
    OldCard(OldInsuranceCard),
    /// 高齢受給者証.
    ElderlyRecipient(ElderlyRecipientCertificate),
    /// 限度額適用認定証 / 減額認定証.
    Limit(LimitCertificate),
    /// 特定疾病療養受療証.
    SpecificDisease(SpecificDiseaseCertificate),
    /// 公費 ticket.
    PublicExpense(PublicExpenseTicket),
    /// 被保険者資格申立書.
    SelfDeclaration(SelfDeclaration),
}

/// Which kind of document (for lists of what is still required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// マイナ保険証.
    MynaCard,
    /// 資格確認書.
    Certificate,
    /// 資格情報のお知らせ.
    Notice,
    /// マイナポータル 資格情報画面.
    Portal,
    /// 健康保険証 (old).
    OldCard,
    /// 高齢受給者証.
    ElderlyRecipient,
    /// 限度額適用認定証 / 減額認定証.
    Limit,
    /// 特定疾病療養受療証.
    SpecificDisease,
    /// 公費 ticket.
    PublicExpense,
    /// 被保険者資格申立書.
    SelfDeclaration,
}

impl Document {
    /// The kind of this document.
    pub fn kind(&self) -> DocumentKind {
        match self {
            Self::MynaCard(_) => DocumentKind::MynaCard,
            Self::Certificate(_) => DocumentKind::Certificate,
            Self::Notice(_) => DocumentKind::Notice,
            Self::Portal(_) => DocumentKind::Portal,
            Self::OldCard(_) => DocumentKind::OldCard,
            Self::ElderlyRecipient(_) => DocumentKind::ElderlyRecipient,
            Self::Limit(_) => DocumentKind::Limit,
            Self::SpecificDisease(_) => DocumentKind::SpecificDisease,
            Self::PublicExpense(_) => DocumentKind::PublicExpense,
            Self::SelfDeclaration(_) => DocumentKind::SelfDeclaration,
        }
    }
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [Self; 10] = [
        Self::MynaCard,
        Self::Certificate,
        Self::Notice,
        Self::Portal,
        Self::OldCard,
        Self::ElderlyRecipient,
        Self::Limit,
        Self::SpecificDisease,
        Self::PublicExpense,
        Self::SelfDeclaration,
    ];

    /// Japanese name, as staff call it.
    pub const fn ja(self) -> &'static str {
        match self {
            Self::MynaCard => "マイナ保険証",
            Self::Certificate => "資格確認書",
            Self::Notice => "資格情報のお知らせ",
            Self::Portal => "マイナポータルの資格情報画面",
            Self::OldCard => "健康保険証",
            Self::ElderlyRecipient => "高齢受給者証",
            Self::Limit => "限度額適用認定証",
            Self::SpecificDisease => "特定疾病療養受療証",
            Self::PublicExpense => "公費受給者証",
            Self::SelfDeclaration => "被保険者資格申立書",
        }
    }

    /// English name, for logs and reports.
    pub const fn en(self) -> &'static str {
        match self {
            Self::MynaCard => "My Number insurance card",
            Self::Certificate => "eligibility certificate",
            Self::Notice => "eligibility notice",
            Self::Portal => "Mynaportal eligibility screen",
            Self::OldCard => "old health insurance card",
            Self::ElderlyRecipient => "elderly recipient certificate",
            Self::Limit => "limit certificate",
            Self::SpecificDisease => "specific disease certificate",
            Self::PublicExpense => "public-expense ticket",
            Self::SelfDeclaration => "self-declaration form",
        }
    }
}
