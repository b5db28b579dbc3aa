//! The peer side of a board session: the bring-up date check, then the
//! decision corpus (the board's digests must equal this host's), then an
//! optional timed benchmark.

use chrono::{Datelike, NaiveDate};
use firmware::corpus::CASES;
use firmware::link::{MAX_WIRE_FRAME, Message, encode_message};
use firmware::rules::{DecisionDigest, Policy, decide};
use firmware::smoke::{SmokeAnswer, SmokeChallenge, Ymd};

/// The challenge every board gets: crosses a leap day and a year end.
pub const CHALLENGE: SmokeChallenge = SmokeChallenge { date: Ymd { year: 2024, month: 2, day: 28 }, add_days: 642 };

/// The expected answer, computed here without the firmware's code.
pub fn expected(challenge: &SmokeChallenge) -> Option<SmokeAnswer> {
    let Ymd { year, month, day } = challenge.date;
    let start = NaiveDate::from_ymd_opt(year, month.into(), day.into())?;
    let end = start + chrono::Duration::days(challenge.add_days.into());
    let cap = NaiveDate::from_ymd_opt(2025, 12, 1)?;
    Some(SmokeAnswer {
        date: Some(Ymd { year: end.year(), month: end.month() as u8, day: end.day() as u8 }),
        weekday: end.weekday().num_days_from_monday() as u8,
        days_to_old_card_cap: cap.signed_duration_since(start).num_days(),
    })
}

/// Whether the session goes on.
#[derive(Debug, PartialEq, Eq)]
pub enum PeerState {
    /// Waiting for the board's next message.
    Running,
    /// Checks passed so far; the caller now plays scenarios with the board
    /// (and ends the session with `Done` itself).
    Scenarios,
    /// The session ended; `ok` is the verdict.
    Done {
        /// Whether everything checked was right.
        ok: bool,
    },
}

/// Timed passes the board reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchReport {
    /// Decisions made.
    pub decisions: u32,
    /// SysTick ticks spent in `decide`.
    pub ticks: u64,
    /// SysTick ticks of 1,000,000 instructions.
    pub calibration_ticks: u64,
}

/// Protocol state of the peer.
#[derive(Debug)]
pub struct BoardPeer {
    seq: u8,
    last_board_seq: Option<u8>,
    bench_rounds: Option<u16>,
    scenarios: bool,
    received: Vec<Option<DecisionDigest>>,
    mismatches: Vec<String>,
    /// The benchmark result, once reported.
    pub bench: Option<BenchReport>,
}

impl BoardPeer {
    /// A peer that runs the corpus, and `bench_rounds` timed passes if set.
    pub fn new(bench_rounds: Option<u16>) -> Self {
        Self {
            seq: 0,
            last_board_seq: None,
            bench_rounds,
            scenarios: false,
            received: vec![None; CASES.len()],
            mismatches: Vec::new(),
            bench: None,
        }
    }

    /// After the corpus (and the benchmark), hand over to scenario play
    /// instead of ending the session.
    pub fn then_scenarios(mut self) -> Self {
        self.scenarios = true;
        self
    }

    /// This side's link sequence number (shared with whoever uses the link next).
    pub fn link_seq(&mut self) -> &mut u8 {
        &mut self.seq
    }

    /// The `Done` frame that ends a session with this verdict.
    pub fn done_frame(&mut self, ok: bool) -> Result<Vec<u8>, String> {
        self.frame(&Message::Done { ok })
    }

    fn end_or_continue(&mut self, ok: bool) -> Result<(Vec<u8>, PeerState), String> {
        if ok && self.scenarios {
            Ok((Vec::new(), PeerState::Scenarios))
        } else {
            Ok((self.frame(&Message::Done { ok })?, PeerState::Done { ok }))
        }
    }

    /// Handles one decoded frame; returns the bytes to send and the state.
    pub fn on_message(&mut self, seq: u8, message: Message) -> Result<(Vec<u8>, PeerState), String> {
        if self.last_board_seq == Some(seq) {
            // A duplicate of the last frame: already handled.
            return Ok((Vec::new(), PeerState::Running));
        }
        self.last_board_seq = Some(seq);
        match message {
            Message::Hello { board, firmware } => {
                println!("peer: board {board} (firmware {firmware}) says hello");
                println!(
                    "peer: challenge {:04}-{:02}-{:02} + {} days",
                    CHALLENGE.date.year, CHALLENGE.date.month, CHALLENGE.date.day, CHALLENGE.add_days
                );
                Ok((self.frame(&Message::SmokeChallenge(CHALLENGE))?, PeerState::Running))
            }
            Message::SmokeAnswer(answer) => {
                let want = expected(&CHALLENGE).ok_or("challenge date is impossible")?;
                if answer != want {
                    println!("peer: WRONG answer\n  got:  {answer:?}\n  want: {want:?}");
                    let mut out = self.frame(&Message::SmokeVerdict { ok: false })?;
                    out.extend(self.frame(&Message::Done { ok: false })?);
                    return Ok((out, PeerState::Done { ok: false }));
                }
                println!("peer: answer {answer:?} is right");
                let mut out = self.frame(&Message::SmokeVerdict { ok: true })?;
                out.extend(self.frame(&Message::RunCorpus)?);
                Ok((out, PeerState::Running))
            }
            Message::CaseResult { index, digest } => {
                self.on_case(usize::from(index), digest);
                Ok((Vec::new(), PeerState::Running))
            }
            Message::CorpusDone { count } => {
                let ok = self.corpus_verdict(usize::from(count));
                match self.bench_rounds.filter(|_| ok) {
                    Some(rounds) => Ok((self.frame(&Message::BenchRequest { rounds })?, PeerState::Running)),
                    None => self.end_or_continue(ok),
                }
            }
            Message::BenchResult { decisions, ticks, calibration_ticks } => {
                println!("bench: decisions={decisions} ticks={ticks} calibration_ticks={calibration_ticks}");
                self.bench = Some(BenchReport { decisions, ticks, calibration_ticks });
                self.end_or_continue(decisions > 0)
            }
            other => Err(format!("unexpected message from board: {other:?}")),
        }
    }

