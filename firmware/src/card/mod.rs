//! The My Number card (マイナ保険証) as the terminal sees it: ISO 7816-4 APDUs,
//! the JPKI application, the PIN and the user-authentication certificate.
//!
//! Layers, from the wire up:
//! 1. [`apdu`]: short command APDUs ([`CommandRepr`] parses and emits them,
//!    [`Command`] owns one) and response APDUs ([`Response`], a checked
//!    view), after smoltcp's wire types.
//! 2. [`status`]: status words and what they mean for the terminal.
//! 3. [`jpki`]: the JPKI application (公的個人認証AP): its AID, its files and
//!    the commands the terminal sends. There is deliberately no way to build
//!    a command for the 券面事項入力補助AP: the terminal never reads the My
//!    Number.
//! 4. [`pin`]: the 4-digit PIN, collected key by key and zeroised on drop.
//! 5. [`cert_reader`]: a sans-IO planner that reads the user-authentication
//!    certificate in as few exchanges as possible.
//! 6. [`der`] and [`certificate`]: a bounds-checked DER walker and the few
//!    certificate fields the terminal needs (serial number and validity; never
//!    the subject).
//!
//! Nothing here trusts the card: every length is checked before use and every
//! malformed answer is an error value, never a panic.

pub mod apdu;
pub mod cert_reader;
pub mod certificate;
pub mod der;
pub mod jpki;
pub mod pin;
pub mod status;

pub use apdu::{ApduError, Command, CommandRepr, Response, ResponseRepr};
pub use cert_reader::{CertReadError, CertReader, ReadStep, Step};
pub use certificate::CertificateInfo;
pub use der::DerError;
pub use jpki::{Ef, JPKI_AID, TokenKind, VerifyCommand};
pub use pin::{Pin, PinError};
pub use status::{Status, StatusWord};

/// Zeroises `bytes` without `unsafe`: a plain loop, then `black_box` and a
/// compiler fence so the stores are not optimised away as dead.
///
/// This is best effort: it clears the bytes where they are, but cannot reach
/// copies the compiler may have made earlier when the owner was moved.
fn zeroize(bytes: &mut [u8]) {
    for b in bytes.iter_mut() {
        *b = 0;
    }
    core::hint::black_box(&mut *bytes);
    core::sync::atomic::compiler_fence(core::sync::atomic::Ordering::SeqCst);
}

#[cfg(test)]
pub(crate) mod testutil;
