//! Decoding a board's defmt stream into readable log lines.

use defmt_decoder::{DecodeError, Table};
use std::io::Read;

/// Reads defmt frames from `input` until it ends, decoding them with the
/// table of `elf` and handing each line (level, message, file:line) to
/// `on_line`.
pub fn decode_stream(elf: &[u8], mut input: impl Read, mut on_line: impl FnMut(String)) -> Result<(), String> {
    let table = Table::parse(elf)
        .map_err(|e| format!("cannot read defmt table: {e}"))?
        .ok_or("the ELF has no defmt data (is defmt linked in?)")?;
    let locations = table.get_locations(elf).unwrap_or_default();
    let mut decoder = table.new_stream_decoder();
    let mut buf = [0u8; 1024];
    loop {
        let n = input.read(&mut buf).map_err(|e| format!("reading the board's output: {e}"))?;
        if n == 0 {
            return Ok(());
        }
        decoder.received(&buf[..n]);
        loop {
            match decoder.decode() {
                Ok(frame) => {
                    let level = frame.level().map_or("PRINT", |l| l.as_str()).to_uppercase();
                    let loc = locations
                        .get(&frame.index())
                        .map(|l| format!("  ({}:{})", l.file.display(), l.line))
                        .unwrap_or_default();
                    on_line(format!("{level:<5} {}{loc}", frame.display_message()));
                }
                Err(DecodeError::UnexpectedEof) => break,
                Err(DecodeError::Malformed) => on_line("ERROR (malformed defmt frame skipped)".into()),
            }
        }
    }
}
