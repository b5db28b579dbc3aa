//! The PN532 commands this reader sends (UM0701-02 §7) and their answers.

use super::frame::TFI_PN532;
use core::fmt;

/// Command codes (UM0701-02 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[repr(u8)]
pub enum Command {
    /// §7.2.1 Diagnose (NumTst 0x06: card presence detection).
    Diagnose = 0x00,
    /// §7.2.2 GetFirmwareVersion.
    GetFirmwareVersion = 0x02,
    /// §7.2.10 SAMConfiguration.
    SamConfiguration = 0x14,
    /// §7.3.1 RFConfiguration.
    RfConfiguration = 0x32,
    /// §7.3.8 InDataExchange.
    InDataExchange = 0x40,
    /// §7.3.5 InListPassiveTarget.
    InListPassiveTarget = 0x4A,
    /// §7.3.11 InRelease.
    InRelease = 0x52,
}

impl Command {
    /// The answer's command code (the command's + 1).
    pub const fn response_code(self) -> u8 {
        self as u8 + 1
    }
}

/// SAMConfiguration: normal mode (no SAM), timeout 0x14 × 50 ms, IRQ used
/// (§7.2.10). Also the first command after the HSU wake-up.
pub const SAM_CONFIGURATION: [u8; 4] = [Command::SamConfiguration as u8, 0x01, 0x14, 0x01];

/// RFConfiguration item 5, MaxRetries (§7.3.1): ATR_REQ 0xFF (default),
/// PSL_REQ 0x01 (default), passive activation 2 tries, so that
/// InListPassiveTarget answers "no card" instead of waiting for one.
pub const RF_MAX_RETRIES: [u8; 5] = [Command::RfConfiguration as u8, 0x05, 0xFF, 0x01, 0x02];

/// InListPassiveTarget: one target, BrTy 0x03 (106 kbps ISO/IEC 14443-3
/// Type B), AFI 0x00 (all application families) (§7.3.5).
pub const LIST_TYPE_B: [u8; 4] = [Command::InListPassiveTarget as u8, 0x01, 0x03, 0x00];

/// Diagnose NumTst 0x06: is the ISO/IEC 14443-4 card still there (§7.2.1)?
pub const PRESENCE_CHECK: [u8; 2] = [Command::Diagnose as u8, 0x06];

/// InRelease of every target (Tg 0x00, §7.3.11).
pub const RELEASE_ALL: [u8; 2] = [Command::InRelease as u8, 0x00];

/// Longest APDU an exchange carries (a short APDU: header, Lc, 255 bytes, Le).
pub const MAX_APDU: usize = 261;

/// InDataExchange to target `tg` (§7.3.8), written into `out`: code, Tg,
/// then the APDU. Returns the bytes written, or `None` when `out` is short.
pub fn data_exchange(tg: u8, apdu: &[u8], out: &mut [u8]) -> Option<usize> {
    let n = apdu.len() + 2;
    let out = out.get_mut(..n)?;
    out[0] = Command::InDataExchange as u8;
    out[1] = tg;
    out[2..].copy_from_slice(apdu);
    Some(n)
}

/// The status byte of InDataExchange, InRelease and Diagnose answers
/// (UM0701-02 §7.1, table "Error code list").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ErrorCode {
    /// 0x00: success.
    Ok,
    /// 0x01: the target did not answer in time.
    Timeout,
    /// 0x02: CRC error from the target.
    Crc,
    /// 0x27: the command is not allowed in this context.
    NotAllowed,
    /// 0x29: the PN532 as target was released by its initiator.
    Released,
    /// 0x2B: the card previously activated has disappeared.
    CardDisappeared,
    /// Any other code, kept as received.
    Other(u8),
}

impl ErrorCode {
    /// The code in the low 6 bits of a status byte (bit 6: MI, bit 7: NAD).
    pub const fn from_status(status: u8) -> Self {
        match status & 0x3F {
            0x00 => Self::Ok,
            0x01 => Self::Timeout,
            0x02 => Self::Crc,
            0x27 => Self::NotAllowed,
            0x29 => Self::Released,
            0x2B => Self::CardDisappeared,
            other => Self::Other(other),
        }
    }

    /// Whether the code means the card has gone (timeout or disappeared).
    pub const fn card_gone(self) -> bool {
        matches!(self, Self::Timeout | Self::CardDisappeared)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ok => f.write_str("success"),
            Self::Timeout => f.write_str("target timeout (0x01)"),
            Self::Crc => f.write_str("CRC error (0x02)"),
            Self::NotAllowed => f.write_str("command not allowed here (0x27)"),
            Self::Released => f.write_str("released by the initiator (0x29)"),
            Self::CardDisappeared => f.write_str("card disappeared (0x2B)"),
            Self::Other(c) => write!(f, "PN532 error {c:#04x}"),
        }
    }
}

