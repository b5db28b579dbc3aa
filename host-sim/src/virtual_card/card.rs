//! The virtual card: raw command APDU bytes in, raw response bytes out, as a
//! terminal talks to a real card through the reader.
//!
//! What it answers (every other command gets an ISO 7816-4 error status, and
//! no input makes it panic):
//!
//! | command | answer |
//! |---|---|
//! | fewer than 4 bytes | `6700` |
//! | CLA other than `00` (the signature command `80 2A` included: not simulated) | `6E00` |
//! | INS other than SELECT `A4`, READ BINARY `B0`, VERIFY `20` | `6D00` |
//! | body that matches none of the four short cases, `Lc` = `00` | `6700` |
//! | SELECT by AID `00 A4 04 0C Lc <AID>` of the JPKI AP | `9000`; clears the current EF and the verified PIN |
//! | SELECT by AID of any other AID | `6A82`; the 券面事項入力補助AP and 券面事項確認AP (both show the My Number) also count in [`CardCounters::forbidden_selects`] |
//! | SELECT EF `00 A4 02 0C 02 <FID>` of `0006`, `000A`, `000B`, `0017`, `0018` | `9000` once the JPKI AP is selected, else `6A82` |
//! | SELECT with other P1-P2 | `6A86` |
//! | READ BINARY of `000A` on a phone profile with `pin_before_cert` (Android) before a verified PIN | `6982` |
//! | READ BINARY `00 B0 <off> Le` | up to `Le` bytes of the current EF and `9000` (fewer at the end of the file); `6B00` for an offset at or past the end; `6986` with no current EF; `6981` for the key and PIN EFs; `6A86` for a short-EF-id P1; `6700` without `Le` or with data |
//! | VERIFY `00 20 00 80 04 <4 ASCII digits>` with EF `0018` current | right: `9000`, tries back to 3; wrong: one try less, `63Cx` (x = tries left), `6983` when it reaches 0; blocked: `6983`, even for the right PIN; data not 4 bytes: `6700`, no try spent |
//! | VERIFY `00 20 00 80` (no data) | `63Cx` with the tries left, `6983` when blocked |
//! | VERIFY on a PIN-less card (顔認証マイナンバーカード) | `6984` ("reference data not usable"), with or without data |
//! | VERIFY without EF `0018` current | `6986`; P1 not `00`: `6A86`; P2 not `80`: `6A88` |
//!
//! Whether the card is registered for insurance use (マイナ保険証) is not on
//! the card: the online service knows it, by certificate serial. So
//! [`CardProfile`] has no such field; the virtual service carries it.

use super::cert_gen::{self, CertGenError, CertParams, MAX_CERT_LEN};
use firmware::card::apdu::{CommandRepr, ResponseRepr};
use firmware::card::jpki::{Ef, JPKI_AID, TOKEN_LEN};
use firmware::card::status::StatusWord;
use serde::Deserialize;
use std::fmt;

/// AID of the 券面事項入力補助AP, which holds the My Number as text: the
/// terminal must never select it.
pub const KENMEN_NYURYOKU_HOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
/// AID of the 券面事項確認AP, which holds the card face images (the My Number
/// among them): the terminal must never select it either.
pub const KENMEN_KAKUNIN_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
/// Applications whose selection counts in [`CardCounters::forbidden_selects`].
pub const FORBIDDEN_AIDS: [[u8; 10]; 2] = [KENMEN_NYURYOKU_HOJO_AID, KENMEN_KAKUNIN_AID];
/// PIN tries of a fresh (or just verified) PIN.
pub const MAX_PIN_TRIES: u8 = 3;
/// EF of the user-authentication private key: selectable, not readable.
pub const EF_AUTH_KEY: u16 = 0x0017;
/// Token name of a physical My Number card, in EF `0006`.
pub const TOKEN_CARD: &str = "JPKIAPICCTOKEN2";
/// Token name of the smartphone certificate (スマホ用電子証明書), in EF `0006`.
pub const TOKEN_SMARTPHONE: &str = "JPKIAPGPSETOKEN";

const INS_SELECT: u8 = 0xA4;
const INS_READ_BINARY: u8 = 0xB0;
const INS_VERIFY: u8 = 0x20;

