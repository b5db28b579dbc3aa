//! One board in device mode: the link on one socket or serial port (online
//! service, clerk PC, camera), the virtual PN532 on another (or none, for a
//! board with its own PN532), polled without blocking.
//! Contract: `docs/boards/device-link.md`.

use super::pn532_port::Pn532Port;
use crate::virtual_service::{Outgoing, VirtualService};
use firmware::domain::{Facility, NetworkState, ReaderState};
use firmware::link::{FrameReader, MAX_WIRE_FRAME, Message, encode_message};
use firmware::reception::{Millis, Now, State, WireAction, WireEvent};
use firmware::ui::Screen;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Instant;

/// Something the board reported.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardEvent {
    /// The board said hello and was started in device mode.
    Started {
        /// Its name.
        board: String,
    },
    /// The OLED now shows this screen.
    Screen {
        /// Screens drawn before it since the start.
        seq: u32,
        /// What was drawn.
        screen: Screen,
    },
    /// The terminal's or the reader's state changed.
    State {
        /// The terminal.
        state: State,
        /// The card reader.
        reader: ReaderState,
    },
    /// The visit was decided.
    Decided,
    /// The link or the reader socket closed (the board stopped).
    Closed,
}

/// A non-blocking byte stream to a board: reads and writes that would wait
/// fail with `WouldBlock`.
pub trait Wire: Read + Write + Send {}
impl<T: Read + Write + Send> Wire for T {}

/// A serial port as a [`Wire`]: its timeouts are `WouldBlock` (open it with
/// a zero timeout for the link, a few ms for the PN532 thread).
pub struct SerialWire(pub Box<dyn serialport::SerialPort>);

fn would_block(e: std::io::Error) -> std::io::Error {
    if e.kind() == ErrorKind::TimedOut { ErrorKind::WouldBlock.into() } else { e }
}

impl Read for SerialWire {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf).map_err(would_block)
    }
}

impl Write for SerialWire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(would_block)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(would_block)
    }
}

/// The host side of one device-mode board.
pub struct DeviceSession {
    link: Box<dyn Wire>,
    /// The virtual PN532 on the board's UART1 (served on its own thread).
    /// (None when the board reads cards with its own PN532.)
    pub pn532: Option<Pn532Port>,
    /// The online service.
    pub service: VirtualService,
    /// Whether the line to the service is up (queries are lost when not).
    pub network_up: bool,
    facility: Facility,
    date: chrono::NaiveDate,
    start: Instant,
    from_board: FrameReader,
    unread: Vec<u8>,
    seq: u8,
    pending: Vec<Outgoing>,
    /// The last screen the board reported.
    pub screen: Option<Screen>,
    /// The last state the board reported.
    pub state: Option<State>,
    /// Decisions the board reported.
    pub decisions: u32,
    /// Lines for the operator (what happened; no personal data).
    pub log: Vec<String>,
    /// Log records the board reported it could not store in its own flash
    /// (`Message::LogFailed`; each one reached this side all the same).
    pub unsaved_on_board: u32,
    /// Where the board's log records go (`serve --log FILE`).
    log_file: Option<crate::reception_log::LogFile>,
}

fn nonblocking(s: &TcpStream) -> Result<(), String> {
    s.set_nonblocking(true).map_err(|e| e.to_string())?;
    s.set_nodelay(true).map_err(|e| e.to_string())
}

impl DeviceSession {
    /// Appends every log record the board sends to the reception log file
    /// at `path` (created erased when missing); a record that cannot be
    /// appended ends the session with an error naming the file.
    pub fn log_to(&mut self, path: &std::path::Path) -> Result<(), String> {
        self.log_file = Some(crate::reception_log::LogFile::open(path)?);
        Ok(())
    }

