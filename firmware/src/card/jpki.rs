//! The JPKI application (公的個人認証AP) of the My Number card: its AID, the
//! files the terminal uses and the commands it sends.
//!
//! Sources: jpki-rs `core/src/ap/crypto.rs`, the `myna` tool `src/reader.rs`,
//! OpenSC `card-jpki.c` (see `DOMAIN.md` §3).
//!
//! The terminal never reads the My Number, so this module offers no command
//! for the 券面事項入力補助AP, on purpose.

use super::apdu::{ApduError, Command, CommandRepr, HEADER_LEN};
use super::pin::{PIN_LEN, Pin, PinError};
use core::fmt;

/// AID of the JPKI application.
pub const JPKI_AID: [u8; 10] = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];

/// Bytes of the token name in EF `0006` (space padded).
pub const TOKEN_LEN: u16 = 32;

/// Largest offset READ BINARY can address (bit 15 of P1-P2 selects a short EF id instead).
pub const MAX_READ_OFFSET: u16 = 0x7FFF;

const INS_SELECT: u8 = 0xA4;
const INS_VERIFY: u8 = 0x20;
const INS_READ_BINARY: u8 = 0xB0;
/// P2 of VERIFY: the user-authentication PIN of the current application.
const P2_AUTH_PIN: u8 = 0x80;

/// Elementary files of the JPKI application the terminal uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u16)]
pub enum Ef {
    /// Token name: tells a card from a phone ([`TokenKind`]).
    Token = 0x0006,
    /// User-authentication certificate (readable without PIN).
    AuthCert = 0x000A,
    /// CA certificate of the user-authentication certificate.
    AuthCaCert = 0x000B,
    /// User-authentication PIN.
    AuthPin = 0x0018,
}

impl Ef {
    /// File identifier.
    pub const fn fid(self) -> u16 {
        self as u16
    }
}

/// `00 A4 04 0C 0A <AID>`: select the JPKI application by name, no answer data.
pub fn select_jpki() -> Command {
    Command::case3([0x00, INS_SELECT, 0x04, 0x0C], &JPKI_AID)
}

/// `00 A4 02 0C 02 <FID>`: select an elementary file of the current application.
pub fn select_ef(ef: Ef) -> Command {
    Command::case3([0x00, INS_SELECT, 0x02, 0x0C], &ef.fid().to_be_bytes())
}

/// `00 B0 <off hi> <off lo> Le`: read `le` bytes (1..=256) of the selected
/// file from `offset` (at most 0x7FFF).
pub fn read_binary(offset: u16, le: u16) -> Result<Command, ApduError> {
    if offset > MAX_READ_OFFSET {
        return Err(ApduError::OffsetTooLarge { offset });
    }
    let [p1, p2] = offset.to_be_bytes();
    Command::new(&CommandRepr { cla: 0x00, ins: INS_READ_BINARY, p1, p2, data: &[], le: Some(le) })
}

/// `00 20 00 80`: VERIFY without data, which asks the tries left
/// ([`StatusWord::pin_tries_left`](super::status::StatusWord::pin_tries_left))
/// without spending one. Select [`Ef::AuthPin`] first.
pub fn pin_retry_counter() -> Command {
    Command::case1([0x00, INS_VERIFY, 0x00, P2_AUTH_PIN])
}

/// `00 20 00 80 04 <4 ASCII digits>`: verify the user-authentication PIN.
/// Select [`Ef::AuthPin`] first. Fails when the PIN is not complete.
pub fn verify_pin(pin: &Pin) -> Result<VerifyCommand, PinError> {
    let digits = pin.ascii()?;
    let mut buf = [0u8; VERIFY_LEN];
    let (header, rest) = buf.split_at_mut(HEADER_LEN);
    header.copy_from_slice(&[0x00, INS_VERIFY, 0x00, P2_AUTH_PIN]);
    if let Some((lc, data)) = rest.split_first_mut() {
        *lc = PIN_LEN as u8;
        data.copy_from_slice(digits);
    }
    Ok(VerifyCommand { buf })
}

const VERIFY_LEN: usize = HEADER_LEN + 1 + PIN_LEN;

/// The VERIFY command carrying the PIN: the only place the PIN exists in a
/// command buffer.
///
/// Not `Clone`, zeroised on drop, and its `Debug` masks the digits. Send its
/// [`as_bytes`](Self::as_bytes) to the card and drop it.
pub struct VerifyCommand {
    buf: [u8; VERIFY_LEN],
}

impl VerifyCommand {
    /// The encoded APDU (contains the PIN: never log it).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }
}