const SW_OK: u16 = 0x9000;
const SW_WRONG_LENGTH: u16 = 0x6700;
const SW_INCOMPATIBLE_FILE: u16 = 0x6981;
const SW_PIN_BLOCKED: u16 = 0x6983;
const SW_PIN_NOT_USABLE: u16 = 0x6984;
const SW_NO_CURRENT_EF: u16 = 0x6986;
const SW_SECURITY_STATUS: u16 = 0x6982;
const SW_NOT_FOUND: u16 = 0x6A82;
const SW_WRONG_P1P2: u16 = 0x6A86;
const SW_REFERENCE_NOT_FOUND: u16 = 0x6A88;
const SW_OFFSET_OUTSIDE: u16 = 0x6B00;
const SW_INS_NOT_SUPPORTED: u16 = 0x6D00;
const SW_CLA_NOT_SUPPORTED: u16 = 0x6E00;

/// What EF `0006` says the token is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardToken {
    /// A physical My Number card ([`TOKEN_CARD`]).
    #[default]
    Card,
    /// The smartphone certificate ([`TOKEN_SMARTPHONE`]).
    Smartphone,
    /// Any other name (e.g. `JPKIAPICCTOKEN` of a 住基カード); cut to 32 bytes.
    Other(String),
}

impl CardToken {
    /// The token name.
    pub fn name(&self) -> &[u8] {
        match self {
            Self::Card => TOKEN_CARD.as_bytes(),
            Self::Smartphone => TOKEN_SMARTPHONE.as_bytes(),
            Self::Other(name) => name.as_bytes(),
        }
    }

    /// The contents of EF `0006`: the name padded with spaces to 32 bytes.
    pub fn file(&self) -> Vec<u8> {
        let len = usize::from(TOKEN_LEN);
        let mut file: Vec<u8> = self.name().iter().copied().take(len).collect();
        file.resize(len, b' ');
        file
    }
}

/// Where the user-authentication certificate (EF `000A`) comes from.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateSource {
    /// These bytes, as they are (they need not be valid DER, for tests of
    /// broken cards); at most [`MAX_CERT_LEN`] bytes.
    Der(Vec<u8>),
    /// A certificate generated by [`cert_gen::generate`].
    Generate(CertParams),
}

impl Default for CertificateSource {
    fn default() -> Self {
        Self::Generate(CertParams::default())
    }
}

impl fmt::Debug for CertificateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The bytes hold the holder's name: print the size only.
            Self::Der(der) => write!(f, "Der(<{} bytes>)", der.len()),
            Self::Generate(params) => f.debug_tuple("Generate").field(params).finish(),
        }
    }
}

/// Kinds of command, to aim a [`Fault`] at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    /// SELECT by AID (`00 A4 04 ..`).
    SelectAid,
    /// SELECT EF (`00 A4 02 ..`).
    SelectEf,
    /// READ BINARY.
    ReadBinary,
    /// VERIFY with a PIN.
    Verify,
    /// VERIFY without data: the retry-counter query.
    PinCounter,
}

/// A wrong answer the card gives instead of executing a command.
///
/// The card answers `status` alone (no data) and does nothing else: no file
/// is selected, no PIN try is spent. Commands still count in the
/// [`CardCounters`] as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Which commands (`None`: any well-formed supported command).
    #[serde(default)]
    pub command: Option<CommandKind>,
    /// Only for this EF: the FID a SELECT EF names, or the current EF of
    /// READ BINARY and VERIFY (`None`: any; never matches SELECT by AID).
    #[serde(default)]
    pub ef: Option<u16>,
    /// Only the nth matching command, from 1 (`None`: every one).
    #[serde(default)]
    pub nth: Option<usize>,
    /// The status word answered, e.g. `0x6581` (memory failure).
    pub status: u16,
}

