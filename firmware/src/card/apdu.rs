//! ISO 7816-4 short APDUs: commands ([`CommandRepr`], [`Command`]) and
//! responses ([`Response`], [`ResponseRepr`]).
//!
//! Command layout (short form only; the terminal never needs extended length):
//!
//! | case | bytes |
//! |---|---|
//! | 1 | `CLA INS P1 P2` |
//! | 2 | `CLA INS P1 P2 Le` |
//! | 3 | `CLA INS P1 P2 Lc data[Lc]` |
//! | 4 | `CLA INS P1 P2 Lc data[Lc] Le` |
//!
//! `Lc` is 1..=255. `Le` is 1..=256, with 256 encoded as `00`.
//!
//! Response layout: `data SW1 SW2`.

use super::status::StatusWord;
use core::fmt;

/// Bytes of the command header `CLA INS P1 P2`.
pub const HEADER_LEN: usize = 4;
/// Largest command data field (`Lc`) of a short APDU.
pub const MAX_DATA_LEN: usize = 255;
/// Largest expected response length (`Le`) of a short APDU.
pub const MAX_LE: u16 = 256;
/// Largest short command APDU: header, `Lc`, 255 data bytes, `Le`.
pub const MAX_COMMAND_LEN: usize = HEADER_LEN + 1 + MAX_DATA_LEN + 1;
/// Bytes of the status word trailer of a response.
pub const STATUS_LEN: usize = 2;

/// Why an APDU could not be built or was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ApduError {
    /// A command shorter than its 4-byte header.
    CommandTooShort {
        /// Bytes received.
        len: usize,
    },
    /// `Lc` is `00`: an extended-length APDU, which is not supported.
    ExtendedLength,
    /// The bytes after the header match none of the four short cases.
    LengthMismatch {
        /// The `Lc` byte.
        lc: u8,
        /// Total command length.
        len: usize,
    },
    /// More than 255 data bytes for a short command.
    DataTooLong {
        /// Data bytes given.
        len: usize,
    },
    /// An expected length outside 1..=256.
    BadLe {
        /// The value given.
        le: u16,
    },
    /// A READ BINARY offset above 0x7FFF (bit 15 would select a short EF id).
    OffsetTooLarge {
        /// The offset given.
        offset: u16,
    },
    /// A response shorter than its 2-byte status word.
    ResponseTooShort {
        /// Bytes received.
        len: usize,
    },
    /// The output buffer is too small.
    BufferTooSmall,
}

impl fmt::Display for ApduError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CommandTooShort { len } => write!(f, "command APDU of {len} bytes is shorter than its 4-byte header"),
            Self::ExtendedLength => write!(f, "Lc of 00: extended-length APDUs are not supported"),
            Self::LengthMismatch { lc, len } => {
                write!(f, "command APDU of {len} bytes does not match its Lc of {lc}")
            }
            Self::DataTooLong { len } => write!(f, "{len} data bytes exceed the 255 of a short APDU"),
            Self::BadLe { le } => write!(f, "expected length {le} is outside 1..=256"),
            Self::OffsetTooLarge { offset } => write!(f, "READ BINARY offset {offset:#06x} exceeds 0x7FFF"),
            Self::ResponseTooShort { len } => {
                write!(f, "response APDU of {len} bytes is shorter than its 2-byte status word")
            }
            Self::BufferTooSmall => write!(f, "output buffer too small for the APDU"),
        }
    }
}

impl core::error::Error for ApduError {}

/// A command APDU's contents, to parse from bytes or emit into a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CommandRepr<'a> {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    /// Command data, 0..=255 bytes (empty: no `Lc`).
    pub data: &'a [u8],
    /// Expected response length, 1..=256 (`None`: no `Le`).
    pub le: Option<u16>,
}

impl<'a> CommandRepr<'a> {
    /// Checks the data length and `Le` against the short-APDU limits.
    pub fn check(&self) -> Result<(), ApduError> {
        if self.data.len() > MAX_DATA_LEN {
            return Err(ApduError::DataTooLong { len: self.data.len() });
        }
        match self.le {
            Some(le) if le == 0 || le > MAX_LE => Err(ApduError::BadLe { le }),
            _ => Ok(()),
        }
    }

    /// Bytes [`emit`](Self::emit) writes.
    pub fn buffer_len(&self) -> usize {
        let lc = if self.data.is_empty() { 0 } else { 1 + self.data.len() };
        HEADER_LEN + lc + usize::from(self.le.is_some())
    }