impl AsRef<[u8]> for VerifyCommand {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Drop for VerifyCommand {
    fn drop(&mut self) {
        super::zeroize(&mut self.buf);
    }
}

impl fmt::Debug for VerifyCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyCommand(00 20 00 80 04 ** ** ** **)")
    }
}

/// What answers as the JPKI application, from the contents of EF `0006`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TokenKind {
    /// `JPKIAPICCTOKEN2`: a physical My Number card.
    Card,
    /// `JPKIAPGPSETOKEN`: the smartphone certificate (スマホ用電子証明書).
    Smartphone,
    /// Anything else (e.g. `JPKIAPICCTOKEN`, a 住基カード).
    Unknown,
}

impl TokenKind {
    /// Classifies the token name read from EF `0006` (32 bytes, padded with
    /// spaces; trailing spaces and NULs are ignored, the rest must match).
    pub fn parse(contents: &[u8]) -> Self {
        let mut name = contents;
        while let Some((&last, rest)) = name.split_last() {
            if last == b' ' || last == 0 {
                name = rest;
            } else {
                break;
            }
        }
        match name {
            b"JPKIAPICCTOKEN2" => Self::Card,
            b"JPKIAPGPSETOKEN" => Self::Smartphone,
            _ => Self::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(digits: [u8; 4]) -> Pin {
        let mut p = Pin::new();
        for d in digits {
            p.push_digit(d).unwrap();
        }
        p
    }

    #[test]
    fn select_commands() {
        assert_eq!(
            select_jpki().as_bytes(),
            &[0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]
        );
        assert_eq!(select_ef(Ef::AuthCert).as_bytes(), &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A]);
        assert_eq!(select_ef(Ef::Token).as_bytes(), &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x06]);
        assert_eq!(select_ef(Ef::AuthCaCert).as_bytes(), &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0B]);
        assert_eq!(select_ef(Ef::AuthPin).as_bytes(), &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18]);
        // The fixed builders agree with the generic encoder.
        let cmd = select_jpki();
        assert_eq!(Command::new(&cmd.repr()).unwrap(), cmd);
        assert_eq!(cmd.repr().data, &JPKI_AID);
    }

    #[test]
    fn read_binary_encodes_offset_and_le() {
        assert_eq!(read_binary(0, 4).unwrap().as_bytes(), &[0x00, 0xB0, 0x00, 0x00, 0x04]);
        assert_eq!(read_binary(0x0104, 255).unwrap().as_bytes(), &[0x00, 0xB0, 0x01, 0x04, 0xFF]);
        assert_eq!(read_binary(0x7FFF, 256).unwrap().as_bytes(), &[0x00, 0xB0, 0x7F, 0xFF, 0x00]);
        assert_eq!(read_binary(0x8000, 1), Err(ApduError::OffsetTooLarge { offset: 0x8000 }));
        assert_eq!(read_binary(0, 0), Err(ApduError::BadLe { le: 0 }));
        assert_eq!(read_binary(0, 257), Err(ApduError::BadLe { le: 257 }));
    }

    #[test]
    fn pin_commands() {
        assert_eq!(pin_retry_counter().as_bytes(), &[0x00, 0x20, 0x00, 0x80]);
        let cmd = verify_pin(&pin([1, 2, 3, 4])).unwrap();
        assert_eq!(cmd.as_bytes(), &[0x00, 0x20, 0x00, 0x80, 0x04, b'1', b'2', b'3', b'4']);
        let repr = CommandRepr::parse(cmd.as_bytes()).unwrap();
        assert_eq!(repr.data, b"1234");
        assert_eq!(repr.le, None);
        assert_eq!(format!("{cmd:?}"), "VerifyCommand(00 20 00 80 04 ** ** ** **)");
        let mut short = Pin::new();
        short.push_digit(1).unwrap();
        assert_eq!(verify_pin(&short).unwrap_err(), PinError::Incomplete);
    }

    #[test]
    fn token_kinds() {
        assert_eq!(TokenKind::parse(b"JPKIAPICCTOKEN2                 "), TokenKind::Card);
        assert_eq!(TokenKind::parse(b"JPKIAPICCTOKEN2"), TokenKind::Card);
        assert_eq!(TokenKind::parse(b"JPKIAPGPSETOKEN                 "), TokenKind::Smartphone);
        assert_eq!(TokenKind::parse(b"JPKIAPICCTOKEN\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), TokenKind::Unknown);
        assert_eq!(TokenKind::parse(b"JPKIAPICCTOKEN2X"), TokenKind::Unknown);
        assert_eq!(TokenKind::parse(b" JPKIAPICCTOKEN2"), TokenKind::Unknown);
        assert_eq!(TokenKind::parse(b""), TokenKind::Unknown);
    }
}