    /// A session over the two accepted sockets.
    pub fn new(
        link: TcpStream,
        pn532_stream: TcpStream,
        service: VirtualService,
        facility: Facility,
        date: chrono::NaiveDate,
    ) -> Result<Self, String> {
        nonblocking(&link)?;
        let pn532 = Pn532Port::start(pn532_stream)?;
        Ok(Self::over(Box::new(link), Some(pn532), service, facility, date))
    }

    /// A session over any non-blocking link; without `pn532`, the board
    /// reads cards with its own PN532 (a real reader on the desk).
    pub fn over(
        link: Box<dyn Wire>,
        pn532: Option<Pn532Port>,
        service: VirtualService,
        facility: Facility,
        date: chrono::NaiveDate,
    ) -> Self {
        Self {
            link,
            pn532,
            service,
            network_up: facility.network == NetworkState::Up,
            facility,
            date,
            start: Instant::now(),
            from_board: FrameReader::new(),
            unread: Vec::new(),
            seq: 0,
            pending: Vec::new(),
            screen: None,
            state: None,
            decisions: 0,
            log: Vec::new(),
            log_file: None,
            unsaved_on_board: 0,
        }
    }

    /// Whether this side plays the board's card reader (the virtual PN532).
    pub fn plays_reader(&self) -> bool {
        self.pn532.is_some()
    }

    /// The virtual PN532, or why there is none.
    pub fn reader(&self) -> Result<&Pn532Port, String> {
        self.pn532
            .as_ref()
            .ok_or_else(|| "this board reads cards with its own PN532: there is no virtual reader".into())
    }

    /// Holds back the virtual PN532 (if this side plays it), see [`Pn532Port::hold`].
    pub fn hold_reader(&self, on: bool) {
        if let Some(p) = &self.pn532 {
            p.hold(on);
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn send(&mut self, message: &Message) -> Result<(), String> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire).map_err(|e| e.to_string())?;
        self.seq = self.seq.wrapping_add(1);
        write_all(&mut *self.link, &wire[..n]).map_err(|e| format!("link: {e}"))
    }

    /// Sends a peripheral event (camera, clerk PC, network switch).
    pub fn peripheral(&mut self, event: WireEvent) -> Result<(), String> {
        if let WireEvent::Equipment { network, .. } = &event {
            self.network_up = *network == NetworkState::Up;
        }
        self.send(&Message::Peripheral(event))
    }

    /// Ends the session: the board exits with `ok`.
    pub fn done(&mut self, ok: bool) -> Result<(), String> {
        self.send(&Message::Done { ok })
    }

    /// One round without blocking: link messages (stopping at a screen, so
    /// the caller can take its picture before anything else reaches the
    /// board), then due service replies. The PN532 answers on its own thread.
    pub fn poll(&mut self) -> Result<Vec<BoardEvent>, String> {
        let mut events = Vec::new();
        let mut buf = [0u8; 1024];
        if self.unread.is_empty() {
            match self.link.read(&mut buf) {
                Ok(0) => return Ok(vec![BoardEvent::Closed]),
                Ok(n) => self.unread.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => return Err(format!("link: {e}")),
            }
        }
        let mut used = 0;
        for i in 0..self.unread.len() {
            used = i + 1;
            let Some(frame) = self.from_board.push(self.unread[i]) else { continue };
            match frame {
                Err(e) => self.log.push(format!("link: dropped a bad frame from the board: {e}")),
                Ok((_, message)) => {
                    if let Some(event) = self.on_message(message)? {
                        let stop = matches!(event, BoardEvent::Screen { .. });
                        events.push(event);
                        if stop {
                            break;
                        }
                    }
                }
            }
        }
        self.unread.drain(..used);
        if events.iter().any(|e| matches!(e, BoardEvent::Screen { .. })) {
            return Ok(events);
        }
        let now = self.now_ms();
        let due: Vec<Outgoing> = self.pending.iter().filter(|o| o.at_ms <= now).cloned().collect();
        self.pending.retain(|o| o.at_ms > now);
        for o in due {
            self.deliver_reply(&o.bytes)?;
        }
        let Some(pn532) = self.pn532.as_ref() else { return Ok(events) };
        self.log.extend(pn532.take_log().into_iter().map(|l| format!("pn532: {l}")));
        if pn532.is_closed() {
            events.push(BoardEvent::Closed);
        }
        Ok(events)
    }

