//! `host-sim render`: every screen the terminal showed during a scenario, as
//! PNG files, drawn by the firmware's own `ui::draw` (the code a board runs)
//! into an in-memory framebuffer.

use crate::scenario::load::{Found, load_file};
use crate::scenario::session::play;
use embedded_graphics::pixelcolor::{Gray4, Rgb565, Rgb888};
use embedded_graphics::prelude::*;
use firmware::ui::{Layout, Screen, draw, draw_without_rule_tag};
use std::convert::Infallible;
use std::path::{Path, PathBuf};

/// An in-memory framebuffer; pixels outside it are dropped.
struct Framebuffer<C> {
    size: Size,
    px: Vec<C>,
}

impl<C: PixelColor> OriginDimensions for Framebuffer<C> {
    fn size(&self) -> Size {
        self.size
    }
}

impl<C: PixelColor> DrawTarget for Framebuffer<C> {
    type Color = C;
    type Error = Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<C>>>(&mut self, pixels: I) -> Result<(), Infallible> {
        for Pixel(p, c) in pixels {
            if let (Ok(x), Ok(y)) = (u32::try_from(p.x), u32::try_from(p.y))
                && x < self.size.width
                && y < self.size.height
            {
                self.px[(y * self.size.width + x) as usize] = c;
            }
        }
        Ok(())
    }
}

/// Whose view of a screen is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Everything the terminal shows, staff small print included.
    Staff,
    /// A trainee before answering: without the rule tag ([`draw_without_rule_tag`]).
    Trainee,
}

fn framebuffer<C: PixelColor + firmware::ui::UiColor>(
    screen: &Screen,
    layout: Layout,
    fill: C,
    viewer: Viewer,
) -> Framebuffer<C> {
    let size = layout.size();
    let mut fb = Framebuffer { size, px: vec![fill; (size.width * size.height) as usize] };
    let Ok(()) = match viewer {
        Viewer::Staff => draw(screen, layout, &mut fb),
        Viewer::Trainee => draw_without_rule_tag(screen, layout, &mut fb),
    };
    fb
}

/// An image: width, height, and 8-bit gray or RGB bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `true`: RGB, 3 bytes a pixel; `false`: gray, 1 byte a pixel.
    pub rgb: bool,
    /// Pixel bytes, row by row.
    pub bytes: Vec<u8>,
}

/// Draws `screen` as the layout's display shows it: the OLED in 4-bit gray,
/// the TFT in RGB565 (both widened to 8 bits a channel), scaled up `scale`
/// times (nearest neighbour) so small screens can be read.
pub fn image(screen: &Screen, layout: Layout, scale: u32) -> Image {
    image_for(screen, layout, scale, Viewer::Staff)
}

/// [`image`] as `viewer` sees it.
pub fn image_for(screen: &Screen, layout: Layout, scale: u32, viewer: Viewer) -> Image {
    let Size { width, height } = layout.size();
    let (rgb, base): (bool, Vec<Vec<u8>>) = match layout {
        Layout::Oled128x64 => {
            (false, framebuffer(screen, layout, Gray4::BLACK, viewer).px.iter().map(|p| vec![p.luma() * 17]).collect())
        }
        Layout::Tft320x240 => (
            true,
            framebuffer(screen, layout, Rgb565::BLACK, viewer)
                .px
                .iter()
                .map(|&p| {
                    let c = Rgb888::from(p);
                    vec![c.r(), c.g(), c.b()]
                })
                .collect(),
        ),
    };
    let scale = scale.max(1);
    let mut bytes = Vec::with_capacity(base.len() * 3 * (scale * scale) as usize);
    for y in 0..height * scale {
        for x in 0..width * scale {
            bytes.extend_from_slice(&base[((y / scale) * width + x / scale) as usize]);
        }
    }
    Image { width: width * scale, height: height * scale, rgb, bytes }
}

/// Encodes an image as PNG.
pub fn png(image: &Image) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, image.width, image.height);
    enc.set_color(if image.rgb { png::ColorType::Rgb } else { png::ColorType::Grayscale });
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&image.bytes).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A file-name-friendly name of a screen: "choose_auth", "fallback_self_declaration" ...
pub fn screen_name(screen: &Screen) -> String {
    let debug = format!("{screen:?}");
    let variant: String = debug.chars().take_while(|c| c.is_alphanumeric()).collect();
    let kind = match screen {
        Screen::Fallback { kind, .. } => format!("_{kind:?}"),
        _ => String::new(),
    };
    snake(&(variant + &kind))
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Plays the scenario file at `path` (every visit of it) and writes each
/// screen shown as `DIR/<visit>/<NN>-<screen>.png` (or `DIR/<NN>-...` for a
/// one-visit file) in each of `layouts`. Returns the files written.
pub fn render_scenario(path: &Path, out: &Path, layouts: &[Layout], scale: u32) -> Result<Vec<PathBuf>, String> {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "scenario".into());
    let found = Found { path: path.to_path_buf(), name };
    let scenarios = load_file(&found).map_err(|e| e.to_string())?;
    let mut written = Vec::new();
    for s in &scenarios {
        let session = play(s).map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = match s.index {
            Some(i) => out.join(format!("visit-{}", i + 1)),
            None => out.to_path_buf(),
        };
        for layout in layouts {
            let dir = if layouts.len() > 1 { dir.join(layout.name()) } else { dir.clone() };
            std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            for (i, screen) in session.counter.screens.iter().enumerate() {
                let file = dir.join(format!("{:02}-{}.png", i + 1, screen_name(screen)));
                let bytes = png(&image(screen, *layout, scale))?;
                std::fs::write(&file, bytes).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
                written.push(file);
            }
        }
    }
    Ok(written)
}
