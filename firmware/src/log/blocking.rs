//! sequential-storage has only an async API. Flash drivers here (and the
//! NOR model of the tests) finish every operation before returning, so each
//! future completes on its first poll: a tiny executor with a no-op waker
//! drives it. Written here because it is a dozen lines and the firmware has
//! no executor; a board with embassy would await instead.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use embedded_storage::nor_flash::{ErrorType, MultiwriteNorFlash, NorFlash, ReadNorFlash};

/// Polls `future` until it is ready. Only for futures that never wait on
/// anything outside (a blocking flash): others would spin.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// A blocking `embedded-storage` NOR flash seen through the async traits
/// sequential-storage takes.
#[derive(Debug)]
pub struct BlockingFlash<F>(pub F);

impl<F: ErrorType> embedded_storage_async::nor_flash::ErrorType for BlockingFlash<F> {
    type Error = F::Error;
}

impl<F: ReadNorFlash> embedded_storage_async::nor_flash::ReadNorFlash for BlockingFlash<F> {
    const READ_SIZE: usize = F::READ_SIZE;

    async fn read(&mut self, offset: u32, bytes: &mut [u8]) -> Result<(), Self::Error> {
        self.0.read(offset, bytes)
    }

    fn capacity(&self) -> usize {
        self.0.capacity()
    }
}

impl<F: NorFlash> embedded_storage_async::nor_flash::NorFlash for BlockingFlash<F> {
    const WRITE_SIZE: usize = F::WRITE_SIZE;
    const ERASE_SIZE: usize = F::ERASE_SIZE;

    async fn erase(&mut self, from: u32, to: u32) -> Result<(), Self::Error> {
        self.0.erase(from, to)
    }

    async fn write(&mut self, offset: u32, bytes: &[u8]) -> Result<(), Self::Error> {
        self.0.write(offset, bytes)
    }
}

impl<F: MultiwriteNorFlash> embedded_storage_async::nor_flash::MultiwriteNorFlash for BlockingFlash<F> {}
