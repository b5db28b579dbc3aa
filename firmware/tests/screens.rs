//! Reference images of every screen, and the fonts' coverage.
//!
//! - `reference_images`: renders each screen of [`catalogue`] in both
//!   layouts (OLED in 4-bit gray, TFT in RGB565) and compares the pixels
//!   with `tests/screens/<layout>/<name>.png`.
//! - `every_screen_glyph_is_in_the_fonts`: walks every screen value (all
//!   counts 0..=255, every copay/limit/disease combination, every label) and
//!   fails on any character its font lacks.
//! - `every_screen_fits_without_clipping`: every line as written, every
//!   block inside its area, for the same screen values.
//! - `font_subsets_are_current`: the fonts in `src/ui/fonts/` must be exactly
//!   the u8g2 source fonts cut down to the characters the screens use.
//!
//! `UPDATE_SCREENS=1 cargo test -p firmware --test screens` rewrites the
//! images and font subsets instead of comparing. After a text change, run it
//! twice: the first run cuts the new fonts, the second draws with them.
//! `SCREENS_PREVIEW=/some/dir` also writes enlarged copies there for viewing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::convert::Infallible;
use std::path::{Path, PathBuf};

use embedded_graphics::pixelcolor::{Gray4, Rgb565, Rgb888};
use embedded_graphics::prelude::*;
use firmware::domain::KeyInField;
use firmware::domain::{CopayRate, LimitClass, SpecificDisease};
use firmware::ui::{
    Face, FallbackKind, KeyInText, Layout, RuleTag, Screen, UiColor, draw, fits, for_each_glyph, missing_glyph,
};
use u8g2_fonts::Font;

/// An in-memory framebuffer; pixels outside it are dropped.
struct Fb<C> {
    size: Size,
    px: Vec<C>,
}

impl<C: PixelColor> Fb<C> {
    fn new(size: Size, fill: C) -> Self {
        Self { size, px: vec![fill; (size.width * size.height) as usize] }
    }
}

impl<C: PixelColor> OriginDimensions for Fb<C> {
    fn size(&self) -> Size {
        self.size
    }
}

impl<C: PixelColor> DrawTarget for Fb<C> {
    type Color = C;
    type Error = Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<C>>>(&mut self, pixels: I) -> Result<(), Infallible> {
        for Pixel(p, c) in pixels {
            if p.x >= 0 && p.y >= 0 && (p.x as u32) < self.size.width && (p.y as u32) < self.size.height {
                self.px[(p.y as u32 * self.size.width + p.x as u32) as usize] = c;
            }
        }
        Ok(())
    }
}

fn tag(s: &str) -> RuleTag {
    RuleTag::new(s).expect("valid rule tag")
}

fn key(s: &str) -> KeyInText {
    KeyInText::new(s).expect("valid key-in text")
}