/// How a virtual card behaves. `Default` is a physical card with PIN `1234`,
/// 3 tries left and a generated 1400-byte certificate.
///
/// There is deliberately no "registered for insurance use" field: that is
/// the online service's knowledge, not the card's (see the module docs).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CardProfile {
    /// The user-authentication PIN as 4 digit values 0..=9 (not ASCII);
    /// `None`: a card issued without a PIN (顔認証マイナンバーカード).
    pub pin: Option<[u8; 4]>,
    /// Tries left, 0..=3 (0: blocked).
    pub pin_tries_left: u8,
    /// EF `000A`.
    pub certificate: CertificateSource,
    /// EF `0006`.
    pub token: CardToken,
    /// The certificate EF `000A` is readable only after a verified PIN (an
    /// Android phone's smartphone certificate); before that READ BINARY
    /// answers `6982`.
    pub pin_before_cert: bool,
    /// Answer only this many APDUs, then nothing (the card was pulled away
    /// mid-read); `None`: answer forever.
    pub mute_after: Option<usize>,
    /// Wrong answers to inject, checked in order (the first match wins).
    pub faults: Vec<Fault>,
}

impl Default for CardProfile {
    fn default() -> Self {
        Self {
            pin: Some([1, 2, 3, 4]),
            pin_tries_left: MAX_PIN_TRIES,
            certificate: CertificateSource::default(),
            token: CardToken::Card,
            pin_before_cert: false,
            mute_after: None,
            faults: Vec::new(),
        }
    }
}

impl fmt::Debug for CardProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardProfile")
            .field("pin", &self.pin.map(|_| "****"))
            .field("pin_tries_left", &self.pin_tries_left)
            .field("certificate", &self.certificate)
            .field("token", &self.token)
            .field("pin_before_cert", &self.pin_before_cert)
            .field("mute_after", &self.mute_after)
            .field("faults", &self.faults)
            .finish()
    }
}

/// Why a [`CardProfile`] cannot make a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardError {
    /// A PIN digit above 9.
    PinDigit {
        /// The value given.
        digit: u8,
    },
    /// More tries left than [`MAX_PIN_TRIES`].
    PinTries {
        /// The value given.
        tries: u8,
    },
    /// The certificate could not be generated.
    Certificate(CertGenError),
    /// The given certificate exceeds [`MAX_CERT_LEN`] bytes.
    CertificateTooLarge {
        /// Its size.
        len: usize,
    },
}

impl fmt::Display for CardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PinDigit { digit } => write!(f, "PIN digit {digit} is not 0..=9"),
            Self::PinTries { tries } => write!(f, "{tries} PIN tries left exceeds the maximum of {MAX_PIN_TRIES}"),
            Self::Certificate(e) => write!(f, "virtual card certificate: {e}"),
            Self::CertificateTooLarge { len } => {
                write!(f, "certificate of {len} bytes exceeds the {MAX_CERT_LEN} bytes READ BINARY can address")
            }
        }
    }
}

impl std::error::Error for CardError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Certificate(e) => Some(e),
            _ => None,
        }
    }
}

impl From<CertGenError> for CardError {
    fn from(e: CertGenError) -> Self {
        Self::Certificate(e)
    }
}

/// The card does not answer: it was removed, or went mute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardGone;

impl fmt::Display for CardGone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the card does not answer (removed from the reader)")
    }
}

impl std::error::Error for CardGone {}

/// What the card counted since it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardCounters {
    /// APDUs answered (malformed ones included).
    pub apdus: usize,
    /// APDUs answered that arrived while the JPKI AP was already selected
    /// (the SELECT of the AP itself not included).
    pub apdus_after_jpki_select: usize,
    /// VERIFY commands carrying a PIN (right, wrong or refused).
    pub verify_attempts: usize,
    /// VERIFY commands that spent a try (wrong PIN).
    pub wrong_pins: usize,
    /// VERIFY commands without data (retry-counter queries).
    pub pin_counter_queries: usize,
    /// SELECTs of the 券面事項入力補助AP or 券面事項確認AP ([`FORBIDDEN_AIDS`]).
    pub forbidden_selects: usize,
    /// Commands answered by a [`Fault`].
    pub faults_injected: usize,
    /// Commands sent while the card was gone ([`CardGone`]).
    pub unanswered: usize,
}

