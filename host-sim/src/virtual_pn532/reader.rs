//! The virtual PN532: HSU bytes from the board in, bytes for the board out.
//!
//! Behaviour (UM0701-02 unless marked *virtual*):
//!
//! - It starts in LowVbat (power-down) mode and drops every byte until the
//!   HSU wake-up byte `0x55` (§6.3.2.3, the host sends `55 55 00 00 00 ..`).
//! - A well-formed command frame is ACKed, then answered. A damaged frame
//!   (length or data checksum) is not ACKed: the host times out and sends
//!   again. A NACK from the host gets the last answer again; an ACK from the
//!   host aborts a command still waiting (§6.2.1.3).
//! - Unsupported commands and bad parameters get the syntax error frame.
//!   *Virtual*: so do InListPassiveTarget, InDataExchange and InRelease
//!   before a SAMConfiguration, which the manual requires first.
//! - InListPassiveTarget at 106 kbps type B (BrTy 3, AFI 0) lists the card
//!   in the field as target 1: `D5 4B 01 01 <ATQB, 12 bytes> 01 00`
//!   (ATTRIB_RES of one byte, 0). With no card it waits for one when
//!   MxRtyPassiveActivation is 0xFF (the default, §7.3.1), else answers
//!   `D5 4B 00` at once. *Virtual*: other modulations never find a target
//!   (the My Number card is type B only), nor does an AFI other than 0.
//! - InDataExchange to target 1 passes the APDU to the card and answers
//!   `D5 41 00 <response>`; a card that left the field gives status 0x01
//!   (time out); another target number status 0x27.
//! - Diagnose 0x06 (card presence, §7.2.1) answers `D5 01 00` while the
//!   listed card is in the field, `D5 01 01` (time out) once it left, and
//!   `D5 01 27` with no target listed. *Virtual*: other tests get the
//!   syntax error frame.
//! - InRelease of target 0 or 1 releases the card (it is powered afresh
//!   for the next listing).
//! - Armed [`Pn532Fault`]s ([`FaultAim`]) replace answers: to chosen
//!   InDataExchange commands, or to every command until cleared.

use super::command::{BRTY_106_TYPE_B, CFG_MAX_RETRIES, Command, IN_DATA_EXCHANGE, MAX_DATA_OUT};
use super::fault::Pn532Fault;
use super::frame::{ACK, ERROR_FRAME, Frame, FrameParser, TFI_HOST, TFI_PN532, encode_info};
use super::{STATUS_CARD_DISAPPEARED, STATUS_NOT_IN_CONTEXT, STATUS_OK, STATUS_TIMEOUT};
use crate::virtual_card::VirtualCard;

/// The HSU wake-up byte.
pub const WAKE_UP: u8 = 0x55;
/// What GetFirmwareVersion answers: IC PN532, version 1.6, supporting
/// ISO 14443 type A and B and ISO 18092 (UM0701-02 §7.2.2).
pub const FIRMWARE_VERSION: [u8; 4] = [0x32, 0x01, 0x06, 0x07];

/// The ATQB a card answers a REQB with (ISO/IEC 14443-3 §7.9): `50`, the
/// 4-byte PUPI, 4 bytes of application data, 3 bytes of protocol info.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Atqb(pub [u8; 12]);

impl Atqb {
    /// The virtual card's ATQB with this PUPI: application data 0 (AFI 0,
    /// no CRC_B(AID)), protocol info `00 81 71` (106 kbps only, frames up to
    /// 256 bytes, ISO/IEC 14443-4 compliant, FWI 7, CID supported).
    pub fn with_pupi(pupi: [u8; 4]) -> Self {
        let mut atqb = [0u8; 12];
        atqb[0] = 0x50;
        atqb[1..5].copy_from_slice(&pupi);
        atqb[9..12].copy_from_slice(&[0x00, 0x81, 0x71]);
        Self(atqb)
    }
}

/// Which commands an armed fault replaces the answer of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAim {
    /// `times` InDataExchange commands in a row, after letting `skip` of
    /// them through (counted from when the fault is armed).
    DataExchange {
        /// Exchanges answered normally first.
        skip: u32,
        /// Exchanges that get the fault.
        times: u32,
    },
    /// Every command from now on, until [`VirtualPn532::clear_faults`]
    /// (status faults answer commands with a status byte: InDataExchange
    /// and Diagnose; the others are answered normally).
    EveryCommand,
}

struct Armed {
    fault: Pn532Fault,
    /// First and last exchange number hit; `None`: every command.
    exchanges: Option<(u32, u32)>,
}

struct Placed {
    card: VirtualCard,
    atqb: Atqb,
}

