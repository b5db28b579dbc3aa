//! The text parsers: dates (西暦 and 和暦, full- and half-width), insurer
//! numbers, member ids, copay ratios, limit classes and whole key-in forms.
//! Oracles: no panic; what parses prints back to a form that parses to the
//! same value; a form names the field of its first error.
#![no_main]

use chrono::Datelike;
use firmware::domain::{InsurerNumber, KeyInField, KeyInForm, LimitClass, MemberId, parse_copay_ratio, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(date) = parse_date(&text) {
        let printed = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
        assert_eq!(parse_date(&printed), Ok(date), "{text:?} -> {printed}");
    }
    if let Ok(number) = InsurerNumber::parse(&text) {
        assert_eq!(InsurerNumber::parse(number.as_str()).as_ref(), Ok(&number), "{text:?}");
    }
    let _ = parse_copay_ratio(&text);
    let _ = LimitClass::parse(&text);
    // A key-in form: fields separated by '|'.
    let mut fields = text.split('|');
    let mut next = || fields.next();
    let form = KeyInForm {
        insurer_number: next(),
        symbol: next(),
        number: next(),
        branch: next(),
        birth_date: next(),
        valid_from: next(),
        valid_until: next(),
        issued_on: next(),
        copay_ratio: next(),
        copay_from: next(),
    };
    let _ = MemberId::parse(form.symbol.unwrap_or(""), form.number.unwrap_or(""), form.branch);
    match form.parse() {
        // Only a field that was typed, or a required one, can be at fault.
        Err(e) => assert!(
            form.get(e.field).is_some() || matches!(e.field, KeyInField::InsurerNumber | KeyInField::Number),
            "{e:?} for {form:?}"
        ),
        Ok(keyed) => assert_eq!(keyed.insurer, InsurerNumber::parse(form.insurer_number.unwrap_or("")).unwrap()),
    }
});
