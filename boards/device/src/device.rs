//! The device loop: keys and card reader in, the firmware's [`Terminal`] in
//! the middle, screens, APDUs and link messages out.
//!
//! A board builds the parts, waits for the host's `StartDevice`, makes a
//! [`Device`] and then calls [`Device::step`] as often as it can (and
//! [`Device::on_message`] with each link message). Time is the board's
//! monotonic milliseconds; the calendar day is the one `StartDevice` gave.
//! Every log record goes into the board's [`LogStore`] (the reception log
//! on its NOR flash) and to the host; a record the store refuses is
//! counted and reported with `Message::LogFailed` (`docs/reception-log.md`).
//! What goes over the link is in `docs/boards/device-link.md`.

use crate::buttons::{Buttons, Key};
use crate::keymap::{KeyAction, key_action};
use crate::log_store::LogStore;
use crate::pn532::{Reader, ReaderEvent};
use chrono::NaiveDate;
use core::fmt;
use embedded_hal::digital::InputPin;
use embedded_io::{Read, ReadReady, Write};
use firmware::domain::{Facility, NetworkState, ReaderState};
use firmware::link::Message;
use firmware::reception::{
    Action, Event, Handled, Millis, Now, State, Terminal, TerminalConfig, WireAction, WireEvent,
};
use firmware::rules::Policy;
use firmware::ui::Screen;

/// A display the loop shows screens on.
pub trait Panel {
    /// Why showing failed.
    type Error;

    /// Draws `screen` and puts it on the display.
    fn show(&mut self, screen: &Screen) -> Result<(), Self::Error>;
}

impl<T: Panel + ?Sized> Panel for &mut T {
    type Error = T::Error;

    fn show(&mut self, screen: &Screen) -> Result<(), Self::Error> {
        T::show(self, screen)
    }
}

/// The link to the host (online service, clerk PC, log).
pub trait Uplink {
    /// Why sending failed.
    type Error;

    /// Sends one message.
    fn send(&mut self, message: &Message) -> Result<(), Self::Error>;
}

/// Why a step of the loop failed. The terminal's state is consistent either
/// way; the board logs the error and goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DeviceError<PanelE, LinkE, PinE> {
    /// The display failed.
    Panel(PanelE),
    /// The link failed: a message was lost.
    Link(LinkE),
    /// A key could not be read.
    Buttons(PinE),
}

impl<PanelE: fmt::Debug, LinkE: fmt::Debug, PinE: fmt::Debug> fmt::Display for DeviceError<PanelE, LinkE, PinE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Panel(e) => write!(f, "display failed: {e:?}"),
            Self::Link(e) => write!(f, "link failed, a message was lost: {e:?}"),
            Self::Buttons(e) => write!(f, "key input failed: {e:?}"),
        }
    }
}

/// Most reader events handled in one step (a step never spins).
const MAX_READER_EVENTS: usize = 8;

/// The device: terminal, display, reader, keys, link and log store.
pub struct Device<P, U, K, L, S> {
    terminal: Terminal,
    policy: Policy,
    panel: P,
    reader: Reader<U>,
    buttons: Buttons<K>,
    link: L,
    date: NaiveDate,
    /// Board time and terminal time at `StartDevice`.
    origin: (u64, Millis),
    network: NetworkState,
    reader_state: ReaderState,
    /// The terminal's last screen.
    screen: Option<Screen>,
    /// What the display shows.
    shown: Option<Screen>,
    /// The PIN picker's digit.
    digit: u8,
    seq: u32,
    reported: Option<(State, ReaderState)>,
    /// Inputs handled so far (events fed, picker turns).
    inputs: u32,
    /// The reception log.
    store: S,
    /// Records the store did not take since the start.
    unsaved: u32,
}

type StepResult<T, P, L, K> = core::result::Result<
    T,
    DeviceError<<P as Panel>::Error, <L as Uplink>::Error, <K as embedded_hal::digital::ErrorType>::Error>,
>;

