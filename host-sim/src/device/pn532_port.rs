//! The virtual PN532 on its own thread: a real PN532 answers within
//! milliseconds whatever the host is doing, and the board's driver gives up
//! after 100 ms without an ACK. The thread can be held back briefly (while
//! a screendump is taken) so that no answer changes the screen meanwhile.

use crate::virtual_card::VirtualCard;
use crate::virtual_pn532::{FaultAim, Pn532Fault, VirtualPn532};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

struct Shared {
    pn532: VirtualPn532,
    writer: Box<dyn Write + Send>,
}

/// The virtual PN532 serving a board's UART1 socket.
pub struct Pn532Port {
    shared: Arc<Mutex<Shared>>,
    hold: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    closed: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn write_all(stream: &mut dyn Write, bytes: &[u8]) -> std::io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}

impl Pn532Port {
    /// Serves `stream` with a fresh virtual PN532.
    pub fn start(stream: TcpStream) -> Result<Self, String> {
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        stream.set_read_timeout(Some(Duration::from_millis(5))).map_err(|e| e.to_string())?;
        let writer = stream.try_clone().map_err(|e| e.to_string())?;
        Ok(Self::over(Box::new(stream), Box::new(writer)))
    }

    /// Serves a serial port (a USB-UART adapter on the board's PN532 UART).
    pub fn serial(port: Box<dyn serialport::SerialPort>) -> Result<Self, String> {
        let mut reader = port.try_clone().map_err(|e| format!("PN532 serial port: {e}"))?;
        reader.set_timeout(Duration::from_millis(5)).map_err(|e| format!("PN532 serial port: {e}"))?;
        Ok(Self::over(Box::new(reader), Box::new(port)))
    }

    /// Serves any byte stream; `reader` must time out every few ms (so that
    /// the thread sees a stop).
    pub fn over(reader: Box<dyn Read + Send>, writer: Box<dyn Write + Send>) -> Self {
        let stream = reader;
        let shared = Arc::new(Mutex::new(Shared { pn532: VirtualPn532::new(), writer }));
        let (hold, stop, closed) =
            (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
        let (s, h, st, c) = (Arc::clone(&shared), Arc::clone(&hold), Arc::clone(&stop), Arc::clone(&closed));
        let thread = std::thread::spawn(move || serve(stream, &s, &h, &st, &c));
        Self { shared, hold, stop, closed, thread: Some(thread) }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // A panic while holding the lock cannot leave the PN532 half-updated
        // in a way that matters more than the panic itself: take it anyway.
        self.shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Puts `card` in the field (and sends a waiting InListPassiveTarget's answer).
    pub fn place_card(&self, card: VirtualCard) -> Result<(), String> {
        let mut g = self.lock();
        let out = g.pn532.place_card(card);
        write_all(&mut g.writer, &out).map_err(|e| format!("PN532 socket: {e}"))
    }

    /// Takes the card out of the field.
    pub fn remove_card(&self) -> Option<VirtualCard> {
        self.lock().pn532.remove_card()
    }

    /// Arms a fault.
    pub fn arm(&self, fault: Pn532Fault, aim: FaultAim) {
        self.lock().pn532.arm(fault, aim);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.lock().pn532.clear_faults();
    }

    /// What the PN532 did since the last call.
    pub fn take_log(&self) -> Vec<String> {
        self.lock().pn532.take_log()
    }

    /// Holds back (`true`) or releases the PN532's processing of new bytes.
    pub fn hold(&self, on: bool) {
        self.hold.store(on, Ordering::SeqCst);
    }

    /// Whether the board closed its UART1 socket.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}

impl Drop for Pn532Port {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    mut stream: Box<dyn Read + Send>,
    shared: &Mutex<Shared>,
    hold: &AtomicBool,
    stop: &AtomicBool,
    closed: &AtomicBool,
) {
    let mut buf = [0u8; 512];
    while !stop.load(Ordering::SeqCst) {
        let n = match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => break,
        };
        while hold.load(Ordering::SeqCst) && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(1));
        }
        let mut g = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let out = g.pn532.receive(&buf[..n]);
        if write_all(&mut g.writer, &out).is_err() {
            break;
        }
    }
    closed.store(true, Ordering::SeqCst);
}
