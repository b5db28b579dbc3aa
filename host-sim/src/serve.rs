//! `host-sim serve`: the peer of a board over a loopback byte stream.

use crate::board_peer::{BoardPeer, PeerState};
use crate::cli::ServeArgs;
use firmware::link::{FrameReader, Message};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// A byte stream to a board.
trait Stream: Read + Write {
    fn set_timeout(&self, t: Duration) -> std::io::Result<()>;
}

impl Stream for std::net::TcpStream {
    fn set_timeout(&self, t: Duration) -> std::io::Result<()> {
        self.set_read_timeout(Some(t))
    }
}

#[cfg(unix)]
impl Stream for std::os::unix::net::UnixStream {
    fn set_timeout(&self, t: Duration) -> std::io::Result<()> {
        self.set_read_timeout(Some(t))
    }
}

impl Stream for Box<dyn serialport::SerialPort> {
    fn set_timeout(&self, _: Duration) -> std::io::Result<()> {
        // Set when the port was opened (`serial_link::open`).
        Ok(())
    }
}

/// Listens (or opens the serial port), then serves boards (one with `--once`).
pub fn serve(args: &ServeArgs) -> Result<(), String> {
    if args.device {
        return crate::device::serve::serve_device(args);
    }
    let timeout = Duration::from_secs(args.timeout_secs);
    if let Some(path) = &args.serial {
        loop {
            let port = crate::serial_link::open(path, timeout)?;
            println!("serving serial:{path}");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            let result = serve_one(port, timeout, args);
            if args.once {
                return result;
            }
            report(result);
        }
    }
    if let Some(path) = &args.unix {
        #[cfg(unix)]
        {
            let _ = std::fs::remove_file(path);
            let listener = std::os::unix::net::UnixListener::bind(path)
                .map_err(|e| format!("cannot listen on {}: {e}", path.display()))?;
            println!("listening on unix:{}", path.display());
            loop {
                let (stream, _) = listener.accept().map_err(|e| e.to_string())?;
                let result = serve_one(stream, timeout, args);
                if args.once {
                    return result;
                }
                report(result);
            }
        }
        #[cfg(not(unix))]
        return Err(format!("unix sockets are not available here: {}", path.display()));
    }
    let addr = args.tcp.as_deref().unwrap_or("127.0.0.1:0");
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    if !local.ip().is_loopback() {
        return Err(format!("refusing to serve on non-loopback address {local}"));
    }
    println!("listening on tcp:{local}");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    loop {
        let (stream, peer) = listener.accept().map_err(|e| e.to_string())?;
        println!("peer: board connected from {peer}");
        let result = serve_one(stream, timeout, args);
        if args.once {
            return result;
        }
        report(result);
    }
}

fn report(result: Result<(), String>) {
    if let Err(e) = result {
        eprintln!("host-sim: board session failed: {e}");
    }
}

fn serve_one(mut stream: impl Stream, timeout: Duration, args: &ServeArgs) -> Result<(), String> {
    let scenarios = &args.scenarios;
    let mut log = args.log.as_deref().map(crate::reception_log::LogFile::open).transpose()?;
    stream.set_timeout(timeout).map_err(|e| e.to_string())?;
    let mut peer = BoardPeer::new(args.bench_rounds);
    let mut noise = args.noise_secs.map(Duration::from_secs);
    if !scenarios.is_empty() {
        peer = peer.then_scenarios();
    }
    let mut reader = FrameReader::new();
    let mut buf = [0u8; 256];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(0) => return Err("board closed the connection before the check finished".into()),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(format!("board silent for {} s", timeout.as_secs()));
            }
            Err(e) => return Err(e.to_string()),
        };
        for &byte in &buf[..n] {
            let Some(frame) = reader.push(byte) else { continue };
            let (seq, message) = match frame {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("peer: dropped a bad frame: {e}");
                    continue;
                }
            };
            let mut seq = seq;
            if let (Some(length), Message::Hello { .. }) = (noise.take(), &message) {
                // The board is up: noise first, then the usual checks.
                stream.set_timeout(Duration::from_millis(200)).map_err(|e| e.to_string())?;
                let report =
                    crate::link_noise::run(&mut stream, &mut reader, peer.link_seq(), length, args.noise_seed)?;
                stream.set_timeout(timeout).map_err(|e| e.to_string())?;
                println!(
                    "noise: {} bursts, {} bytes in {} s (seed {}); every challenge after a burst answered right, no restart",
                    report.rounds,
                    report.noise_bytes,
                    length.as_secs(),
                    args.noise_seed
                );
                for (kind, n) in crate::link_noise::NoiseKind::ALL.iter().zip(report.per_kind) {
                    println!("noise:   {n:>5} × {}", kind.name());
                }
                seq = report.last_board_seq.unwrap_or(seq);
            }
            let (reply, state) = peer.on_message(seq, message)?;
            stream.write_all(&reply).map_err(|e| e.to_string())?;
            if state == PeerState::Scenarios {
                let result = crate::board_scenarios::play_with_board(
                    &mut stream,
                    &mut reader,
                    peer.link_seq(),
                    scenarios,
                    log.as_mut(),
                );
                for d in &result.differing {
                    println!("scenarios: board and host DIFFER: {d}");
                }
                for e in &result.errors {
                    println!("scenarios: error: {e}");
                }
                let ok = result.ok();
                println!(
                    "scenarios: {} visits played on the board, {} identical to the host, {} errors",
                    result.played,
                    result.played - result.differing.len(),
                    result.errors.len()
                );
                stream.write_all(&peer.done_frame(ok)?).map_err(|e| e.to_string())?;
                stream.flush().map_err(|e| e.to_string())?;
                return if ok { Ok(()) } else { Err("scenario play on the board did not match the host".into()) };
            }
            if let PeerState::Done { ok } = state {
                stream.flush().map_err(|e| e.to_string())?;
                return if ok { Ok(()) } else { Err("the board's answers did not match this host's".into()) };
            }
        }
    }
}
