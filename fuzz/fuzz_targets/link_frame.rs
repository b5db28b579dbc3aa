//! Link frames: any byte stream through the frame reader, and any buffer as
//! a decoded frame. Oracles: no panic; every frame the reader accepts
//! re-encodes to a stream the reader decodes to the same message.
#![no_main]

use firmware::link::{Frame, FrameReader, FrameRepr, MAX_WIRE_FRAME, encode_message};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(frame) = Frame::new_checked(data) {
        let repr = FrameRepr::parse(&frame);
        let mut out = vec![0u8; repr.buffer_len()];
        assert_eq!(repr.emit(&mut out), Ok(data.len()));
        assert_eq!(out, data, "a checked frame emits its own bytes");
    }
    let mut reader = FrameReader::new();
    for &byte in data {
        let Some(Ok((seq, message))) = reader.push(byte) else { continue };
        let mut wire = [0u8; MAX_WIRE_FRAME];
        let n = encode_message(seq, &message, &mut wire).expect("a decoded message re-encodes");
        let mut again = FrameReader::new();
        let decoded = wire[..n].iter().find_map(|&b| again.push(b));
        match decoded {
            Some(Ok((s, m))) => assert!(s == seq && m == message, "round trip changed the frame"),
            other => panic!("re-encoded frame not read back: {other:?}"),
        }
    }
});
