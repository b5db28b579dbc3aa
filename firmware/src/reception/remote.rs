//! The terminal's actions in an owned, serialisable form, for running the
//! terminal on a board while its card and online service live on a host
//! (`host-sim serve`).

use super::action::{Action, Beep, LogRecord};
use super::event::Event;
use super::wire::{OwnedForm, WireEvent};
use crate::link::EligibilityQuery;
use crate::rules::{DecisionDigest, Policy};
use crate::ui::Screen;
use serde::{Deserialize, Serialize};

/// Longest APDU on the wire (a short APDU with 255 data bytes and Le).
pub const MAX_APDU: usize = 261;
/// Longest card response on the wire (256 data bytes and SW1 SW2).
pub const MAX_RESPONSE: usize = 258;

/// One action, owned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum WireAction {
    /// Send these bytes to the card (a VERIFY included: the card is remote).
    Apdu(heapless::Vec<u8, MAX_APDU>),
    /// Show this screen.
    Show(Screen),
    /// Send this query to the online service.
    Query(EligibilityQuery),
    /// Append this log record.
    Log(LogRecord),
    /// Beep.
    Beep(Beep),
    /// The visit is decided.
    Decided(DecisionDigest),
}

impl WireAction {
    /// The owned form of `action`; `policy` numbers the decision's rules.
    pub fn from_action(action: &Action, policy: &Policy) -> Self {
        match action {
            Action::SendApdu(cmd) => Self::Apdu(heapless::Vec::from_slice(cmd.as_bytes()).unwrap_or_default()),
            Action::SendVerify(cmd) => Self::Apdu(heapless::Vec::from_slice(cmd.as_bytes()).unwrap_or_default()),
            Action::Show(s) => Self::Show(*s),
            Action::SendQuery(q) => Self::Query(q.clone()),
            Action::Log(r) => Self::Log(*r),
            Action::Beep(b) => Self::Beep(*b),
            Action::Decided(d) => Self::Decided(d.digest(policy)),
        }
    }
}

impl WireEvent {
    /// The owned form of a person's or the equipment's event; `None` for a
    /// card response or an online reply (they travel as their own
    /// messages), and for key-in text longer than a field holds.
    pub fn from_event(event: &Event<'_>) -> Option<Self> {
        Some(match *event {
            Event::CardPlaced => Self::CardPlaced,
            Event::CardRemoved => Self::CardRemoved,
            Event::CardResponse(_) | Event::OnlineReply(_) => return None,
            Event::ChooseFace => Self::ChooseFace,
            Event::ChoosePin => Self::ChoosePin,
            Event::FaceResult { matched } => Self::FaceResult { matched },
            Event::PinDigit(d) => Self::PinDigit(d),
            Event::PinBackspace => Self::PinBackspace,
            Event::ConfirmLastTry(b) => Self::ConfirmLastTry(b),
            Event::Consent(b) => Self::Consent(b),
            Event::Register(b) => Self::Register(b),
            Event::StaffVisualCheck => Self::StaffVisualCheck,
            Event::StaffIdentityConfirmed => Self::StaffIdentityConfirmed,
            Event::StaffKeyIn { kind, form } => Self::StaffKeyIn { kind, form: OwnedForm::from_form(&form)? },
            Event::StaffDocument(d) => Self::StaffDocument(d.clone()),
            Event::StaffCircumstances(c) => Self::StaffCircumstances(c),
            Event::StaffQueryByNumbers(form) => Self::StaffQueryByNumbers(match form {
                Some(f) => Some(OwnedForm::from_form(&f)?),
                None => None,
            }),
            Event::StaffCardSeen => Self::StaffCardSeen,
            Event::StaffBirthDate(t) => Self::StaffBirthDate(t.try_into().ok()?),
            Event::StaffDecide => Self::StaffDecide,
            Event::StaffCancel => Self::StaffCancel,
            Event::Equipment { reader, network } => Self::Equipment { reader, network },
            Event::Tick => Self::Tick,
            Event::ChoosePhone(k) => Self::ChoosePhone(k),
            Event::PhoneAuthenticated => Self::PhoneAuthenticated,
            Event::VisualCheckPassword(p) => Self::VisualCheckPassword(p.clone()),
        })
    }
}

impl OwnedForm {
    /// An owned copy of `form`; `None` when a field is longer than
    /// [`KEY_IN_FIELD_LEN`](super::KEY_IN_FIELD_LEN) bytes.
    pub fn from_form(form: &crate::domain::KeyInForm<'_>) -> Option<Self> {
        let mut out = Self::default();
        for field in crate::domain::KeyInField::ALL {
            if let Some(text) = form.get(field)
                && !out.set(field, text)
            {
                return None;
            }
        }
        Some(out)
    }
}
