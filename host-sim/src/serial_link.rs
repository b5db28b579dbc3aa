//! `host-sim serve --serial PORT`: a board at the end of a serial port: the
//! Raspberry Pi Pico's USB CDC-ACM port (`/dev/ttyACM0`), a USB-UART adapter,
//! or one end of a pseudo-terminal pair in tests. The bytes are the same
//! COBS + CRC frames as on the QEMU board's UART (`firmware::link`).

use serialport::SerialPort;
use std::time::{Duration, Instant};

/// Line speed. A USB CDC-ACM port ignores it (USB full speed either way);
/// a UART adapter must match the board's UART.
pub const BAUD: u32 = 115_200;

/// How long to wait for a port that is not there yet (a Pico that is still
/// booting, or re-enumerating after a reset).
pub const APPEAR_WITHIN: Duration = Duration::from_secs(10);

/// Opens `path` raw 8N1 at [`BAUD`], with `read_timeout` on reads. Retries
/// for [`APPEAR_WITHIN`] while the port does not exist yet.
pub fn open(path: &str, read_timeout: Duration) -> Result<Box<dyn SerialPort>, String> {
    let start = Instant::now();
    let mut said_waiting = false;
    loop {
        match serialport::new(path, BAUD).timeout(read_timeout).open() {
            Ok(port) => return Ok(port),
            Err(e) if e.kind() == serialport::ErrorKind::NoDevice || is_missing(&e) => {
                if start.elapsed() >= APPEAR_WITHIN {
                    return Err(format!(
                        "serial port {path} did not appear within {} s (is the board plugged in? `ls /dev/ttyACM*`)",
                        APPEAR_WITHIN.as_secs()
                    ));
                }
                if !said_waiting {
                    println!("waiting for serial port {path}");
                    said_waiting = true;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => return Err(format!("cannot open serial port {path}: {e}")),
        }
    }
}

fn is_missing(e: &serialport::Error) -> bool {
    matches!(e.kind(), serialport::ErrorKind::Io(std::io::ErrorKind::NotFound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_that_never_appears_is_named_in_the_error() {
        // Not a device at all: fails at once with the path in the message.
        let e = open("/proc/version", Duration::from_millis(50)).err();
        let e = e.unwrap_or_default();
        assert!(e.contains("/proc/version"), "{e}");
    }
}