/// Why an answer does not fit the command it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AnswerError {
    /// The TFI is not D5, or the code is not the command's + 1.
    NotTheAnswer,
    /// The answer is shorter than its fixed part.
    Truncated,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotTheAnswer => f.write_str("PN532 answer does not belong to the command sent"),
            Self::Truncated => f.write_str("PN532 answer truncated"),
        }
    }
}

/// The data of `command`'s answer (after TFI and code), from a frame's info.
pub fn answer(command: Command, info: &[u8]) -> Result<&[u8], AnswerError> {
    match info {
        [TFI_PN532, code, rest @ ..] if *code == command.response_code() => Ok(rest),
        [_, _, ..] => Err(AnswerError::NotTheAnswer),
        _ => Err(AnswerError::Truncated),
    }
}

/// Status byte and the rest, for answers that start with one.
pub fn status_and_data(data: &[u8]) -> Result<(ErrorCode, &[u8]), AnswerError> {
    match data {
        [status, rest @ ..] => Ok((ErrorCode::from_status(*status), rest)),
        [] => Err(AnswerError::Truncated),
    }
}

/// InListPassiveTarget's answer: the target number of the card found, if any.
pub fn listed_target(data: &[u8]) -> Result<Option<u8>, AnswerError> {
    match data {
        [0, ..] => Ok(None),
        [_, tg, ..] => Ok(Some(*tg)),
        _ => Err(AnswerError::Truncated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pn532::frame::{Decoded, Decoder, encode_command};

    fn wire(cmd: &[u8]) -> heapless::Vec<u8, 300> {
        let mut out = [0u8; 300];
        let n = encode_command(cmd, &mut out).unwrap();
        heapless::Vec::from_slice(&out[..n]).unwrap()
    }

    #[test]
    fn commands_on_the_wire() {
        // §7.2.10: SAMConfiguration normal mode.
        assert_eq!(wire(&SAM_CONFIGURATION), [0, 0, 0xFF, 5, 0xFB, 0xD4, 0x14, 0x01, 0x14, 0x01, 0x02, 0]);
        // §7.3.5: InListPassiveTarget, 1 target, Type B 106 kbps, AFI 0.
        assert_eq!(wire(&LIST_TYPE_B), [0, 0, 0xFF, 5, 0xFB, 0xD4, 0x4A, 0x01, 0x03, 0x00, 0xDE, 0]);
        // §7.3.11: InRelease all.
        assert_eq!(wire(&RELEASE_ALL), [0, 0, 0xFF, 3, 0xFD, 0xD4, 0x52, 0x00, 0xDA, 0]);
        // §7.3.8: InDataExchange Tg 1 with SELECT FILE (00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01).
        let select = [0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
        let mut cmd = [0u8; 32];
        let n = data_exchange(1, &select, &mut cmd).unwrap();
        let w = wire(&cmd[..n]);
        assert_eq!(&w[..8], [0, 0, 0xFF, 18, 0xEE, 0xD4, 0x40, 0x01]);
        let mut d = Decoder::new();
        let got: heapless::Vec<_, 2> = w.iter().filter_map(|&b| d.push(b)).collect();
        assert_eq!(got, [Ok(Decoded::Info)]);
        assert_eq!(&d.info()[3..], select);
    }

    #[test]
    fn answers_are_matched_to_their_command() {
        assert_eq!(answer(Command::InDataExchange, &[0xD5, 0x41, 0x00, 0x90, 0x00]), Ok(&[0x00, 0x90, 0x00][..]));
        assert_eq!(answer(Command::InDataExchange, &[0xD5, 0x4B, 0x00]), Err(AnswerError::NotTheAnswer));
        assert_eq!(answer(Command::InDataExchange, &[0xD5]), Err(AnswerError::Truncated));
        assert_eq!(status_and_data(&[0x2B]), Ok((ErrorCode::CardDisappeared, &[][..])));
        assert_eq!(status_and_data(&[0x41, 1]), Ok((ErrorCode::Timeout, &[1][..])));
        assert!(ErrorCode::from_status(0x01).card_gone() && !ErrorCode::from_status(0x02).card_gone());
        assert_eq!(listed_target(&[0x00]), Ok(None));
        assert_eq!(listed_target(&[0x01, 0x01, 0x50]), Ok(Some(1)));
        assert_eq!(listed_target(&[]), Err(AnswerError::Truncated));
    }
}
