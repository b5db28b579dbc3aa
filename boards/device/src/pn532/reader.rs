//! The card reader: a PN532 driven by a state machine that is fed the time
//! and never waits.
//!
//! Bring-up (wake-up, SAMConfiguration, RFConfiguration), then polling for a
//! Type B card (InListPassiveTarget), APDU exchanges (InDataExchange),
//! presence checks while the card lies on the reader (Diagnose 0x06), and
//! release (InRelease) when it has gone. Every command has a deadline: a
//! missing ACK is re-sent once after a wake-up, a bad checksum is NACKed
//! once, anything else is a reader error. A card session ends in
//! [`ReaderEvent::CardRemoved`] whatever goes wrong; [`BROKEN_AFTER`]
//! errors in a row report the reader broken, one good answer reports it
//! working again. The sequence is in `docs/boards/device-link.md`.

use super::command::{self, Command, ErrorCode, MAX_APDU};
use super::frame::{Decoded, MAX_INFO};
use super::transport::Hsu;
use embedded_io::{Read, ReadReady, Write};
use firmware::reception::Millis;
use heapless::Deque;

/// Wait for the ACK after a command, ms.
pub const ACK_TIMEOUT_MS: u64 = 100;
/// Wait for the answer after the ACK, ms.
pub const RESPONSE_TIMEOUT_MS: u64 = 1_000;
/// Pause between two polls for a card, ms.
pub const POLL_INTERVAL_MS: u64 = 200;
/// Pause between two presence checks of a card on the reader, ms.
pub const PRESENCE_INTERVAL_MS: u64 = 250;
/// Pause before bringing a broken reader up again, ms.
pub const RECOVER_MS: u64 = 2_000;
/// Reader errors in a row that make the reader broken.
pub const BROKEN_AFTER: u8 = 3;
/// Longest card answer (256 data bytes and SW1 SW2).
pub const MAX_RESPONSE: usize = 258;

/// What the reader reports, for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReaderEvent<'a> {
    /// A card entered the field.
    CardPlaced,
    /// The card answered the last APDU (data and SW1 SW2).
    CardResponse(&'a [u8]),
    /// The card left, or the session with it failed.
    CardRemoved,
    /// The reader stopped answering ([`BROKEN_AFTER`] errors in a row).
    Broken,
    /// The reader answers again.
    Working,
}

/// The events without their data, as queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queued {
    CardPlaced,
    CardResponse,
    CardRemoved,
    Broken,
    Working,
}

/// The command in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Sam,
    RfConfig,
    List,
    Exchange,
    Presence,
    Release,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InFlight {
    step: Step,
    /// The ACK came.
    acked: bool,
    /// When the ACK or the answer is due.
    deadline: Millis,
    /// Sent a second time already.
    resent: bool,
    /// A NACK was sent for a garbled answer.
    nacked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Needs the wake-up and SAMConfiguration at this time.
    Down { at: Millis },
    /// Configured, no card: poll at this time.
    NoCard { poll_at: Millis },
    /// A card is active as target `tg`: check it is still there at this time.
    Card { tg: u8, check_at: Millis },
    /// Waiting for the PN532.
    Busy(InFlight),
}

/// The externally visible state, for tests and the board's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReaderStatus {
    /// Bringing the PN532 up (or waiting to try again).
    Starting,
    /// Polling for a card.
    Polling,
    /// A card is on the reader and idle.
    CardPresent,
    /// A command is in flight.
    Busy,
}

/// A PN532 reader of Type B cards over HSU.
#[derive(Debug)]
pub struct Reader<U> {
    hsu: Hsu<U>,
    phase: Phase,
    /// The active target, while a card is on the reader.
    tg: Option<u8>,
    /// The APDU waiting to be exchanged (zeroed when done).
    apdu: [u8; MAX_APDU],
    apdu_len: usize,
    apdu_pending: bool,
    /// The pending exchange was retried once after an odd status.
    exchange_retried: bool,
    response: [u8; MAX_RESPONSE],
    response_len: usize,
    errors: u8,
    broken: bool,
    queue: Deque<Queued, 4>,
}

impl<U: Read + ReadReady + Write> Reader<U> {
    /// A reader on `uart`; it starts the PN532 on the first
    /// [`poll`](Self::poll).
    pub fn new(uart: U) -> Self {
        Self {
            hsu: Hsu::new(uart),
            phase: Phase::Down { at: Millis(0) },
            tg: None,
            apdu: [0; MAX_APDU],
            apdu_len: 0,
            apdu_pending: false,
            exchange_retried: false,
            response: [0; MAX_RESPONSE],
            response_len: 0,
            errors: 0,
            broken: false,
            queue: Deque::new(),
        }
    }

    /// Where the reader is.
    pub fn status(&self) -> ReaderStatus {
        match self.phase {
            Phase::Down { .. } => ReaderStatus::Starting,
            Phase::NoCard { .. } => ReaderStatus::Polling,
            Phase::Card { .. } => ReaderStatus::CardPresent,
            Phase::Busy(_) => ReaderStatus::Busy,
        }
    }