/// A PN532 with (maybe) a card in its field.
pub struct VirtualPn532 {
    parser: FrameParser,
    awake: bool,
    dropped_asleep: usize,
    sam_configured: bool,
    passive_retries: u8,
    field: Option<Placed>,
    placements: u32,
    listed: bool,
    waiting_list: bool,
    chained: Vec<u8>,
    last_answer: Option<Vec<u8>>,
    exchanges: u32,
    armed: Vec<Armed>,
    log: Vec<String>,
    /// State of the noise generator (xorshift64; deterministic).
    noise: u64,
}

impl Default for VirtualPn532 {
    fn default() -> Self {
        Self::new()
    }
}

impl VirtualPn532 {
    /// A PN532 just powered on (LowVbat, waiting for the wake-up), with an
    /// empty field.
    pub fn new() -> Self {
        Self {
            parser: FrameParser::new(),
            awake: false,
            dropped_asleep: 0,
            sam_configured: false,
            passive_retries: 0xFF,
            field: None,
            placements: 0,
            listed: false,
            waiting_list: false,
            chained: Vec::new(),
            last_answer: None,
            exchanges: 0,
            armed: Vec::new(),
            log: Vec::new(),
            noise: 0x2545_F491_4F6C_DD1D,
        }
    }

    /// Whether the wake-up byte arrived.
    pub fn is_awake(&self) -> bool {
        self.awake
    }

    /// Whether SAMConfiguration was received.
    pub fn is_configured(&self) -> bool {
        self.sam_configured
    }

    /// Whether a card is listed as target 1.
    pub fn target_active(&self) -> bool {
        self.listed
    }

    /// Whether an InListPassiveTarget waits for a card.
    pub fn is_waiting_for_card(&self) -> bool {
        self.waiting_list
    }

    /// The card in the field.
    pub fn card(&self) -> Option<&VirtualCard> {
        self.field.as_ref().map(|p| &p.card)
    }

    /// InDataExchange commands received so far.
    pub fn exchanges(&self) -> u32 {
        self.exchanges
    }