    /// Writes the command into `out`, returning the bytes written.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, ApduError> {
        self.check()?;
        let len = self.buffer_len();
        let out = out.get_mut(..len).ok_or(ApduError::BufferTooSmall)?;
        let (header, rest) = out.split_at_mut(HEADER_LEN);
        header.copy_from_slice(&[self.cla, self.ins, self.p1, self.p2]);
        let rest = match rest.split_first_mut() {
            Some((lc, rest)) if !self.data.is_empty() => {
                // check() bounded the length to 255.
                *lc = self.data.len() as u8;
                let (data, rest) = rest.split_at_mut(self.data.len());
                data.copy_from_slice(self.data);
                rest
            }
            _ => rest,
        };
        if let (Some(le), Some(slot)) = (self.le, rest.first_mut()) {
            // 256 is encoded as 00; check() bounded le to 1..=256.
            *slot = (le & 0xFF) as u8;
        }
        Ok(len)
    }

    /// Parses a short command APDU of any of the four cases.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ApduError> {
        let Some((&[cla, ins, p1, p2], body)) = bytes.split_first_chunk::<HEADER_LEN>() else {
            return Err(ApduError::CommandTooShort { len: bytes.len() });
        };
        let (data, le) = match body {
            [] => (&[][..], None),
            [le] => (&[][..], Some(decode_le(*le))),
            [0, ..] => return Err(ApduError::ExtendedLength),
            [lc, rest @ ..] => {
                let lc_len = usize::from(*lc);
                match rest.split_at_checked(lc_len) {
                    Some((data, [])) => (data, None),
                    Some((data, [le])) => (data, Some(decode_le(*le))),
                    _ => return Err(ApduError::LengthMismatch { lc: *lc, len: bytes.len() }),
                }
            }
        };
        Ok(Self { cla, ins, p1, p2, data, le })
    }
}

fn decode_le(byte: u8) -> u16 {
    if byte == 0 { MAX_LE } else { u16::from(byte) }
}

/// An owned command APDU, so a terminal can hand it to a driver without
/// borrowing.
///
/// Always holds a valid short APDU: it is only built from a checked
/// [`CommandRepr`].
#[derive(Clone, PartialEq, Eq)]
pub struct Command {
    buf: [u8; MAX_COMMAND_LEN],
    len: usize,
    data_len: usize,
    le: Option<u16>,
}

impl Command {
    /// Builds a command from its contents.
    pub fn new(repr: &CommandRepr<'_>) -> Result<Self, ApduError> {
        let mut buf = [0u8; MAX_COMMAND_LEN];
        let len = repr.emit(&mut buf)?;
        Ok(Self { buf, len, data_len: repr.data.len(), le: repr.le })
    }

    /// A case 1 command (header only), for fixed commands.
    pub(crate) const fn case1(header: [u8; HEADER_LEN]) -> Self {
        let [cla, ins, p1, p2] = header;
        let mut buf = [0u8; MAX_COMMAND_LEN];
        buf[0] = cla;
        buf[1] = ins;
        buf[2] = p1;
        buf[3] = p2;
        Self { buf, len: HEADER_LEN, data_len: 0, le: None }
    }

    /// A case 3 command (header and data), for fixed commands; the data
    /// length is checked at compile time.
    pub(crate) fn case3<const N: usize>(header: [u8; HEADER_LEN], data: &[u8; N]) -> Self {
        const { assert!(N >= 1 && N <= MAX_DATA_LEN) };
        let mut cmd = Self::case1(header);
        let (lc, rest) = cmd.buf[HEADER_LEN..].split_at_mut(1);
        lc[0] = N as u8;
        rest[..N].copy_from_slice(data);
        cmd.len = HEADER_LEN + 1 + N;
        cmd.data_len = N;
        cmd
    }

    /// Parses and copies a command received as bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ApduError> {
        Self::new(&CommandRepr::parse(bytes)?)
    }

    /// The encoded APDU.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// The command's contents.
    pub fn repr(&self) -> CommandRepr<'_> {
        let [cla, ins, p1, p2, ..] = self.buf;
        let data = if self.data_len == 0 {
            &[][..]
        } else {
            self.buf.get(HEADER_LEN + 1..HEADER_LEN + 1 + self.data_len).unwrap_or_default()
        };
        CommandRepr { cla, ins, p1, p2, data, le: self.le }
    }
}

