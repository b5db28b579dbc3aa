//! SSD1306 on a mocked I2C bus (embedded-hal-mock): the exact writes the
//! panel receives at address 0x3C. Control byte 0x00 = commands follow,
//! 0x40 = display data follows (SSD1306 datasheet Rev 1.1, §8.1.5.2
//! "I2C-bus Write data", Figure 8-7).

use super::*;
use embedded_graphics::framebuffer::{Framebuffer, buffer_size};
use embedded_graphics::pixelcolor::BinaryColor;
use embedded_graphics::pixelcolor::raw::{LittleEndian, RawU1};
use embedded_hal_mock::eh1::i2c::{Mock, Transaction};
use ssd1306::I2CDisplayInterface;

extern crate std;
use std::vec;
use std::vec::Vec;

const ADDR: u8 = 0x3C;

fn command(bytes: &[u8]) -> Transaction {
    let mut w = vec![0x00];
    w.extend_from_slice(bytes);
    Transaction::write(ADDR, w)
}

/// The init sequence, command by command, with the datasheet section of
/// each (SSD1306 Rev 1.1, §10 "Command Descriptions"; the order follows the
/// datasheet's "Software Initialization" flow chart, §"Application Example").
fn init_sequence() -> Vec<Transaction> {
    vec![
        command(&[0xAE]),       // §10.1.12 display OFF
        command(&[0xD5, 0x80]), // §10.1.16 clock divide 1, oscillator frequency 8 (reset value)
        command(&[0xA8, 0x3F]), // §10.1.11 multiplex ratio 64 (63 + 1)
        command(&[0xD3, 0x00]), // §10.1.15 display offset 0
        command(&[0x40]),       // §10.1.6 display start line 0
        command(&[0x8D, 0x14]), // charge pump enabled (application note "Charge Pump Setting": 8Dh, 14h)
        command(&[0x20, 0x00]), // §10.1.3 memory addressing mode: horizontal
        command(&[0xDA, 0x12]), // §10.1.18 COM pins: alternative configuration, no left/right remap (128x64 modules)
        command(&[0xA1]),       // §10.1.8 segment re-map: column 127 on SEG0
        command(&[0xC8]),       // §10.1.14 COM output scan direction: remapped (COM63 to COM0)
        command(&[0xD9, 0x21]), // §10.1.17 pre-charge period: phase 1 = 1 DCLK, phase 2 = 2 DCLK
        command(&[0x81, 0x5F]), // §10.1.7 contrast 0x5F of 0xFF
        command(&[0xDB, 0x40]), // §10.1.19 VCOMH deselect level (0x40: above the table's 0x30, as common modules use)
        command(&[0xA4]),       // §10.1.9 display follows RAM content
        command(&[0xA6]),       // §10.1.10 normal display (1 = pixel on)
        command(&[0x2E]),       // §10.2.3 deactivate scroll
        command(&[0xAF]),       // §10.1.12 display ON
    ]
}

#[test]
fn init_sends_the_datasheet_sequence() {
    let expected = init_sequence();
    let i2c = Mock::new(&expected);
    let mut panel = Ssd1306Panel::new(I2CDisplayInterface::new(i2c.clone()));
    panel.init().expect("init");
    let mut i2c = i2c;
    i2c.done();
}

/// The screen in the SSD1306's GDDRAM layout (datasheet §8.7, Figure 8-13
/// and 8-14): 8 pages of 8 rows; each byte is one column of a page, bit 0
/// the page's top row; computed here from a plain row-major render.
fn gddram(screen: &Screen) -> Vec<u8> {
    let mut fb =
        Framebuffer::<BinaryColor, RawU1, LittleEndian, 128, 64, { buffer_size::<BinaryColor>(128, 64) }>::new();
    let Ok(()) = draw(screen, Layout::Oled128x64, &mut fb);
    let image = fb.as_image();
    let lit = |x: usize, y: usize| {
        use embedded_graphics::image::GetPixel;
        image.pixel(embedded_graphics::prelude::Point::new(x as i32, y as i32)) == Some(BinaryColor::On)
    };
    let mut out = vec![0u8; 1024];
    for page in 0..8 {
        for x in 0..128 {
            for bit in 0..8 {
                if lit(x, page * 8 + bit) {
                    out[page * 128 + x] |= 1 << bit;
                }
            }
        }
    }
    out
}

#[test]
fn show_flushes_the_whole_screen_in_gddram_layout() {
    let screen = Screen::Idle { online: true };
    let ram = gddram(&screen);
    assert!(ram.iter().any(|&b| b != 0) && ram.iter().any(|&b| b != 0xFF), "a real picture");
    let mut expected = init_sequence();
    // §10.1.4 column address 0..127, §10.1.5 page address 0..7.
    expected.push(command(&[0x21, 0, 127]));
    expected.push(command(&[0x22, 0, 7]));
    // Then the 1024 bytes, page by page, 16 data bytes per I2C write.
    for chunk in ram.chunks(16) {
        let mut w = vec![0x40];
        w.extend_from_slice(chunk);
        expected.push(Transaction::write(ADDR, w));
    }
    let i2c = Mock::new(&expected);
    let mut panel = Ssd1306Panel::new(I2CDisplayInterface::new(i2c.clone()));
    panel.init().expect("init");
    panel.show(&screen).expect("show");
    let mut i2c = i2c;
    i2c.done();
}

#[test]
fn a_bus_failure_is_an_error_not_a_panic() {
    use embedded_hal::i2c::ErrorKind;
    let expected = [command(&[0xAE]).with_error(ErrorKind::Other)];
    let i2c = Mock::new(&expected);
    let mut panel = Ssd1306Panel::new(I2CDisplayInterface::new(i2c.clone()));
    let e = panel.init().expect_err("the bus failed");
    assert!(std::format!("{e}").contains("BusWriteError"), "{e}");
    let mut i2c = i2c;
    i2c.done();
}