/// The screens with reference images: one of each variant, and the field
/// values that change what is drawn.
fn catalogue() -> Vec<(&'static str, Screen)> {
    use Screen::*;
    vec![
        ("idle_online", Idle { online: true }),
        ("idle_offline", Idle { online: false }),
        ("reading_card", ReadingCard),
        ("choose_auth", ChooseAuth { pin_allowed: true }),
        ("choose_auth_face_only", ChooseAuth { pin_allowed: false }),
        ("face_scanning", FaceScanning),
        ("face_failed_1", FaceFailed { failures: 1, pin_allowed: true }),
        ("face_failed_1_no_pin", FaceFailed { failures: 1, pin_allowed: false }),
        ("face_failed_9", FaceFailed { failures: 9, pin_allowed: true }),
        ("face_failed_10", FaceFailed { failures: 10, pin_allowed: true }),
        ("face_locked", FaceLocked),
        ("pin_entry_0", PinEntry { entered: 0, tries_left: None }),
        ("pin_entry_2_tries_3", PinEntry { entered: 2, tries_left: Some(3) }),
        ("pin_entry_4_tries_2", PinEntry { entered: 4, tries_left: Some(2) }),
        ("pin_entry_200", PinEntry { entered: 200, tries_left: Some(200) }),
        ("pin_picker_0", PinPicker { entered: 0, tries_left: None, digit: 0 }),
        ("pin_picker_2_tries_3_digit_7", PinPicker { entered: 2, tries_left: Some(3), digit: 7 }),
        ("pin_last_try", PinLastTry),
        ("pin_wrong_2", PinWrong { tries_left: 2 }),
        ("pin_wrong_0", PinWrong { tries_left: 0 }),
        ("pin_blocked", PinBlocked),
        ("visual_check", VisualCheck),
        ("visual_check_password_wrong", VisualCheckPasswordWrong { tries_left: 2 }),
        ("visual_check_locked", VisualCheckLocked { minutes: 5 }),
        ("renewal_alert", RenewalAlert { expired: false }),
        ("public_assistance", PublicAssistance),
        ("renewal_alert_grace", RenewalAlert { expired: true }),
        ("phone_hold_android", PhoneHold { iphone: false }),
        ("phone_hold_iphone", PhoneHold { iphone: true }),
        ("phone_auth", PhoneAuth),
        ("consent", Consent),
        ("querying", Querying),
        ("result_30", Result { copay: CopayRate::Thirty, limit: None, disease: None, elderly: false }),
        (
            "result_30_a_dialysis",
            Result {
                copay: CopayRate::Thirty,
                limit: Some(LimitClass::A),
                disease: Some(SpecificDisease::Dialysis),
                elderly: false,
            },
        ),
        (
            "result_20_elderly_geneki3_hiv",
            Result {
                copay: CopayRate::Twenty,
                limit: Some(LimitClass::GenekiNamiIII),
                disease: Some(SpecificDisease::Hiv),
                elderly: true,
            },
        ),
        (
            "result_10_teishotoku1",
            Result { copay: CopayRate::Ten, limit: Some(LimitClass::TeishotokuI), disease: None, elderly: false },
        ),
        ("not_registered", NotRegistered),
        ("registered", Registered),
        ("certificate_expired", CertificateExpired),
        ("card_removed", CardRemoved),
        (
            "fallback_notice_with_card",
            Fallback { kind: FallbackKind::NoticeWithCard, rule: tag("MYNA-OFFLINE-NEEDS-NOTICE") },
        ),
        ("fallback_certificate", Fallback { kind: FallbackKind::Certificate, rule: tag("R-CERT-VALID") }),
        ("fallback_portal_screen", Fallback { kind: FallbackKind::PortalScreen, rule: tag("R-OFFLINE-PORTAL") }),
        (
            "fallback_self_declaration",
            Fallback { kind: FallbackKind::SelfDeclaration, rule: tag("R-NETWORK-DOWN-SELFDECL") },
        ),
        (
            "fallback_elderly_recipient",
            Fallback { kind: FallbackKind::ElderlyRecipient, rule: tag("ELDERLY-RECIPIENT-ON-PAPER") },
        ),
        ("fallback_at_counter", Fallback { kind: FallbackKind::AtCounter, rule: tag("MYNA-ONLINE-MULTIPLE") }),
        ("fallback_old_card", Fallback { kind: FallbackKind::OldCard, rule: tag("R-OLDCARD-UNTIL-20251201") }),
        ("service_unavailable", ServiceUnavailable),
        ("network_down", NetworkDown),
        ("key_in_insurer_number", KeyIn { field: KeyInField::InsurerNumber, entered: key("3312001"), error: false }),
        ("key_in_symbol_empty", KeyIn { field: KeyInField::Symbol, entered: KeyInText::EMPTY, error: false }),
        ("key_in_birth_date_error", KeyIn { field: KeyInField::BirthDate, entered: key("S45.13.01"), error: true }),
        (
            "key_in_long_not_in_font",
            KeyIn { field: KeyInField::ValidUntil, entered: key("R7.9.30/12345678煩"), error: false },
        ),
    ]
}

