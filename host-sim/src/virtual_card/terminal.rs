//! The terminal's side, for the simulator and tests: drives the firmware's
//! own sans-IO card code ([`CertReader`]) against a [`VirtualCard`].

use super::card::{CardGone, VirtualCard};
use firmware::card::apdu::{ApduError, Response};
use firmware::card::cert_reader::{CertReadError, CertReader, Step};
use firmware::card::certificate::CertificateInfo;
use firmware::card::jpki;
use firmware::card::status::StatusWord;
use std::fmt;

/// Most exchanges [`run_cert_reader`] allows before giving up (a full
/// 2048-byte certificate takes 11).
pub const MAX_READ_EXCHANGES: usize = 64;

/// Why the terminal could not read the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadError {
    /// The card stopped answering: for the patient, "the card was removed".
    CardRemoved,
    /// The response to SELECT of the JPKI AP had no status word.
    Apdu(ApduError),
    /// SELECT of the JPKI AP failed.
    SelectJpki(StatusWord),
    /// The firmware's reader failed.
    Reader(CertReadError),
    /// The reader did not finish within [`MAX_READ_EXCHANGES`].
    TooManyExchanges,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CardRemoved => write!(f, "card removed during the read"),
            Self::Apdu(e) => write!(f, "SELECT of the JPKI application: {e}"),
            Self::SelectJpki(sw) => write!(f, "SELECT of the JPKI application failed: {sw}"),
            Self::Reader(e) => write!(f, "{e}"),
            Self::TooManyExchanges => write!(f, "certificate read did not end within {MAX_READ_EXCHANGES} exchanges"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<CardGone> for ReadError {
    fn from(_: CardGone) -> Self {
        Self::CardRemoved
    }
}

/// Sends SELECT of the JPKI AP (`00 A4 04 0C 0A <AID>`) and checks `9000`.
pub fn select_jpki(card: &mut VirtualCard) -> Result<(), ReadError> {
    let response = card.transmit(jpki::select_jpki().as_bytes())?;
    let status = Response::new_checked(&response[..]).map_err(ReadError::Apdu)?.status();
    if status.is_ok() { Ok(()) } else { Err(ReadError::SelectJpki(status)) }
}

/// Runs `reader` from [`CertReader::start`] to its end against `card` (the
/// JPKI AP must be selected already).
pub fn run_cert_reader(card: &mut VirtualCard, reader: &mut CertReader) -> Result<CertificateInfo, ReadError> {
    let mut command = reader.start();
    for _ in 0..MAX_READ_EXCHANGES {
        let response = card.transmit(command.as_bytes())?;
        match reader.on_response(&response) {
            Step::Send(next) => command = next,
            Step::Done(info) => return Ok(info),
            Step::Failed(e) => return Err(ReadError::Reader(e)),
        }
    }
    Err(ReadError::TooManyExchanges)
}

/// Selects the JPKI AP, then reads the user-authentication certificate.
pub fn read_certificate(card: &mut VirtualCard) -> Result<CertificateInfo, ReadError> {
    select_jpki(card)?;
    run_cert_reader(card, &mut CertReader::new())
}