    /// A reply frame from the service: re-numbered into this side's link
    /// sequence when it decodes, passed on as it is when it was garbled on
    /// purpose.
    fn deliver_reply(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut reader = FrameReader::new();
        let decoded: Vec<_> = bytes.iter().filter_map(|&b| reader.push(b)).collect();
        match decoded.as_slice() {
            [Ok((_, message))] => {
                self.log.push("service: reply sent".into());
                self.send(&message.clone())
            }
            _ => {
                self.log.push("service: damaged reply frame sent".into());
                write_all(&mut *self.link, bytes).map_err(|e| format!("link: {e}"))
            }
        }
    }

    fn on_message(&mut self, message: Message) -> Result<Option<BoardEvent>, String> {
        Ok(match message {
            Message::Hello { board, firmware } => {
                self.log.push(format!("board {board} (firmware {firmware}) says hello: starting device mode"));
                let now = Now { ms: Millis(self.now_ms()), date: self.date };
                self.send(&Message::StartDevice { facility: self.facility, now })?;
                Some(BoardEvent::Started { board: board.to_string() })
            }
            Message::Query(query) => {
                if self.network_up {
                    let now = self.now_ms();
                    let out = self.service.on_query(&query, now);
                    if let Some(line) = self.service.transcript().last() {
                        self.log.push(format!("service: {line}"));
                    }
                    self.pending.extend(out);
                } else {
                    self.log.push(format!("service: query {} lost (network off)", query.id));
                }
                None
            }
            Message::ScreenShown { seq, screen } => {
                self.screen = Some(screen);
                Some(BoardEvent::Screen { seq, screen })
            }
            Message::DeviceState { state, reader } => {
                self.state = Some(state);
                Some(BoardEvent::State { state, reader })
            }
            Message::TerminalAction(WireAction::Decided(_)) => {
                self.decisions += 1;
                Some(BoardEvent::Decided)
            }
            Message::TerminalAction(WireAction::Log(record)) => {
                if let Some(file) = self.log_file.as_mut() {
                    file.append(&record)?;
                }
                None
            }
            Message::TerminalAction(_) => None,
            Message::LogFailed { unsaved } => {
                self.log.push(format!(
                    "board: {unsaved} log record(s) not stored in its own flash since the start (this side got them)"
                ));
                self.unsaved_on_board = unsaved;
                None
            }
            other => {
                self.log.push(format!("link: unexpected {} from the board, ignored", other.kind()));
                None
            }
        })
    }
}