impl AsRef<[u8]> for Command {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Command(")?;
        for (i, b) in self.as_bytes().iter().enumerate() {
            if i > 0 {
                write!(f, " ")?;
            }
            write!(f, "{b:02X}")?;
        }
        write!(f, ")")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Command {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Command({=[u8]:02x})", self.as_bytes())
    }
}

/// A read-only view over a response APDU whose length was checked: data
/// followed by the status word.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Response<T> {
    /// Wraps `buffer` after checking it holds at least a status word.
    pub fn new_checked(buffer: T) -> Result<Self, ApduError> {
        let len = buffer.as_ref().len();
        if len < STATUS_LEN {
            return Err(ApduError::ResponseTooShort { len });
        }
        Ok(Self { buffer })
    }

    /// Response data (may be empty).
    pub fn data(&self) -> &[u8] {
        self.buffer.as_ref().split_last_chunk::<STATUS_LEN>().map_or(&[][..], |(data, _)| data)
    }

    /// Status word `SW1 SW2`.
    pub fn status(&self) -> StatusWord {
        let [sw1, sw2] = self.buffer.as_ref().last_chunk::<STATUS_LEN>().copied().unwrap_or_default();
        StatusWord::new(sw1, sw2)
    }

    /// The wrapped buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }
}

/// A response APDU's contents, to parse from a [`Response`] or emit into a
/// buffer (the virtual card of the host simulator answers with these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResponseRepr<'a> {
    /// Response data.
    pub data: &'a [u8],
    /// Status word.
    pub status: StatusWord,
}

impl<'a> ResponseRepr<'a> {
    /// Parses a checked response.
    pub fn parse<T: AsRef<[u8]> + ?Sized>(response: &'a Response<&'a T>) -> Self {
        Self { data: response.data(), status: response.status() }
    }

    /// Bytes [`emit`](Self::emit) writes.
    pub fn buffer_len(&self) -> usize {
        self.data.len() + STATUS_LEN
    }

    /// Writes the response into `out`, returning the bytes written.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, ApduError> {
        let len = self.buffer_len();
        let out = out.get_mut(..len).ok_or(ApduError::BufferTooSmall)?;
        let (data, sw) = out.split_at_mut(self.data.len());
        data.copy_from_slice(self.data);
        sw.copy_from_slice(&self.status.to_bytes());
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn round_trip(repr: CommandRepr<'_>, expected: &[u8]) {
        let mut buf = [0u8; MAX_COMMAND_LEN];
        let n = repr.emit(&mut buf).unwrap();
        assert_eq!(n, repr.buffer_len());
        assert_eq!(&buf[..n], expected);
        assert_eq!(CommandRepr::parse(&buf[..n]).unwrap(), repr);
        let cmd = Command::new(&repr).unwrap();
        assert_eq!(cmd.as_bytes(), expected);
        assert_eq!(cmd.repr(), repr);
    }

    #[test]
    fn all_four_cases_round_trip() {
        let base = CommandRepr { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: &[], le: None };
        round_trip(base, &[0x00, 0x20, 0x00, 0x80]);
        round_trip(CommandRepr { le: Some(4), ..base }, &[0x00, 0x20, 0x00, 0x80, 0x04]);
        round_trip(CommandRepr { data: &[1, 2], ..base }, &[0x00, 0x20, 0x00, 0x80, 0x02, 1, 2]);
        round_trip(CommandRepr { data: &[1, 2], le: Some(255), ..base }, &[0x00, 0x20, 0x00, 0x80, 0x02, 1, 2, 0xFF]);
    }

    #[test]
    fn le_256_is_encoded_as_00() {
        let repr = CommandRepr { cla: 0, ins: 0xB0, p1: 0, p2: 0, data: &[], le: Some(256) };
        round_trip(repr, &[0, 0xB0, 0, 0, 0x00]);
        let data = [0xAA; 3];
        round_trip(CommandRepr { data: &data, ..repr }, &[0, 0xB0, 0, 0, 3, 0xAA, 0xAA, 0xAA, 0x00]);
    }

    #[test]
    fn maximal_command_fits_the_owned_buffer() {
        let data = [0x5A; MAX_DATA_LEN];
        let repr = CommandRepr { cla: 0x80, ins: 0x2A, p1: 0, p2: 0x80, data: &data, le: Some(256) };
        assert_eq!(repr.buffer_len(), MAX_COMMAND_LEN);
        let cmd = Command::new(&repr).unwrap();
        assert_eq!(cmd.as_bytes().len(), MAX_COMMAND_LEN);
        assert_eq!(cmd.repr(), repr);
        assert_eq!(Command::from_bytes(cmd.as_bytes()).unwrap(), cmd);
    }

