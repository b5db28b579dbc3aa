//! The loop with fakes of its parts: a recording panel and link, keys on
//! shared levels, and a scripted PN532 with host-sim's virtual My Number card
//! behind it. A whole visit, key by key.

use super::*;
use crate::buttons::DEBOUNCE_MS;
use crate::log_store::ForwardOnly;
use crate::pn532::frame::{self, ACK, Decoded, Decoder};
use core::cell::RefCell;
use core::convert::Infallible;
use firmware::domain::{CopayRate, FacilityKind, InsurerNumber, OnlineAnswer, Validity};
use firmware::link::{EligibilityReply, QueryBy};
use host_sim::virtual_card::{CardProfile, VirtualCard};

extern crate std;
use std::collections::VecDeque;
use std::vec::Vec;

#[derive(Default)]
struct World {
    screens: Vec<Screen>,
    sent: Vec<Message>,
    /// Keys held (in `Key::ALL` order).
    held: [bool; 5],
    /// Bytes from the PN532 to the board, and back.
    rx: VecDeque<u8>,
    tx: Vec<u8>,
    /// The card on the reader.
    card: Option<VirtualCard>,
    /// APDU instructions the card received.
    ins: Vec<u8>,
}

struct FakePanel<'a>(&'a RefCell<World>);
impl Panel for FakePanel<'_> {
    type Error = Infallible;
    fn show(&mut self, screen: &Screen) -> core::result::Result<(), Infallible> {
        self.0.borrow_mut().screens.push(*screen);
        Ok(())
    }
}

struct FakeLink<'a>(&'a RefCell<World>);
impl Uplink for FakeLink<'_> {
    type Error = Infallible;
    fn send(&mut self, message: &Message) -> core::result::Result<(), Infallible> {
        self.0.borrow_mut().sent.push(message.clone());
        Ok(())
    }
}

struct FakeKey<'a>(&'a RefCell<World>, usize);
impl embedded_hal::digital::ErrorType for FakeKey<'_> {
    type Error = Infallible;
}
impl InputPin for FakeKey<'_> {
    fn is_high(&mut self) -> core::result::Result<bool, Infallible> {
        Ok(!self.0.borrow().held[self.1])
    }
    fn is_low(&mut self) -> core::result::Result<bool, Infallible> {
        Ok(self.0.borrow().held[self.1])
    }
}

struct FakeUart<'a>(&'a RefCell<World>);
impl embedded_io::ErrorType for FakeUart<'_> {
    type Error = Infallible;
}
impl Read for FakeUart<'_> {
    fn read(&mut self, buf: &mut [u8]) -> core::result::Result<usize, Infallible> {
        let mut w = self.0.borrow_mut();
        let mut n = 0;
        while n < buf.len() {
            let Some(b) = w.rx.pop_front() else { break };
            buf[n] = b;
            n += 1;
        }
        Ok(n)
    }
}
impl ReadReady for FakeUart<'_> {
    fn read_ready(&mut self) -> core::result::Result<bool, Infallible> {
        Ok(!self.0.borrow().rx.is_empty())
    }
}
impl Write for FakeUart<'_> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Infallible> {
        self.0.borrow_mut().tx.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> core::result::Result<(), Infallible> {
        Ok(())
    }
}

/// Plays the PN532: answers every command frame the board sent.
fn play_pn532(world: &RefCell<World>) {
    let tx = core::mem::take(&mut world.borrow_mut().tx);
    let mut d = Decoder::new();
    for &b in &tx {
        if d.push(b) != Some(Ok(Decoded::Info)) {
            continue;
        }
        let cmd = d.info().get(1..).unwrap_or(&[]).to_vec();
        let mut w = world.borrow_mut();
        let answer: Vec<u8> = match cmd.first() {
            Some(0x14) => std::vec![0xD5, 0x15],
            Some(0x32) => std::vec![0xD5, 0x33],
            Some(0x4A) if w.card.is_some() => {
                std::vec![0xD5, 0x4B, 0x01, 0x01, 0x50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x71, 0x71, 0x01, 0x00]
            }
            Some(0x4A) => std::vec![0xD5, 0x4B, 0x00],
            Some(0x00) => std::vec![0xD5, 0x01, if w.card.is_some() { 0x00 } else { 0x01 }],
            Some(0x52) => std::vec![0xD5, 0x53, 0x00],
            Some(0x40) => {
                let apdu = cmd.get(2..).unwrap_or(&[]).to_vec();
                w.ins.push(apdu.get(1).copied().unwrap_or(0));
                match w.card.as_mut().map(|c| c.transmit(&apdu)) {
                    Some(Ok(resp)) => [&[0xD5, 0x41, 0x00][..], &resp].concat(),
                    _ => std::vec![0xD5, 0x41, 0x01],
                }
            }
            _ => continue,
        };
        w.rx.extend(ACK);
        let mut out = [0u8; frame::MAX_FRAME];
        let n = frame::encode(&answer, &mut out).expect("answer fits");
        w.rx.extend(&out[..n]);
    }
}