    fn on_case(&mut self, index: usize, got: DecisionDigest) {
        let Some(case) = CASES.get(index) else {
            self.mismatches.push(format!("board sent case #{index}, the corpus has {}", CASES.len()));
            return;
        };
        let policy = Policy::national();
        let want = decide(&(case.visit)(), &policy).digest(&policy);
        if got != want {
            self.mismatches.push(format!("case {} (#{index}):\n  host:  {want:?}\n  board: {got:?}", case.name));
        }
        self.received[index] = Some(got);
    }

    fn corpus_verdict(&mut self, count: usize) -> bool {
        let missing = self.received.iter().filter(|r| r.is_none()).count();
        if count != CASES.len() || missing > 0 {
            self.mismatches.push(format!("board decided {count} cases, {missing} of {} missing", CASES.len()));
        }
        if self.mismatches.is_empty() {
            println!("corpus: {} cases, board and host decisions identical", CASES.len());
            true
        } else {
            println!("corpus: {} DISAGREEMENTS between board and host", self.mismatches.len());
            for m in &self.mismatches {
                println!("  {m}");
            }
            false
        }
    }

    fn frame(&mut self, message: &Message) -> Result<Vec<u8>, String> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire).map_err(|e| e.to_string())?;
        self.seq = self.seq.wrapping_add(1);
        Ok(wire[..n].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmware::link::FrameReader;

    fn decode(bytes: &[u8]) -> Vec<Message> {
        let mut r = FrameReader::new();
        bytes.iter().filter_map(|&b| r.push(b)).map(|f| f.unwrap().1).collect()
    }

    #[test]
    fn firmware_answer_matches_independent_calendar() {
        assert_eq!(Some(firmware::smoke::answer(&CHALLENGE)), expected(&CHALLENGE));
    }

    #[test]
    fn wrong_answer_ends_the_session_failed() {
        let mut peer = BoardPeer::new(None);
        let mut bad = expected(&CHALLENGE).unwrap();
        bad.weekday = (bad.weekday + 1) % 7;
        let (out, state) = peer.on_message(1, Message::SmokeAnswer(bad)).unwrap();
        assert_eq!(state, PeerState::Done { ok: false });
        assert_eq!(decode(&out), vec![Message::SmokeVerdict { ok: false }, Message::Done { ok: false }]);
    }

    fn run_corpus(peer: &mut BoardPeer, tamper: Option<usize>) -> (Vec<Message>, PeerState) {
        let policy = Policy::national();
        for (i, case) in CASES.iter().enumerate() {
            let mut digest = decide(&(case.visit)(), &policy).digest(&policy);
            if tamper == Some(i) {
                digest.deciding = digest.deciding.wrapping_add(1);
            }
            peer.on_message(i as u8, Message::CaseResult { index: i as u16, digest }).unwrap();
        }
        let (out, state) = peer.on_message(250, Message::CorpusDone { count: CASES.len() as u16 }).unwrap();
        (decode(&out), state)
    }

    #[test]
    fn identical_corpus_passes_and_one_changed_digest_fails() {
        let (msgs, state) = run_corpus(&mut BoardPeer::new(None), None);
        assert_eq!((msgs, state), (vec![Message::Done { ok: true }], PeerState::Done { ok: true }));
        let (msgs, state) = run_corpus(&mut BoardPeer::new(None), Some(3));
        assert_eq!((msgs, state), (vec![Message::Done { ok: false }], PeerState::Done { ok: false }));
    }

    #[test]
    fn bench_is_requested_after_a_clean_corpus() {
        let mut peer = BoardPeer::new(Some(5));
        let (msgs, state) = run_corpus(&mut peer, None);
        assert_eq!((msgs, state), (vec![Message::BenchRequest { rounds: 5 }], PeerState::Running));
        let (_, state) =
            peer.on_message(251, Message::BenchResult { decisions: 500, ticks: 123, calibration_ticks: 456 }).unwrap();
        assert_eq!(state, PeerState::Done { ok: true });
        assert_eq!(peer.bench, Some(BenchReport { decisions: 500, ticks: 123, calibration_ticks: 456 }));
    }
}
