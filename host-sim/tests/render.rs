//! `host-sim render` draws with the firmware's own code: a screen it writes
//! is pixel for pixel the firmware's checked-in reference image.

use firmware::ui::{Layout, Screen};
use host_sim::render::{image, render_scenario};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn rendered_screens_equal_the_firmware_reference_images() {
    for (layout, dir) in [(Layout::Tft320x240, "tft320x240"), (Layout::Oled128x64, "oled128x64")] {
        let reference = std::fs::read(root().join(format!("firmware/tests/screens/{dir}/idle_online.png"))).unwrap();
        let img = image(&Screen::Idle { online: true }, layout, 1);
        let (w, h, pixels) = decode(&reference);
        assert_eq!((img.width, img.height), (w, h));
        assert_eq!(img.bytes, pixels, "{dir}: render differs from the firmware's reference image");
    }
}

#[test]
fn render_writes_every_screen_of_a_scenario() {
    let out = std::env::temp_dir().join(format!("host-sim-render-{}", std::process::id()));
    let scenario = root().join("scenarios/01-myna-basics/01-face-valid.toml");
    let files = render_scenario(&scenario, &out, &Layout::ALL, 2).unwrap();
    let names: Vec<String> = files
        .iter()
        .filter(|f| f.parent().unwrap().ends_with("tft320x240"))
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "01-idle.png",
            "02-reading_card.png",
            "03-choose_auth.png",
            "04-face_scanning.png",
            "05-consent.png",
            "06-querying.png",
            "07-result.png"
        ]
    );
    let oled = files.iter().find(|f| f.parent().unwrap().ends_with("oled128x64")).unwrap();
    let (w, h, _) = decode(&std::fs::read(oled).unwrap());
    assert_eq!((w, h), (256, 128), "OLED at scale 2");
    std::fs::remove_dir_all(&out).unwrap();
}
