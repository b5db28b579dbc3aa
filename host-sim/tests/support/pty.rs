//! Pseudo-terminal pairs standing in for serial ports: host-sim opens the
//! slave end by its path (as it opens a Pico's `/dev/ttyACM0`), the test
//! plays the board on the master end.

use nix::pty::openpty;
use nix::sys::termios::{SetArg, cfmakeraw, tcgetattr, tcsetattr};
use std::fs::File;
use std::path::PathBuf;

/// A pty pair with both ends raw; the slave's path is what host-sim opens.
pub struct Pty {
    /// The board's end.
    pub master: File,
    // Kept open so that the master never reads EIO between the host's open
    // and close of the slave.
    _slave: File,
    /// The slave's path, for host-sim.
    pub path: PathBuf,
}

/// A new raw pty pair.
pub fn pty() -> Pty {
    let pair = openpty(None, None).expect("openpty");
    let mut t = tcgetattr(&pair.slave).expect("tcgetattr");
    cfmakeraw(&mut t);
    tcsetattr(&pair.slave, SetArg::TCSANOW, &t).expect("tcsetattr");
    let fd = std::os::fd::AsRawFd::as_raw_fd(&pair.slave);
    let path = std::fs::read_link(format!("/proc/self/fd/{fd}")).expect("the slave's path");
    Pty { master: File::from(pair.master), _slave: File::from(pair.slave), path }
}
