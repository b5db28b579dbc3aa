//! The link to the host over the Pico's USB port: a CDC-ACM serial port
//! (`/dev/ttyACM0` on Linux) carrying the same COBS + CRC frames of
//! `firmware::link::Message` as the QEMU board's UART.
//!
//! Three tasks move bytes between USB and two pipes; the device loop only
//! touches the pipes, without waiting: [`UsbLink`] puts whole frames into
//! [`TX`] (or reports the message lost), and the loop drains [`RX`].
//! [`OPENED`] fires each time the host opens the port (DTR rises): the
//! board then greets it with `Hello`, as the contract wants the board to
//! speak first (`docs/boards/device-link.md`).

use device::Uplink;
use embassy_executor::Spawner;
use embassy_rp::peripherals::USB;
use embassy_rp::usb::Driver;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::pipe::Pipe;
use embassy_sync::signal::Signal;
use embassy_usb::UsbDevice;
use embassy_usb::class::cdc_acm::{CdcAcmClass, ControlChanged, Receiver, Sender, State};
use firmware::link::{LinkError, MAX_WIRE_FRAME, Message, encode_message};
use static_cell::StaticCell;

type UsbDriver = Driver<'static, USB>;

/// Bytes from the host, waiting for the device loop.
pub static RX: Pipe<CriticalSectionRawMutex, 1024> = Pipe::new();
/// Frames for the host, waiting for USB. Room for a few of the largest.
pub static TX: Pipe<CriticalSectionRawMutex, 4096> = Pipe::new();
/// The host opened the port.
pub static OPENED: Signal<CriticalSectionRawMutex, ()> = Signal::new();

/// Full-speed bulk packet size.
const PACKET: usize = 64;

/// Builds the USB device with one CDC-ACM function and starts its tasks.
pub fn start(spawner: Spawner, driver: UsbDriver) {
    static CONFIG_DESCRIPTOR: StaticCell<[u8; 256]> = StaticCell::new();
    static BOS_DESCRIPTOR: StaticCell<[u8; 256]> = StaticCell::new();
    static CONTROL_BUF: StaticCell<[u8; 64]> = StaticCell::new();
    static STATE: StaticCell<State> = StaticCell::new();

    let mut config = embassy_usb::Config::new(0xc0de, 0xcafe); // test VID/PID: cdc_acm binds by class
    config.manufacturer = Some("reception-terminal");
    config.product = Some("Pico reception terminal");
    config.serial_number = Some(firmware::VERSION);
    config.max_power = 250; // mA: Pico, display, PN532
    config.max_packet_size_0 = 64;

    let mut builder = embassy_usb::Builder::new(
        driver,
        config,
        CONFIG_DESCRIPTOR.init([0; 256]),
        BOS_DESCRIPTOR.init([0; 256]),
        &mut [],
        CONTROL_BUF.init([0; 64]),
    );
    let class = CdcAcmClass::new(&mut builder, STATE.init(State::new()), PACKET as u16);
    let (tx, rx, control) = class.split_with_control();
    spawner.spawn(defmt::unwrap!(usb_task(builder.build())));
    spawner.spawn(defmt::unwrap!(rx_task(rx)));
    spawner.spawn(defmt::unwrap!(tx_task(tx)));
    spawner.spawn(defmt::unwrap!(control_task(control)));
}

#[embassy_executor::task]
async fn usb_task(mut usb: UsbDevice<'static, UsbDriver>) -> ! {
    usb.run().await
}

#[embassy_executor::task]
async fn rx_task(mut rx: Receiver<'static, UsbDriver>) -> ! {
    let mut packet = [0u8; PACKET];
    loop {
        rx.wait_connection().await;
        while let Ok(n) = rx.read_packet(&mut packet).await {
            RX.write_all(&packet[..n]).await;
        }
    }
}

#[embassy_executor::task]
async fn tx_task(mut tx: Sender<'static, UsbDriver>) -> ! {
    // Short packets only (< 64 bytes): each ends a USB transfer, so the host
    // gets every frame without waiting for a zero-length packet.
    let mut packet = [0u8; PACKET - 1];
    loop {
        tx.wait_connection().await;
        loop {
            let n = TX.read(&mut packet).await;
            if tx.write_packet(&packet[..n]).await.is_err() {
                defmt::warn!("usb: host gone, {=usize} bytes dropped", n);
                break;
            }
        }
    }
}

#[embassy_executor::task]
async fn control_task(control: ControlChanged<'static>) -> ! {
    let mut open = false;
    loop {
        control.control_changed().await;
        let dtr = control.dtr();
        if dtr && !open {
            defmt::info!("usb: host opened the port");
            OPENED.signal(());
        }
        open = dtr;
    }
}

/// Why a message did not go out. Either way it is lost, and the device loop
/// reports it (`DeviceError::Link`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum SendError {
    /// The message does not fit a frame.
    Encode(LinkError),
    /// The host is not reading: the transmit pipe has no room for the frame.
    Full,
}

/// The sending half of the link, for the device loop.
pub struct UsbLink {
    seq: u8,
}

impl UsbLink {
    /// A link whose first frame has sequence number 0.
    pub const fn new() -> Self {
        Self { seq: 0 }
    }

    /// Forgets what is queued either way (a new host session).
    pub fn reset(&mut self) {
        TX.clear();
        RX.clear();
        self.seq = 0;
    }
}

impl Uplink for UsbLink {
    type Error = SendError;

    fn send(&mut self, message: &Message) -> Result<(), SendError> {
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(self.seq, message, &mut wire).map_err(SendError::Encode)?;
        if TX.free_capacity() < n {
            return Err(SendError::Full);
        }
        self.seq = self.seq.wrapping_add(1);
        let mut rest = &wire[..n];
        // There is room for all of it; the ring may take it in two parts.
        while let Ok(written) = TX.try_write(rest) {
            rest = &rest[written..];
            if rest.is_empty() {
                break;
            }
        }
        Ok(())
    }
}
