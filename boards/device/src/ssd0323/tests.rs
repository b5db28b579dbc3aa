//! SSD0323 over a recording fake: a shared log of (D/C level, bytes).

use super::*;
use core::cell::RefCell;
use core::convert::Infallible;
use embedded_graphics::Pixel;
use embedded_graphics::draw_target::DrawTarget;
use embedded_graphics::pixelcolor::GrayColor;
use embedded_graphics::prelude::Point;
use embedded_hal::spi::{ErrorKind, ErrorType, Operation};

extern crate std;
use std::vec;
use std::vec::Vec;

/// One SPI transaction as the panel saw it: the D/C level and the bytes.
#[derive(Debug, Default)]
struct Log {
    dc_high: bool,
    writes: Vec<(bool, Vec<u8>)>,
    fail_spi: bool,
}

struct FakeSpi<'a>(&'a RefCell<Log>);
struct FakeDc<'a>(&'a RefCell<Log>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct BusError;
impl embedded_hal::spi::Error for BusError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

impl ErrorType for FakeSpi<'_> {
    type Error = BusError;
}
impl SpiDevice for FakeSpi<'_> {
    fn transaction(&mut self, operations: &mut [Operation<'_, u8>]) -> Result<(), BusError> {
        let mut log = self.0.borrow_mut();
        if log.fail_spi {
            return Err(BusError);
        }
        let mut bytes = Vec::new();
        for op in operations {
            if let Operation::Write(w) = op {
                bytes.extend_from_slice(w);
            }
        }
        let dc = log.dc_high;
        log.writes.push((dc, bytes));
        Ok(())
    }
}
impl embedded_hal::digital::ErrorType for FakeDc<'_> {
    type Error = Infallible;
}
impl OutputPin for FakeDc<'_> {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.0.borrow_mut().dc_high = false;
        Ok(())
    }
    fn set_high(&mut self) -> Result<(), Infallible> {
        self.0.borrow_mut().dc_high = true;
        Ok(())
    }
}

#[test]
fn init_sends_every_command_with_dc_low() {
    let log = RefCell::new(Log::default());
    let mut d = Ssd0323::new(FakeSpi(&log), FakeDc(&log));
    d.init().unwrap();
    let log = log.into_inner();
    assert_eq!(log.writes.len(), panel::INIT.len());
    assert!(log.writes.iter().all(|(dc, _)| !dc), "a command went out with D/C high");
    assert_eq!(log.writes[0].1, [0x15, 0, 63]);
    assert_eq!(log.writes[1].1, [0x75, 0, 63]);
    assert_eq!(log.writes.last().map(|w| w.1.as_slice()), Some(&[0xAF][..]));
}

#[test]
fn flush_opens_the_full_window_then_sends_4096_data_bytes() {
    let log = RefCell::new(Log::default());
    let mut d = Ssd0323::new(FakeSpi(&log), FakeDc(&log));
    let frame = [0x5Au8; FRAME_BYTES];
    d.flush(&frame).unwrap();
    let log = log.into_inner();
    let w: Vec<_> = log.writes.iter().map(|(dc, b)| (*dc, b.clone())).collect();
    assert_eq!(
        w,
        [(false, vec![0x15, 0, 63]), (false, vec![0x75, 0, 63]), (false, vec![0xA0, 0x52]), (true, frame.to_vec())]
    );
}

fn flushed_pixel(x: i32, y: i32) -> Vec<u8> {
    let log = RefCell::new(Log::default());
    let mut oled = Oled::new(Ssd0323::new(FakeSpi(&log), FakeDc(&log)));
    let mut fb = FrameBuffer::new();
    fb.draw_iter([Pixel(Point::new(x, y), Gray4::WHITE)]).unwrap();
    oled.display.flush(fb.data()).unwrap();
    let log = log.into_inner();
    log.writes.last().map(|(_, b)| b.clone()).unwrap_or_default()
}

#[test]
fn one_pixel_lights_one_nibble_at_its_offset() {
    // Left pixel of a byte: the high nibble.
    let data = flushed_pixel(10, 3);
    let lit: Vec<_> = data.iter().enumerate().filter(|(_, b)| **b != 0).collect();
    assert_eq!(lit, [(3 * 64 + 5, &0xF0)]);
    // Right pixel: the low nibble.
    let data = flushed_pixel(127, 63);
    let lit: Vec<_> = data.iter().enumerate().filter(|(_, b)| **b != 0).collect();
    assert_eq!(lit, [(FRAME_BYTES - 1, &0x0F)]);
}

#[test]
fn show_draws_the_firmware_screen_and_flushes_it() {
    let log = RefCell::new(Log::default());
    let mut oled = Oled::new(Ssd0323::new(FakeSpi(&log), FakeDc(&log)));
    let screen = Screen::Idle { online: true };
    crate::Panel::show(&mut oled, &screen).unwrap();
    let mut want = FrameBuffer::new();
    draw(&screen, Layout::Oled128x64, &mut want).unwrap();
    let log = log.into_inner();
    assert_eq!(log.writes.last().map(|(_, b)| b.as_slice()), Some(&want.data()[..]));
    assert!(want.data().iter().any(|&b| b != 0));
}

#[test]
fn a_bus_error_is_reported_with_its_cause() {
    let log = RefCell::new(Log { fail_spi: true, ..Log::default() });
    let mut d = Ssd0323::new(FakeSpi(&log), FakeDc(&log));
    assert_eq!(d.init(), Err(Error::Bus(BusError)));
    assert_eq!(
        std::format!("{}", Error::<BusError, Infallible>::Bus(BusError)),
        "SSD0323: SPI transfer failed: BusError"
    );
}

#[test]
fn window_rounds_columns_to_bytes_and_clamps() {
    assert_eq!(panel::window(10, 3, 21, 9), [[0x15, 5, 10], [0x75, 3, 9]]);
    assert_eq!(panel::window(0, 0, 500, 500), [[0x15, 0, 63], [0x75, 0, 63]]);
}
