//! A paper document from what the clerk keyed in: the one conversion the
//! terminal makes, also used by the simulator's rules-only derivation so
//! that both judge a misprinted number the same way.

use chrono::NaiveDate;

use super::event::PaperKind;
use crate::domain::{
    Document, ElderlyRecipientCertificate, EligibilityCertificate, EligibilityNotice, KeyInError, KeyInForm,
    OldInsuranceCard, PortalScreen,
};

/// The document keyed in on `form` as a `kind`, with the birth date keyed
/// (if any); the first field that cannot be accepted otherwise.
pub fn keyed_document(kind: PaperKind, form: &KeyInForm<'_>) -> Result<(Document, Option<NaiveDate>), KeyInError> {
    let k = form.parse()?;
    let doc = match kind {
        PaperKind::Certificate => Document::Certificate(EligibilityCertificate::from_keyed(&k)?),
        PaperKind::Notice => Document::Notice(EligibilityNotice::from_keyed(&k)),
        PaperKind::Portal => Document::Portal(PortalScreen::from_keyed(&k)),
        PaperKind::OldCard => Document::OldCard(OldInsuranceCard::from_keyed(&k)?),
        PaperKind::ElderlyRecipient => Document::ElderlyRecipient(ElderlyRecipientCertificate::from_keyed(&k)?),
    };
    Ok((doc, k.birth_date))
}
