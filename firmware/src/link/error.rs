//! Errors of the link layer.

use core::fmt;

/// Why a frame could not be built or was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LinkError {
    /// Fewer bytes than header + CRC.
    Truncated {
        /// Bytes received.
        len: usize,
    },
    /// The frame does not fit the receive buffer (delimiter lost?).
    Oversized,
    /// The bytes between two delimiters are not valid COBS.
    BadCobs,
    /// The CRC trailer does not match the contents.
    BadCrc {
        /// CRC carried by the frame.
        received: u32,
        /// CRC computed over the frame.
        computed: u32,
    },
    /// A protocol version this firmware does not speak.
    UnsupportedVersion(u8),
    /// The payload is not a valid message.
    BadPayload,
    /// The output buffer is too small for the encoded frame.
    BufferTooSmall,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated { len } => write!(f, "frame truncated: {len} bytes is shorter than header and CRC"),
            Self::Oversized => write!(f, "frame longer than the receive buffer"),
            Self::BadCobs => write!(f, "frame is not valid COBS"),
            Self::BadCrc { received, computed } => {
                write!(f, "CRC mismatch: frame says {received:#010x}, contents give {computed:#010x}")
            }
            Self::UnsupportedVersion(v) => write!(f, "unsupported link protocol version {v}"),
            Self::BadPayload => write!(f, "payload is not a valid message"),
            Self::BufferTooSmall => write!(f, "output buffer too small for the frame"),
        }
    }
}

impl core::error::Error for LinkError {}
