//! The service itself, without I/O: bytes or queries in, wire frames out,
//! each with the virtual time it is due, so tests and the simulator own the
//! clock.

use super::db::{CardLookup, CoverageDb};
use super::faults::{FaultPlan, Garble, Picker};
use firmware::domain::{QueryKey, Validity};
use firmware::link::{
    EligibilityQuery, EligibilityReply, FrameReader, LinkError, MAX_WIRE_FRAME, Message, QueryBy, ServiceError,
    encode_message,
};
use std::fmt;

/// Wire bytes to deliver to the terminal at a virtual time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// When to deliver, in ms of the caller's clock.
    pub at_ms: u64,
    /// One whole (or deliberately damaged) frame, delimiter included.
    pub bytes: Vec<u8>,
}

/// What the service decided for one query (no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The database answered with this validity.
    Answered(Validity),
    /// The card is not registered for insurance use (sent as "not found", 4).
    CardNotRegistered,
    /// An error answer from the fault plan.
    Error(ServiceError),
    /// No reply: outage.
    NoReply,
    /// The reply could not be encoded (a bug); nothing was sent.
    EncodeFailed(LinkError),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Answered(v) => {
                let word = match v {
                    Validity::Valid => "valid",
                    Validity::Invalid => "invalid",
                    Validity::InvalidNewerExists => "invalid, newer coverage",
                    Validity::NotFound => "not found",
                    Validity::Multiple => "multiple",
                    Validity::PublicAssistance => "public assistance",
                };
                write!(f, "validity {} ({word})", v.code())
            }
            Self::CardNotRegistered => f.write_str("validity 4 (card not registered for insurance use)"),
            Self::Error(e) => write!(f, "error ({e})"),
            Self::NoReply => f.write_str("no reply (outage)"),
            Self::EncodeFailed(e) => write!(f, "reply not sent: {e}"),
        }
    }
}

/// A fault the plan applied to one query's reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliedFault {
    /// No reply at all.
    Outage,
    /// An error answer replaced the database's.
    Error(ServiceError),
    /// Byte `at` of the frame was changed.
    Corrupt {
        /// Index of the changed byte.
        at: usize,
    },
    /// Only `keep` bytes of the frame were sent, then a delimiter.
    Truncate {
        /// Bytes kept.
        keep: usize,
    },
    /// The frame was sent twice.
    Duplicate,
    /// The frame was not sent.
    Drop,
}

impl fmt::Display for AppliedFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Outage => f.write_str("outage"),
            Self::Error(e) => write!(f, "error answer ({e})"),
            Self::Corrupt { at } => write!(f, "corrupted byte {at}"),
            Self::Truncate { keep } => write!(f, "truncated to {keep} bytes"),
            Self::Duplicate => f.write_str("duplicated"),
            Self::Drop => f.write_str("dropped"),
        }
    }
}

/// One query as the transcript shows it: ids, key kind, outcome, faults;
/// never the patient's numbers, birth date or card serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLog {
    /// When the query arrived, in ms.
    pub at_ms: u64,
    /// 0-based count of queries received.
    pub number: u32,
    /// The terminal's query id.
    pub id: u16,
    /// How the terminal asked.
    pub key: QueryKey,
    /// What the service decided.
    pub outcome: Outcome,
    /// Faults applied, in order.
    pub faults: Vec<AppliedFault>,
    /// Sequence number of the reply frame, when one was built.
    pub seq: Option<u8>,
    /// When the reply is due, when one was built.
    pub reply_at_ms: Option<u64>,
}

/// One line of the service's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEntry {
    /// A query and what became of it.
    Query(QueryLog),
    /// A frame from the terminal that was rejected.
    BadFrame {
        /// When, in ms.
        at_ms: u64,
        /// Why.
        error: LinkError,
    },
    /// A well-formed message that is not a query, ignored.
    Ignored {
        /// When, in ms.
        at_ms: u64,
        /// Which kind of message.
        kind: &'static str,
    },
}

impl fmt::Display for LogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Query(q) => {
                let key = match q.key {
                    QueryKey::Card => "card",
                    QueryKey::Numbers => "numbers",
                };
                write!(f, "{} ms: service: query #{} id={} by {key}: {}", q.at_ms, q.number, q.id, q.outcome)?;
                for fault in &q.faults {
                    write!(f, "; {fault}")?;
                }
                if let (Some(seq), Some(at)) = (q.seq, q.reply_at_ms) {
                    write!(f, "; reply seq {seq} at {at} ms")?;
                }
                Ok(())
            }
            Self::BadFrame { at_ms, error } => {
                write!(f, "{at_ms} ms: service: bad frame from terminal ignored: {error}")
            }
            Self::Ignored { at_ms, kind } => write!(f, "{at_ms} ms: service: {kind} message ignored"),
        }
    }
}

/// The virtual online eligibility service: answers queries from its
/// database, with the faults of its plan.
#[derive(Debug)]
pub struct VirtualService {
    /// Coverage records the answers come from (may be changed between queries).
    pub db: CoverageDb,
    /// Faults to apply (may be changed between queries).
    pub faults: FaultPlan,
    seq: u8,
    queries: u32,
    bad_frames: u32,
    reader: FrameReader,
    /// The seed the picker was made from, and the picker.
    picker: Option<(u64, Picker)>,
    log: Vec<LogEntry>,
}

impl VirtualService {
    /// A service answering from `db` with `faults`.
    pub fn new(db: CoverageDb, faults: FaultPlan) -> Self {
        Self {
            db,
            faults,
            seq: 0,
            queries: 0,
            bad_frames: 0,
            reader: FrameReader::new(),
            picker: None,
            log: Vec::new(),
        }
    }

