//! Everything that can happen to the terminal.

use crate::domain::{Document, KeyInForm, NetworkState, ReaderState};
use crate::link::EligibilityReply;
use crate::rules::Circumstances;

use super::visual_check::TypedPassword;

/// Which paper document the clerk is keying in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PaperKind {
    /// 資格確認書.
    Certificate,
    /// 資格情報のお知らせ.
    Notice,
    /// マイナポータルの資格情報画面.
    Portal,
    /// 健康保険証 (old).
    OldCard,
    /// 高齢受給者証 (the 発効期日 keyed as the 有効開始日 field).
    ElderlyRecipient,
}

/// Which smartphone the patient chose on the face reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PhoneKind {
    /// Android (smartphone certificate; PIN entered on the face reader first).
    Android,
    /// iPhone (the holder authenticates on the phone).
    IPhone,
}

/// One input to [`Terminal::handle`](super::Terminal::handle).
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A card entered the reader's field.
    CardPlaced,
    /// The card left the field.
    CardRemoved,
    /// The card answered the last APDU (data + SW1 SW2).
    CardResponse(&'a [u8]),
    /// Patient chose "smartphone" on the face reader (only at a facility
    /// with a general-purpose NFC reader).
    ChoosePhone(PhoneKind),
    /// The iPhone reports that its holder authenticated on the phone
    /// (Face ID / Touch ID).
    PhoneAuthenticated,
    /// Patient chose face authentication.
    ChooseFace,
    /// Patient chose PIN entry.
    ChoosePin,
    /// The face camera's verdict.
    FaceResult {
        /// Whether the face matched the card's photo.
        matched: bool,
    },
    /// One PIN key (0..=9).
    PinDigit(u8),
    /// The PIN back key.
    PinBackspace,
    /// Answer on the last-try confirmation screen.
    ConfirmLastTry(bool),
    /// Answer on the combined consent screen.
    Consent(bool),
    /// Answer to "register the card for insurance use now?".
    Register(bool),
    /// The online service answered (the link layer decoded and checked it).
    OnlineReply(&'a EligibilityReply),
    /// Staff switched the reader to visual check (目視確認モード).
    StaffVisualCheck,
    /// Staff confirmed the holder's identity by sight.
    StaffIdentityConfirmed,
    /// Staff keyed in a paper document.
    StaffKeyIn {
        /// Which document.
        kind: PaperKind,
        /// The typed fields.
        form: KeyInForm<'a>,
    },
    /// Staff recorded a document the patient handed over, with its printed
    /// fields (高齢受給者証, 限度額適用認定証, 公費 tickets, forms ...).
    StaffDocument(&'a Document),
    /// Staff recorded what the patient says about their situation.
    StaffCircumstances(Circumstances),
    /// Staff asks the online service by numbers (no card needed): those typed
    /// in this form (insurer number and number required, birth date optional),
    /// or without a form those of the last document on record; the birth
    /// date otherwise comes from what staff entered before.
    StaffQueryByNumbers(Option<KeyInForm<'a>>),
    /// Staff saw the patient's My Number card (no reader, or reader broken).
    StaffCardSeen,
    /// Staff keyed in the patient's birth date (paper flow), as typed.
    StaffBirthDate(&'a str),
    /// Staff asks for the decision on the documents keyed in.
    StaffDecide,
    /// Staff cancels the current visit.
    StaffCancel,
    /// The reader or network state changed.
    Equipment {
        /// Card reader.
        reader: ReaderState,
        /// Network.
        network: NetworkState,
    },
    /// Nothing happened; time passed (timers are checked).
    Tick,
    /// Staff typed the facility's visual-check password at the reader
    /// (switches to 目視確認 when right; never logged or shown).
    VisualCheckPassword(&'a TypedPassword),
}