/// One command and the card's answer, with any PIN masked.
#[derive(Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The command as received, except that the bytes after `Lc` of a VERIFY
    /// (the PIN) are replaced by `*` (0x2A): the PIN is never kept.
    pub command: Vec<u8>,
    /// How many trailing bytes of `command` are masked.
    pub masked: usize,
    /// The response: data, then `SW1 SW2`.
    pub response: Vec<u8>,
}

impl Exchange {
    fn new(command: &[u8], response: Vec<u8>) -> Self {
        let mut command = command.to_vec();
        let masked = match command.get(1) {
            Some(&INS_VERIFY) => command.len().saturating_sub(5),
            _ => 0,
        };
        let keep = command.len() - masked;
        if let Some(tail) = command.get_mut(keep..) {
            tail.fill(b'*');
        }
        Self { command, masked, response }
    }

    /// The status word of the response.
    pub fn status(&self) -> StatusWord {
        match self.response.last_chunk::<2>() {
            Some(&[sw1, sw2]) => StatusWord::new(sw1, sw2),
            None => StatusWord(0),
        }
    }

    /// The response data.
    pub fn data(&self) -> &[u8] {
        self.response.split_last_chunk::<2>().map_or(&[][..], |(data, _)| data)
    }
}

impl fmt::Debug for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keep = self.command.len().saturating_sub(self.masked);
        write!(f, "Exchange {{ command: ")?;
        for (i, b) in self.command.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            if i < keep {
                write!(f, "{sep}{b:02X}")?;
            } else {
                write!(f, "{sep}**")?;
            }
        }
        // The data may be the certificate, which holds the holder's name.
        write!(f, ", response: <{} data bytes> {:04X} }}", self.data().len(), self.status().0)
    }
}

/// A My Number card's JPKI application, simulated.
pub struct VirtualCard {
    /// ASCII digits.
    pin: Option<[u8; 4]>,
    tries_left: u8,
    token_file: Vec<u8>,
    certificate: Vec<u8>,
    ca_certificate: Vec<u8>,
    /// Each fault with the number of commands it matched so far.
    faults: Vec<(Fault, usize)>,
    mute_after: Option<usize>,
    present: bool,
    answered_since_insert: usize,
    jpki_selected: bool,
    current_ef: Option<u16>,
    pin_verified: bool,
    pin_before_cert: bool,
    counters: CardCounters,
    transcript: Vec<Exchange>,
}

impl VirtualCard {
    /// Makes the card `profile` describes, in the reader.
    pub fn new(profile: CardProfile) -> Result<Self, CardError> {
        let pin = match profile.pin {
            None => None,
            Some(digits) => {
                let mut ascii = [0u8; 4];
                for (slot, digit) in ascii.iter_mut().zip(digits) {
                    if digit > 9 {
                        return Err(CardError::PinDigit { digit });
                    }
                    *slot = b'0' + digit;
                }
                Some(ascii)
            }
        };
        if profile.pin_tries_left > MAX_PIN_TRIES {
            return Err(CardError::PinTries { tries: profile.pin_tries_left });
        }
        let certificate = match profile.certificate {
            CertificateSource::Der(der) if der.len() > MAX_CERT_LEN => {
                return Err(CardError::CertificateTooLarge { len: der.len() });
            }
            CertificateSource::Der(der) => der,
            CertificateSource::Generate(params) => cert_gen::generate(&params)?,
        };
        Ok(Self {
            pin,
            tries_left: profile.pin_tries_left,
            token_file: profile.token.file(),
            certificate,
            ca_certificate: cert_gen::ca_certificate()?,
            faults: profile.faults.into_iter().map(|f| (f, 0)).collect(),
            mute_after: profile.mute_after,
            present: true,
            answered_since_insert: 0,
            jpki_selected: false,
            current_ef: None,
            pin_verified: false,
            pin_before_cert: profile.pin_before_cert,
            counters: CardCounters::default(),
            transcript: Vec::new(),
        })
    }

    /// Sends one command APDU; returns the response (data, `SW1 SW2`), or
    /// [`CardGone`] when the card was removed or went mute.
    pub fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardGone> {
        if self.present && self.mute_after.is_some_and(|n| self.answered_since_insert >= n) {
            self.present = false;
        }
        if !self.present {
            self.counters.unanswered += 1;
            return Err(CardGone);
        }
        self.answered_since_insert += 1;
        self.counters.apdus += 1;
        if self.jpki_selected {
            self.counters.apdus_after_jpki_select += 1;
        }
        let (data, status) = self.process(apdu);
        let response = encode(&data, StatusWord(status));
        self.transcript.push(Exchange::new(apdu, response.clone()));
        Ok(response)
    }

