//! Where the reception terminal runs: in this process ([`LocalPort`]) or on
//! a board over the link ([`RemotePort`](super::RemotePort)). The counter
//! drives either the same way.

use firmware::link::EligibilityQuery;
use firmware::reception::{Action, Beep, Event, Handled, LogRecord, Millis, Now, State, Terminal, TerminalConfig};
use firmware::rules::{Decision, Policy};
use firmware::ui::Screen;
use std::fmt;

/// One action of the terminal, owned by the host.
#[derive(Debug, Clone)]
pub enum HostAction {
    /// Send these bytes to the card.
    Apdu(Vec<u8>),
    /// Show this screen.
    Show(Screen),
    /// Send this query to the online service.
    Query(EligibilityQuery),
    /// Append this log record.
    Log(LogRecord),
    /// Beep.
    Beep(Beep),
    /// The visit is decided.
    Decided(Decision),
}

/// Why a port failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    /// The byte stream to the board failed.
    Io(String),
    /// The board sent something this host cannot use.
    Protocol(String),
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "link to the board: {e}"),
            Self::Protocol(e) => write!(f, "board protocol: {e}"),
        }
    }
}

/// A reception terminal the counter can drive.
pub trait Port {
    /// Starts the terminal at `now`; returns its first actions.
    fn start(&mut self, now: Now) -> Result<Vec<HostAction>, PortError>;
    /// Feeds one event; returns the actions it caused, in order.
    fn handle(&mut self, now: Now, event: Event<'_>) -> Result<Vec<HostAction>, PortError>;
    /// When the terminal must next be ticked.
    fn poll_timeout(&self) -> Option<Millis>;
    /// Where the terminal is.
    fn state(&self) -> State;
    /// Actions the terminal dropped (zero in a correct integration).
    fn dropped_actions(&self) -> u32;
    /// Restarts the terminal as after a power cut (everything in RAM is
    /// lost); returns its first actions.
    fn restart(&mut self, now: Now) -> Result<Vec<HostAction>, PortError> {
        self.start(now)
    }
}

/// The terminal in this process.
pub struct LocalPort {
    terminal: Terminal,
    config: TerminalConfig,
}

impl LocalPort {
    /// A terminal with this configuration and the national policy.
    pub fn new(config: TerminalConfig) -> Self {
        Self { terminal: Terminal::new(config, Policy::national()), config }
    }

    fn drain(&mut self) -> Vec<HostAction> {
        let mut out = Vec::new();
        while let Some(action) = self.terminal.poll_action() {
            out.push(match action {
                Action::SendApdu(cmd) => HostAction::Apdu(cmd.as_bytes().to_vec()),
                Action::SendVerify(cmd) => HostAction::Apdu(cmd.as_bytes().to_vec()),
                Action::Show(s) => HostAction::Show(s),
                Action::SendQuery(q) => HostAction::Query(q),
                Action::Log(r) => HostAction::Log(r),
                Action::Beep(b) => HostAction::Beep(b),
                Action::Decided(d) => HostAction::Decided(d),
            });
        }
        out
    }
}

impl Port for LocalPort {
    fn start(&mut self, now: Now) -> Result<Vec<HostAction>, PortError> {
        self.terminal.start(now);
        Ok(self.drain())
    }

    fn handle(&mut self, now: Now, event: Event<'_>) -> Result<Vec<HostAction>, PortError> {
        let mut out = Vec::new();
        // Deadlines that fell due go first, one step per call: drain, then the event again.
        while self.terminal.handle(now, event) == Handled::Deferred {
            out.extend(self.drain());
        }
        out.extend(self.drain());
        Ok(out)
    }

    fn poll_timeout(&self) -> Option<Millis> {
        self.terminal.poll_timeout()
    }

    fn state(&self) -> State {
        self.terminal.state()
    }

    fn dropped_actions(&self) -> u32 {
        self.terminal.dropped_actions()
    }

    fn restart(&mut self, now: Now) -> Result<Vec<HostAction>, PortError> {
        self.terminal = Terminal::new(self.config, Policy::national());
        self.start(now)
    }
}