    #[test]
    fn invalid_reprs_are_rejected() {
        let data = [0u8; 256];
        let base = CommandRepr { cla: 0, ins: 0, p1: 0, p2: 0, data: &[], le: None };
        let mut buf = [0u8; 300];
        assert_eq!(CommandRepr { data: &data, ..base }.emit(&mut buf), Err(ApduError::DataTooLong { len: 256 }));
        assert_eq!(CommandRepr { le: Some(0), ..base }.emit(&mut buf), Err(ApduError::BadLe { le: 0 }));
        assert_eq!(CommandRepr { le: Some(257), ..base }.emit(&mut buf), Err(ApduError::BadLe { le: 257 }));
        assert_eq!(CommandRepr { le: Some(1), ..base }.emit(&mut buf[..4]), Err(ApduError::BufferTooSmall));
    }

    #[test]
    fn malformed_commands_are_errors() {
        for len in 0..HEADER_LEN {
            assert_eq!(CommandRepr::parse(&[0u8; 4][..len]), Err(ApduError::CommandTooShort { len }));
        }
        // Lc 00 would start an extended APDU.
        assert_eq!(CommandRepr::parse(&[0, 0xA4, 4, 0x0C, 0, 1]), Err(ApduError::ExtendedLength));
        // Lc says 3, only 2 data bytes.
        assert_eq!(CommandRepr::parse(&[0, 0xA4, 4, 0x0C, 3, 1, 2]), Err(ApduError::LengthMismatch { lc: 3, len: 7 }));
        // Lc says 1, then two bytes more than data + Le.
        assert_eq!(
            CommandRepr::parse(&[0, 0xA4, 4, 0x0C, 1, 1, 2, 3]),
            Err(ApduError::LengthMismatch { lc: 1, len: 8 })
        );
    }

    #[test]
    fn response_view_splits_data_and_status() {
        let r = Response::new_checked(&[1u8, 2, 3, 0x90, 0x00][..]).unwrap();
        assert_eq!(r.data(), &[1, 2, 3]);
        assert_eq!(r.status(), StatusWord::OK);
        let r = Response::new_checked(&[0x6A, 0x82][..]).unwrap();
        assert_eq!(r.data(), &[] as &[u8]);
        assert_eq!(r.status(), StatusWord(0x6A82));
        assert_eq!(Response::new_checked(&[0x90][..]).unwrap_err(), ApduError::ResponseTooShort { len: 1 });
        assert_eq!(Response::new_checked(&[][..]).unwrap_err(), ApduError::ResponseTooShort { len: 0 });
    }

    #[test]
    fn response_repr_round_trips() {
        let repr = ResponseRepr { data: b"abc", status: StatusWord(0x63C2) };
        let mut buf = [0u8; 8];
        let n = repr.emit(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"abc\x63\xC2");
        let r = Response::new_checked(&buf[..n]).unwrap();
        assert_eq!(ResponseRepr::parse(&r), repr);
        assert_eq!(repr.emit(&mut buf[..4]), Err(ApduError::BufferTooSmall));
    }

    #[test]
    fn errors_display_in_english() {
        assert_eq!(ApduError::BadLe { le: 0 }.to_string(), "expected length 0 is outside 1..=256");
    }

    fn arb_repr() -> impl Strategy<Value = (u8, u8, u8, u8, std::vec::Vec<u8>, Option<u16>)> {
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..=MAX_DATA_LEN),
            proptest::option::of(1u16..=MAX_LE),
        )
    }

    proptest! {
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(repr) = CommandRepr::parse(&bytes) {
                // Whatever parses, emits back to the same bytes.
                let mut buf = [0u8; MAX_COMMAND_LEN];
                let n = repr.emit(&mut buf).unwrap();
                prop_assert_eq!(&buf[..n], &bytes[..]);
            }
            if let Ok(r) = Response::new_checked(&bytes[..]) {
                prop_assert_eq!(r.data().len() + 2, bytes.len());
            }
        }

        #[test]
        fn parse_emit_round_trips((cla, ins, p1, p2, data, le) in arb_repr()) {
            let repr = CommandRepr { cla, ins, p1, p2, data: &data, le };
            let mut buf = [0u8; MAX_COMMAND_LEN];
            let n = repr.emit(&mut buf).unwrap();
            prop_assert_eq!(n, repr.buffer_len());
            prop_assert_eq!(CommandRepr::parse(&buf[..n]).unwrap(), repr);
            let cmd = Command::new(&repr).unwrap();
            prop_assert_eq!(cmd.repr(), repr);
            prop_assert_eq!(cmd.as_bytes(), &buf[..n]);
        }
    }
}