    /// The counters.
    pub fn counters(&self) -> CardCounters {
        self.counters
    }

    /// Every exchange answered, in order (PINs masked).
    pub fn transcript(&self) -> &[Exchange] {
        &self.transcript
    }

    /// Forgets the transcript and zeroes the counters (the card state stays).
    pub fn reset_log(&mut self) {
        self.transcript.clear();
        self.counters = CardCounters::default();
    }

    /// PIN tries left (0: blocked); `None` for a card without a PIN.
    pub fn pin_tries_left(&self) -> Option<u8> {
        self.pin.map(|_| self.tries_left)
    }

    /// Whether the PIN was verified since the JPKI AP was selected.
    pub fn pin_verified(&self) -> bool {
        self.pin_verified
    }

    /// Whether the JPKI AP is selected.
    pub fn jpki_selected(&self) -> bool {
        self.jpki_selected
    }

    /// FID of the current EF.
    pub fn current_ef(&self) -> Option<u16> {
        self.current_ef
    }

    /// The bytes of EF `000A`.
    pub fn certificate(&self) -> &[u8] {
        &self.certificate
    }

    /// Whether the card is in the reader and answering.
    pub fn is_present(&self) -> bool {
        self.present && self.mute_after.is_none_or(|n| self.answered_since_insert < n)
    }

    /// Takes the card away: every command gets [`CardGone`] until
    /// [`reinsert`](Self::reinsert).
    pub fn remove(&mut self) {
        self.present = false;
    }

    /// Puts the card back: powered afresh (nothing selected, PIN not
    /// verified; the tries left stay), and no longer mute.
    pub fn reinsert(&mut self) {
        self.present = true;
        self.mute_after = None;
        self.answered_since_insert = 0;
        self.jpki_selected = false;
        self.current_ef = None;
        self.pin_verified = false;
    }

    /// Executes one command: (response data, status word).
    fn process(&mut self, apdu: &[u8]) -> (Vec<u8>, u16) {
        let Some(&[cla, ins, _, _]) = apdu.first_chunk::<4>() else {
            return status(SW_WRONG_LENGTH);
        };
        if cla != 0x00 {
            return status(SW_CLA_NOT_SUPPORTED);
        }
        if !matches!(ins, INS_SELECT | INS_READ_BINARY | INS_VERIFY) {
            return status(SW_INS_NOT_SUPPORTED);
        }
        let Ok(cmd) = CommandRepr::parse(apdu) else {
            return status(SW_WRONG_LENGTH);
        };
        let kind = kind_of(&cmd);
        match kind {
            Some(CommandKind::SelectAid) if FORBIDDEN_AIDS.iter().any(|aid| cmd.data == aid) => {
                self.counters.forbidden_selects += 1;
            }
            Some(CommandKind::Verify) => self.counters.verify_attempts += 1,
            Some(CommandKind::PinCounter) => self.counters.pin_counter_queries += 1,
            _ => {}
        }
        if let Some(sw) = kind.and_then(|kind| self.fault(kind, &cmd)) {
            self.counters.faults_injected += 1;
            return status(sw);
        }
        match ins {
            INS_SELECT => self.select(&cmd),
            INS_READ_BINARY => self.read_binary(&cmd),
            _ => self.verify(&cmd),
        }
    }

    /// The status of the first fault matching this command, if any.
    fn fault(&mut self, kind: CommandKind, cmd: &CommandRepr<'_>) -> Option<u16> {
        let ef = match kind {
            CommandKind::SelectAid => None,
            CommandKind::SelectEf => <[u8; 2]>::try_from(cmd.data).ok().map(u16::from_be_bytes),
            CommandKind::ReadBinary | CommandKind::Verify | CommandKind::PinCounter => self.current_ef,
        };
        let mut hit = None;
        for (fault, seen) in &mut self.faults {
            if fault.command.is_some_and(|k| k != kind) || fault.ef.is_some_and(|f| Some(f) != ef) {
                continue;
            }
            *seen += 1;
            if hit.is_none() && fault.nth.is_none_or(|n| n == *seen) {
                hit = Some(fault.status);
            }
        }
        hit
    }