/// Writes everything to a non-blocking socket.
fn write_all(stream: &mut dyn Wire, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        match stream.write(bytes) {
            Ok(0) => return Err(std::io::Error::new(ErrorKind::WriteZero, "closed")),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(std::time::Duration::from_millis(1)),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::cards::{self, ReadyCard};
    use crate::device::serve::{accept, listen};
    use firmware::domain::FacilityKind;
    use firmware::link::{EligibilityQuery, QueryBy};
    use std::time::Duration;

    fn frames(stream: &mut TcpStream, reader: &mut FrameReader, want: usize) -> Vec<Message> {
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 512];
        while out.len() < want {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "closed");
            out.extend(buf[..n].iter().filter_map(|&b| reader.push(b)).map(|f| f.unwrap().1));
        }
        out
    }

    fn send(stream: &mut TcpStream, seq: u8, m: &Message) {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(seq, m, &mut wire).unwrap();
        stream.write_all(&wire[..n]).unwrap();
    }

    fn poll_until(s: &mut DeviceSession, mut done: impl FnMut(&BoardEvent) -> bool) -> Vec<BoardEvent> {
        let mut all = Vec::new();
        for _ in 0..2000 {
            let events = s.poll().unwrap();
            let hit = events.iter().any(&mut done);
            all.extend(events);
            if hit {
                return all;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        panic!("no such event; got {all:?}");
    }

    /// A fake board on both sockets: hello, a PN532 wake-up, a query, a screen.
    #[test]
    fn serves_a_device_board_on_two_sockets() {
        let (link_l, pn_l) = (listen("127.0.0.1:0").unwrap(), listen("127.0.0.1:0").unwrap());
        let mut board_link = TcpStream::connect(link_l.local_addr().unwrap()).unwrap();
        let mut board_pn = TcpStream::connect(pn_l.local_addr().unwrap()).unwrap();
        let link = accept(&link_l, "link", Duration::from_secs(5)).unwrap();
        let pn = accept(&pn_l, "PN532", Duration::from_secs(5)).unwrap();
        let facility = Facility {
            kind: FacilityKind::Clinic,
            online_capable: true,
            reader: ReaderState::Working,
            network: NetworkState::Up,
            phone_reader: false,
        };
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut s = DeviceSession::new(link, pn, cards::service().unwrap(), facility, date).unwrap();
        let mut reader = FrameReader::new();

        let hello = Message::Hello { board: "fake".try_into().unwrap(), firmware: "0".try_into().unwrap() };
        send(&mut board_link, 0, &hello);
        poll_until(&mut s, |e| matches!(e, BoardEvent::Started { .. }));
        let got = frames(&mut board_link, &mut reader, 1);
        assert!(matches!(got[0], Message::StartDevice { facility: f, now } if f == facility && now.date == date));

        // UART1: wake-up + SAMConfiguration reaches the virtual PN532.
        let mut wake = vec![0x55, 0x55, 0, 0, 0];
        wake.extend([0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00]);
        board_pn.write_all(&wake).unwrap();
        board_pn.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
        let mut got = Vec::new();
        for _ in 0..400 {
            let mut buf = [0u8; 64];
            if let Ok(n) = board_pn.read(&mut buf) {
                got.extend_from_slice(&buf[..n]);
            }
            if got.len() >= 15 {
                break;
            }
        }
        assert_eq!(got, [0, 0, 0xFF, 0, 0xFF, 0, 0, 0, 0xFF, 0x02, 0xFE, 0xD5, 0x15, 0x16, 0x00]);

        // A query by the valid card's serial gets a reply; a screen is reported.
        let serial = heapless::Vec::from_slice(&[0x3D, 0x45, 0x4D, 0x4F, 0x00, ReadyCard::Valid as u8 + 1]).unwrap();
        let query = EligibilityQuery { id: 7, date, by: QueryBy::CardSerial(serial) };
        send(&mut board_link, 1, &Message::Query(query));
        send(&mut board_link, 2, &Message::ScreenShown { seq: 1, screen: firmware::ui::Screen::ReadingCard });
        poll_until(&mut s, |e| matches!(e, BoardEvent::Screen { seq: 1, .. }));
        for _ in 0..3000 {
            s.poll().unwrap();
            std::thread::sleep(Duration::from_millis(1));
            if s.log.iter().any(|l| l == "service: reply sent") {
                break;
            }
        }
        let got = frames(&mut board_link, &mut reader, 1);
        let Message::Reply(reply) = &got[0] else { panic!("{got:?}") };
        assert_eq!(reply.id, 7);

        // Network off: the next query is lost.
        s.peripheral(WireEvent::Equipment { reader: ReaderState::Working, network: NetworkState::Down }).unwrap();
        assert!(matches!(frames(&mut board_link, &mut reader, 1)[0], Message::Peripheral(WireEvent::Equipment { .. })));
        drop(board_link);
        poll_until(&mut s, |e| *e == BoardEvent::Closed);
    }
}
