//! A NOR flash in a file, with the log region's geometry: what a board's
//! flash holds, byte for byte. Writes clear bits (NOR: the new byte is the
//! old one AND the written one), erases set a page to 0xFF; every change
//! goes to the file at once.

use embedded_storage::nor_flash::{
    ErrorType, MultiwriteNorFlash, NorFlash, NorFlashError, NorFlashErrorKind, ReadNorFlash, check_erase, check_read,
    check_write,
};
use firmware::log::region::{PAGE_SIZE, REGION_SIZE, WRITE_SIZE};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Why the file cannot serve as the log's flash.
#[derive(Debug)]
pub enum FlashFileError {
    /// The file could not be opened, read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        error: std::io::Error,
    },
    /// The file is not the size of a log region.
    WrongSize {
        /// The file.
        path: PathBuf,
        /// Its size.
        len: u64,
    },
    /// A write to a file opened for reading only (sequential-storage
    /// writes while reading only to repair a damaged image).
    ReadOnly,
    /// An access outside the region or not aligned to the write unit or
    /// page (embedded-storage's checks).
    Access(NorFlashErrorKind),
}

impl fmt::Display for FlashFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Self::WrongSize { path, len } => write!(
                f,
                "{}: {len} bytes, but a reception log image is {REGION_SIZE} bytes ({} pages of {PAGE_SIZE}); left as it is",
                path.display(),
                REGION_SIZE / PAGE_SIZE
            ),
            Self::ReadOnly => f.write_str("the image is damaged: reading it would need a repair (a write)"),
            Self::Access(kind) => write!(f, "log region access refused: {kind}"),
        }
    }
}

impl NorFlashError for FlashFileError {
    fn kind(&self) -> NorFlashErrorKind {
        match self {
            Self::Access(kind) => *kind,
            _ => NorFlashErrorKind::Other,
        }
    }
}

/// The log region's flash, kept in a file.
pub struct FileFlash {
    path: PathBuf,
    file: File,
    image: Vec<u8>,
    writable: bool,
}

impl fmt::Debug for FileFlash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileFlash").field("path", &self.path).field("writable", &self.writable).finish()
    }
}

impl FileFlash {
    /// Opens the image at `path`. `writable`: created erased (0xFF) when
    /// missing, and changes go to the file. A file of another size is an
    /// error and is not touched.
    pub fn open(path: &Path, writable: bool) -> Result<Self, FlashFileError> {
        let io = |error| FlashFileError::Io { path: path.to_path_buf(), error };
        let mut file =
            OpenOptions::new().read(true).write(writable).create(writable).truncate(false).open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        if len == 0 && writable {
            file.write_all(&vec![0xFF; REGION_SIZE as usize]).map_err(io)?;
            file.sync_data().map_err(io)?;
        } else if len != u64::from(REGION_SIZE) {
            return Err(FlashFileError::WrongSize { path: path.to_path_buf(), len });
        }
        let mut image = Vec::with_capacity(REGION_SIZE as usize);
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.read_to_end(&mut image).map_err(io)?;
        if image.len() != REGION_SIZE as usize {
            return Err(FlashFileError::WrongSize { path: path.to_path_buf(), len: image.len() as u64 });
        }
        Ok(Self { path: path.to_path_buf(), file, image, writable })
    }

    /// Writes `range` of the image to the file.
    fn store(&mut self, start: usize, end: usize) -> Result<(), FlashFileError> {
        let io = |error| FlashFileError::Io { path: self.path.clone(), error };
        self.file.seek(SeekFrom::Start(start as u64)).map_err(io)?;
        self.file.write_all(&self.image[start..end]).map_err(io)?;
        self.file.flush().map_err(io)
    }
}

impl ErrorType for FileFlash {
    type Error = FlashFileError;
}

impl ReadNorFlash for FileFlash {
    const READ_SIZE: usize = 1;

    fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        check_read(self, offset, bytes.len()).map_err(FlashFileError::Access)?;
        let start = offset as usize;
        bytes.copy_from_slice(&self.image[start..start + bytes.len()]);
        Ok(())
    }

    fn capacity(&self) -> usize {
        self.image.len()
    }
}

impl NorFlash for FileFlash {
    const WRITE_SIZE: usize = WRITE_SIZE;
    const ERASE_SIZE: usize = PAGE_SIZE as usize;

    fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        if !self.writable {
            return Err(FlashFileError::ReadOnly);
        }
        check_erase(self, from, to).map_err(FlashFileError::Access)?;
        let (start, end) = (from as usize, to as usize);
        self.image[start..end].fill(0xFF);
        self.store(start, end)
    }

    fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        if !self.writable {
            return Err(FlashFileError::ReadOnly);
        }
        check_write(self, offset, bytes.len()).map_err(FlashFileError::Access)?;
        let (start, end) = (offset as usize, offset as usize + bytes.len());
        for (cell, b) in self.image[start..end].iter_mut().zip(bytes) {
            *cell &= *b;
        }
        self.store(start, end)
    }
}

/// Words can be written again (bits only cleared), as NOR allows.
impl MultiwriteNorFlash for FileFlash {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accesses outside the region or off the write unit / page are refused
    /// with their kind, and leave the file as it was.
    #[test]
    fn misplaced_accesses_are_refused_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.img");
        let mut flash = FileFlash::open(&path, true).unwrap();
        let kind = |r: Result<(), FlashFileError>| r.unwrap_err().kind();
        assert_eq!(kind(flash.write(1, &[0; WRITE_SIZE])), NorFlashErrorKind::NotAligned);
        assert_eq!(kind(flash.write(0, &[0; 3])), NorFlashErrorKind::NotAligned);
        assert_eq!(kind(flash.write(REGION_SIZE, &[0; WRITE_SIZE])), NorFlashErrorKind::OutOfBounds);
        assert_eq!(kind(flash.read(REGION_SIZE - 1, &mut [0; 2])), NorFlashErrorKind::OutOfBounds);
        assert_eq!(kind(flash.erase(PAGE_SIZE, 0)), NorFlashErrorKind::OutOfBounds);
        assert_eq!(kind(flash.erase(1, PAGE_SIZE)), NorFlashErrorKind::NotAligned);
        let msg = flash.write(1, &[0; WRITE_SIZE]).unwrap_err().to_string();
        assert!(msg.contains("aligned"), "{msg}");
        drop(flash);
        assert!(std::fs::read(&path).unwrap().iter().all(|&b| b == 0xFF));
        // A good write clears bits, as NOR does.
        let mut flash = FileFlash::open(&path, true).unwrap();
        flash.write(0, &[0x0F; WRITE_SIZE]).unwrap();
        flash.write(0, &[0xF3; WRITE_SIZE]).unwrap();
        let mut back = [0; WRITE_SIZE];
        flash.read(0, &mut back).unwrap();
        assert_eq!(back, [0x03; WRITE_SIZE]);
    }
}