    /// Takes what happened since the last call, one line each (command
    /// names, sizes and status bytes; never exchanged data).
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }

    /// Puts `card` in the field (replacing any card there). Returns bytes
    /// for the board: the answer of an InListPassiveTarget that waited.
    pub fn place_card(&mut self, card: VirtualCard) -> Vec<u8> {
        self.placements += 1;
        let [a, b] = (self.placements as u16).to_be_bytes();
        let atqb = Atqb::with_pupi([0x4A, 0x50, a, b]);
        self.field = Some(Placed { card, atqb });
        self.listed = false;
        self.log.push("card placed in the field".into());
        if self.waiting_list {
            self.waiting_list = false;
            let answer = self.list_answer();
            return self.answer(answer);
        }
        Vec::new()
    }

    /// Takes the card out of the field.
    pub fn remove_card(&mut self) -> Option<VirtualCard> {
        let placed = self.field.take()?;
        self.log.push("card removed from the field".into());
        Some(placed.card)
    }

    /// Arms `fault` for the commands `aim` names. Faults armed earlier win
    /// where they overlap.
    pub fn arm(&mut self, fault: Pn532Fault, aim: FaultAim) {
        let exchanges = match aim {
            FaultAim::DataExchange { times: 0, .. } => return,
            FaultAim::DataExchange { skip, times } => {
                let first = self.exchanges.saturating_add(skip).saturating_add(1);
                Some((first, first.saturating_add(times - 1)))
            }
            FaultAim::EveryCommand => None,
        };
        self.armed.push(Armed { fault, exchanges });
    }

    /// Disarms every fault.
    pub fn clear_faults(&mut self) {
        self.armed.clear();
    }

    /// The fault for this command, if one is armed (counts InDataExchange).
    fn fault_for(&mut self, code: u8) -> Option<Pn532Fault> {
        if code == IN_DATA_EXCHANGE {
            self.exchanges += 1;
        }
        let n = self.exchanges;
        let hit = self.armed.iter().find(|a| match a.exchanges {
            None => true,
            Some((first, last)) => code == IN_DATA_EXCHANGE && (first..=last).contains(&n),
        })?;
        let fault = hit.fault;
        self.armed.retain(|a| a.exchanges.is_none_or(|(_, last)| last > n));
        Some(fault)
    }

    /// Bytes from the board; returns the bytes to send back.
    pub fn receive(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &byte in bytes {
            if !self.awake {
                if byte == WAKE_UP {
                    self.awake = true;
                    self.log.push(format!("woke up (0x55) after {} bytes ignored in LowVbat", self.dropped_asleep));
                } else {
                    self.dropped_asleep += 1;
                }
                continue;
            }
            match self.parser.push(byte) {
                None => {}
                Some(Err(e)) => self.log.push(format!("frame ignored, no ACK: {e}")),
                Some(Ok(frame)) => out.extend(self.on_frame(frame)),
            }
        }
        out
    }

    fn on_frame(&mut self, frame: Frame) -> Vec<u8> {
        match frame {
            Frame::Ack => {
                if self.waiting_list {
                    self.waiting_list = false;
                    self.log.push("ACK from the host: InListPassiveTarget aborted".into());
                }
                Vec::new()
            }
            Frame::Nack => match self.last_answer.clone() {
                Some(frame) => {
                    self.log.push("NACK from the host: last answer sent again".into());
                    frame
                }
                None => {
                    self.log.push("NACK from the host with no answer to repeat: ignored".into());
                    Vec::new()
                }
            },
            Frame::Error => {
                self.log.push("error frame from the host: ignored".into());
                Vec::new()
            }
            Frame::Info { tfi, .. } if tfi != TFI_HOST => {
                self.log.push(format!("frame with TFI 0x{tfi:02X} (not the host's 0xD4): ignored, no ACK"));
                Vec::new()
            }
            Frame::Info { data, .. } => {
                // A new command supersedes one still waiting for a card.
                self.waiting_list = false;
                self.on_command(&data)
            }
        }
    }

    fn on_command(&mut self, data: &[u8]) -> Vec<u8> {
        let command = match Command::parse(data) {
            Ok(c) => c,
            Err(e) => {
                self.log.push(format!("syntax error frame: {e}"));
                return self.ack_then(ERROR_FRAME.to_vec());
            }
        };
        let fault = self.fault_for(command.code());
        if let Some(fault) = fault {
            self.log.push(format!("fault {fault} played on {command:?}"));
        }
        let status_fault = fault.and_then(Pn532Fault::status);
        match fault {
            Some(Pn532Fault::NoAck) => return Vec::new(),
            Some(Pn532Fault::NoAnswer) => return ACK.to_vec(),
            Some(Pn532Fault::SyntaxError) => return self.ack_then(ERROR_FRAME.to_vec()),
            Some(Pn532Fault::Noise) => return self.noise_bytes(),
            _ => {}
        }
        let mut out = self.execute(command, status_fault);
        if fault == Some(Pn532Fault::BadChecksum) && out.len() > ACK.len() {
            // The frame ends `DCS 00`: spoil the DCS of what is sent only
            // (a NACK gets the frame as remembered).
            let dcs = out.len() - 2;
            out[dcs] = out[dcs].wrapping_add(1);
        }
        out
    }

    /// 1 to 64 bytes of line noise.
    fn noise_bytes(&mut self) -> Vec<u8> {
        let mut next = || {
            self.noise ^= self.noise << 13;
            self.noise ^= self.noise >> 7;
            self.noise ^= self.noise << 17;
            self.noise
        };
        let len = 1 + (next() % 64) as usize;
        (0..len).map(|_| next() as u8).collect()
    }

    /// Executes a parsed command; `status_fault` replaces the status byte
    /// of InDataExchange and Diagnose.
    fn execute(&mut self, command: Command, status_fault: Option<u8>) -> Vec<u8> {
        let needs_sam = matches!(
            command,
            Command::InListPassiveTarget { .. }
                | Command::InDataExchange { .. }
                | Command::InRelease { .. }
                | Command::Diagnose { .. }
        );
        if needs_sam && !self.sam_configured {
            self.log.push(format!("syntax error frame: {command:?} before SAMConfiguration"));
            return self.ack_then(ERROR_FRAME.to_vec());
        }
        match command {
            Command::Diagnose { .. } => {
                let status = status_fault.unwrap_or(match (self.listed, self.field.as_ref()) {
                    (false, _) => STATUS_NOT_IN_CONTEXT,
                    (true, Some(placed)) if placed.card.is_present() => STATUS_OK,
                    (true, _) => STATUS_TIMEOUT,
                });
                if status_fault == Some(STATUS_CARD_DISAPPEARED) {
                    self.listed = false;
                }
                self.ack_answer(vec![0x01, status])
            }
            Command::GetFirmwareVersion => {
                let mut a = vec![0x03];
                a.extend(FIRMWARE_VERSION);
                self.ack_answer(a)
            }
            Command::SamConfiguration { mode } => {
                self.sam_configured = true;
                self.log.push(format!("SAMConfiguration mode {mode}"));
                self.ack_answer(vec![0x15])
            }
            Command::RfConfiguration { item, data } => {
                if item == CFG_MAX_RETRIES
                    && let Some(&passive) = data.get(2)
                {
                    self.passive_retries = passive;
                }
                self.ack_answer(vec![0x33])
            }
            Command::InListPassiveTarget { modulation, initiator, .. } => {
                if modulation == BRTY_106_TYPE_B && initiator.is_empty() {
                    self.log.push("syntax error frame: InListPassiveTarget type B without AFI".into());
                    return self.ack_then(ERROR_FRAME.to_vec());
                }
                let finds = modulation == BRTY_106_TYPE_B && initiator[0] == 0x00;
                if finds && self.field.as_ref().is_some_and(|p| p.card.is_present()) {
                    let a = self.list_answer();
                    self.ack_answer(a)
                } else if self.passive_retries == 0xFF {
                    self.waiting_list = finds;
                    self.log.push("InListPassiveTarget: no card, waiting (MxRtyPassiveActivation 0xFF)".into());
                    ACK.to_vec()
                } else {
                    self.listed = false;
                    self.ack_answer(vec![0x4B, 0x00])
                }
            }
            Command::InDataExchange { target, data } => match status_fault {
                Some(status) => {
                    if status == STATUS_CARD_DISAPPEARED {
                        self.listed = false;
                    }
                    self.chained.clear();
                    self.ack_answer(vec![0x41, status])
                }
                None => {
                    let answer = self.exchange_answer(target, &data);
                    self.ack_answer(answer)
                }
            },
            Command::InRelease { target } => {
                let status = match target {
                    0 | 1 => {
                        if self.listed
                            && let Some(placed) = self.field.as_mut()
                            && placed.card.is_present()
                        {
                            placed.card.reinsert();
                        }
                        self.listed = false;
                        STATUS_OK
                    }
                    _ => STATUS_NOT_IN_CONTEXT,
                };
                self.ack_answer(vec![0x53, status])
            }
        }
    }

    /// The InListPassiveTarget answer listing the card in the field.
    fn list_answer(&mut self) -> Vec<u8> {
        let Some(placed) = self.field.as_ref() else { return vec![0x4B, 0x00] };
        self.listed = true;
        let mut a = vec![0x4B, 0x01, 0x01];
        a.extend(placed.atqb.0);
        a.extend([0x01, 0x00]);
        self.log.push("InListPassiveTarget: card listed as target 1".into());
        a
    }

    /// `D5 41 status [data]` for one exchange with target `target`.
    fn exchange_answer(&mut self, target: u8, data: &[u8]) -> Vec<u8> {
        let more = target & 0x40 != 0;
        if target & 0x3F != 1 || !self.listed {
            self.chained.clear();
            self.log.push(format!("InDataExchange: target {} is not listed: status 0x27", target & 0x3F));
            return vec![0x41, STATUS_NOT_IN_CONTEXT];
        }
        self.chained.extend_from_slice(data);
        if more {
            return vec![0x41, STATUS_OK];
        }
        let apdu = std::mem::take(&mut self.chained);
        let reply = match self.field.as_mut() {
            Some(placed) => placed.card.transmit(&apdu).ok(),
            None => None,
        };
        match reply {
            Some(response) if response.len() <= MAX_DATA_OUT => {
                self.log.push(format!("InDataExchange: {} bytes to the card, {} back", apdu.len(), response.len()));
                let mut a = vec![0x41, STATUS_OK];
                a.extend(response);
                a
            }
            Some(response) => {
                self.log.push(format!("InDataExchange: card answered {} bytes, too long: status 0x01", response.len()));
                vec![0x41, STATUS_TIMEOUT]
            }
            None => {
                self.log.push("InDataExchange: no card answers: status 0x01 (time out)".into());
                vec![0x41, STATUS_TIMEOUT]
            }
        }
    }

    /// ACK, then the answer frame `D5 <answer>` (remembered for a NACK).
    fn ack_answer(&mut self, answer: Vec<u8>) -> Vec<u8> {
        let frame = encode_info(TFI_PN532, &answer).unwrap_or_else(|| ERROR_FRAME.to_vec());
        self.ack_then(frame)
    }

    fn ack_then(&mut self, frame: Vec<u8>) -> Vec<u8> {
        self.last_answer = Some(frame.clone());
        let mut out = ACK.to_vec();
        out.extend(frame);
        out
    }

    /// An answer with no ACK before it (a waiting command completing).
    fn answer(&mut self, answer: Vec<u8>) -> Vec<u8> {
        let frame = encode_info(TFI_PN532, &answer).unwrap_or_else(|| ERROR_FRAME.to_vec());
        self.last_answer = Some(frame.clone());
        frame
    }
}
