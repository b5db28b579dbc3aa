//! A virtual My Number card (マイナ保険証) for the simulator and for tests.
//!
//! The terminal talks to it as to a real card: raw command APDUs in, raw
//! responses out ([`VirtualCard::transmit`]). It has the JPKI application
//! with the token, certificate, CA certificate, key and PIN files, counts
//! what the terminal did (APDUs, PIN tries, forbidden selects of the
//! applications that hold the My Number) and keeps a transcript with any PIN
//! masked.
//!
//! - [`cert_gen`]: test user-authentication certificates as DER;
//! - [`card`]: the card, configured by a [`CardProfile`];
//! - [`terminal`]: the terminal side, driving the firmware's `CertReader`.
//!
//! Whether a card is registered for insurance use is not the card's
//! knowledge but the online service's: it is not in [`CardProfile`].

pub mod card;
pub mod cert_gen;
pub mod terminal;

pub use card::{
    CardCounters, CardError, CardGone, CardProfile, CardToken, CertificateSource, CommandKind, Exchange, Fault,
    VirtualCard,
};
pub use cert_gen::{CertGenError, CertParams, generate};
pub use terminal::{ReadError, read_certificate, run_cert_reader, select_jpki};
