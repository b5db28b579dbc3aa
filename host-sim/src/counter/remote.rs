//! The terminal on a board: events and card answers go out as link frames,
//! the board's actions come back, each batch ending with `TerminalIdle`.

use super::port::{HostAction, Port, PortError};
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::reception::{Event, Millis, Now, State, TerminalConfig, WireAction, WireEvent};
use firmware::rules::Policy;
use std::io::{Read, Write};

/// A byte stream to a board.
pub trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// A terminal running on a board, reached over `stream`.
pub struct RemotePort<'a> {
    stream: &'a mut dyn Stream,
    reader: &'a mut FrameReader,
    seq: &'a mut u8,
    config: TerminalConfig,
    state: State,
    next_timeout: Option<Millis>,
}

impl<'a> RemotePort<'a> {
    /// A session with the board's terminal set up as `config`; `reader` and
    /// `seq` carry over from the link's earlier use.
    pub fn new(
        stream: &'a mut dyn Stream,
        reader: &'a mut FrameReader,
        seq: &'a mut u8,
        config: TerminalConfig,
    ) -> Self {
        Self { stream, reader, seq, config, state: State::Idle, next_timeout: None }
    }

    fn send(&mut self, message: &Message) -> Result<(), PortError> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(*self.seq, message, &mut wire).map_err(|e| PortError::Protocol(e.to_string()))?;
        *self.seq = self.seq.wrapping_add(1);
        self.stream.write_all(&wire[..n]).map_err(|e| PortError::Io(e.to_string()))
    }

    /// Reads the board's actions up to its `TerminalIdle`.
    fn collect(&mut self) -> Result<Vec<HostAction>, PortError> {
        let policy = Policy::national();
        let mut out = Vec::new();
        let mut buf = [0u8; 256];
        loop {
            let n = self.stream.read(&mut buf).map_err(|e| PortError::Io(e.to_string()))?;
            if n == 0 {
                return Err(PortError::Io("the board closed the link".into()));
            }
            for &byte in &buf[..n] {
                let Some(frame) = self.reader.push(byte) else { continue };
                let (_, message) = frame.map_err(|e| PortError::Protocol(format!("bad frame from the board: {e}")))?;
                match message {
                    Message::TerminalAction(a) => out.push(match a {
                        WireAction::Apdu(bytes) => HostAction::Apdu(bytes.to_vec()),
                        WireAction::Show(s) => HostAction::Show(s),
                        WireAction::Query(q) => HostAction::Query(q),
                        WireAction::Log(r) => HostAction::Log(r),
                        WireAction::Beep(b) => HostAction::Beep(b),
                        WireAction::Decided(d) => HostAction::Decided(
                            d.to_decision(&policy)
                                .ok_or_else(|| PortError::Protocol("decision with unknown rules".into()))?,
                        ),
                    }),
                    Message::TerminalIdle { state, next_timeout } => {
                        self.state = state;
                        self.next_timeout = next_timeout.map(Millis);
                        return Ok(out);
                    }
                    other => return Err(PortError::Protocol(format!("unexpected message {other:?}"))),
                }
            }
        }
    }
}

impl Port for RemotePort<'_> {
    fn start(&mut self, now: Now) -> Result<Vec<HostAction>, PortError> {
        self.send(&Message::StartTerminal { config: self.config, now })?;
        self.collect()
    }

    fn handle(&mut self, now: Now, event: Event<'_>) -> Result<Vec<HostAction>, PortError> {
        let message = match event {
            Event::CardResponse(bytes) => Message::CardResponse {
                now,
                bytes: heapless::Vec::from_slice(bytes)
                    .map_err(|_| PortError::Protocol(format!("card response of {} bytes", bytes.len())))?,
            },
            Event::OnlineReply(reply) => Message::DeliverReply { now, reply: reply.clone() },
            other => Message::TerminalEvent {
                now,
                event: WireEvent::from_event(&other)
                    .ok_or_else(|| PortError::Protocol(format!("{other:?} does not fit a frame")))?,
            },
        };
        self.send(&message)?;
        self.collect()
    }

    fn poll_timeout(&self) -> Option<Millis> {
        self.next_timeout
    }

    fn state(&self) -> State {
        self.state
    }

    fn dropped_actions(&self) -> u32 {
        0
    }
}
