//! The flash geometry of the reception log, the same on every board and in
//! host-sim's log file, so that one image format serves them all.

/// Erase page, bytes (the RP2040's flash sector; the QEMU board's
/// semihosting file and host-sim's file use the same).
pub const PAGE_SIZE: u32 = 4096;

/// Write unit, bytes: sequential-storage aligns items to it, so it is part
/// of the image format.
pub const WRITE_SIZE: usize = 4;

/// Pages in the log region.
pub const PAGES: u32 = 128;

/// Bytes of the log region (512 KiB: about 14,000 records of up to 26
/// bytes, each with an 8-byte item header, rounded to words; when it is
/// full the oldest records make room).
pub const REGION_SIZE: u32 = PAGE_SIZE * PAGES;
