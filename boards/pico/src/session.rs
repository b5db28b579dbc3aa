//! The board's sessions with the host, over [`usb_link`](crate::usb_link):
//! greet with `Hello` each time the host opens the port, run the portable
//! device loop from `StartDevice` until `Done` (or until the host opens the
//! port anew), then wait for the next `StartDevice`
//! (`docs/boards/device-link.md`).
//!
//! Until a host starts it, the display shows the network-error screen: the
//! terminal cannot check anything without the host's date and service.

use crate::log_flash::Store;
use crate::usb_link::{self, UsbLink};
use device::buttons::Buttons;
use device::pn532::Reader;
use device::{Device, Panel, Uplink};
use embassy_rp::gpio::Input;
use embassy_rp::uart::BufferedUart;
use embassy_time::{Instant, Timer};
use firmware::link::{FrameReader, Message};
use firmware::ui::Screen;

/// How often the loop runs (keys, card reader, timers, link), ms.
const STEP_MS: u64 = 2;

type Parts<P> = (P, Reader<BufferedUart>, Buttons<Input<'static>>, UsbLink, Store);

/// Where the board is.
enum Stage<P: Panel> {
    /// No session: the parts wait for `StartDevice`.
    Waiting(Parts<P>),
    /// The device loop runs.
    Running(Device<P, BufferedUart, Input<'static>, UsbLink, Store>),
}

impl<P: Panel> Stage<P> {
    fn stop(self) -> Parts<P> {
        match self {
            Stage::Waiting(parts) => parts,
            Stage::Running(device) => device.release(),
        }
    }
}

/// Runs sessions for ever.
pub async fn run<P: Panel>(panel: P, reader: Reader<BufferedUart>, buttons: Buttons<Input<'static>>, store: Store) -> !
where
    P::Error: core::fmt::Debug,
{
    let mut parts = (panel, reader, buttons, UsbLink::new(), store);
    idle(&mut parts);
    let mut stage = Stage::Waiting(parts);
    let mut frames = FrameReader::new();
    let mut buf = [0u8; 64];
    loop {
        if usb_link::OPENED.try_take().is_some() {
            let mut parts = stage.stop();
            idle(&mut parts);
            parts.3.reset();
            frames = FrameReader::new();
            greet(&mut parts.3);
            stage = Stage::Waiting(parts);
        }
        let now = Instant::now().as_millis();
        let n = usb_link::RX.try_read(&mut buf).unwrap_or(0);
        for &byte in &buf[..n] {
            match frames.push(byte) {
                None => {}
                Some(Err(e)) => defmt::warn!("link: dropped frame: {}", e),
                Some(Ok((_, message))) => stage = on_message(stage, now, message),
            }
        }
        if let Stage::Running(device) = &mut stage
            && let Err(e) = device.step(now)
        {
            defmt::warn!("device: {}", defmt::Debug2Format(&e));
        }
        Timer::after_millis(STEP_MS).await;
    }
}

fn on_message<P: Panel>(stage: Stage<P>, now: u64, message: Message) -> Stage<P>
where
    P::Error: core::fmt::Debug,
{
    match (stage, message) {
        (Stage::Waiting((panel, reader, buttons, link, store)), Message::StartDevice { facility, now: at }) => {
            defmt::info!("session: device mode, visit date {}", defmt::Display2Format(&at.date));
            let mut device = Device::new(facility, at, now, panel, reader, buttons, link, store);
            if let Err(e) = device.start(now) {
                defmt::warn!("device: {}", defmt::Debug2Format(&e));
            }
            Stage::Running(device)
        }
        (Stage::Running(device), Message::Done { ok }) => {
            defmt::info!("session: done, ok={=bool}", ok);
            let mut parts = device.release();
            idle(&mut parts);
            greet(&mut parts.3);
            Stage::Waiting(parts)
        }
        (Stage::Running(mut device), message) => {
            match device.on_message(now, &message) {
                Ok(true) => {}
                Ok(false) => defmt::warn!("link: {} ignored in device mode", message.kind()),
                Err(e) => defmt::warn!("device: {}", defmt::Debug2Format(&e)),
            }
            Stage::Running(device)
        }
        (stage @ Stage::Waiting(_), message) => {
            defmt::warn!("link: {} ignored: this board runs only device mode", message.kind());
            stage
        }
    }
}

/// Says who we are; the host answers with `StartDevice`.
fn greet(link: &mut UsbLink) {
    let hello = Message::Hello {
        board: heapless::String::try_from(crate::BOARD).unwrap_or_default(),
        firmware: heapless::String::try_from(firmware::VERSION).unwrap_or_default(),
    };
    if let Err(e) = link.send(&hello) {
        defmt::warn!("link: hello lost: {}", e);
    }
}

/// The screen while no host runs the terminal.
fn idle<P: Panel>(parts: &mut Parts<P>)
where
    P::Error: core::fmt::Debug,
{
    if let Err(e) = parts.0.show(&Screen::NetworkDown) {
        defmt::warn!("display: {}", defmt::Debug2Format(&e));
    }
}