/// Every screen value worth drawing: all variants, all enum fields, every
/// count 0..=255 (each count on its own), and free text at its limits.
fn every_screen(mut f: impl FnMut(Screen)) {
    use Screen::*;
    for s in [
        Idle { online: true },
        Idle { online: false },
        ReadingCard,
        ChooseAuth { pin_allowed: true },
        ChooseAuth { pin_allowed: false },
        FaceScanning,
        FaceLocked,
        PinLastTry,
        PinBlocked,
        VisualCheck,
        Consent,
        Querying,
        NotRegistered,
        Registered,
        CertificateExpired,
        RenewalAlert { expired: false },
        RenewalAlert { expired: true },
        PublicAssistance,
        PhoneHold { iphone: false },
        PhoneHold { iphone: true },
        PhoneAuth,
        CardRemoved,
        ServiceUnavailable,
        NetworkDown,
    ] {
        f(s);
    }
    for n in 0..=u8::MAX {
        f(FaceFailed { failures: n, pin_allowed: true });
        f(FaceFailed { failures: n, pin_allowed: false });
        f(PinWrong { tries_left: n });
        f(PinEntry { entered: n, tries_left: Some(3) });
        f(PinEntry { entered: n, tries_left: None });
        f(PinEntry { entered: 1, tries_left: Some(n) });
        f(PinPicker { entered: n, tries_left: Some(3), digit: n });
        f(PinPicker { entered: 1, tries_left: Some(n), digit: n % 10 });
        f(VisualCheckPasswordWrong { tries_left: n });
        f(VisualCheckLocked { minutes: n });
    }
    let limits = std::iter::once(None).chain(LimitClass::ALL.into_iter().map(Some));
    for limit in limits {
        for disease in
            [None, Some(SpecificDisease::Dialysis), Some(SpecificDisease::Hemophilia), Some(SpecificDisease::Hiv)]
        {
            for copay in [CopayRate::Ten, CopayRate::Twenty, CopayRate::Thirty] {
                for elderly in [false, true] {
                    f(Result { copay, limit, disease, elderly });
                }
            }
        }
    }
    let ascii: String = (0x21u8..=0x7E).map(char::from).collect();
    for kind in FallbackKind::ALL {
        let widest = "W".repeat(32);
        for rule in ["X", "SYSTEM-FAILURE-SELF-DECLARATION", &widest, &ascii[..32], &ascii[32..64], &ascii[62..]] {
            f(Fallback { kind, rule: tag(rule) });
        }
    }
    for field in KeyInField::ALL {
        for entered in ["", "0", "33120015", "WWWWWWWWWWWWWWWWWWWWWWWW", &ascii[..24], &ascii[24..48], &ascii[70..]] {
            for error in [false, true] {
                f(KeyIn { field, entered: key(entered), error });
            }
        }
    }
}

fn update() -> bool {
    std::env::var_os("UPDATE_SCREENS").is_some_and(|v| v == "1")
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A rendered image: width, height, PNG colour type and its bytes.
struct Image {
    w: u32,
    h: u32,
    color: png::ColorType,
    bytes: Vec<u8>,
}

impl Image {
    fn channels(&self) -> usize {
        if self.color == png::ColorType::Rgb { 3 } else { 1 }
    }

    fn differing_pixels(&self, other: &Image) -> usize {
        if (self.w, self.h, self.color) != (other.w, other.h, other.color) {
            return (self.w * self.h) as usize;
        }
        let c = self.channels();
        self.bytes.chunks(c).zip(other.bytes.chunks(c)).filter(|(a, b)| a != b).count()
    }

    fn scaled(&self, k: u32) -> Image {
        let c = self.channels();
        let mut bytes = Vec::with_capacity(self.bytes.len() * (k * k) as usize);
        for y in 0..self.h * k {
            for x in 0..self.w * k {
                let i = ((y / k) * self.w + x / k) as usize * c;
                bytes.extend_from_slice(&self.bytes[i..i + c]);
            }
        }
        Image { w: self.w * k, h: self.h * k, color: self.color, bytes }
    }

    fn write(&self, path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        let mut enc = png::Encoder::new(file, self.w, self.h);
        enc.set_color(self.color);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Best);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&self.bytes).unwrap();
    }

    fn read(path: &Path) -> Option<Image> {
        let file = std::fs::File::open(path).ok()?;
        let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().ok()?;
        let mut bytes = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut bytes).ok()?;
        bytes.truncate(info.buffer_size());
        if info.bit_depth != png::BitDepth::Eight {
            return None;
        }
        Some(Image { w: info.width, h: info.height, color: info.color_type, bytes })
    }
}

