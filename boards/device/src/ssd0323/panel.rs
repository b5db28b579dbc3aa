//! The 128×64 panel: geometry, the init table and the address window. No
//! bus types here: each command is its bytes.
//!
//! The init table follows FreeRTOS's
//! `Demo/CORTEX_LM3S6965_GCC_QEMU/LocalDemoFiles/osram128x64x4.c`
//! (`g_pucOSRAM128x64x4Init`, from OSRAM app note AN018), without its 0xE3
//! no-op padding. QEMU's model (`hw/display/ssd0323.c`) acts on the column
//! (0x15) and row (0x75) ranges and on bit 2 of the re-map (0xA0: vertical
//! address increment); it accepts and ignores the others, which a real panel
//! needs.

/// Width in pixels.
pub const WIDTH: u32 = 128;
/// Height in pixels.
pub const HEIGHT: u32 = 64;
/// Bytes of a full frame: two pixels a byte.
pub const FRAME_BYTES: usize = (WIDTH * HEIGHT / 2) as usize;

/// Set column address: first and last column, in bytes (two pixels each).
pub const SET_COLUMN_ADDRESS: u8 = 0x15;
/// Set row address: first and last row.
pub const SET_ROW_ADDRESS: u8 = 0x75;
/// Set re-map: bit 2 selects vertical address increment.
pub const SET_REMAP: u8 = 0xA0;

/// Re-map for drawing: horizontal address increment, nibble and column
/// re-map as on this panel (osram128x64x4.c, `g_pucOSRAM128x64x4HorizontalInc`).
pub const HORIZONTAL_INCREMENT: [u8; 2] = [SET_REMAP, 0x52];

/// Panel set-up, in order: each entry is one command with its arguments.
pub const INIT: &[&[u8]] = &[
    &[SET_COLUMN_ADDRESS, 0, 63],
    &[SET_ROW_ADDRESS, 0, 63],
    &[0x81, 50], // contrast
    &[0x85],     // half current range
    &HORIZONTAL_INCREMENT,
    &[0xA1, 0],                                              // display start line
    &[0xA2, 0x4C],                                           // display offset
    &[0xA4],                                                 // normal display mode
    &[0xA8, 63],                                             // multiplex ratio: 64 rows
    &[0xB1, 0x22],                                           // phase length
    &[0xB2, 70],                                             // row period
    &[0xB3, 0xF1],                                           // display clock divide
    &[0xBF, 0x0D],                                           // VSL
    &[0xBE, 0x02],                                           // VCOMH
    &[0xBC, 0x10],                                           // VP
    &[0xB8, 0x01, 0x11, 0x22, 0x32, 0x43, 0x54, 0x65, 0x76], // gray scale table (gamma)
    &[0xAD, 0x03],                                           // DC-DC on
    &[0xAF],                                                 // display on
];

/// The commands that open a window over columns `x0..=x1` and rows
/// `y0..=y1` (pixels; columns are rounded out to whole bytes).
pub const fn window(x0: u32, y0: u32, x1: u32, y1: u32) -> [[u8; 3]; 2] {
    const fn clamp(v: u32, max: u32) -> u32 {
        if v > max { max } else { v }
    }
    let (x0, x1) = (clamp(x0, WIDTH - 1) / 2, clamp(x1, WIDTH - 1) / 2);
    let (y0, y1) = (clamp(y0, HEIGHT - 1), clamp(y1, HEIGHT - 1));
    [[SET_COLUMN_ADDRESS, x0 as u8, x1 as u8], [SET_ROW_ADDRESS, y0 as u8, y1 as u8]]
}

/// The whole panel's window.
pub const fn full_window() -> [[u8; 3]; 2] {
    window(0, 0, WIDTH - 1, HEIGHT - 1)
}
