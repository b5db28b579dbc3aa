//! Peak stack measurement by painting: fill the unused stack with a pattern
//! at boot, find the deepest overwritten word at the end.

const PAINT: u32 = 0xA5A5_A5A5;

unsafe extern "C" {
    static mut __sheap: u32;
    static _stack_start: u32;
}

fn bottom() -> usize {
    core::ptr::addr_of!(__sheap) as usize
}

fn top() -> usize {
    core::ptr::addr_of!(_stack_start) as usize
}

/// Paints the stack below the current frame (leaving a margin).
pub fn paint() {
    let sp = cortex_m::register::msp::read() as usize - 64;
    let mut p = bottom();
    while p < sp {
        // SAFETY: [__sheap, sp) is unused RAM between .bss/.uninit and the
        // live stack (cortex-m-rt's layout; this image has no heap).
        unsafe { core::ptr::write_volatile(p as *mut u32, PAINT) };
        p += 4;
    }
}

/// Bytes of stack used so far at the deepest point.
pub fn peak() -> usize {
    let mut p = bottom();
    // SAFETY: reads of the painted region only.
    while p < top() && unsafe { core::ptr::read_volatile(p as *const u32) } == PAINT {
        p += 4;
    }
    top() - p
}