fn render<C: UiColor>(screen: &Screen, layout: Layout, bg: C) -> Fb<C> {
    let mut fb = Fb::new(layout.size(), bg);
    draw(screen, layout, &mut fb).unwrap();
    fb
}

/// The OLED in the SSD0323's 4-bit gray, the TFT in RGB565, as PNG bytes.
fn image(screen: &Screen, layout: Layout) -> Image {
    let Size { width: w, height: h } = layout.size();
    match layout {
        Layout::Oled128x64 => {
            let fb = render(screen, layout, Gray4::BLACK);
            let bytes = fb.px.iter().map(|p| p.luma() * 17).collect();
            Image { w, h, color: png::ColorType::Grayscale, bytes }
        }
        Layout::Tft320x240 => {
            let fb = render(screen, layout, Rgb565::BLACK);
            let bytes = fb
                .px
                .iter()
                .flat_map(|&p| {
                    let c = Rgb888::from(p);
                    [c.r(), c.g(), c.b()]
                })
                .collect();
            Image { w, h, color: png::ColorType::Rgb, bytes }
        }
    }
}

#[test]
fn reference_images() {
    let dir = manifest().join("tests/screens");
    let preview = std::env::var_os("SCREENS_PREVIEW").map(PathBuf::from);
    let mut failures = Vec::new();
    for layout in Layout::ALL {
        let mut names = BTreeSet::new();
        for (name, screen) in catalogue() {
            assert!(names.insert(name), "duplicate name {name}");
            if update() && !matches!(screen, Screen::KeyIn { .. }) {
                assert_eq!(
                    missing_glyph(&screen, layout),
                    None,
                    "{name}: the compiled-in fonts lack a glyph (key-in text aside); run UPDATE_SCREENS=1 again \
                     after the font subsets were rewritten"
                )
            }
            let img = image(&screen, layout);
            let path = dir.join(layout.name()).join(format!("{name}.png"));
            let old = Image::read(&path);
            let diff = old.as_ref().map(|o| img.differing_pixels(o));
            if update() {
                if diff != Some(0) {
                    img.write(&path);
                }
            } else {
                match diff {
                    None => {
                        failures.push(format!("{}/{name}: no reference image at {}", layout.name(), path.display()))
                    }
                    Some(0) => {}
                    Some(n) => failures.push(format!("{}/{name}: {n} pixels differ", layout.name())),
                }
            }
            if let Some(p) = &preview {
                let k = if layout == Layout::Oled128x64 { 4 } else { 2 };
                img.scaled(k).write(&p.join(layout.name()).join(format!("{name}.png")));
            }
        }
        // No stale images.
        for entry in std::fs::read_dir(dir.join(layout.name())).into_iter().flatten().flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let stem = file.strip_suffix(".png").unwrap_or(&file).to_owned();
            if !names.contains(stem.as_str()) {
                if update() {
                    std::fs::remove_file(entry.path()).unwrap();
                } else {
                    failures.push(format!("{}/{file}: no such screen in the catalogue", layout.name()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "screens differ from tests/screens (UPDATE_SCREENS=1 rewrites them):\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_screen_glyph_is_in_the_fonts() {
    let mut missing = BTreeMap::new();
    let mut count = 0;
    for layout in Layout::ALL {
        every_screen(|s| {
            count += 1;
            if let Some((face, c)) = missing_glyph(&s, layout) {
                missing.entry((format!("{face:?}"), c)).or_insert(s);
            }
        });
    }
    assert!(count > 2000);
    assert!(missing.is_empty(), "glyphs missing from the fonts (face, char) → first screen: {missing:#?}");
}

#[test]
fn every_screen_fits_without_clipping() {
    let mut overflowing = Vec::new();
    for layout in Layout::ALL {
        every_screen(|s| {
            if !fits(&s, layout) {
                overflowing.push(format!("{}: {s:?}", layout.name()));
            }
        });
    }
    overflowing.dedup();
    assert!(
        overflowing.is_empty(),
        "{} screens overflow, e.g.:\n{}",
        overflowing.len(),
        overflowing[..overflowing.len().min(20)].join("\n")
    );
}

#[test]
fn text_outside_the_fonts_is_drawn_as_question_marks() {
    let s = Screen::KeyIn { field: KeyInField::Symbol, entered: key("煩"), error: false };
    for layout in Layout::ALL {
        let (face, c) = missing_glyph(&s, layout).expect("煩 is in no subset");
        assert_eq!(c, '煩');
        assert!(face.has_glyph('?'));
        render(&s, layout, Gray4::BLACK);
    }
}

#[test]
fn drawing_is_deterministic_and_stays_inside_any_target() {
    for (_, screen) in catalogue() {
        for layout in Layout::ALL {
            assert_eq!(image(&screen, layout).bytes, image(&screen, layout).bytes);
            // A target smaller than the layout: nothing is drawn outside it, nothing panics.
            let mut small: Fb<Rgb565> = Fb::new(Size::new(50, 30), Rgb565::BLACK);
            draw(&screen, layout, &mut small).unwrap();
            let mut mono = Fb::new(layout.size(), embedded_graphics::pixelcolor::BinaryColor::Off);
            draw(&screen, layout, &mut mono).unwrap();
        }
    }
}

/// The full u8g2 font a face is cut from.
fn source_font(face: Face) -> &'static [u8] {
    use u8g2_fonts::fonts::*;
    let (name, data) = match face {
        Face::Oled10 => ("u8g2_font_b10_t_japanese2", u8g2_font_b10_t_japanese2::DATA),
        Face::Tft16 => ("u8g2_font_b16_t_japanese3", u8g2_font_b16_t_japanese3::DATA),
        Face::Tft16Bold => ("u8g2_font_b16_b_t_japanese3", u8g2_font_b16_b_t_japanese3::DATA),
    };
    assert_eq!(face.source_font(), name);
    data
}

fn be16(d: &[u8], i: usize) -> usize {
    usize::from(u16::from_be_bytes([d[i], d[i + 1]]))
}

/// Cuts a u8g2 font down to its 8-bit glyphs (ASCII, kept whole) and the
/// Unicode glyphs in `keep`. Returns the font and the characters of `keep`
/// the source lacks.
///
/// Format (u8g2 wiki "u8g2fontformat"): a 23-byte header whose bytes 21..23
/// give the offset (from byte 23) of the Unicode part; the Unicode part is a
/// jump table of (distance u16, last encoding u16) entries, the last with
/// 0xFFFF, then glyphs of (encoding u16, size u8, bitmap), ended by 0x0000.
fn subset(full: &[u8], keep: &BTreeSet<char>) -> (Vec<u8>, Vec<char>) {
    let table = 23 + be16(full, 21);
    let mut glyphs: BTreeMap<u32, &[u8]> = BTreeMap::new();
    let mut g = table + be16(full, table);
    loop {
        let enc = be16(full, g);
        if enc == 0 {
            break;
        }
        let size = usize::from(full[g + 2]);
        if keep.contains(&char::from_u32(enc as u32).unwrap_or('\0')) {
            glyphs.insert(enc as u32, &full[g..g + size]);
        }
        g += size;
    }
    let lacking = keep.iter().filter(|c| !glyphs.contains_key(&u32::from(**c))).copied().collect();
    let list: Vec<(u32, &[u8])> = glyphs.into_iter().collect();
    let blocks: Vec<&[(u32, &[u8])]> = list.chunks(16).collect();
    let mut out = full[..table].to_vec();
    let table_len = 4 * blocks.len().max(1);
    if blocks.is_empty() {
        out.extend_from_slice(&[0, 4, 0xFF, 0xFF]);
    }
    let (mut prev, mut pos) = (0, table_len);
    for (i, b) in blocks.iter().enumerate() {
        let last = if i + 1 == blocks.len() { 0xFFFF } else { b[b.len() - 1].0 as u16 };
        out.extend_from_slice(&u16::try_from(pos - prev).unwrap().to_be_bytes());
        out.extend_from_slice(&last.to_be_bytes());
        prev = pos;
        pos += b.iter().map(|(_, g)| g.len()).sum::<usize>();
    }
    for (_, g) in &list {
        out.extend_from_slice(g);
    }
    out.extend_from_slice(&[0, 0]);
    (out, lacking)
}

#[test]
fn font_subsets_are_current() {
    let mut used: HashMap<Face, BTreeSet<char>> = Face::ALL.into_iter().map(|f| (f, BTreeSet::new())).collect();
    for layout in Layout::ALL {
        every_screen(|s| {
            for_each_glyph(&s, layout, |face, c| {
                if u32::from(c) > 0xFF {
                    used.get_mut(&face).unwrap().insert(c);
                }
            })
        });
    }
    let mut problems = Vec::new();
    for face in Face::ALL {
        let chars = &used[&face];
        let (data, lacking) = subset(source_font(face), chars);
        if !lacking.is_empty() {
            problems.push(format!(
                "{face:?}: {} lacks {:?}; change the text in src/ui/text.rs",
                face.source_font(),
                lacking.iter().collect::<String>()
            ));
            continue;
        }
        let path = manifest().join("src/ui/fonts").join(face.file_name());
        if std::fs::read(&path).ok().as_deref() != Some(&data[..]) {
            if update() {
                std::fs::write(&path, &data).unwrap();
            } else {
                problems.push(format!("{face:?}: {} is stale (UPDATE_SCREENS=1 rewrites it)", path.display()));
            }
        }
        println!("{face:?}: {} glyphs above U+00FF, {} bytes", chars.len(), data.len());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn subset_fonts_render_like_their_sources() {
    // Every glyph of a subset draws the same pixels as in the full font.
    for face in Face::ALL {
        let full = u8g2_fonts::FontRenderer::new_from_raw_data(source_font(face));
        let cut = u8g2_fonts::FontRenderer::new_from_raw_data(face.data());
        let mut checked = 0;
        for c in (0x20u32..0x10000).filter_map(char::from_u32) {
            if !face.has_glyph(c) {
                continue;
            }
            checked += 1;
            let mut a: Fb<Gray4> = Fb::new(Size::new(24, 24), Gray4::BLACK);
            let mut b: Fb<Gray4> = Fb::new(Size::new(24, 24), Gray4::BLACK);
            let at = Point::new(4, 4);
            let top = u8g2_fonts::types::VerticalPosition::Top;
            let color = u8g2_fonts::types::FontColor::Transparent(Gray4::WHITE);
            full.render(c, at, top, color, &mut a).unwrap();
            cut.render(c, at, top, color, &mut b).unwrap();
            assert!(a.px == b.px, "{face:?}: {c:?} differs from the source font");
        }
        assert!(checked > 95, "{face:?}: only {checked} glyphs");
    }
}
