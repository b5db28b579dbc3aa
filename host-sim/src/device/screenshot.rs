//! A QEMU screendump of the OLED, reduced to the panel's 128×64 grey
//! levels, against the host's rendering of a screen.

use crate::render::image;
use firmware::ui::{Layout, Screen};
use std::path::Path;

/// The OLED's size.
pub const WIDTH: usize = 128;
/// The OLED's size.
pub const HEIGHT: usize = 64;

/// 128×64 grey levels 0..=15, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Levels(pub Vec<u8>);

impl Levels {
    /// What the host draws for `screen` on the OLED layout.
    pub fn rendered(screen: &Screen) -> Self {
        let img = image(screen, Layout::Oled128x64, 1);
        Self(img.bytes.iter().map(|&g| level(g)).collect())
    }

    /// Pixels that differ from `other`.
    pub fn differing(&self, other: &Self) -> usize {
        self.0.iter().zip(&other.0).filter(|(a, b)| a != b).count()
    }
}

/// An 8-bit grey value to the nearest of 16 levels (`level × 17`).
fn level(g: u8) -> u8 {
    ((u16::from(g) + 8) / 17) as u8
}

/// Reads a screendump: a PNG whose size is a whole multiple of 128×64
/// (QEMU draws each OLED pixel as a square of 4×4), reduced by taking the
/// middle of each square.
pub fn load(path: &Path) -> Result<Levels, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().map_err(|e| format!("{}: {e}", path.display()))?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).map_err(|e| format!("{}: {e}", path.display()))?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(format!("{}: indexed PNG not expected", path.display())),
    };
    if info.bit_depth != png::BitDepth::Eight {
        return Err(format!("{}: {:?} bits per channel, expected 8", path.display(), info.bit_depth));
    }
    let (w, h) = (info.width as usize, info.height as usize);
    if w % WIDTH != 0 || h % HEIGHT != 0 || w / WIDTH != h / HEIGHT || w == 0 {
        return Err(format!("{}: {w}×{h} is not a multiple of the OLED's 128×64", path.display()));
    }
    let scale = w / WIDTH;
    let mut levels = Vec::with_capacity(WIDTH * HEIGHT);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let (px, py) = (x * scale + scale / 2, y * scale + scale / 2);
            let at = (py * w + px) * channels;
            levels.push(level(buf[at]));
        }
    }
    Ok(Levels(levels))
}

/// Writes levels as a grey PNG (for people to compare with a screendump).
pub fn save(levels: &Levels, path: &Path) -> Result<(), String> {
    let img = crate::render::Image {
        width: WIDTH as u32,
        height: HEIGHT as u32,
        rgb: false,
        bytes: levels.0.iter().map(|l| l * 17).collect(),
    };
    std::fs::write(path, crate::render::png(&img)?).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_4x_screendump_reduces_to_the_rendering_and_a_changed_pixel_counts() {
        let screen = Screen::ChooseAuth { pin_allowed: true };
        let want = Levels::rendered(&screen);
        let big = image(&screen, Layout::Oled128x64, 4);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dump.png");
        std::fs::write(&file, crate::render::png(&big).unwrap()).unwrap();
        let got = load(&file).unwrap();
        assert_eq!(got.differing(&want), 0);
        assert!(want.0.iter().any(|&l| l > 0), "the screen is not blank");
        let mut wrong = got.clone();
        wrong.0[5 * WIDTH + 7] ^= 0x0F;
        assert_eq!(wrong.differing(&want), 1);
        let other = Levels::rendered(&Screen::Consent);
        assert!(other.differing(&want) > 50);
    }
}
