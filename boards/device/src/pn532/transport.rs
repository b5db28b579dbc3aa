//! The PN532's HSU (high-speed UART) link over `embedded_io`.
//!
//! Writing may block for as long as the UART takes to send; reading never
//! waits: [`Hsu::poll`] takes only the bytes `ReadReady` says are there.

use super::frame::{self, Decoded, Decoder, FrameError, MAX_FRAME, NACK};
use embedded_io::{Read, ReadReady, Write};

/// HSU wake-up: the PN532 sleeps after power-on until it sees a long
/// preamble (UM0701-02 §7.2.11 and application note AN10609 §3.1).
pub const WAKE_UP: [u8; 16] = [0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// Why a transport operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error<E> {
    /// The UART failed.
    Io(E),
    /// The frame could not be built.
    Frame(FrameError),
}

impl<E: core::fmt::Debug> core::fmt::Display for Error<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "PN532 UART failed: {e:?}"),
            Self::Frame(e) => write!(f, "{e}"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for Error<E> {}

/// A PN532 on a UART.
#[derive(Debug)]
pub struct Hsu<U> {
    uart: U,
    decoder: Decoder,
    tx: [u8; MAX_FRAME],
}

impl<U: Read + ReadReady + Write> Hsu<U> {
    /// The transport over `uart` (115200 8N1 for a real PN532).
    pub fn new(uart: U) -> Self {
        Self { uart, decoder: Decoder::new(), tx: [0; MAX_FRAME] }
    }

    /// Sends the wake-up preamble and forgets any partial frame.
    pub fn wake_up(&mut self) -> Result<(), Error<U::Error>> {
        self.decoder.reset();
        self.uart.write_all(&WAKE_UP).map_err(Error::Io)?;
        self.uart.flush().map_err(Error::Io)
    }

    /// Sends `command` (code and parameters) in a host frame. The transmit
    /// buffer is zeroed afterwards: a VERIFY leaves no PIN behind.
    pub fn send(&mut self, command: &[u8]) -> Result<(), Error<U::Error>> {
        let result = match frame::encode_command(command, &mut self.tx) {
            Ok(n) => self.uart.write_all(&self.tx[..n]).and_then(|()| self.uart.flush()).map_err(Error::Io),
            Err(e) => Err(Error::Frame(e)),
        };
        self.tx.fill(0);
        result
    }

    /// Asks the PN532 to send its last answer again.
    pub fn send_nack(&mut self) -> Result<(), Error<U::Error>> {
        self.uart.write_all(&NACK).and_then(|()| self.uart.flush()).map_err(Error::Io)
    }

    /// Reads what has arrived, a byte at a time, until a frame completes or
    /// nothing more is there. Never waits for bytes.
    pub fn poll(&mut self) -> Result<Option<Result<Decoded, FrameError>>, Error<U::Error>> {
        while self.uart.read_ready().map_err(Error::Io)? {
            let mut byte = [0u8; 1];
            if self.uart.read(&mut byte).map_err(Error::Io)? == 0 {
                return Ok(None);
            }
            if let Some(r) = self.decoder.push(byte[0]) {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// TFI and data of the last information frame.
    pub fn info(&self) -> &[u8] {
        self.decoder.info()
    }

    /// The UART back.
    pub fn release(self) -> U {
        self.uart
    }
}

#[cfg(test)]
impl<U> Hsu<U> {
    /// Whether the transmit buffer holds nothing (tests).
    pub(crate) fn tx_is_clear(&self) -> bool {
        self.tx.iter().all(|&b| b == 0)
    }
}