type TestDevice<'a> = Device<FakePanel<'a>, FakeUart<'a>, FakeKey<'a>, FakeLink<'a>, ForwardOnly>;

/// A device on the fakes of `world`, at a clinic (online-capable or not) on
/// 2026-11-30, started at `start_ms`, storing its log in `store`.
fn device_on<S: LogStore>(
    world: &RefCell<World>,
    online_capable: bool,
    start_ms: u64,
    store: S,
) -> Device<FakePanel<'_>, FakeUart<'_>, FakeKey<'_>, FakeLink<'_>, S> {
    let facility = Facility {
        kind: FacilityKind::Clinic,
        online_capable,
        reader: ReaderState::Working,
        network: NetworkState::Up,
        phone_reader: false,
    };
    let date = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let keys = core::array::from_fn(|i| FakeKey(world, i));
    Device::new(
        facility,
        Now { ms: Millis(start_ms), date },
        0,
        FakePanel(world),
        Reader::new(FakeUart(world)),
        Buttons::new(keys),
        FakeLink(world),
        store,
    )
}

struct Visit<'a> {
    world: &'a RefCell<World>,
    device: TestDevice<'a>,
    ms: u64,
}

impl<'a> Visit<'a> {
    fn new(world: &'a RefCell<World>) -> Self {
        let mut device = device_on(world, true, 1_000, ForwardOnly);
        // QEMU: every key reads pressed until its first event.
        world.borrow_mut().held = [true; 5];
        device.start(0).unwrap();
        let mut v = Self { world, device, ms: 0 };
        v.run(100);
        v.world.borrow_mut().held = [false; 5];
        v.run(100);
        v
    }

    fn run(&mut self, ms: u64) {
        let end = self.ms + ms;
        while self.ms < end {
            self.device.step(self.ms).unwrap();
            play_pn532(self.world);
            self.ms += 5;
        }
    }

    fn press(&mut self, key: Key) {
        let i = Key::ALL.iter().position(|k| *k == key).unwrap_or(0);
        self.world.borrow_mut().held[i] = true;
        self.run(DEBOUNCE_MS + 20);
        self.world.borrow_mut().held[i] = false;
        self.run(DEBOUNCE_MS + 20);
    }

    fn shown(&self) -> Option<Screen> {
        self.device.shown().copied()
    }

    fn take_sent(&self) -> Vec<Message> {
        core::mem::take(&mut self.world.borrow_mut().sent)
    }
}

#[test]
fn a_whole_visit_with_pin_by_keys() {
    let world = RefCell::new(World::default());
    let mut v = Visit::new(&world);
    assert_eq!(v.shown(), Some(Screen::Idle { online: true }));
    // The keys read pressed at boot did nothing.
    assert_eq!(world.borrow().screens, [Screen::Idle { online: true }]);

    world.borrow_mut().card = Some(VirtualCard::new(CardProfile::default()).unwrap());
    v.run(3_000);
    assert_eq!(v.shown(), Some(Screen::ChooseAuth { pin_allowed: true }));

    v.press(Key::Right);
    assert_eq!(v.shown(), Some(Screen::PinPicker { entered: 0, tries_left: Some(3), digit: 0 }));
    for digit in [1u8, 2, 3, 4] {
        for _ in 0..digit {
            v.press(Key::Up);
        }
        if digit < 4 {
            assert_eq!(v.shown(), Some(Screen::PinPicker { entered: digit - 1, tries_left: Some(3), digit }));
        }
        v.press(Key::Select);
        if digit < 4 {
            assert_eq!(v.shown(), Some(Screen::PinPicker { entered: digit, tries_left: Some(3), digit: 0 }));
        }
    }
    v.run(500);
    assert_eq!(v.shown(), Some(Screen::Consent));
    assert!(world.borrow().card.as_ref().is_some_and(|c| c.pin_verified()));
    assert_eq!(world.borrow().ins.iter().filter(|&&i| i == 0x20).count(), 2, "retry counter, then the VERIFY");

    v.take_sent();
    v.press(Key::Left);
    assert_eq!(v.shown(), Some(Screen::Querying));
    let sent = v.take_sent();
    let query = sent.iter().find_map(|m| match m {
        Message::Query(q) => Some(q.clone()),
        _ => None,
    });
    let query = query.expect("a query went to the host");
    assert!(matches!(query.by, QueryBy::CardSerial(_)));

    let answer = OnlineAnswer {
        validity: Validity::Valid,
        insurer: InsurerNumber::parse("01130012").ok(),
        card_class: None,
        copay: Some(CopayRate::Thirty),
        preschool: false,
        elderly: None,
        limit: None,
        disease: None,
        qualified_on: None,
        disqualified_on: None,
        birth_date: None,
    };
    let reply = Message::Reply(EligibilityReply { id: query.id, result: Ok(answer) });
    assert_eq!(v.device.on_message(v.ms, &reply), Ok(true));
    assert!(matches!(v.shown(), Some(Screen::Result { copay: CopayRate::Thirty, .. })));
    let sent = v.take_sent();
    assert!(sent.iter().any(|m| matches!(m, Message::TerminalAction(WireAction::Decided(_)))));
    assert!(sent.iter().any(|m| matches!(m, Message::DeviceState { state: State::Result, .. })));

    // Every screen drawn was reported, numbered from 0, in order.
    let screens = world.borrow().screens.clone();
    v.take_sent();
    assert!(screens.windows(2).all(|w| w[0] != w[1]), "a screen was drawn twice in a row");
    assert!(screens.iter().all(|s| !matches!(s, Screen::PinEntry { .. })), "the picker replaces PIN entry");
    assert!(screens.contains(&Screen::ReadingCard));
}

