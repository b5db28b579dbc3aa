//! The peer side of the bring-up check: sends a date challenge, verifies the
//! board's answer with its own calendar code, returns a verdict.

use crate::cli::RunArgs;
use chrono::{Datelike, NaiveDate};
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
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

/// Outcome of one peer conversation.
#[derive(Debug, PartialEq, Eq)]
pub enum PeerState {
    /// Waiting for the board's next message.
    Running,
    /// The board answered; `ok` says whether it was right.
    Done {
        /// Whether the answer matched.
        ok: bool,
    },
}

/// Protocol state of the peer: reacts to each message from the board.
#[derive(Debug, Default)]
pub struct SmokePeer {
    seq: u8,
    last_board_seq: Option<u8>,
}

impl SmokePeer {
    /// Handles one decoded frame; returns the replies to send and the state.
    pub fn on_message(&mut self, seq: u8, message: Message) -> Result<(Vec<u8>, PeerState), String> {
        if self.last_board_seq == Some(seq) {
            // A duplicate of the last frame: already answered.
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
                let ok = answer == want;
                if ok {
                    println!("peer: answer {answer:?} is right");
                } else {
                    println!("peer: WRONG answer\n  got:  {answer:?}\n  want: {want:?}");
                }
                Ok((self.frame(&Message::SmokeVerdict { ok })?, PeerState::Done { ok }))
            }
            other => Err(format!("unexpected message from board: {other:?}")),
        }
    }

    fn frame(&mut self, message: &Message) -> Result<Vec<u8>, String> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire).map_err(|e| e.to_string())?;
        self.seq = self.seq.wrapping_add(1);
        Ok(wire[..n].to_vec())
    }
}

/// Runs the bring-up check against the firmware in this process, through
/// the same wire encoding a board uses.
pub fn run_in_process(args: &RunArgs) -> Result<(), String> {
    if !args.paths.is_empty() {
        return Err("scenario files are not supported yet; run without paths for the built-in smoke check".into());
    }
    let mut peer = SmokePeer::default();
    let mut to_peer = FrameReader::new();
    let mut to_board = FrameReader::new();
    let mut wire = [0u8; MAX_WIRE_FRAME];
    let hello = Message::Hello {
        board: "host-sim".try_into().unwrap_or_default(),
        firmware: firmware::VERSION.try_into().unwrap_or_default(),
    };
    let n = encode_message(0, &hello, &mut wire).map_err(|e| e.to_string())?;
    let mut outgoing = wire[..n].to_vec();
    let mut board_seq = 1u8;
    loop {
        let mut replies = Vec::new();
        for byte in outgoing.drain(..) {
            if let Some(frame) = to_peer.push(byte) {
                let (seq, message) = frame.map_err(|e| e.to_string())?;
                let (bytes, state) = peer.on_message(seq, message)?;
                replies.extend(bytes);
                if let PeerState::Done { ok } = state {
                    if !ok {
                        return Err("smoke check failed".into());
                    }
                    println!("smoke: 1 passed, 0 failed");
                    return Ok(());
                }
            }
        }
        for byte in replies {
            if let Some(frame) = to_board.push(byte) {
                let (_, message) = frame.map_err(|e| e.to_string())?;
                if let Message::SmokeChallenge(c) = message {
                    let answer = Message::SmokeAnswer(firmware::smoke::answer(&c));
                    let n = encode_message(board_seq, &answer, &mut wire).map_err(|e| e.to_string())?;
                    board_seq = board_seq.wrapping_add(1);
                    outgoing.extend_from_slice(&wire[..n]);
                }
            }
        }
        if outgoing.is_empty() {
            return Err("conversation stalled".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firmware_answer_matches_independent_calendar() {
        assert_eq!(Some(firmware::smoke::answer(&CHALLENGE)), expected(&CHALLENGE));
    }

    #[test]
    fn wrong_answer_gets_a_failing_verdict() {
        let mut peer = SmokePeer::default();
        let mut bad = expected(&CHALLENGE).unwrap();
        bad.weekday = (bad.weekday + 1) % 7;
        let (_, state) = peer.on_message(1, Message::SmokeAnswer(bad)).unwrap();
        assert_eq!(state, PeerState::Done { ok: false });
    }
}
