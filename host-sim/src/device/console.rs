//! The operator's console of the device demo: one command a line.

use super::cards::ReadyCard;
use crate::virtual_pn532::Pn532Fault;
use std::fmt;

/// One console command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleCommand {
    /// Put a ready-made card on the reader (replacing any card there).
    Place(ReadyCard),
    /// Take the card off the reader.
    Remove,
    /// The camera's verdict.
    Face {
        /// Whether the face matched the card's photo.
        matched: bool,
    },
    /// The clerk confirms the patient's identity by sight (目視確認).
    Visual,
    /// The clerk asks the terminal for its decision.
    Decide,
    /// The clerk cancels the visit.
    Cancel,
    /// Switch the line to the online service on or off.
    Network {
        /// On or off.
        up: bool,
    },
    /// Play a PN532 fault: on the next card APDU, or on every command.
    Fault {
        /// Which.
        fault: Pn532Fault,
        /// Every command until `fault off`.
        every: bool,
    },
    /// Disarm every PN532 fault.
    FaultOff,
    /// Press gamepad keys (QMP qcodes: up, down, left, right, ctrl), for a
    /// board without a window.
    Keys(Vec<&'static str>),
    /// Print the help.
    Help,
    /// End the demo.
    Quit,
}

/// A line that is not a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleError(pub String);

impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (type `help`)", self.0)
    }
}

/// Parses one line; `Ok(None)` for an empty line.
pub fn parse(line: &str) -> Result<Option<ConsoleCommand>, ConsoleError> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let err = |m: String| Err(ConsoleError(m));
    let command = match words.as_slice() {
        [] => return Ok(None),
        ["place" | "p"] => ConsoleCommand::Place(ReadyCard::Valid),
        ["place" | "p", card] => ConsoleCommand::Place(card.parse().map_err(ConsoleError)?),
        ["remove" | "r"] => ConsoleCommand::Remove,
        ["face", "ok" | "match"] => ConsoleCommand::Face { matched: true },
        ["face", "ng" | "no-match"] => ConsoleCommand::Face { matched: false },
        ["visual" | "v"] => ConsoleCommand::Visual,
        ["decide" | "d"] => ConsoleCommand::Decide,
        ["cancel"] => ConsoleCommand::Cancel,
        ["network" | "net", "on"] => ConsoleCommand::Network { up: true },
        ["network" | "net", "off"] => ConsoleCommand::Network { up: false },
        ["fault", "off"] => ConsoleCommand::FaultOff,
        ["fault", name] => {
            ConsoleCommand::Fault { fault: name.parse().map_err(|e| ConsoleError(format!("{e}")))?, every: false }
        }
        ["fault", name, "every"] => {
            ConsoleCommand::Fault { fault: name.parse().map_err(|e| ConsoleError(format!("{e}")))?, every: true }
        }
        ["key" | "k", keys @ ..] if !keys.is_empty() => {
            ConsoleCommand::Keys(keys.iter().map(|k| key(k)).collect::<Result<_, _>>()?)
        }
        ["pin", digits] if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            let mut keys = Vec::new();
            for d in digits.bytes().map(|b| b - b'0') {
                keys.extend(std::iter::repeat_n("up", usize::from(d)));
                keys.push("ctrl");
            }
            ConsoleCommand::Keys(keys)
        }
        ["pin", ..] => return err("pin takes 4 digits, e.g. `pin 1234`".into()),
        ["help" | "h" | "?"] => ConsoleCommand::Help,
        ["quit" | "q" | "exit"] => ConsoleCommand::Quit,
        _ => return err(format!("unknown command {line:?}")),
    };
    Ok(Some(command))
}

/// A key name as a QMP qcode.
fn key(name: &str) -> Result<&'static str, ConsoleError> {
    Ok(match name {
        "up" | "u" => "up",
        "down" | "d" => "down",
        "left" | "l" | "1" => "left",
        "right" | "r" | "2" => "right",
        "ctrl" | "select" | "s" | "ok" => "ctrl",
        other => return Err(ConsoleError(format!("unknown key {other:?}; keys: up down left right ctrl"))),
    })
}

/// The console's help text.
pub fn help() -> String {
    let mut s = String::from(
        "Keys in the QEMU window (the board's gamepad): ← → choose (left = 1st choice, right = 2nd),\n\
         ↑ ↓ change the PIN digit, Ctrl enter the digit / select.\n\
         Console commands:\n\
         \x20 place [CARD]       put a card on the reader (default: valid); CARD is one of:\n",
    );
    for c in ReadyCard::ALL {
        s.push_str(&format!("      {:<15} {}\n", c.name(), c.describe()));
    }
    s.push_str(
        "  remove             take the card off the reader\n\
         \x20 face ok | face ng  the face camera's verdict (match / no match)\n\
         \x20 visual             the clerk confirms the patient by sight (目視確認)\n\
         \x20 decide             the clerk asks for the decision;  cancel: the clerk cancels the visit\n\
         \x20 network off | on   switch the line to the online service\n\
         \x20 fault NAME [every] a PN532 fault on the next card APDU (or every command): no-ack, no-answer,\n\
         \x20                    bad-checksum, syntax-error, timeout, target-released, noise;  fault off: disarm\n\
         \x20 help, quit\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_and_mistakes_are_named() {
        assert_eq!(parse("place pin-less"), Ok(Some(ConsoleCommand::Place(ReadyCard::PinLess))));
        assert_eq!(parse("  p "), Ok(Some(ConsoleCommand::Place(ReadyCard::Valid))));
        assert_eq!(parse("face ng"), Ok(Some(ConsoleCommand::Face { matched: false })));
        assert_eq!(parse("network off"), Ok(Some(ConsoleCommand::Network { up: false })));
        assert_eq!(
            parse("fault timeout every"),
            Ok(Some(ConsoleCommand::Fault { fault: Pn532Fault::Timeout, every: true }))
        );
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("key 1 ctrl"), Ok(Some(ConsoleCommand::Keys(vec!["left", "ctrl"]))));
        assert_eq!(
            parse("pin 1020"),
            Ok(Some(ConsoleCommand::Keys(vec!["up", "ctrl", "ctrl", "up", "up", "ctrl", "ctrl"])))
        );
        assert!(parse("pin 12").is_err());
        assert!(parse("key jump").unwrap_err().to_string().contains("unknown key"));
        assert!(parse("place gold").unwrap_err().to_string().contains("one of: valid"));
        assert!(parse("fault nope").unwrap_err().to_string().contains("no-ack"));
        assert!(parse("dance").unwrap_err().to_string().contains("unknown command"));
        assert!(help().contains("pin-blocked"));
    }
}