#[test]
fn screen_shown_reports_each_drawn_screen_in_order() {
    let world = RefCell::new(World::default());
    let mut v = Visit::new(&world);
    world.borrow_mut().card = Some(VirtualCard::new(CardProfile::default()).unwrap());
    v.run(3_000);
    v.press(Key::Right);
    v.press(Key::Up);
    let shown: Vec<(u32, Screen)> = world
        .borrow()
        .sent
        .iter()
        .filter_map(|m| match m {
            Message::ScreenShown { seq, screen } => Some((*seq, *screen)),
            _ => None,
        })
        .collect();
    let screens = world.borrow().screens.clone();
    assert_eq!(shown.iter().map(|(_, s)| *s).collect::<Vec<_>>(), screens);
    assert!(shown.iter().enumerate().all(|(i, (seq, _))| *seq as usize == i));
    assert_eq!(shown.last().map(|(_, s)| *s), Some(Screen::PinPicker { entered: 0, tries_left: Some(3), digit: 1 }));
    // No APDU went over the link.
    assert!(world.borrow().sent.iter().all(|m| !matches!(m, Message::TerminalAction(WireAction::Apdu(_)))));
}

#[test]
fn the_card_lifted_mid_read_ends_on_the_card_removed_screen() {
    let world = RefCell::new(World::default());
    let mut v = Visit::new(&world);
    world.borrow_mut().card = Some(VirtualCard::new(CardProfile::default()).unwrap());
    v.run(3_000);
    assert_eq!(v.shown(), Some(Screen::ChooseAuth { pin_allowed: true }));
    world.borrow_mut().card = None;
    v.run(1_000);
    assert_eq!(v.shown(), Some(Screen::CardRemoved));
    // The message screen times out back to idle; no panic, no hang.
    v.run(20_000);
    assert_eq!(v.shown(), Some(Screen::Idle { online: true }));
}

#[test]
fn the_host_may_not_play_the_patient_or_the_card() {
    let world = RefCell::new(World::default());
    let mut v = Visit::new(&world);
    for event in [WireEvent::CardPlaced, WireEvent::ChoosePin, WireEvent::PinDigit(1), WireEvent::Tick] {
        assert_eq!(v.device.on_message(v.ms, &Message::Peripheral(event)), Ok(false));
    }
    assert_eq!(v.shown(), Some(Screen::Idle { online: true }));
    // The network switch is the host's: the idle screen follows it.
    let down = WireEvent::Equipment { reader: ReaderState::Broken, network: NetworkState::Down };
    assert_eq!(v.device.on_message(v.ms, &Message::Peripheral(down)), Ok(true));
    let last_state = world.borrow().sent.iter().rev().find_map(|m| match m {
        Message::DeviceState { reader, .. } => Some(*reader),
        _ => None,
    });
    // ... but the reader's state stays the board's own.
    assert_eq!(last_state, Some(ReaderState::Working));
}