    fn select(&mut self, cmd: &CommandRepr<'_>) -> (Vec<u8>, u16) {
        match (cmd.p1, cmd.p2) {
            (0x04, 0x0C) => {
                if cmd.data.is_empty() || cmd.data.len() > 16 {
                    status(SW_WRONG_LENGTH)
                } else if cmd.data == JPKI_AID {
                    self.jpki_selected = true;
                    self.current_ef = None;
                    self.pin_verified = false;
                    status(SW_OK)
                } else {
                    status(SW_NOT_FOUND)
                }
            }
            (0x02, 0x0C) => {
                let Ok(fid) = <[u8; 2]>::try_from(cmd.data).map(u16::from_be_bytes) else {
                    return status(SW_WRONG_LENGTH);
                };
                let known = [Ef::Token.fid(), Ef::AuthCert.fid(), Ef::AuthCaCert.fid(), EF_AUTH_KEY, Ef::AuthPin.fid()];
                if self.jpki_selected && known.contains(&fid) {
                    self.current_ef = Some(fid);
                    status(SW_OK)
                } else {
                    status(SW_NOT_FOUND)
                }
            }
            _ => status(SW_WRONG_P1P2),
        }
    }

    fn read_binary(&self, cmd: &CommandRepr<'_>) -> (Vec<u8>, u16) {
        let Some(le) = cmd.le.filter(|_| cmd.data.is_empty()) else {
            return status(SW_WRONG_LENGTH);
        };
        if cmd.p1 & 0x80 != 0 {
            return status(SW_WRONG_P1P2);
        }
        let file: &[u8] = match self.current_ef {
            None => return status(SW_NO_CURRENT_EF),
            Some(0x0006) => &self.token_file,
            Some(0x000A) if self.pin_before_cert && !self.pin_verified => return status(SW_SECURITY_STATUS),
            Some(0x000A) => &self.certificate,
            Some(0x000B) => &self.ca_certificate,
            Some(_) => return status(SW_INCOMPATIBLE_FILE),
        };
        let offset = usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]));
        let end = offset.saturating_add(usize::from(le)).min(file.len());
        match file.get(offset..end) {
            Some(data) if offset < file.len() => (data.to_vec(), SW_OK),
            _ => status(SW_OFFSET_OUTSIDE),
        }
    }

    fn verify(&mut self, cmd: &CommandRepr<'_>) -> (Vec<u8>, u16) {
        if cmd.p1 != 0x00 {
            return status(SW_WRONG_P1P2);
        }
        if cmd.p2 != 0x80 {
            return status(SW_REFERENCE_NOT_FOUND);
        }
        if !self.jpki_selected || self.current_ef != Some(Ef::AuthPin.fid()) {
            return status(SW_NO_CURRENT_EF);
        }
        let Some(pin) = self.pin else {
            return status(SW_PIN_NOT_USABLE);
        };
        if self.tries_left == 0 {
            return status(SW_PIN_BLOCKED);
        }
        if cmd.data.is_empty() {
            return status(tries_status(self.tries_left));
        }
        if cmd.data.len() != pin.len() {
            return status(SW_WRONG_LENGTH);
        }
        if cmd.data == pin {
            self.tries_left = MAX_PIN_TRIES;
            self.pin_verified = true;
            status(SW_OK)
        } else {
            self.tries_left = self.tries_left.saturating_sub(1);
            self.pin_verified = false;
            self.counters.wrong_pins += 1;
            if self.tries_left == 0 { status(SW_PIN_BLOCKED) } else { status(tries_status(self.tries_left)) }
        }
    }
}

