//! The reception log survives power cuts: 10,000 appends on a NOR flash
//! model whose power is cut after 1, 2, 3, ... bytes written since the last
//! start (each position in turn, up to a little more than one append's
//! writes, then again from 1). After each restart every record whose append
//! returned `Ok` reads back intact and in order (unless the full queue made
//! room by dropping the oldest, by design), no torn record is ever returned,
//! and appending resumes.
//!
//! The model: 4 pages of 1 KiB, 4-byte words; a write clears bits byte by
//! byte (NOR) and the cut stops it in the middle; an erase is atomic and
//! counts as one position. Figures: `cargo test -p firmware --features
//! reception-log --test log_power_loss -- --nocapture`.
#![cfg(feature = "reception-log")]

use chrono::NaiveDate;
use embedded_storage::nor_flash::{
    ErrorType, MultiwriteNorFlash, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash,
};
use firmware::log::ReceptionLog;
use firmware::reception::{LogEvent, LogRecord, Millis};
use firmware::rules::policy::NATIONAL;
use firmware::rules::{Basis, Outcome};

const PAGE: usize = 1024;
const PAGES: usize = 4;
const APPENDS: usize = 10_000;
/// Positions cut at in turn: 1..=CUT_CYCLE bytes after the start.
const CUT_CYCLE: usize = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NorError {
    PowerCut,
    OutOfBounds,
    Unaligned,
}

impl NorFlashError for NorError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::PowerCut => NorFlashErrorKind::Other,
            Self::OutOfBounds => NorFlashErrorKind::OutOfBounds,
            Self::Unaligned => NorFlashErrorKind::NotAligned,
        }
    }
}

/// NOR flash in RAM; the power goes after `budget` bytes written (and
/// erases, one each).
struct Nor {
    mem: Vec<u8>,
    budget: usize,
    dead: bool,
}

impl Nor {
    fn spend(&mut self) -> Result<(), NorError> {
        if self.dead || self.budget == 0 {
            self.dead = true;
            return Err(NorError::PowerCut);
        }
        self.budget -= 1;
        Ok(())
    }
}

impl ErrorType for Nor {
    type Error = NorError;
}

impl ReadNorFlash for Nor {
    const READ_SIZE: usize = 1;
    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), NorError> {
        if self.dead {
            return Err(NorError::PowerCut);
        }
        let start = offset as usize;
        let src = self.mem.get(start..start + bytes.len()).ok_or(NorError::OutOfBounds)?;
        bytes.copy_from_slice(src);
        Ok(())
    }
    fn capacity(&self) -> usize {
        self.mem.len()
    }
}

impl NorFlash for Nor {
    const WRITE_SIZE: usize = 4;
    const ERASE_SIZE: usize = PAGE;
    fn erase(&mut self, from: u32, to: u32) -> Result<(), NorError> {
        let (from, to) = (from as usize, to as usize);
        if !from.is_multiple_of(PAGE) || !to.is_multiple_of(PAGE) {
            return Err(NorError::Unaligned);
        }
        if to > self.mem.len() {
            return Err(NorError::OutOfBounds);
        }
        self.spend()?;
        self.mem[from..to].fill(0xFF);
        Ok(())
    }
    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), NorError> {
        let start = offset as usize;
        if !start.is_multiple_of(4) || !bytes.len().is_multiple_of(4) {
            return Err(NorError::Unaligned);
        }
        if start + bytes.len() > self.mem.len() {
            return Err(NorError::OutOfBounds);
        }
        for (i, b) in bytes.iter().enumerate() {
            self.spend()?;
            self.mem[start + i] &= *b;
        }
        Ok(())
    }
}

impl MultiwriteNorFlash for Nor {}

/// The visit date of the `seq`th record: 30 records a day from 2026-01-01.
fn day(seq: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(seq / 30)
}

fn record(seq: u64) -> LogRecord {
    let event = match seq % 4 {
        0 => LogEvent::CardPlaced,
        1 => LogEvent::QuerySent { id: (seq % 65_000) as u16, attempt: 1 },
        2 => {
            let rule = NATIONAL[seq as usize % NATIONAL.len()].id;
            LogEvent::Decided {
                outcome: Outcome::Accepted,
                basis: Some(Basis::Online),
                rule,
                phone: false,
                again: false,
            }
        }
        _ => LogEvent::Cancelled,
    };
    LogRecord { at: Millis(seq), date: day(seq), event }
}

fn read_all(log: &mut ReceptionLog<Nor>) -> Vec<LogRecord> {
    let mut out = Vec::new();
    log.for_each(|r| out.push(r)).expect("the log reads back after a restart");
    out
}

#[test]
fn appends_survive_a_power_cut_at_every_position() {
    let start = std::time::Instant::now();
    let mut mem = vec![0xFFu8; PAGE * PAGES];
    let range = 0..(PAGE * PAGES) as u32;
    // Records whose append returned Ok (or that were found complete after a cut), in order.
    let mut committed: Vec<u64> = Vec::new();
    let mut in_flight: Option<u64> = None;
    let (mut attempts, mut oks, mut cuts, mut in_flight_kept, mut min_kept) =
        (0usize, 0usize, 0usize, 0usize, usize::MAX);
    let mut next = 0u64;
    let mut cut_at = 1usize;
    while attempts < APPENDS {
        let flash = Nor { mem: std::mem::take(&mut mem), budget: cut_at, dead: false };
        let mut log = ReceptionLog::new(flash, range.clone()).expect("valid range");
        // After the restart (no bytes written by reading).
        let got: Vec<u64> = read_all(&mut log).iter().map(|r| r.at.0).collect();
        for (i, r) in read_all(&mut log).iter().enumerate() {
            assert_eq!(*r, record(got[i]), "a record read back changed");
        }
        if let Some(seq) = in_flight.take()
            && got.last() == Some(&seq)
        {
            committed.push(seq);
            in_flight_kept += 1;
        }
        // What survived is the newest records, in order, ending with the last committed.
        assert!(
            committed.ends_with(&got),
            "read back {got:?}, committed ends {:?}",
            &committed[committed.len().saturating_sub(got.len() + 2)..]
        );
        if !committed.is_empty() {
            assert!(!got.is_empty(), "every record lost after cut {cuts}");
        }
        if committed.len() >= 1_000 {
            min_kept = min_kept.min(got.len());
        }
        // Append until the power goes.
        loop {
            let seq = next;
            next += 1;
            attempts += 1;
            match log.append(&record(seq)) {
                Ok(()) => {
                    committed.push(seq);
                    oks += 1;
                }
                Err(_) => {
                    in_flight = Some(seq);
                    cuts += 1;
                    break;
                }
            }
            if attempts >= APPENDS {
                break;
            }
        }
        mem = log.release().mem;
        cut_at = cut_at % CUT_CYCLE + 1;
    }
    // A last start without a cut: appending resumes.
    let flash = Nor { mem, budget: usize::MAX, dead: false };
    let mut log = ReceptionLog::new(flash, range).expect("valid range");
    log.append(&record(next)).expect("appending resumes");
    let got: Vec<u64> = read_all(&mut log).iter().map(|r| r.at.0).collect();
    assert_eq!(got.last(), Some(&next));
    println!(
        "power-loss: {attempts} appends, {oks} Ok, {cuts} power cuts (positions 1..={CUT_CYCLE} bytes after start, in turn), \
         {in_flight_kept} interrupted appends found complete, at least {min_kept} records kept after every restart once 1000 were committed, \
         no torn record, {:.1} s",
        start.elapsed().as_secs_f64()
    );
}
