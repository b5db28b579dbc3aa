//! ST7789 over the recording fake: what the panel receives, commands (D/C
//! low) apart from parameters and pixels (D/C high), against the ST7789VW
//! datasheet (Sitronix, v1.0; §9.1 "System Function Command").

use super::*;
use crate::panels::recording::{Dc, Delay, Log, Rst, Seen, Spi};

extern crate std;
use std::vec;
use std::vec::Vec;

fn cmd(c: u8) -> Seen {
    Seen::Bytes { data: false, bytes: vec![c] }
}

fn param(bytes: &[u8]) -> Seen {
    Seen::Bytes { data: true, bytes: bytes.to_vec() }
}

/// MADCTL (36h, §9.1.28) for landscape: MV = 1 (row/column exchange, D5)
/// and MX = 1 (column address order, D6), RGB order (D3 = 0).
const MADCTL_LANDSCAPE: u8 = 0b0110_0000;

fn init_sequence() -> Vec<Seen> {
    vec![
        Seen::Reset(false),
        Seen::Wait(10), // RESX low pulse: ≥ 10 µs (§7.4.5 "Reset Timing", tRW)
        Seen::Reset(true),
        Seen::Wait(150_000), // reset cancel: ≤ 120 ms until the panel takes commands (tRT)
        cmd(0x11),           // §9.1.12 SLPOUT: sleep out
        Seen::Wait(10_000),  // ≥ 5 ms after SLPOUT before the next command
        cmd(0x36),           // §9.1.28 MADCTL
        param(&[MADCTL_LANDSCAPE]),
        cmd(0x21),      // §9.1.16 INVON: display inversion on (IPS modules)
        cmd(0x3A),      // §9.1.32 COLMOD: interface pixel format
        param(&[0x55]), // 65K colours (D6-4 = 101), 16 bit/pixel (D2-0 = 101): RGB565
        Seen::Wait(10_000),
        cmd(0x13), // §9.1.14 NORON: normal display mode on
        Seen::Wait(10_000),
        cmd(0x29), // §9.1.19 DISPON: display on
        Seen::Wait(120_000),
    ]
}

fn init<'a>(log: &'a Log, buffer: &'a mut [u8]) -> St7789Panel<'a, Spi<'a>, Dc<'a>, Rst<'a>> {
    let panel = St7789Panel::init(Spi(log), Dc(log), Rst(log), buffer, &mut Delay(log));
    match panel {
        Ok(p) => p,
        Err(e) => panic!("init: {e}"),
    }
}

#[test]
fn init_resets_and_sends_the_datasheet_sequence() {
    let log = Log::default();
    let mut buffer = [0u8; 512];
    let _panel = init(&log, &mut buffer);
    assert_eq!(log.take(), init_sequence());
}

#[test]
fn show_opens_the_whole_landscape_screen_and_paints_the_background_first() {
    let log = Log::default();
    let mut buffer = [0u8; 512];
    let mut panel = init(&log, &mut buffer);
    log.take();
    panel.show(&Screen::Idle { online: true }).expect("show");
    let seen = log.take();
    // The first window is the whole screen: CASET (2Ah, §9.1.20) columns
    // 0..319 and RASET (2Bh, §9.1.21) rows 0..239, 16-bit big-endian, then
    // RAMWR (2Ch, §9.1.22).
    assert_eq!(
        seen[..6],
        [cmd(0x2A), param(&[0, 0, 0x01, 0x3F]), cmd(0x2B), param(&[0, 0, 0, 0xEF]), cmd(0x2C), param(&[0xFF; 512])],
        "{:?}",
        &seen[..6.min(seen.len())]
    );
    // ... and all 320 × 240 pixels of it are the background, white
    // (RGB565 0xFFFF), before the next window opens.
    let mut fill = 0;
    for s in &seen[5..] {
        match s {
            Seen::Bytes { data: true, bytes } => {
                assert!(bytes.iter().all(|&b| b == 0xFF), "background is white");
                fill += bytes.len();
            }
            _ => break,
        }
    }
    assert_eq!(fill, 320 * 240 * 2);
    // Then the title bar and text are drawn in later windows inside the screen.
    let windows = seen.iter().filter(|s| **s == cmd(0x2C)).count();
    assert!(windows > 2, "{windows} windows");
    for pair in seen.windows(2) {
        if pair[0] == cmd(0x2A) {
            let Seen::Bytes { data: true, bytes } = &pair[1] else { panic!("CASET without columns") };
            let end = u16::from_be_bytes([bytes[2], bytes[3]]);
            assert!(end < 320, "column {end} outside the screen");
        }
    }
}

#[test]
fn show_draws_a_different_picture_for_a_different_screen() {
    let log = Log::default();
    let mut buffer = [0u8; 512];
    let mut panel = init(&log, &mut buffer);
    log.take();
    panel.show(&Screen::Idle { online: true }).expect("show");
    let idle = log.take();
    panel.show(&Screen::ReadingCard).expect("show");
    let reading = log.take();
    assert_ne!(idle, reading);
}
