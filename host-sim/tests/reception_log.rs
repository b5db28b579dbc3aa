//! The reception log file: `host-sim run --log FILE` appends the visits'
//! records to a flash image, `host-sim log FILE` lists them and counts the
//! visits per month; a file of the wrong size or a damaged image is refused
//! and left as it is; neither the image nor the listing carries personal
//! data of the scenario pack (birth dates, PINs, insurer and member
//! numbers, keyed-in text).

use firmware::log::region::REGION_SIZE;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn host_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_host-sim")).args(args).output().expect("host-sim runs")
}

fn pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Runs the bundled pack with `--log file`; returns `run`'s stdout.
fn run_pack(file: &Path) -> String {
    let out = host_sim(&["run", "--no-progress", "--log", file.to_str().unwrap(), pack().to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn run_appends_and_log_lists_every_record_with_monthly_counts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reception.log");
    let run = run_pack(&file);
    let appended: usize = run
        .lines()
        .find_map(|l| l.strip_prefix("log: ")?.split(' ').next()?.parse().ok())
        .expect("run says how many records it appended");
    assert!(appended > 100, "{run}");
    assert_eq!(std::fs::metadata(&file).unwrap().len(), u64::from(REGION_SIZE));
    let out = host_sim(&["log", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listing = text(&out.stdout);
    let records = listing.lines().filter(|l| l.split("  ").nth(1).is_some_and(|t| t.starts_with('+'))).count();
    assert_eq!(records, appended, "every appended record is listed");
    // The pack's phone visits are in November 2026, checked online.
    assert!(listing.contains("2026-11: "), "{listing}");
    assert!(listing.contains("by smartphone"), "{listing}");
    assert!(listing.contains("マイナ保険証 share: "), "{listing}");
    // A second run appends after the first.
    run_pack(&file);
    let again = text(&host_sim(&["log", file.to_str().unwrap()]).stdout);
    let twice = again.lines().filter(|l| l.split("  ").nth(1).is_some_and(|t| t.starts_with('+'))).count();
    assert_eq!(twice, 2 * appended);
}

#[test]
fn a_wrong_size_or_damaged_image_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.log");
    std::fs::write(&small, [0xA5u8; 1000]).unwrap();
    for args in [vec!["log", small.to_str().unwrap()], vec!["run", "--log", small.to_str().unwrap()]] {
        let mut args = args;
        let p = pack().join("01-myna-basics");
        if args[0] == "run" {
            args.push(p.to_str().unwrap());
        }
        let out = host_sim(&args);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains("small.log") && err.contains("1000 bytes"), "{err}");
        assert_eq!(std::fs::read(&small).unwrap(), vec![0xA5u8; 1000], "the file was changed");
    }
    // A good image with its first page overwritten.
    let damaged = dir.path().join("damaged.log");
    run_pack(&damaged);
    let mut image = std::fs::read(&damaged).unwrap();
    image[..4096].fill(0x55);
    std::fs::write(&damaged, &image).unwrap();
    for cmd in ["log", "run"] {
        let mut args = vec![cmd];
        if cmd == "run" {
            args.push("--log");
        }
        args.push(damaged.to_str().unwrap());
        let p = pack().join("01-myna-basics");
        if cmd == "run" {
            args.push(p.to_str().unwrap());
        }
        let out = host_sim(&args);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains("damaged.log") && err.contains("not a readable reception log image"), "{err}");
        assert_eq!(std::fs::read(&damaged).unwrap(), image, "{cmd}: the file was changed");
    }
}

/// Personal data in the pack: values of these keys, wherever they are.
const PERSONAL: [&str; 5] = ["birth_date", "pin", "digits", "number", "text"];

fn personal_values(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                match v {
                    toml::Value::String(s) if PERSONAL.contains(&k.as_str()) => out.push(s.clone()),
                    other => personal_values(other, out),
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|v| personal_values(v, out)),
        _ => {}
    }
}

fn pack_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            pack_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn the_log_image_and_its_listing_carry_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reception.log");
    run_pack(&file);
    let image = std::fs::read(&file).unwrap();
    let listing = text(&host_sim(&["log", file.to_str().unwrap()]).stdout);
    let tokens: Vec<&str> = listing.split_whitespace().map(|t| t.trim_matches(|c| "[](),:".contains(c))).collect();
    let mut files = Vec::new();
    pack_files(&pack(), &mut files);
    let mut secrets = Vec::new();
    for f in &files {
        let v: toml::Value = toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        personal_values(&v, &mut secrets);
    }
    // Birth dates also in the ISO form a listing would use.
    let iso: Vec<String> =
        secrets.iter().filter_map(|s| firmware::domain::parse_date(s).ok()).map(|d| d.to_string()).collect();
    let visit_dates: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let v: toml::Value = toml::from_str(&std::fs::read_to_string(f).unwrap()).ok()?;
            firmware::domain::parse_date(v.get("date")?.as_str()?).ok().map(|d| d.to_string())
        })
        .collect();
    secrets.extend(iso.into_iter().filter(|d| !visit_dates.contains(d)));
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() > 30, "the pack's personal data was found: {secrets:?}");
    let mut checked = 0;
    for s in secrets.iter().filter(|s| s.chars().count() >= 4) {
        checked += 1;
        assert!(!tokens.contains(&s.as_str()) && !listing.contains(&format!(" {s} ")), "{s:?} in the listing");
        assert!(!image.windows(s.len()).any(|w| w == s.as_bytes()), "{s:?} in the log image");
    }
    assert!(checked > 25, "{checked} values checked");
}