    /// Whether the reader is broken.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Sends `apdu` to the card on the reader; the answer comes as
    /// [`ReaderEvent::CardResponse`]. Without a card (or with an APDU longer
    /// than [`MAX_APDU`]) the answer is [`ReaderEvent::CardRemoved`].
    /// The reader keeps no copy of the APDU once exchanged (a VERIFY holds
    /// the PIN).
    pub fn exchange(&mut self, apdu: &[u8]) {
        self.clear_apdu();
        let Some(slot) = self.apdu.get_mut(..apdu.len()) else {
            return self.card_lost();
        };
        if self.tg.is_none() {
            return self.card_lost();
        }
        slot.copy_from_slice(apdu);
        self.apdu_len = apdu.len();
        self.apdu_pending = true;
        self.exchange_retried = false;
    }

    /// Advances at time `now`: reads what the PN532 sent, sends the next
    /// command when one is due, and returns the next event, if any. Call
    /// it until it returns `None`.
    pub fn poll(&mut self, now: Millis) -> Option<ReaderEvent<'_>> {
        // A few steps at most: an ACK and the answer behind it, the next
        // command; stop as soon as something happened or nothing moves.
        for _ in 0..4 {
            if !self.queue.is_empty() {
                break;
            }
            let before = self.phase;
            self.advance(now);
            if self.phase == before {
                break;
            }
        }
        Some(match self.queue.pop_front()? {
            Queued::CardPlaced => ReaderEvent::CardPlaced,
            Queued::CardResponse => ReaderEvent::CardResponse(self.response.get(..self.response_len).unwrap_or(&[])),
            Queued::CardRemoved => ReaderEvent::CardRemoved,
            Queued::Broken => ReaderEvent::Broken,
            Queued::Working => ReaderEvent::Working,
        })
    }

    /// The UART back.
    pub fn release(self) -> U {
        self.hsu.release()
    }

    fn advance(&mut self, now: Millis) {
        match self.phase {
            Phase::Down { at } if now >= at => {
                if self.hsu.wake_up().is_err() {
                    return self.fault(now);
                }
                self.send(now, Step::Sam);
            }
            Phase::NoCard { poll_at } if now >= poll_at => self.send(now, Step::List),
            Phase::Card { .. } if self.apdu_pending => self.send(now, Step::Exchange),
            Phase::Card { check_at, .. } if now >= check_at => self.send(now, Step::Presence),
            Phase::Busy(flight) => self.wait(now, flight),
            _ => {}
        }
    }

    /// Sends the command of `step` and waits for its ACK.
    fn send(&mut self, now: Millis, step: Step) {
        let sent = match step {
            Step::Sam => self.hsu.send(&command::SAM_CONFIGURATION),
            Step::RfConfig => self.hsu.send(&command::RF_MAX_RETRIES),
            Step::List => self.hsu.send(&command::LIST_TYPE_B),
            Step::Presence => self.hsu.send(&command::PRESENCE_CHECK),
            Step::Release => self.hsu.send(&command::RELEASE_ALL),
            Step::Exchange => {
                let mut cmd = [0u8; MAX_APDU + 2];
                let tg = self.tg.unwrap_or(1);
                let apdu = self.apdu.get(..self.apdu_len).unwrap_or(&[]);
                let sent = match command::data_exchange(tg, apdu, &mut cmd) {
                    Some(n) => self.hsu.send(&cmd[..n]),
                    None => Ok(()),
                };
                cmd.fill(0);
                sent
            }
        };
        if sent.is_err() {
            return self.fault(now);
        }
        self.phase = Phase::Busy(InFlight {
            step,
            acked: false,
            deadline: now + ACK_TIMEOUT_MS as u32,
            resent: false,
            nacked: false,
        });
    }

    fn wait(&mut self, now: Millis, mut flight: InFlight) {
        let received = match self.hsu.poll() {
            Ok(r) => r,
            Err(_) => return self.fault(now),
        };
        match received {
            Some(Ok(Decoded::Ack)) if !flight.acked => {
                flight.acked = true;
                flight.deadline = now + RESPONSE_TIMEOUT_MS as u32;
                self.phase = Phase::Busy(flight);
            }
            Some(Ok(Decoded::Ack)) => {} // a stray duplicate
            Some(Ok(Decoded::Info)) => self.answered(now, flight.step),
            Some(Ok(Decoded::Nack)) if !flight.resent => self.resend(now, flight),
            Some(Ok(Decoded::Nack | Decoded::ErrorFrame)) => self.fault(now),
            Some(Err(_)) if flight.acked && !flight.nacked => {
                if self.hsu.send_nack().is_err() {
                    return self.fault(now);
                }
                flight.nacked = true;
                flight.deadline = now + RESPONSE_TIMEOUT_MS as u32;
                self.phase = Phase::Busy(flight);
            }
            Some(Err(_)) => self.fault(now),
            None if now > flight.deadline && !flight.acked && !flight.resent => {
                if self.hsu.wake_up().is_err() {
                    return self.fault(now);
                }
                self.resend(now, flight);
            }
            None if now > flight.deadline => self.fault(now),
            None => {}
        }
    }

    fn resend(&mut self, now: Millis, flight: InFlight) {
        self.send(now, flight.step);
        if let Phase::Busy(f) = &mut self.phase {
            f.resent = true;
        }
    }

    fn answered(&mut self, now: Millis, step: Step) {
        let cmd = match step {
            Step::Sam => Command::SamConfiguration,
            Step::RfConfig => Command::RfConfiguration,
            Step::List => Command::InListPassiveTarget,
            Step::Exchange => Command::InDataExchange,
            Step::Presence => Command::Diagnose,
            Step::Release => Command::InRelease,
        };
        let mut info = [0u8; MAX_INFO];
        let n = self.hsu.info().len().min(MAX_INFO);
        info[..n].copy_from_slice(self.hsu.info().get(..n).unwrap_or(&[]));
        let result = command::answer(cmd, &info[..n]);
        let data = match result {
            Ok(d) => d,
            Err(_) => return self.fault(now),
        };
        match step {
            Step::Sam => self.send(now, Step::RfConfig),
            Step::RfConfig => self.phase = Phase::NoCard { poll_at: now },
            Step::List => match command::listed_target(data) {
                Ok(None) => {
                    self.good();
                    self.phase = Phase::NoCard { poll_at: now + POLL_INTERVAL_MS as u32 };
                }
                Ok(Some(tg)) => {
                    self.good();
                    self.tg = Some(tg);
                    self.push(Queued::CardPlaced);
                    self.phase = Phase::Card { tg, check_at: now + PRESENCE_INTERVAL_MS as u32 };
                }
                Err(_) => self.fault(now),
            },
            Step::Exchange => match command::status_and_data(data) {
                Ok((ErrorCode::Ok, response)) => {
                    self.good();
                    self.clear_apdu();
                    let len = response.len().min(MAX_RESPONSE);
                    self.response[..len].copy_from_slice(response.get(..len).unwrap_or(&[]));
                    self.response_len = len;
                    self.push(Queued::CardResponse);
                    self.card_idle(now);
                }
                Ok((code, _)) if code.card_gone() || self.exchange_retried => {
                    self.good();
                    self.card_gone(now);
                }
                Ok(_) => {
                    // One retry of the same exchange (the APDU is still pending).
                    self.good();
                    self.exchange_retried = true;
                    self.card_idle(now);
                }
                Err(_) => self.fault(now),
            },
            Step::Presence => match command::status_and_data(data) {
                Ok((ErrorCode::Ok, _)) => {
                    self.good();
                    self.card_idle(now);
                }
                Ok(_) => {
                    self.good();
                    self.card_gone(now);
                }
                Err(_) => self.fault(now),
            },
            Step::Release => {
                self.good();
                self.phase = Phase::NoCard { poll_at: now + POLL_INTERVAL_MS as u32 };
            }
        }
        info.fill(0);
    }

    fn card_idle(&mut self, now: Millis) {
        let tg = self.tg.unwrap_or(1);
        self.phase = Phase::Card { tg, check_at: now + PRESENCE_INTERVAL_MS as u32 };
    }

    /// The card left: tell the terminal, release the target.
    fn card_gone(&mut self, now: Millis) {
        self.card_lost();
        self.send(now, Step::Release);
    }

    /// Ends the card session (if any) with `CardRemoved`.
    fn card_lost(&mut self) {
        self.clear_apdu();
        self.tg = None;
        self.push(Queued::CardRemoved);
    }

    /// A good answer: the error count starts again, a broken reader works.
    fn good(&mut self) {
        self.errors = 0;
        if self.broken {
            self.broken = false;
            self.push(Queued::Working);
        }
    }

    /// A reader error: the card session ends, the PN532 is brought up again.
    fn fault(&mut self, now: Millis) {
        if self.tg.is_some() || self.apdu_pending {
            self.card_lost();
        }
        self.errors = self.errors.saturating_add(1);
        if self.errors >= BROKEN_AFTER && !self.broken {
            self.broken = true;
            self.push(Queued::Broken);
        }
        let wait = if self.broken { RECOVER_MS } else { 0 };
        self.phase = Phase::Down { at: now + wait as u32 };
    }

    fn clear_apdu(&mut self) {
        self.apdu.fill(0);
        self.apdu_len = 0;
        self.apdu_pending = false;
    }

    fn push(&mut self, event: Queued) {
        if self.queue.push_back(event).is_err() {
            // Four slots hold any one advance's events; never reached. Keep
            // the newest rather than lose a removal.
            let _ = self.queue.pop_front();
            let _ = self.queue.push_back(event);
        }
    }

    /// Whether any byte of an APDU is still held (tests: a VERIFY leaves
    /// nothing behind).
    #[cfg(test)]
    fn holds_apdu_bytes(&self) -> bool {
        self.apdu.iter().any(|&b| b != 0)
    }
}

#[cfg(test)]
mod tests;
