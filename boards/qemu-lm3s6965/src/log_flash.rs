//! The reception log's flash on QEMU: QEMU's Stellaris model has no flash
//! controller that programs flash (hw/arm/stellaris.c maps the 256 KiB as
//! ROM), so the log region is a file on the host, reached through ARM
//! semihosting file calls (SYS_OPEN, SYS_SEEK, SYS_READ, SYS_WRITE,
//! SYS_FLEN): `reception-log.img` in QEMU's working directory, the same
//! image `host-sim log` reads. It behaves as NOR: a write clears bits (the
//! new byte is the old one AND the written one), an erase sets a page to
//! 0xFF.

use cortex_m_semihosting::nr::open::RW_BINARY;
use cortex_m_semihosting::nr::open::RW_TRUNC_BINARY;
use embedded_storage::nor_flash::{
    ErrorType, MultiwriteNorFlash, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash, check_erase, check_read,
    check_write,
};
use firmware::log::region::{PAGE_SIZE, REGION_SIZE, WRITE_SIZE};

/// The file's name, NUL-terminated for SYS_OPEN.
const FILE: &[u8] = b"reception-log.img\0";

/// Bytes moved per semihosting call.
const CHUNK: usize = 256;

/// Why the file flash failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum FileFlashError {
    /// SYS_OPEN failed (no semihosting file access?).
    Open,
    /// The file is not the size of a log region.
    WrongSize(usize),
    /// A seek, read or write was refused or cut short.
    Io,
    /// An access outside the region or not aligned to the write unit or
    /// page (embedded-storage's checks).
    Access(NorFlashErrorKind),
}

impl NorFlashError for FileFlashError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::Access(kind) => *kind,
            _ => NorFlashErrorKind::Other,
        }
    }
}

/// The log region in a host file.
pub struct FileFlash {
    handle: usize,
}

/// SYS_OPEN: a handle, or `None`.
fn open(mode: usize) -> Option<usize> {
    let len = FILE.len() - 1;
    // SAFETY: SYS_OPEN reads `len` bytes of the NUL-terminated name.
    let handle = unsafe { cortex_m_semihosting::syscall!(OPEN, FILE.as_ptr(), mode, len) };
    (handle != usize::MAX).then_some(handle)
}

impl FileFlash {
    /// Opens the file, creating it erased when missing; a file of another
    /// size is an error (and is left as it is).
    pub fn open() -> Result<Self, FileFlashError> {
        if let Some(handle) = open(RW_BINARY) {
            let flash = Self { handle };
            // SAFETY: SYS_FLEN on our own handle.
            let len = unsafe { cortex_m_semihosting::syscall!(FLEN, handle) };
            if len != REGION_SIZE as usize {
                return Err(FileFlashError::WrongSize(len));
            }
            return Ok(flash);
        }
        let mut flash = Self { handle: open(RW_TRUNC_BINARY).ok_or(FileFlashError::Open)? };
        flash.fill(0, REGION_SIZE as usize)?;
        Ok(flash)
    }

    fn seek(&mut self, at: usize) -> Result<(), FileFlashError> {
        // SAFETY: SYS_SEEK on our own handle.
        let r = unsafe { cortex_m_semihosting::syscall!(SEEK, self.handle, at) };
        if r == 0 { Ok(()) } else { Err(FileFlashError::Io) }
    }

    fn read_at(&mut self, at: usize, buf: &mut [u8]) -> Result<(), FileFlashError> {
        self.seek(at)?;
        // SAFETY: SYS_READ writes at most `buf.len()` bytes into `buf`; it
        // returns how many it did not read.
        let left = unsafe { cortex_m_semihosting::syscall!(READ, self.handle, buf.as_mut_ptr(), buf.len()) };
        if left == 0 { Ok(()) } else { Err(FileFlashError::Io) }
    }

    fn write_at(&mut self, at: usize, buf: &[u8]) -> Result<(), FileFlashError> {
        self.seek(at)?;
        // SAFETY: SYS_WRITE reads `buf.len()` bytes of `buf`; it returns how
        // many it did not write.
        let left = unsafe { cortex_m_semihosting::syscall!(WRITE, self.handle, buf.as_ptr(), buf.len()) };
        if left == 0 { Ok(()) } else { Err(FileFlashError::Io) }
    }

    /// Sets `len` bytes from `at` to 0xFF.
    fn fill(&mut self, at: usize, len: usize) -> Result<(), FileFlashError> {
        let ff = [0xFFu8; CHUNK];
        let mut done = 0;
        while done < len {
            let n = CHUNK.min(len - done);
            self.write_at(at + done, &ff[..n])?;
            done += n;
        }
        Ok(())
    }
}

impl ErrorType for FileFlash {
    type Error = FileFlashError;
}

impl ReadNorFlash for FileFlash {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        check_read(self, offset, bytes.len()).map_err(FileFlashError::Access)?;
        if bytes.is_empty() {
            return Ok(());
        }
        self.read_at(offset as usize, bytes)
    }

    fn capacity(&self) -> usize {
        REGION_SIZE as usize
    }
}

impl NorFlash for FileFlash {
    const WRITE_SIZE: usize = WRITE_SIZE;
    const ERASE_SIZE: usize = PAGE_SIZE as usize;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        check_erase(self, from, to).map_err(FileFlashError::Access)?;
        self.fill(from as usize, (to - from) as usize)
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        check_write(self, offset, bytes.len()).map_err(FileFlashError::Access)?;
        let at = offset as usize;
        let mut buf = [0u8; CHUNK];
        for (i, part) in bytes.chunks(CHUNK).enumerate() {
            let here = at + i * CHUNK;
            let old = &mut buf[..part.len()];
            self.read_at(here, old)?;
            old.iter_mut().zip(part).for_each(|(o, n)| *o &= n);
            self.write_at(here, old)?;
        }
        Ok(())
    }
}

/// Words can be written again (bits only cleared), as NOR allows.
impl MultiwriteNorFlash for FileFlash {}