    /// Queries received so far.
    pub fn queries_received(&self) -> u32 {
        self.queries
    }

    /// Frames from the terminal rejected so far.
    pub fn bad_frames(&self) -> u32 {
        self.bad_frames
    }

    /// What happened so far.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    /// The log as transcript lines.
    pub fn transcript(&self) -> Vec<String> {
        self.log.iter().map(ToString::to_string).collect()
    }

    /// Feeds bytes from the terminal; returns the replies to the queries
    /// they completed. Bad frames are counted, logged and ignored, and so
    /// are messages other than queries.
    pub fn on_bytes(&mut self, bytes: &[u8], now_ms: u64) -> Vec<Outgoing> {
        let mut out = Vec::new();
        for &byte in bytes {
            match self.reader.push(byte) {
                None => {}
                Some(Err(error)) => {
                    self.bad_frames = self.bad_frames.saturating_add(1);
                    self.log.push(LogEntry::BadFrame { at_ms: now_ms, error });
                }
                Some(Ok((_seq, Message::Query(query)))) => out.extend(self.on_query(&query, now_ms)),
                Some(Ok((_seq, other))) => {
                    self.log.push(LogEntry::Ignored { at_ms: now_ms, kind: other.kind() });
                }
            }
        }
        out
    }

    /// Answers one query received at `now_ms`: the frames to deliver, with
    /// the plan's latency and damage applied (none for an outage).
    pub fn on_query(&mut self, query: &EligibilityQuery, now_ms: u64) -> Vec<Outgoing> {
        let number = self.queries;
        self.queries = self.queries.saturating_add(1);
        let key = match query.by {
            QueryBy::CardSerial(_) => QueryKey::Card,
            QueryBy::Numbers { .. } => QueryKey::Numbers,
        };
        let mut entry = QueryLog {
            at_ms: now_ms,
            number,
            id: query.id,
            key,
            outcome: Outcome::NoReply,
            faults: Vec::new(),
            seq: None,
            reply_at_ms: None,
        };
        if self.faults.is_outage(number) {
            entry.faults.push(AppliedFault::Outage);
            self.log.push(LogEntry::Query(entry));
            return Vec::new();
        }
        let result = match self.faults.error_for(number) {
            Some(error) => {
                entry.faults.push(AppliedFault::Error(error));
                entry.outcome = Outcome::Error(error);
                Err(error)
            }
            None => match self.db.lookup(query) {
                CardLookup::Answer(a) => {
                    entry.outcome = Outcome::Answered(a.validity);
                    Ok(a)
                }
                CardLookup::NotRegistered => {
                    entry.outcome = Outcome::CardNotRegistered;
                    Err(ServiceError::CardNotRegistered)
                }
            },
        };
        let seq = self.seq;
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let frame = match encode_message(seq, &Message::Reply(EligibilityReply { id: query.id, result }), &mut wire) {
            Ok(n) => wire[..n].to_vec(),
            Err(e) => {
                entry.outcome = Outcome::EncodeFailed(e);
                self.log.push(LogEntry::Query(entry));
                return Vec::new();
            }
        };
        self.seq = self.seq.wrapping_add(1);
        let at_ms = now_ms.saturating_add(self.faults.latency_for(number));
        entry.seq = Some(seq);
        entry.reply_at_ms = Some(at_ms);
        let out = match self.faults.garble_for(number) {
            None => vec![Outgoing { at_ms, bytes: frame }],
            Some(kind) => {
                let (applied, frames) = self.garble(kind, frame);
                entry.faults.push(applied);
                frames.into_iter().map(|bytes| Outgoing { at_ms, bytes }).collect()
            }
        };
        self.log.push(LogEntry::Query(entry));
        out
    }

    /// Applies `kind` to `frame` (a whole wire frame, delimiter last).
    fn garble(&mut self, kind: Garble, mut frame: Vec<u8>) -> (AppliedFault, Vec<Vec<u8>>) {
        // Bytes before the delimiter; a frame always has a few.
        let body = frame.len().saturating_sub(1).max(1);
        match kind {
            Garble::Corrupt { at } => {
                let at = at.map_or_else(|| self.pick(body).unwrap_or(body / 2), |i| i.min(body - 1));
                if let Some(b) = frame.get_mut(at) {
                    // Changed, never into the delimiter.
                    *b = if *b == 0xFF { 0x01 } else { b.wrapping_add(1).max(1) };
                }
                (AppliedFault::Corrupt { at }, vec![frame])
            }
            Garble::Truncate { keep } => {
                let keep = match keep {
                    Some(k) => k,
                    None => self.pick(body).unwrap_or(body / 2),
                };
                let keep = keep.clamp(1, body.saturating_sub(1).max(1));
                frame.truncate(keep);
                frame.push(0);
                (AppliedFault::Truncate { keep }, vec![frame])
            }
            Garble::Duplicate => (AppliedFault::Duplicate, vec![frame.clone(), frame]),
            Garble::Drop => (AppliedFault::Drop, Vec::new()),
        }
    }

    /// A seeded pick in `0..n`, if the plan has a seed (a new seed in the
    /// plan restarts the sequence).
    fn pick(&mut self, n: usize) -> Option<usize> {
        let seed = self.faults.seed?;
        let picker = match &mut self.picker {
            Some((s, p)) if *s == seed => p,
            slot => &mut slot.insert((seed, Picker::new(seed))).1,
        };
        Some(picker.below(n))
    }
}
