//! The PN532 commands the virtual reader executes (UM0701-02 §7), parsed
//! from an information frame's packet data (`PD0` = command code).

use std::fmt;

/// Diagnose (§7.2.1).
pub const DIAGNOSE: u8 = 0x00;
/// Diagnose test 0x06: attention request / ISO/IEC 14443-4 card presence.
pub const DIAG_CARD_PRESENCE: u8 = 0x06;
/// GetFirmwareVersion (§7.2.2).
pub const GET_FIRMWARE_VERSION: u8 = 0x02;
/// SAMConfiguration (§7.2.10).
pub const SAM_CONFIGURATION: u8 = 0x14;
/// RFConfiguration (§7.3.1).
pub const RF_CONFIGURATION: u8 = 0x32;
/// InDataExchange (§7.3.8).
pub const IN_DATA_EXCHANGE: u8 = 0x40;
/// InListPassiveTarget (§7.3.5).
pub const IN_LIST_PASSIVE_TARGET: u8 = 0x4A;
/// InRelease (§7.3.11).
pub const IN_RELEASE: u8 = 0x52;
/// BrTy of ISO/IEC 14443-3B at 106 kbps in InListPassiveTarget.
pub const BRTY_106_TYPE_B: u8 = 0x03;
/// RFConfiguration item MaxRetries (`MxRtyATR MxRtyPSL MxRtyPassiveActivation`).
pub const CFG_MAX_RETRIES: u8 = 0x05;
/// Most bytes of DataOut in one InDataExchange (§7.3.8).
pub const MAX_DATA_OUT: usize = 262;

/// A command from the host controller.
#[derive(Clone, PartialEq, Eq)]
pub enum Command {
    /// Run self-test `test` (only 0x06, card presence, is implemented).
    Diagnose {
        /// NumTst.
        test: u8,
    },
    /// Ask for IC, version, revision and supported protocols.
    GetFirmwareVersion,
    /// Configure the SAM; mode 1 (normal) is the one a reader uses.
    SamConfiguration {
        /// 1 normal, 2 virtual card, 3 wired card, 4 dual card.
        mode: u8,
    },
    /// Set one RF parameter.
    RfConfiguration {
        /// The CfgItem.
        item: u8,
        /// Its ConfigurationData.
        data: Vec<u8>,
    },
    /// Look for targets in the field.
    InListPassiveTarget {
        /// Targets wanted, 1 or 2.
        max_targets: u8,
        /// Baud rate and modulation (`BrTy`).
        modulation: u8,
        /// InitiatorData (for type B: AFI, then an optional polling method).
        initiator: Vec<u8>,
    },
    /// Send `data` to target `target` and return its answer.
    InDataExchange {
        /// Target number (bit 6: more data follows, bit 7: NAD).
        target: u8,
        /// The bytes for the target (here a command APDU).
        data: Vec<u8>,
    },
    /// Release target `target` (0: all).
    InRelease {
        /// Target number.
        target: u8,
    },
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Diagnose { test } => write!(f, "Diagnose(test 0x{test:02X})"),
            Self::GetFirmwareVersion => f.write_str("GetFirmwareVersion"),
            Self::SamConfiguration { mode } => write!(f, "SAMConfiguration(mode {mode})"),
            Self::RfConfiguration { item, data } => write!(f, "RFConfiguration(item 0x{item:02X}, {data:02X?})"),
            Self::InListPassiveTarget { max_targets, modulation, initiator } => {
                write!(f, "InListPassiveTarget(max {max_targets}, BrTy 0x{modulation:02X}, {initiator:02X?})")
            }
            // The data may carry a PIN: its size only.
            Self::InDataExchange { target, data } => write!(f, "InDataExchange(tg {target}, {} bytes)", data.len()),
            Self::InRelease { target } => write!(f, "InRelease(tg {target})"),
        }
    }
}

/// Why packet data is not a command this reader executes; the PN532
/// answers these with the syntax error frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// No command code.
    Empty,
    /// A command code the virtual reader does not implement.
    Unsupported(u8),
    /// The parameters do not fit the command.
    Parameters {
        /// The command's name.
        command: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("information frame without a command code"),
            Self::Unsupported(code) => write!(f, "command 0x{code:02X} is not implemented by the virtual PN532"),
            Self::Parameters { command, problem } => write!(f, "{command}: {problem}"),
        }
    }
}

fn bad(command: &'static str, problem: impl Into<String>) -> CommandError {
    CommandError::Parameters { command, problem: problem.into() }
}