impl fmt::Debug for VirtualCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Neither the PIN nor the certificate (the holder's name) is printed.
        f.debug_struct("VirtualCard")
            .field("has_pin", &self.pin.is_some())
            .field("tries_left", &self.tries_left)
            .field("certificate_len", &self.certificate.len())
            .field("present", &self.is_present())
            .field("jpki_selected", &self.jpki_selected)
            .field("current_ef", &self.current_ef)
            .field("pin_verified", &self.pin_verified)
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

/// The kind of a parsed command with a supported INS (`None`: P1-P2 fit no
/// kind; the command is refused later).
fn kind_of(cmd: &CommandRepr<'_>) -> Option<CommandKind> {
    match (cmd.ins, cmd.p1) {
        (INS_SELECT, 0x04) => Some(CommandKind::SelectAid),
        (INS_SELECT, 0x02) => Some(CommandKind::SelectEf),
        (INS_READ_BINARY, _) => Some(CommandKind::ReadBinary),
        (INS_VERIFY, _) if cmd.data.is_empty() => Some(CommandKind::PinCounter),
        (INS_VERIFY, _) => Some(CommandKind::Verify),
        _ => None,
    }
}

/// `63Cx` for 1..=15 tries left.
fn tries_status(tries: u8) -> u16 {
    0x63C0 | u16::from(tries.min(0x0F))
}

fn status(sw: u16) -> (Vec<u8>, u16) {
    (Vec::new(), sw)
}

/// `data SW1 SW2`, through the firmware's own response encoder.
fn encode(data: &[u8], status: StatusWord) -> Vec<u8> {
    let repr = ResponseRepr { data, status };
    let mut out = vec![0u8; repr.buffer_len()];
    match repr.emit(&mut out) {
        Ok(n) => {
            out.truncate(n);
            out
        }
        Err(_) => status.to_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> VirtualCard {
        VirtualCard::new(CardProfile::default()).unwrap()
    }

    fn sw(card: &mut VirtualCard, apdu: &[u8]) -> u16 {
        let r = card.transmit(apdu).unwrap();
        u16::from_be_bytes([r[r.len() - 2], r[r.len() - 1]])
    }

    #[test]
    fn token_file_is_space_padded() {
        assert_eq!(CardToken::Card.file(), b"JPKIAPICCTOKEN2                 ");
        assert_eq!(CardToken::Smartphone.file().len(), 32);
        assert_eq!(CardToken::Other("X".repeat(40)).file(), b"X".repeat(32));
    }

    #[test]
    fn header_checks_come_first() {
        let mut c = card();
        assert_eq!(sw(&mut c, &[]), 0x6700);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x04]), 0x6700);
        assert_eq!(sw(&mut c, &[0x80, 0x2A, 0x00, 0x80, 0x01, 0x00, 0x00]), 0x6E00);
        assert_eq!(sw(&mut c, &[0x00, 0xCA, 0x00, 0x00, 0x00]), 0x6D00);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x04, 0x0C, 0x00, 0x01]), 0x6700, "extended length");
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x04, 0x0C, 0x05, 0x01]), 0x6700, "short body");
        assert_eq!(c.counters().apdus, 6);
    }

    #[test]
    fn select_variants() {
        let mut c = card();
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]), 0x6A82, "EF before the AP");
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x04, 0x00, 0x01, 0xD3]), 0x6A86);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x04, 0x0C, 0x01, 0xD3]), 0x6A82);
        let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
        select.extend(JPKI_AID);
        assert_eq!(sw(&mut c, &select), 0x9000);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x01, 0x00]), 0x6700);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x01]), 0x6A82);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x17]), 0x9000);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x10]), 0x6981, "the key is not readable");
        assert_eq!(c.current_ef(), Some(0x0017));
        assert_eq!(c.counters().apdus_after_jpki_select, 4);
    }

    #[test]
    fn read_binary_edges() {
        let mut c = card();
        let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
        select.extend(JPKI_AID);
        sw(&mut c, &select);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x01]), 0x6986, "no current EF");
        sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06]);
        let r = c.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x00]).unwrap();
        assert_eq!(&r[..32], b"JPKIAPICCTOKEN2                 ");
        assert_eq!(&r[32..], &[0x90, 0x00], "Le 00 asks 256; the file has 32");
        let r = c.transmit(&[0x00, 0xB0, 0x00, 0x1E, 0x10]).unwrap();
        assert_eq!(r, [b' ', b' ', 0x90, 0x00]);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x20, 0x01]), 0x6B00, "offset at the end");
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x7F, 0xFF, 0x01]), 0x6B00);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x86, 0x00, 0x01]), 0x6A86, "short EF id");
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00]), 0x6700, "no Le");
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x01, 0x00, 0x10]), 0x6700, "data");
        sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0B]);
        let r = c.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x04]).unwrap();
        assert_eq!(&r[..2], &[0x30, 0x82]);
    }

    #[test]
    fn faults_hit_the_nth_matching_command() {
        let profile = CardProfile {
            faults: vec![
                Fault { command: Some(CommandKind::ReadBinary), ef: Some(0x000A), nth: Some(2), status: 0x6581 },
                Fault { command: Some(CommandKind::SelectEf), ef: Some(0x0006), nth: None, status: 0x6A82 },
            ],
            ..CardProfile::default()
        };
        let mut c = VirtualCard::new(profile).unwrap();
        let mut select = vec![0x00, 0xA4, 0x04, 0x0C, 0x0A];
        select.extend(JPKI_AID);
        assert_eq!(sw(&mut c, &select), 0x9000);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06]), 0x6A82);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06]), 0x6A82);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]), 0x9000);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x04]), 0x9000);
        let r = c.transmit(&[0x00, 0xB0, 0x00, 0x04, 0x10]).unwrap();
        assert_eq!(r, [0x65, 0x81], "status alone");
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x04, 0x10]), 0x9000);
        assert_eq!(c.counters().faults_injected, 3);
    }

    #[test]
    fn bad_profiles_are_refused() {
        let e = VirtualCard::new(CardProfile { pin: Some([1, 2, 3, 10]), ..CardProfile::default() }).unwrap_err();
        assert_eq!(e, CardError::PinDigit { digit: 10 });
        let e = VirtualCard::new(CardProfile { pin_tries_left: 4, ..CardProfile::default() }).unwrap_err();
        assert_eq!(e.to_string(), "4 PIN tries left exceeds the maximum of 3");
        let e = VirtualCard::new(CardProfile {
            certificate: CertificateSource::Der(vec![0; MAX_CERT_LEN + 1]),
            ..CardProfile::default()
        })
        .unwrap_err();
        assert_eq!(e, CardError::CertificateTooLarge { len: MAX_CERT_LEN + 1 });
        let e = VirtualCard::new(CardProfile {
            certificate: CertificateSource::Generate(CertParams { serial: vec![], ..CertParams::default() }),
            ..CardProfile::default()
        })
        .unwrap_err();
        assert!(matches!(e, CardError::Certificate(CertGenError::SerialLength { len: 0 })));
    }

    #[test]
    fn debug_output_holds_no_secrets() {
        let profile = CardProfile { pin: Some([9, 8, 7, 6]), ..CardProfile::default() };
        let s = format!("{profile:?}");
        assert!(!s.contains("[9, 8, 7, 6]"), "{s}");
        assert!(s.contains("****") && !s.contains(cert_gen::DEFAULT_HOLDER_NAME), "{s}");
        let c = VirtualCard::new(profile).unwrap();
        let s = format!("{c:?}");
        assert!(!s.contains("9876") && !s.contains("57, 56"), "{s}");
        let s = format!("{:?}", CertificateSource::Der(vec![1, 2, 3]));
        assert_eq!(s, "Der(<3 bytes>)");
    }

    #[test]
    fn exchange_masks_malformed_verify_too() {
        let e = Exchange::new(&[0x00, 0x20, 0x00, 0x80, 0x05, b'1', b'2', b'3', b'4'], vec![0x67, 0x00]);
        assert_eq!(e.command, [0x00, 0x20, 0x00, 0x80, 0x05, b'*', b'*', b'*', b'*']);
        assert_eq!(format!("{e:?}"), "Exchange { command: 00 20 00 80 05 ** ** ** **, response: <0 data bytes> 6700 }");
        let e = Exchange::new(&[0x00, 0x20, 0x00, 0x80], vec![0x63, 0xC3]);
        assert_eq!(e.masked, 0);
        assert_eq!(e.status(), StatusWord(0x63C3));
    }
}