impl<P, U, K, L, S> Device<P, U, K, L, S>
where
    P: Panel,
    U: Read + ReadReady + Write,
    K: InputPin,
    L: Uplink,
    S: LogStore,
{
    /// A device for the facility and time of `StartDevice { facility, now }`,
    /// received at board time `board_ms`. Call [`start`](Self::start) next.
    #[allow(clippy::too_many_arguments, reason = "the board's parts, each its own type, handed over once")]
    pub fn new(
        facility: Facility,
        now: Now,
        board_ms: u64,
        panel: P,
        reader: Reader<U>,
        buttons: Buttons<K>,
        link: L,
        store: S,
    ) -> Self {
        let policy = Policy::national();
        Self {
            terminal: Terminal::new(TerminalConfig::new(facility), policy),
            policy,
            panel,
            reader,
            buttons,
            link,
            date: now.date,
            origin: (board_ms, now.ms),
            network: facility.network,
            reader_state: facility.reader,
            screen: None,
            shown: None,
            digit: 0,
            seq: 0,
            reported: None,
            inputs: 0,
            store,
            unsaved: 0,
        }
    }

    /// Shows the idle screen and reports the state.
    pub fn start(&mut self, board_ms: u64) -> StepResult<(), P, L, K> {
        let now = self.now(board_ms);
        self.terminal.start(now);
        self.drain()
    }

    /// One pass of the loop at board time `board_ms`: keys, card reader and
    /// the terminal's timers.
    pub fn step(&mut self, board_ms: u64) -> StepResult<(), P, L, K> {
        let now = self.now(board_ms);
        let presses = self.buttons.poll(now.ms).map_err(DeviceError::Buttons)?;
        for key in presses.iter() {
            self.on_key(now, key)?;
        }
        for _ in 0..MAX_READER_EVENTS {
            // Deadlines first: a card answer is taken while its bytes are in the reader.
            self.settle(now)?;
            let event = match self.reader.poll(now.ms) {
                None => break,
                Some(ReaderEvent::CardPlaced) => Event::CardPlaced,
                Some(ReaderEvent::CardRemoved) => Event::CardRemoved,
                Some(ReaderEvent::CardResponse(bytes)) => {
                    // The bytes live in the reader until its next poll; no
                    // deadline is due (settled above), so the terminal takes them now.
                    let handled = self.terminal.handle(now, Event::CardResponse(bytes));
                    debug_assert_ne!(handled, Handled::Deferred);
                    self.drain()?;
                    continue;
                }
                Some(ReaderEvent::Broken) => {
                    self.reader_state = ReaderState::Broken;
                    Event::Equipment { reader: ReaderState::Broken, network: self.network }
                }
                Some(ReaderEvent::Working) => {
                    self.reader_state = ReaderState::Working;
                    Event::Equipment { reader: ReaderState::Working, network: self.network }
                }
            };
            self.feed(now, event)?;
        }
        self.settle(now)
    }

    /// Handles a link message from the host at board time `board_ms`;
    /// `false` when it is not one a device takes (the board decides what
    /// to do with it: `Done` ends the session).
    pub fn on_message(&mut self, board_ms: u64, message: &Message) -> StepResult<bool, P, L, K> {
        let now = self.now(board_ms);
        match message {
            Message::Reply(reply) => self.feed(now, Event::OnlineReply(reply))?,
            Message::Peripheral(WireEvent::Equipment { network, .. }) => {
                self.network = *network;
                let event = Event::Equipment { reader: self.reader_state, network: *network };
                self.feed(now, event)?;
            }
            Message::Peripheral(event) if from_outside(event) => self.feed(now, event.as_event())?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The terminal (for the board's log and tests).
    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }

    /// What the display shows.
    pub fn shown(&self) -> Option<&Screen> {
        self.shown.as_ref()
    }

    /// Inputs handled since the start (events fed to the terminal, picker
    /// turns): a board that sees no change may sleep until its next tick.
    pub fn inputs(&self) -> u32 {
        self.inputs
    }

    /// Log records the store did not take since the start (each was
    /// forwarded to the host and reported with `Message::LogFailed`).
    pub fn unsaved_records(&self) -> u32 {
        self.unsaved
    }

    /// The link, for the board to read the host's messages from it.
    pub fn uplink_mut(&mut self) -> &mut L {
        &mut self.link
    }

    /// The parts back.
    pub fn release(self) -> (P, Reader<U>, Buttons<K>, L, S) {
        (self.panel, self.reader, self.buttons, self.link, self.store)
    }

    fn now(&self, board_ms: u64) -> Now {
        let (board0, ms0) = self.origin;
        Now { ms: Millis(ms0.0.saturating_add(board_ms.saturating_sub(board0))), date: self.date }
    }

    fn on_key(&mut self, now: Now, key: Key) -> StepResult<(), P, L, K> {
        let Some(shown) = self.shown else { return Ok(()) };
        match key_action(&shown, key) {
            KeyAction::Event(choice) => self.feed(now, choice.event()),
            KeyAction::PickerUp => self.turn_picker((self.digit + 1) % 10),
            KeyAction::PickerDown => self.turn_picker((self.digit + 9) % 10),
            KeyAction::PickerEnter => {
                let digit = core::mem::take(&mut self.digit);
                self.feed(now, Event::PinDigit(digit))?;
                // Never leave the entered digit on the picker.
                self.turn_picker(0)
            }
            KeyAction::OpenPicker => match self.screen {
                Some(Screen::PinWrong { tries_left }) => {
                    self.digit = 0;
                    self.present(Screen::PinPicker { entered: 0, tries_left: Some(tries_left), digit: 0 })
                }
                _ => Ok(()),
            },
            KeyAction::Nothing => Ok(()),
        }
    }

    fn turn_picker(&mut self, digit: u8) -> StepResult<(), P, L, K> {
        if let Some(Screen::PinPicker { entered, tries_left, .. }) = self.shown {
            self.inputs = self.inputs.wrapping_add(1);
            self.digit = digit;
            self.present(Screen::PinPicker { entered, tries_left, digit })?;
        }
        Ok(())
    }

    /// Gives `event` to the terminal and carries out what it queued; when
    /// deadlines fell due first, their actions go out and the event again.
    fn feed(&mut self, now: Now, event: Event<'_>) -> StepResult<(), P, L, K> {
        while self.terminal.handle(now, event) == Handled::Deferred {
            self.drain()?;
        }
        self.drain()
    }

    /// Lets the terminal handle the deadlines due by `now`.
    fn settle(&mut self, now: Now) -> StepResult<(), P, L, K> {
        if self.terminal.poll_timeout().is_some_and(|due| due <= now.ms) {
            self.feed(now, Event::Tick)?;
        }
        Ok(())
    }

    /// Carries out every queued action; the last screen shown is drawn.
    fn drain(&mut self) -> StepResult<(), P, L, K> {
        self.inputs = self.inputs.wrapping_add(1);
        let mut screen = None;
        let mut lost = None;
        let unsaved_before = self.unsaved;
        while let Some(action) = self.terminal.poll_action() {
            let message = match action {
                Action::SendApdu(command) => {
                    self.reader.exchange(command.as_bytes());
                    continue;
                }
                Action::SendVerify(command) => {
                    // `command` zeroises itself when dropped here.
                    self.reader.exchange(command.as_bytes());
                    continue;
                }
                Action::Show(s) => {
                    screen = Some(s);
                    continue;
                }
                Action::SendQuery(query) => Message::Query(query),
                Action::Log(record) => {
                    // Stored here and forwarded either way: a record the
                    // flash refused still reaches the host.
                    if let Err(_e) = self.store.append(&record) {
                        self.unsaved = self.unsaved.saturating_add(1);
                        #[cfg(feature = "defmt")]
                        defmt::warn!("log: record not stored: {}", defmt::Debug2Format(&_e));
                    }
                    Message::TerminalAction(WireAction::Log(record))
                }
                Action::Beep(beep) => Message::TerminalAction(WireAction::Beep(beep)),
                Action::Decided(decision) => {
                    Message::TerminalAction(WireAction::Decided(decision.digest(&self.policy)))
                }
            };
            if let Err(e) = self.link.send(&message) {
                lost.get_or_insert(e);
            }
        }
        if self.unsaved != unsaved_before
            && let Err(e) = self.link.send(&Message::LogFailed { unsaved: self.unsaved })
        {
            lost.get_or_insert(e);
        }
        if let Some(s) = screen {
            self.screen = Some(s);
            let drawn = match s {
                Screen::PinEntry { entered, tries_left } => {
                    self.digit = 0;
                    Screen::PinPicker { entered, tries_left, digit: 0 }
                }
                other => other,
            };
            self.present(drawn)?;
        }
        let now = (self.terminal.state(), self.reader_state);
        if self.reported != Some(now) {
            self.reported = Some(now);
            let (state, reader) = now;
            if let Err(e) = self.link.send(&Message::DeviceState { state, reader }) {
                lost.get_or_insert(e);
            }
        }
        match lost {
            Some(e) => Err(DeviceError::Link(e)),
            None => Ok(()),
        }
    }

    /// Puts `screen` on the display unless it is already there, and says so.
    fn present(&mut self, screen: Screen) -> StepResult<(), P, L, K> {
        if self.shown == Some(screen) {
            return Ok(());
        }
        self.panel.show(&screen).map_err(DeviceError::Panel)?;
        self.shown = Some(screen);
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        self.link.send(&Message::ScreenShown { seq, screen }).map_err(DeviceError::Link)
    }
}

/// Whether a peripheral event may come from the host: the camera, the clerk
/// PC and the network, never the card or the patient's keys (the board's
/// own reader and buttons give those).
pub fn from_outside(event: &WireEvent) -> bool {
    use WireEvent as W;
    match event {
        W::FaceResult { .. }
        | W::StaffVisualCheck
        | W::StaffIdentityConfirmed
        | W::StaffKeyIn { .. }
        | W::StaffDocument(_)
        | W::StaffCircumstances(_)
        | W::StaffQueryByNumbers(_)
        | W::StaffCardSeen
        | W::StaffBirthDate(_)
        | W::StaffDecide
        | W::StaffCancel
        | W::Equipment { .. }
        // The phone reports its holder's authentication through the
        // general-purpose NFC reader, not through the board.
        | W::PhoneAuthenticated => true,
        W::CardPlaced
        | W::CardRemoved
        | W::ChooseFace
        | W::ChoosePin
        | W::PinDigit(_)
        | W::PinBackspace
        | W::ConfirmLastTry(_)
        | W::Consent(_)
        | W::Register(_)
        | W::ChoosePhone(_)
        // Typed on the reader's own keys (this board has no text entry yet).
        | W::VisualCheckPassword(_)
        | W::Tick => false,
    }
}

#[cfg(test)]
mod tests;