impl Command {
    /// Parses `PD0..PDn` of a host frame.
    pub fn parse(data: &[u8]) -> Result<Self, CommandError> {
        let (&code, params) = data.split_first().ok_or(CommandError::Empty)?;
        match code {
            DIAGNOSE => match params {
                [DIAG_CARD_PRESENCE] => Ok(Self::Diagnose { test: DIAG_CARD_PRESENCE }),
                [test, ..] => {
                    Err(bad("Diagnose", format!("test 0x{test:02X} is not implemented (only 0x06, card presence)")))
                }
                [] => Err(bad("Diagnose", "needs NumTst")),
            },
            GET_FIRMWARE_VERSION => match params {
                [] => Ok(Self::GetFirmwareVersion),
                _ => Err(bad("GetFirmwareVersion", format!("{} parameter bytes, expected none", params.len()))),
            },
            SAM_CONFIGURATION => match params {
                [mode @ 1..=4] | [mode @ 1..=4, _] | [mode @ 1..=4, _, _] => Ok(Self::SamConfiguration { mode: *mode }),
                [mode, ..] if !(1..=4).contains(mode) => {
                    Err(bad("SAMConfiguration", format!("mode {mode} is not 1..=4")))
                }
                _ => Err(bad("SAMConfiguration", format!("{} parameter bytes, expected 1..=3", params.len()))),
            },
            RF_CONFIGURATION => match params {
                [item, data @ ..] if !data.is_empty() => Ok(Self::RfConfiguration { item: *item, data: data.to_vec() }),
                _ => Err(bad("RFConfiguration", "needs CfgItem and its data")),
            },
            IN_LIST_PASSIVE_TARGET => match params {
                [max_targets @ 1..=2, modulation, initiator @ ..] => Ok(Self::InListPassiveTarget {
                    max_targets: *max_targets,
                    modulation: *modulation,
                    initiator: initiator.to_vec(),
                }),
                [max, _, ..] => Err(bad("InListPassiveTarget", format!("MaxTg {max} is not 1 or 2"))),
                _ => Err(bad("InListPassiveTarget", "needs MaxTg and BrTy")),
            },
            IN_DATA_EXCHANGE => match params {
                [_] | [] => Err(bad("InDataExchange", "needs Tg and data")),
                [_, data @ ..] if data.len() > MAX_DATA_OUT => {
                    Err(bad("InDataExchange", format!("{} data bytes exceed {MAX_DATA_OUT}", data.len())))
                }
                [target, data @ ..] => Ok(Self::InDataExchange { target: *target, data: data.to_vec() }),
            },
            IN_RELEASE => match params {
                [target] => Ok(Self::InRelease { target: *target }),
                _ => Err(bad("InRelease", format!("{} parameter bytes, expected 1 (Tg)", params.len()))),
            },
            other => Err(CommandError::Unsupported(other)),
        }
    }

    /// The command code.
    pub fn code(&self) -> u8 {
        match self {
            Self::Diagnose { .. } => DIAGNOSE,
            Self::GetFirmwareVersion => GET_FIRMWARE_VERSION,
            Self::SamConfiguration { .. } => SAM_CONFIGURATION,
            Self::RfConfiguration { .. } => RF_CONFIGURATION,
            Self::InListPassiveTarget { .. } => IN_LIST_PASSIVE_TARGET,
            Self::InDataExchange { .. } => IN_DATA_EXCHANGE,
            Self::InRelease { .. } => IN_RELEASE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_commands_of_a_type_b_reader() {
        assert_eq!(Command::parse(&[0x02]), Ok(Command::GetFirmwareVersion));
        assert_eq!(Command::parse(&[0x00, 0x06]), Ok(Command::Diagnose { test: 6 }));
        assert_eq!(Command::parse(&[0x14, 0x01, 0x14, 0x01]), Ok(Command::SamConfiguration { mode: 1 }));
        assert_eq!(
            Command::parse(&[0x4A, 0x01, 0x03, 0x00]),
            Ok(Command::InListPassiveTarget { max_targets: 1, modulation: 3, initiator: vec![0x00] })
        );
        assert_eq!(
            Command::parse(&[0x40, 0x01, 0x00, 0xA4, 0x04, 0x0C]),
            Ok(Command::InDataExchange { target: 1, data: vec![0x00, 0xA4, 0x04, 0x0C] })
        );
        assert_eq!(Command::parse(&[0x52, 0x00]), Ok(Command::InRelease { target: 0 }));
        assert_eq!(
            Command::parse(&[0x32, 0x05, 0xFF, 0x01, 0x02]),
            Ok(Command::RfConfiguration { item: 5, data: vec![0xFF, 0x01, 0x02] })
        );
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(Command::parse(&[]), Err(CommandError::Empty));
        assert_eq!(Command::parse(&[0x60]), Err(CommandError::Unsupported(0x60)));
        assert_eq!(Command::parse(&[0x14, 0x07]).unwrap_err().to_string(), "SAMConfiguration: mode 7 is not 1..=4");
        assert_eq!(
            Command::parse(&[0x4A, 0x03, 0x03]).unwrap_err().to_string(),
            "InListPassiveTarget: MaxTg 3 is not 1 or 2"
        );
        assert!(Command::parse(&[0x40, 0x01]).is_err());
        let mut long = vec![0x40, 0x01];
        long.extend([0u8; 263]);
        assert_eq!(Command::parse(&long).unwrap_err().to_string(), "InDataExchange: 263 data bytes exceed 262");
        assert!(Command::parse(&[0x52]).is_err());
        assert_eq!(
            Command::parse(&[0x00, 0x00, 0x01]).unwrap_err().to_string(),
            "Diagnose: test 0x00 is not implemented (only 0x06, card presence)"
        );
        assert!(Command::parse(&[0x02, 0x00]).is_err());
    }

    #[test]
    fn debug_never_shows_exchanged_data() {
        let pin =
            Command::InDataExchange { target: 1, data: vec![0x00, 0x20, 0x00, 0x80, 0x04, b'1', b'2', b'3', b'4'] };
        assert_eq!(format!("{pin:?}"), "InDataExchange(tg 1, 9 bytes)");
    }
}
