//! The reception terminal on a Raspberry Pi Pico (RP2040, Cortex-M0+): the
//! portable `device` crate's loop with its PN532 card reader, a display,
//! five keys and the host link over USB. Wiring and use: docs/boards/pico.md.
//!
//! | part | Pico pins |
//! |---|---|
//! | PN532 (HSU, 115200 8N1) | GP0 = UART0 TX → PN532 RXD, GP1 = UART0 RX ← PN532 TXD |
//! | SSD1306 128×64 (feature `ssd1306`, I2C 0x3C, 400 kHz) | GP4 = I2C0 SDA, GP5 = I2C0 SCL |
//! | ST7789 320×240 (feature `st7789`, SPI 32 MHz) | GP18 = SPI0 SCK, GP19 = SPI0 TX (MOSI), GP17 CS, GP16 D/C, GP20 RST |
//! | keys to GND (internal pull-ups) | GP10 ↑, GP11 ↓, GP12 ←, GP13 →, GP14 select |
//! | host (`host-sim serve --device --serial`) | USB: CDC-ACM serial port |
#![no_std]
#![no_main]

mod log_flash;
mod session;
mod usb_link;

#[cfg(all(feature = "ssd1306", feature = "st7789"))]
compile_error!("one display only: `--features ssd1306` (default) or `--no-default-features --features st7789`");
#[cfg(not(any(feature = "ssd1306", feature = "st7789")))]
compile_error!("no display chosen: build with the feature `ssd1306` or `st7789`");

use defmt_rtt as _;
use device::buttons::Buttons;
use device::pn532::Reader;
use embassy_executor::Spawner;
use embassy_rp::gpio::{Input, Pull};
use embassy_rp::peripherals::{UART0, USB};
use embassy_rp::uart::{self, BufferedInterruptHandler, BufferedUart};
use embassy_rp::{Peri, bind_interrupts, usb};
use panic_probe as _;
use static_cell::StaticCell;

/// The name this board gives in `Hello`.
pub const BOARD: &str = if cfg!(feature = "st7789") { "pico-st7789" } else { "pico-ssd1306" };

bind_interrupts!(struct Irqs {
    UART0_IRQ => BufferedInterruptHandler<UART0>;
    USBCTRL_IRQ => usb::InterruptHandler<USB>;
});

#[embassy_executor::main(executor = "embassy_rp::executor::Executor", entry = "cortex_m_rt::entry")]
async fn main(spawner: Spawner) {
    let p = embassy_rp::init(Default::default());
    defmt::info!("boot: {} firmware {}", BOARD, firmware::VERSION);
    usb_link::start(spawner, usb::Driver::new(p.USB, Irqs));

    // PN532 frames are at most 271 bytes (extended frame with a 255-byte
    // READ BINARY answer); the buffers hold one whole frame each way.
    static UART_TX: StaticCell<[u8; 300]> = StaticCell::new();
    static UART_RX: StaticCell<[u8; 300]> = StaticCell::new();
    let (tx, rx) = (UART_TX.init([0; 300]), UART_RX.init([0; 300]));
    let pn532 = BufferedUart::new(p.UART0, p.PIN_0, p.PIN_1, Irqs, tx, rx, uart::Config::default());

    let keys = [p.PIN_10.into(), p.PIN_11.into(), p.PIN_12.into(), p.PIN_13.into(), p.PIN_14.into()];
    let keys = keys.map(|pin: Peri<'static, embassy_rp::gpio::AnyPin>| Input::new(pin, Pull::Up));

    #[cfg(feature = "ssd1306")]
    let panel = {
        use device::panels::ssd1306::driver::I2CDisplayInterface;
        let mut config = embassy_rp::i2c::Config::default();
        config.frequency = 400_000;
        let i2c = embassy_rp::i2c::I2c::new_blocking(p.I2C0, p.PIN_5, p.PIN_4, config);
        let mut panel = device::panels::Ssd1306Panel::new(I2CDisplayInterface::new(i2c));
        if let Err(e) = panel.init() {
            defmt::error!("display: {}", e);
        }
        panel
    };

    #[cfg(feature = "st7789")]
    let panel = {
        use embassy_rp::gpio::{Level, Output};
        let mut config = embassy_rp::spi::Config::default();
        config.frequency = 32_000_000;
        let spi = embassy_rp::spi::Spi::new_blocking_txonly(p.SPI0, p.PIN_18, p.PIN_19, config);
        let Ok(spi) = embedded_hal_bus::spi::ExclusiveDevice::new_no_delay(spi, Output::new(p.PIN_17, Level::High));
        let (dc, rst) = (Output::new(p.PIN_16, Level::Low), Output::new(p.PIN_20, Level::High));
        static PIXELS: StaticCell<[u8; 512]> = StaticCell::new();
        let init = device::panels::St7789Panel::init(spi, dc, rst, PIXELS.init([0; 512]), &mut embassy_time::Delay);
        match init {
            Ok(panel) => panel,
            Err(e) => defmt::panic!("display: {}", defmt::Debug2Format(&e)),
        }
    };

    let store = log_flash::open(p.FLASH);
    session::run(panel, Reader::new(pn532), Buttons::new(keys), store).await
}