#[test]
fn a_silent_reader_is_reported_broken_and_the_loop_goes_on() {
    let world = RefCell::new(World::default());
    let mut device = device_on(&world, true, 0, ForwardOnly);
    device.start(0).unwrap();
    // Nobody answers on UART1.
    for ms in (0..10_000).step_by(5) {
        device.step(ms).unwrap();
    }
    let broken =
        world.borrow().sent.iter().any(|m| matches!(m, Message::DeviceState { reader: ReaderState::Broken, .. }));
    assert!(broken);
    assert_eq!(device.terminal().state(), State::Idle);
}

/// NOR flash in RAM with the log region's geometry.
struct RamNor(Vec<u8>);

impl embedded_storage::nor_flash::ErrorType for RamNor {
    type Error = embedded_storage::nor_flash::NorFlashErrorKind;
}

impl embedded_storage::nor_flash::ReadNorFlash for RamNor {
    const READ_SIZE: usize = 1;
    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> core::result::Result<(), Self::Error> {
        let at = offset as usize;
        let src = self.0.get(at..at + bytes.len()).ok_or(Self::Error::OutOfBounds)?;
        bytes.copy_from_slice(src);
        Ok(())
    }
    fn capacity(&self) -> usize {
        self.0.len()
    }
}

impl embedded_storage::nor_flash::NorFlash for RamNor {
    const WRITE_SIZE: usize = firmware::log::region::WRITE_SIZE;
    const ERASE_SIZE: usize = firmware::log::region::PAGE_SIZE as usize;
    fn erase(&mut self, from: u32, to: u32) -> core::result::Result<(), Self::Error> {
        self.0.get_mut(from as usize..to as usize).ok_or(Self::Error::OutOfBounds)?.fill(0xFF);
        Ok(())
    }
    fn write(&mut self, offset: u32, bytes: &[u8]) -> core::result::Result<(), Self::Error> {
        let at = offset as usize;
        let dst = self.0.get_mut(at..at + bytes.len()).ok_or(Self::Error::OutOfBounds)?;
        dst.iter_mut().zip(bytes).for_each(|(d, b)| *d &= b);
        Ok(())
    }
}

impl embedded_storage::nor_flash::MultiwriteNorFlash for RamNor {}

/// A device at an offline clinic with `store`; the clerk asks for a
/// decision (which logs it). Returns what it sent and the store.
fn decide_with<S: LogStore>(store: S) -> (Vec<Message>, S, u32) {
    let world = RefCell::new(World::default());
    let mut device = device_on(&world, false, 0, store);
    device.start(0).unwrap();
    device.on_message(10, &Message::Peripheral(WireEvent::StaffDecide)).unwrap();
    let unsaved = device.unsaved_records();
    let (.., store) = device.release();
    let sent = world.borrow().sent.clone();
    (sent, store, unsaved)
}

fn forwarded_records(sent: &[Message]) -> Vec<firmware::reception::LogRecord> {
    sent.iter()
        .filter_map(|m| match m {
            Message::TerminalAction(WireAction::Log(r)) => Some(*r),
            _ => None,
        })
        .collect()
}

#[test]
fn every_record_is_stored_in_flash_and_forwarded() {
    use firmware::log::{ReceptionLog, region::REGION_SIZE};
    let flash = RamNor(std::vec![0xFF; REGION_SIZE as usize]);
    let log = ReceptionLog::new(flash, 0..REGION_SIZE).unwrap();
    let (sent, mut log, unsaved) = decide_with(log);
    let forwarded = forwarded_records(&sent);
    assert!(!forwarded.is_empty(), "the decision is logged");
    let mut stored = Vec::new();
    log.for_each(|r| stored.push(r)).unwrap();
    assert_eq!(stored, forwarded);
    assert_eq!(unsaved, 0);
    assert!(!sent.iter().any(|m| matches!(m, Message::LogFailed { .. })));
}

#[test]
fn a_record_the_flash_refuses_is_forwarded_and_reported() {
    // No store (the flash region could not be opened): every append fails.
    let (sent, _, unsaved) = decide_with(None::<firmware::log::ReceptionLog<RamNor>>);
    let forwarded = forwarded_records(&sent);
    assert!(!forwarded.is_empty());
    assert_eq!(unsaved as usize, forwarded.len());
    let reported: Vec<u32> = sent
        .iter()
        .filter_map(|m| match m {
            Message::LogFailed { unsaved } => Some(*unsaved),
            _ => None,
        })
        .collect();
    assert_eq!(reported.last().copied(), Some(unsaved), "the host is told how many");
    // Reported after the records of the same step, not before.
    let last_log = sent.iter().rposition(|m| matches!(m, Message::TerminalAction(WireAction::Log(_)))).unwrap();
    let last_failed = sent.iter().rposition(|m| matches!(m, Message::LogFailed { .. })).unwrap();
    assert!(last_failed > last_log);
}
