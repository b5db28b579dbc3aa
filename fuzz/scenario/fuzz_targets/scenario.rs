//! The scenario loader on any text. Oracles: no panic; an error names the
//! file and a line inside the text.
#![no_main]

use host_sim::scenario::load::Found;
use host_sim::scenario::{LoadError, load_text};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let found = Found { path: PathBuf::from("fuzz.toml"), name: "fuzz.toml".into() };
    match load_text(&found, text) {
        Ok(scenarios) => assert!(!scenarios.is_empty(), "a loaded file holds a visit"),
        Err(e) => {
            assert_eq!(e.path(), found.path.as_path());
            if let LoadError::Syntax { line, .. } | LoadError::Key { line, .. } = &e {
                assert!(*line >= 1 && *line <= text.lines().count().max(1) + 1, "{e}");
            }
            assert!(e.to_string().starts_with("fuzz.toml"), "{e}");
        }
    }
});
