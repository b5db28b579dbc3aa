//! Every fault of the virtual PN532 (host-sim) ends in a defined state of
//! the board's device loop (`boards/device`): no hang, no panic. The loop
//! runs on the host on a virtual clock, its UART1 an in-memory pipe to the
//! virtual PN532 with a valid card in its field; nothing else is faked.
//!
//! The two PN532 ends are independent implementations of UM0701-02 (the
//! board's driver and host-sim's virtual reader).

use chrono::NaiveDate;
use device::buttons::Buttons;
use device::pn532::Reader;
use device::{Device, Panel, Uplink};
use firmware::domain::{Facility, FacilityKind, NetworkState, ReaderState};
use firmware::link::Message;
use firmware::reception::{Millis, Now, State};
use firmware::ui::Screen;
use host_sim::virtual_card::{CardProfile, VirtualCard};
use host_sim::virtual_pn532::{FaultAim, Pn532Fault, VirtualPn532};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::convert::Infallible;

struct World {
    pn532: VirtualPn532,
    to_board: VecDeque<u8>,
    screens: Vec<Screen>,
    states: Vec<(State, ReaderState)>,
    released: bool,
}

struct Oled<'a>(&'a RefCell<World>);
impl Panel for Oled<'_> {
    type Error = Infallible;
    fn show(&mut self, screen: &Screen) -> Result<(), Infallible> {
        self.0.borrow_mut().screens.push(*screen);
        Ok(())
    }
}

struct Link<'a>(&'a RefCell<World>);
impl Uplink for Link<'_> {
    type Error = Infallible;
    fn send(&mut self, message: &Message) -> Result<(), Infallible> {
        if let Message::DeviceState { state, reader } = message {
            self.0.borrow_mut().states.push((*state, *reader));
        }
        Ok(())
    }
}

/// A gamepad key: pressed at boot (QEMU), released once the loop ran.
struct Pad<'a>(&'a RefCell<World>);
impl embedded_hal::digital::ErrorType for Pad<'_> {
    type Error = Infallible;
}
impl embedded_hal::digital::InputPin for Pad<'_> {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.0.borrow().released)
    }
    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.0.borrow().released)
    }
}

/// UART1: bytes go straight into the virtual PN532, its answers queue up.
struct Uart1<'a>(&'a RefCell<World>);
impl embedded_io::ErrorType for Uart1<'_> {
    type Error = Infallible;
}
impl embedded_io::Read for Uart1<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Infallible> {
        let mut w = self.0.borrow_mut();
        let n = buf.len().min(w.to_board.len());
        for slot in &mut buf[..n] {
            *slot = w.to_board.pop_front().unwrap_or(0);
        }
        Ok(n)
    }
}
impl embedded_io::ReadReady for Uart1<'_> {
    fn read_ready(&mut self) -> Result<bool, Infallible> {
        Ok(!self.0.borrow().to_board.is_empty())
    }
}
impl embedded_io::Write for Uart1<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Infallible> {
        let mut w = self.0.borrow_mut();
        let out = w.pn532.receive(buf);
        w.to_board.extend(out);
        Ok(buf.len())
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
}

type Board<'a> = Device<Oled<'a>, Uart1<'a>, Pad<'a>, Link<'a>, device::ForwardOnly>;

const STEP_MS: u64 = 5;

fn start(world: &RefCell<World>) -> (Board<'_>, u64) {
    let facility = Facility {
        kind: FacilityKind::Clinic,
        online_capable: true,
        reader: ReaderState::Working,
        network: NetworkState::Up,
        phone_reader: false,
    };
    let date = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let pads = [Pad(world), Pad(world), Pad(world), Pad(world), Pad(world)];
    let mut board = Device::new(
        facility,
        Now { ms: Millis(0), date },
        0,
        Oled(world),
        Reader::new(Uart1(world)),
        Buttons::new(pads),
        Link(world),
        device::ForwardOnly,
    );
    board.start(0).unwrap();
    let mut ms = 0;
    run(&mut board, &mut ms, 100);
    world.borrow_mut().released = true;
    run(&mut board, &mut ms, 100);
    (board, ms)
}

/// Steps the loop for `duration` ms of board time.
fn run(board: &mut Board<'_>, ms: &mut u64, duration: u64) {
    let end = *ms + duration;
    while *ms < end {
        board.step(*ms).unwrap();
        *ms += STEP_MS;
    }
}

/// Runs until the board shows `screen` or `limit` ms pass; returns whether it did.
fn run_until(board: &mut Board<'_>, ms: &mut u64, limit: u64, screen: Screen) -> bool {
    let end = *ms + limit;
    while *ms < end {
        board.step(*ms).unwrap();
        *ms += STEP_MS;
        if board.shown() == Some(&screen) {
            return true;
        }
    }
    false
}

fn world() -> RefCell<World> {
    RefCell::new(World {
        pn532: VirtualPn532::new(),
        to_board: VecDeque::new(),
        screens: Vec::new(),
        states: Vec::new(),
        released: false,
    })
}

fn card() -> VirtualCard {
    VirtualCard::new(CardProfile::default()).unwrap()
}

const CHOOSE: Screen = Screen::ChooseAuth { pin_allowed: true };

