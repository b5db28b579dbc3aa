//! [`Event`] in an owned, serialisable form: what a script, a scenario file or
//! a link frame carries. `as_event` lends it to the terminal.

use super::event::{Event, PaperKind, PhoneKind};
use super::visual_check::TypedPassword;
use crate::domain::{Document, KeyInField, KeyInForm, NetworkState, ReaderState};
use crate::rules::Circumstances;
use heapless::String;
use serde::{Deserialize, Serialize};

/// Longest text of one keyed-in field.
pub const KEY_IN_FIELD_LEN: usize = 48;

/// Text of one keyed-in field.
pub type FieldText = String<KEY_IN_FIELD_LEN>;

/// The typed fields of a paper document, owned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OwnedForm {
    /// 保険者番号.
    pub insurer_number: Option<FieldText>,
    /// 記号.
    pub symbol: Option<FieldText>,
    /// 番号.
    pub number: Option<FieldText>,
    /// 枝番.
    pub branch: Option<FieldText>,
    /// 生年月日.
    pub birth_date: Option<FieldText>,
    /// 有効開始日.
    pub valid_from: Option<FieldText>,
    /// 有効期限.
    pub valid_until: Option<FieldText>,
    /// 交付年月日.
    pub issued_on: Option<FieldText>,
    /// 一部負担金の割合.
    pub copay_ratio: Option<FieldText>,
    /// 負担割合の適用開始日.
    pub copay_from: Option<FieldText>,
}

impl OwnedForm {
    /// Sets one field; `false` when the text is longer than
    /// [`KEY_IN_FIELD_LEN`] bytes.
    pub fn set(&mut self, field: KeyInField, text: &str) -> bool {
        let Ok(t) = FieldText::try_from(text) else { return false };
        let slot = match field {
            KeyInField::InsurerNumber => &mut self.insurer_number,
            KeyInField::Symbol => &mut self.symbol,
            KeyInField::Number => &mut self.number,
            KeyInField::Branch => &mut self.branch,
            KeyInField::BirthDate => &mut self.birth_date,
            KeyInField::ValidFrom => &mut self.valid_from,
            KeyInField::ValidUntil => &mut self.valid_until,
            KeyInField::IssuedOn => &mut self.issued_on,
            KeyInField::CopayRatio => &mut self.copay_ratio,
            KeyInField::CopayFrom => &mut self.copay_from,
        };
        *slot = Some(t);
        true
    }

    /// The form as the key-in parser takes it.
    pub fn as_form(&self) -> KeyInForm<'_> {
        fn f(o: &Option<FieldText>) -> Option<&str> {
            o.as_ref().map(|s| s.as_str())
        }
        KeyInForm {
            insurer_number: f(&self.insurer_number),
            symbol: f(&self.symbol),
            number: f(&self.number),
            branch: f(&self.branch),
            birth_date: f(&self.birth_date),
            valid_from: f(&self.valid_from),
            valid_until: f(&self.valid_until),
            issued_on: f(&self.issued_on),
            copay_ratio: f(&self.copay_ratio),
            copay_from: f(&self.copay_from),
        }
    }
}

/// A person's or the equipment's input, owned. Card answers and online
/// replies are not here: the peers produce them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum WireEvent {
    /// See [`Event::CardPlaced`].
    CardPlaced,
    /// See [`Event::CardRemoved`].
    CardRemoved,
    /// See [`Event::ChooseFace`].
    ChooseFace,
    /// See [`Event::ChoosePin`].
    ChoosePin,
    /// See [`Event::FaceResult`].
    FaceResult {
        /// Whether the face matched.
        matched: bool,
    },
    /// See [`Event::PinDigit`].
    PinDigit(u8),
    /// See [`Event::PinBackspace`].
    PinBackspace,
    /// See [`Event::ConfirmLastTry`].
    ConfirmLastTry(bool),
    /// See [`Event::Consent`].
    Consent(bool),
    /// See [`Event::Register`].
    Register(bool),
    /// See [`Event::StaffVisualCheck`].
    StaffVisualCheck,
    /// See [`Event::StaffIdentityConfirmed`].
    StaffIdentityConfirmed,
    /// See [`Event::StaffKeyIn`].
    StaffKeyIn {
        /// Which document.
        kind: PaperKind,
        /// The typed fields.
        form: OwnedForm,
    },
    /// See [`Event::StaffDocument`].
    StaffDocument(Document),
    /// See [`Event::StaffCircumstances`].
    StaffCircumstances(Circumstances),
    /// See [`Event::StaffQueryByNumbers`].
    StaffQueryByNumbers(Option<OwnedForm>),
    /// See [`Event::StaffCardSeen`].
    StaffCardSeen,
    /// See [`Event::StaffBirthDate`].
    StaffBirthDate(FieldText),
    /// See [`Event::StaffDecide`].
    StaffDecide,
    /// See [`Event::StaffCancel`].
    StaffCancel,
    /// See [`Event::Equipment`].
    Equipment {
        /// Card reader.
        reader: ReaderState,
        /// Network.
        network: NetworkState,
    },
    /// See [`Event::Tick`].
    Tick,
    /// See [`Event::ChoosePhone`].
    ChoosePhone(PhoneKind),
    /// See [`Event::PhoneAuthenticated`].
    PhoneAuthenticated,
    /// See [`Event::VisualCheckPassword`].
    VisualCheckPassword(TypedPassword),
}

impl WireEvent {
    /// The event, borrowing this value's text.
    pub fn as_event(&self) -> Event<'_> {
        match self {
            Self::CardPlaced => Event::CardPlaced,
            Self::CardRemoved => Event::CardRemoved,
            Self::ChooseFace => Event::ChooseFace,
            Self::ChoosePin => Event::ChoosePin,
            Self::FaceResult { matched } => Event::FaceResult { matched: *matched },
            Self::PinDigit(d) => Event::PinDigit(*d),
            Self::PinBackspace => Event::PinBackspace,
            Self::ConfirmLastTry(b) => Event::ConfirmLastTry(*b),
            Self::Consent(b) => Event::Consent(*b),
            Self::Register(b) => Event::Register(*b),
            Self::StaffVisualCheck => Event::StaffVisualCheck,
            Self::StaffIdentityConfirmed => Event::StaffIdentityConfirmed,
            Self::StaffKeyIn { kind, form } => Event::StaffKeyIn { kind: *kind, form: form.as_form() },
            Self::StaffDocument(d) => Event::StaffDocument(d),
            Self::StaffCircumstances(c) => Event::StaffCircumstances(*c),
            Self::StaffQueryByNumbers(form) => Event::StaffQueryByNumbers(form.as_ref().map(OwnedForm::as_form)),
            Self::StaffCardSeen => Event::StaffCardSeen,
            Self::StaffBirthDate(t) => Event::StaffBirthDate(t.as_str()),
            Self::StaffDecide => Event::StaffDecide,
            Self::StaffCancel => Event::StaffCancel,
            Self::Equipment { reader, network } => Event::Equipment { reader: *reader, network: *network },
            Self::Tick => Event::Tick,
            Self::ChoosePhone(k) => Event::ChoosePhone(*k),
            Self::PhoneAuthenticated => Event::PhoneAuthenticated,
            Self::VisualCheckPassword(p) => Event::VisualCheckPassword(p),
        }
    }
}