/// Places a valid card with `fault` armed on the 3rd card APDU (mid-read),
/// and runs the board for up to 20 s of its time.
fn visit_with(fault: Pn532Fault, times: u32) -> (Vec<Screen>, bool, u32) {
    let w = world();
    let (mut board, mut ms) = start(&w);
    assert!(w.borrow().pn532.is_configured(), "the board woke the reader and configured the SAM");
    {
        let mut ww = w.borrow_mut();
        ww.pn532.arm(fault, FaultAim::DataExchange { skip: 2, times });
        let out = ww.pn532.place_card(card());
        ww.to_board.extend(out);
    }
    let reached = run_until(&mut board, &mut ms, 20_000, CHOOSE);
    let exchanges = w.borrow().pn532.exchanges();
    let played = w.borrow_mut().pn532.take_log().iter().filter(|l| l.starts_with("fault ")).count();
    assert_eq!(played as u32, times, "{fault}: the fault was played {played} times");
    drop(board);
    let screens = w.into_inner().screens;
    (screens, reached, exchanges)
}

/// A fault the driver recovers from (re-send, NACK): the read goes on and
/// the patient is asked how to prove identity, without a `CardRemoved`.
fn recovers(fault: Pn532Fault) {
    let (screens, reached, _) = visit_with(fault, 1);
    assert!(reached, "{fault}: the read did not complete: {screens:?}");
    assert!(!screens.contains(&Screen::CardRemoved), "{fault}: {screens:?}");
}

/// A fault that ends the card session: `CardRemoved` is shown, then (the
/// card still lying on the reader) the board lists it again and the visit
/// starts afresh.
fn ends_the_card_session(fault: Pn532Fault, times: u32) {
    let (screens, reached, exchanges) = visit_with(fault, times);
    let removed = screens.iter().position(|s| *s == Screen::CardRemoved);
    assert!(removed.is_some(), "{fault}: no CardRemoved screen: {screens:?}");
    assert!(reached, "{fault}: after CardRemoved the card was not read again: {screens:?}");
    assert!(screens[removed.unwrap_or(0)..].contains(&Screen::ReadingCard), "{fault}: {screens:?}");
    assert!(exchanges > 3, "{fault}: {exchanges} exchanges");
}

#[test]
fn no_ack_once_is_re_sent_and_the_read_goes_on() {
    recovers(Pn532Fault::NoAck);
}

#[test]
fn no_ack_twice_ends_the_card_session() {
    ends_the_card_session(Pn532Fault::NoAck, 2);
}

#[test]
fn no_answer_ends_the_card_session() {
    ends_the_card_session(Pn532Fault::NoAnswer, 1);
}

#[test]
fn bad_checksum_is_nacked_and_the_read_goes_on() {
    recovers(Pn532Fault::BadChecksum);
}

#[test]
fn syntax_error_frame_ends_the_card_session() {
    ends_the_card_session(Pn532Fault::SyntaxError, 1);
}

#[test]
fn timeout_status_ends_the_card_session() {
    ends_the_card_session(Pn532Fault::Timeout, 1);
}

#[test]
fn target_released_ends_the_card_session() {
    ends_the_card_session(Pn532Fault::TargetReleased, 1);
}

/// `fault` on every command for 15 s: the terminal is told the reader is
/// broken (after 3 errors) and stays idle; once the fault is cleared the
/// reader works again and a card is read. Returns how often it was played.
fn breaks_then_recovers(fault: Pn532Fault) -> usize {
    let w = world();
    let (mut board, mut ms) = start(&w);
    w.borrow_mut().pn532.arm(fault, FaultAim::EveryCommand);
    run(&mut board, &mut ms, 15_000);
    let played = w.borrow_mut().pn532.take_log().iter().filter(|l| l.starts_with(&format!("fault {fault}"))).count();
    assert_eq!(w.borrow().states.last().map(|s| s.1), Some(ReaderState::Broken), "{fault}: {:?}", w.borrow().states);
    assert_eq!(board.terminal().state(), State::Idle);
    w.borrow_mut().pn532.clear_faults();
    run(&mut board, &mut ms, 5_000);
    assert_eq!(w.borrow().states.last().map(|s| s.1), Some(ReaderState::Working), "{fault}: {:?}", w.borrow().states);
    let out = w.borrow_mut().pn532.place_card(card());
    w.borrow_mut().to_board.extend(out);
    assert!(run_until(&mut board, &mut ms, 5_000, CHOOSE), "{fault}: {:?}", w.borrow().screens);
    played
}

/// A reader that stops answering altogether: broken, then working again.
#[test]
fn a_silent_reader_is_reported_broken_then_working_again() {
    assert!(breaks_then_recovers(Pn532Fault::NoAnswer) >= 3);
}

/// Each status fault also on the presence check (Diagnose) once the card
/// was read: the board notices the card "left" and ends the session.
#[test]
fn a_presence_check_fault_ends_the_card_session() {
    for fault in [Pn532Fault::Timeout, Pn532Fault::TargetReleased] {
        let w = world();
        let (mut board, mut ms) = start(&w);
        let out = w.borrow_mut().pn532.place_card(card());
        w.borrow_mut().to_board.extend(out);
        assert!(run_until(&mut board, &mut ms, 5_000, CHOOSE));
        w.borrow_mut().pn532.arm(fault, FaultAim::EveryCommand);
        assert!(run_until(&mut board, &mut ms, 2_000, Screen::CardRemoved), "{fault}: {:?}", w.borrow().screens);
    }
}

/// Line noise instead of every answer, mid-read and then on every command:
/// the card session ends, the reader is reported broken, and once the line
/// is clean the reader works again and the card is read to the end.
#[test]
fn line_noise_ends_the_session_breaks_the_reader_and_it_recovers() {
    ends_the_card_session(Pn532Fault::Noise, 2);
    let played = breaks_then_recovers(Pn532Fault::Noise);
    assert!(played >= 3, "noise answered {played} commands");
}
