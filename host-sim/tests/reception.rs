//! The reception state machine (firmware) driven through every path with the
//! virtual card and the virtual online service: the screens it shows, the
//! card exchanges it makes, the final decision and its rule ids, and that no
//! personal data reaches a transcript or log line.

use chrono::{NaiveDate, NaiveDateTime};
use firmware::domain::*;
use firmware::link::ServiceError;
use firmware::reception::{Event, LogEvent, PaperKind, PhoneKind, State, TerminalConfig, TypedPassword};
use firmware::rules::{Basis, Outcome};
use firmware::ui::{FallbackKind, Screen};
use host_sim::counter::Counter;
use host_sim::virtual_card::{CardProfile, CardToken, CertParams, CertificateSource, VirtualCard};
use host_sim::virtual_service::{
    CertSerial, CoverageDb, CoverageRecord, ErrorFault, FaultPlan, Garble, GarbleFault, Queries, VirtualService,
};

const HOLDER: &str = "受付 太郎";
const SERIAL: [u8; 6] = [0x5E, 0x41, 0xA1, 0x00, 0x42, 0x99];
const QUERY_WAIT: u64 = 10_000;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(14, 59, 59).unwrap()
}

fn today() -> NaiveDate {
    d(2025, 10, 1)
}

fn facility(online: bool) -> Facility {
    Facility {
        kind: FacilityKind::Clinic,
        online_capable: online,
        reader: ReaderState::Working,
        network: NetworkState::Up,
        phone_reader: true,
    }
}

fn profile(pin: Option<[u8; 4]>, tries: u8, not_after: NaiveDateTime) -> CardProfile {
    CardProfile {
        pin,
        pin_tries_left: tries,
        certificate: CertificateSource::Generate(CertParams {
            serial: SERIAL.to_vec(),
            not_after,
            holder_name: HOLDER.into(),
            ..CertParams::default()
        }),
        ..CardProfile::default()
    }
}

fn card() -> VirtualCard {
    VirtualCard::new(profile(Some([1, 2, 3, 4]), 3, utc(2029, 3, 31))).unwrap()
}

fn record(registered: bool, until: Option<NaiveDate>) -> CoverageRecord {
    CoverageRecord {
        person: Some("p1".into()),
        serials: vec![CertSerial::new(&SERIAL).unwrap()],
        card_registered: registered,
        insurer: InsurerNumber::parse("06131239").unwrap(),
        member: MemberId::parse("12", "987654", Some("01")).unwrap(),
        birth_date: d(1980, 5, 5),
        qualified_on: d(2015, 4, 1),
        disqualified_on: until,
        copay: Some(CopayRate::Thirty),
        preschool: false,
        elderly: None,
        limit: Some(LimitClass::U),
        disease: None,
        public_assistance: false,
    }
}

fn service(records: Vec<CoverageRecord>, faults: FaultPlan) -> VirtualService {
    VirtualService::new(CoverageDb::new(records).unwrap(), faults)
}

fn counter_with(config: TerminalConfig, card: Option<VirtualCard>, svc: VirtualService) -> Counter {
    Counter::new(config, today(), card, svc)
}

fn online_counter(card: VirtualCard, faults: FaultPlan) -> Counter {
    counter_with(TerminalConfig::new(facility(true)), Some(card), service(vec![record(true, None)], faults))
}

fn pin(c: &mut Counter, digits: [u8; 4]) {
    for x in digits {
        c.event(Event::PinDigit(x));
    }
}

/// Card placed and read up to the choice of method.
fn placed(c: &mut Counter) {
    c.event(Event::CardPlaced);
    assert_eq!(c.state(), State::ChooseAuth, "{}", c.transcript.text());
}

fn decision_rules(c: &Counter) -> Vec<&'static str> {
    let mut ids: Vec<_> = c.decision().expect("decided").fired.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids
}

fn logged(c: &Counter, f: impl Fn(&LogEvent) -> bool) -> usize {
    c.logs.iter().filter(|r| f(&r.event)).count()
}

#[test]
fn face_path_screens_in_order_and_online_decision() {
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    c.event(Event::ChooseFace);
    c.event(Event::FaceResult { matched: true });
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    assert_eq!(
        c.screens,
        vec![
            Screen::Idle { online: true },
            Screen::ReadingCard,
            Screen::ChooseAuth { pin_allowed: true },
            Screen::FaceScanning,
            Screen::Consent,
            Screen::Querying,
            Screen::Result { copay: CopayRate::Thirty, limit: Some(LimitClass::U), disease: None, elderly: false },
        ]
    );
    let d = c.decision().unwrap();
    assert_eq!((d.outcome, d.basis), (Outcome::Accepted, Some(Basis::Online)));
    assert_eq!(decision_rules(&c), vec!["MYNA-ONLINE-VALID"]);
    assert_eq!(c.state(), State::Result);
    // The result screen goes back to idle on its own.
    c.advance(60_000);
    assert_eq!(c.screen(), Some(&Screen::Idle { online: true }));
}

#[test]
fn certificate_read_takes_two_plus_ceil_len_over_255_exchanges() {
    for target_len in [1_100usize, 1_279, 1_280, 1_400, 1_789, 2_044] {
        let mut p = profile(Some([1, 2, 3, 4]), 3, utc(2029, 3, 31));
        if let CertificateSource::Generate(params) = &mut p.certificate {
            params.target_len = Some(target_len);
        }
        let mut c = online_counter(VirtualCard::new(p).unwrap(), FaultPlan::default());
        placed(&mut c);
        let card = c.card.as_ref().unwrap();
        let content_len = card.certificate().len() - 4; // after the 4-byte DER header
        // After the AP: SELECT+READ of the token, the certificate, SELECT of the
        // PIN EF and the retry-counter query.
        let certificate_exchanges = card.counters().apdus_after_jpki_select - 4;
        assert_eq!(certificate_exchanges, 2 + content_len.div_ceil(255), "certificate of {target_len} bytes");
        assert_eq!(card.counters().forbidden_selects, 0);
    }
}

#[test]
fn pin_path_with_the_cards_own_counter() {
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    c.event(Event::ChoosePin);
    assert_eq!(c.screen(), Some(&Screen::PinEntry { entered: 0, tries_left: Some(3) }));
    pin(&mut c, [1, 2, 3, 9]);
    assert_eq!(c.screen(), Some(&Screen::PinWrong { tries_left: 2 }));
    pin(&mut c, [1, 2, 3, 4]);
    assert_eq!(c.state(), State::Consent);
    assert_eq!(c.card.as_ref().unwrap().pin_tries_left(), Some(3), "a right PIN resets the card's counter");
    c.event(Event::Consent(false));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::Accepted);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::Identified(firmware::rules::IdentityMethod::Pin))), 1);
}

#[test]
fn last_try_is_never_sent_without_explicit_confirmation() {
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    c.event(Event::ChoosePin);
    pin(&mut c, [0, 0, 0, 0]);
    pin(&mut c, [0, 0, 0, 1]);
    assert_eq!(c.screen(), Some(&Screen::PinWrong { tries_left: 1 }));
    let verifies = c.card.as_ref().unwrap().counters().verify_attempts;
    pin(&mut c, [1, 2, 3, 4]);
    assert_eq!(c.screen(), Some(&Screen::PinLastTry));
    assert_eq!(c.card.as_ref().unwrap().counters().verify_attempts, verifies, "VERIFY sent before confirmation");
    c.event(Event::ConfirmLastTry(false));
    assert_eq!(c.state(), State::ChooseAuth);
    assert_eq!(c.card.as_ref().unwrap().counters().verify_attempts, verifies);
    c.event(Event::ChoosePin);
    pin(&mut c, [1, 2, 3, 4]);
    c.event(Event::ConfirmLastTry(true));
    assert_eq!(c.card.as_ref().unwrap().counters().verify_attempts, verifies + 1);
    assert_eq!(c.state(), State::Consent);
}

#[test]
fn wrong_last_try_blocks_the_pin_and_leaves_face_or_visual_check() {
    let mut c = online_counter(
        VirtualCard::new(profile(Some([1, 2, 3, 4]), 1, utc(2029, 3, 31))).unwrap(),
        FaultPlan::default(),
    );
    placed(&mut c);
    c.event(Event::ChoosePin);
    pin(&mut c, [9, 9, 9, 9]);
    c.event(Event::ConfirmLastTry(true));
    // The reason stays on screen while the patient chooses again.
    assert_eq!(c.screen(), Some(&Screen::PinBlocked));
    assert_eq!(c.state(), State::ChooseAuth);
    c.event(Event::ChoosePin);
    assert_eq!(c.state(), State::ChooseAuth, "a blocked PIN cannot be chosen");
    assert_eq!(logged(&c, |e| *e == LogEvent::PinBlocked), 1);
}

#[test]
fn blocked_or_pin_less_cards_offer_face_only() {
    for p in [profile(Some([1, 2, 3, 4]), 0, utc(2029, 3, 31)), profile(None, 3, utc(2029, 3, 31))] {
        let mut c = online_counter(VirtualCard::new(p).unwrap(), FaultPlan::default());
        placed(&mut c);
        assert_eq!(c.screen(), Some(&Screen::ChooseAuth { pin_allowed: false }));
        c.event(Event::ChooseFace);
        c.event(Event::FaceResult { matched: true });
        assert_eq!(c.state(), State::Consent);
    }
}

#[test]
fn a_pin_less_card_answering_6984_is_not_a_blocked_pin() {
    // PIN-less (顔認証マイナンバーカード): the counter query answers 6984.
    let mut c = online_counter(VirtualCard::new(profile(None, 3, utc(2029, 3, 31))).unwrap(), FaultPlan::default());
    placed(&mut c);
    assert_eq!(logged(&c, |e| *e == LogEvent::PinBlocked), 0, "{}", c.transcript.text());
    assert!(!c.screens.contains(&Screen::PinBlocked), "a PIN-less card is told it has a blocked PIN");
    // A blocked PIN (6983) is told so.
    let mut b = online_counter(
        VirtualCard::new(profile(Some([1, 2, 3, 4]), 0, utc(2029, 3, 31))).unwrap(),
        FaultPlan::default(),
    );
    placed(&mut b);
    assert!(b.screens.contains(&Screen::PinBlocked), "{:?}", b.screens);
}

fn phone(medium: CardToken, pin: Option<[u8; 4]>, pin_before_cert: bool, not_after: NaiveDateTime) -> VirtualCard {
    VirtualCard::new(CardProfile { token: medium, pin_before_cert, ..profile(pin, 3, not_after) }).unwrap()
}

#[test]
fn android_phone_verifies_its_pin_before_the_certificate_is_read() {
    let mut c =
        online_counter(phone(CardToken::Smartphone, Some([4, 3, 2, 1]), true, utc(2029, 3, 31)), FaultPlan::default());
    c.event(Event::ChoosePhone(PhoneKind::Android));
    assert_eq!(c.state(), State::PhonePin);
    pin(&mut c, [4, 3, 2, 1]);
    assert_eq!(c.screen(), Some(&Screen::PhoneHold { iphone: false }));
    c.event(Event::CardPlaced);
    assert_eq!(c.state(), State::Consent, "{}", c.transcript.text());
    assert!(c.card.as_ref().unwrap().pin_verified());
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    assert_eq!(decision_rules(&c), vec!["MYNA-ONLINE-VALID", "MYNA-PHONE-ACCEPTED"]);
}

#[test]
fn iphone_authenticates_on_the_phone_and_needs_no_pin() {
    let mut c = online_counter(phone(CardToken::Smartphone, None, false, utc(2029, 3, 31)), FaultPlan::default());
    c.event(Event::ChoosePhone(PhoneKind::IPhone));
    assert_eq!(c.screen(), Some(&Screen::PhoneAuth));
    c.event(Event::CardPlaced);
    assert_eq!(c.state(), State::PhoneAuth, "nothing is read before the phone-side authentication");
    c.event(Event::PhoneAuthenticated);
    c.event(Event::CardPlaced);
    assert_eq!(c.state(), State::Consent, "{}", c.transcript.text());
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::Accepted);
}

#[test]
fn an_expired_phone_gets_no_grace_but_a_card_does() {
    // Certificate ended yesterday (2025-09-30 JST): a card is in its grace,
    // shows the renewal alert and goes on; a phone stops.
    let yesterday = utc(2025, 9, 30);
    let mut card_counter =
        online_counter(VirtualCard::new(profile(Some([1, 2, 3, 4]), 3, yesterday)).unwrap(), FaultPlan::default());
    placed(&mut card_counter);
    assert!(card_counter.screens.contains(&Screen::RenewalAlert { expired: true }), "{:?}", card_counter.screens);
    let mut p = online_counter(phone(CardToken::Smartphone, Some([1, 2, 3, 4]), true, yesterday), FaultPlan::default());
    p.event(Event::ChoosePhone(PhoneKind::Android));
    pin(&mut p, [1, 2, 3, 4]);
    p.event(Event::CardPlaced);
    p.finish(QUERY_WAIT);
    assert_eq!(decision_rules(&p), vec!["MYNA-PHONE-CERT-EXPIRED"]);
}

/// After a face that did not match, the patient may switch to the PIN (as
/// on the reader's screen); a card without a usable PIN may not.
#[test]
fn a_face_that_did_not_match_can_switch_to_the_pin() {
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    c.event(Event::ChooseFace);
    c.event(Event::FaceResult { matched: false });
    assert_eq!(c.screen(), Some(&Screen::FaceFailed { failures: 1, pin_allowed: true }));
    c.event(Event::ChoosePin);
    assert_eq!(c.state(), State::PinEntry, "{}", c.transcript.text());
    pin(&mut c, [1, 2, 3, 4]);
    assert_eq!(c.state(), State::Consent, "{}", c.transcript.text());
    // Not before the face was tried.
    let mut f = online_counter(card(), FaultPlan::default());
    placed(&mut f);
    f.event(Event::ChooseFace);
    f.event(Event::ChoosePin);
    assert_eq!(f.state(), State::Face, "PIN chosen while the camera was still matching");
    // A PIN-less card stays with the face (or visual check).
    let mut n = online_counter(VirtualCard::new(profile(None, 3, utc(2029, 3, 31))).unwrap(), FaultPlan::default());
    placed(&mut n);
    n.event(Event::ChooseFace);
    n.event(Event::FaceResult { matched: false });
    assert_eq!(n.screen(), Some(&Screen::FaceFailed { failures: 1, pin_allowed: false }));
    n.event(Event::ChoosePin);
    assert_eq!(n.state(), State::Face);
}

#[test]
fn face_locks_after_ten_failures_and_visual_check_keeps_both_counters() {
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    c.event(Event::ChooseFace);
    for n in 1..=9u8 {
        c.event(Event::FaceResult { matched: false });
        assert_eq!(c.screen(), Some(&Screen::FaceFailed { failures: n, pin_allowed: true }));
    }
    c.event(Event::FaceResult { matched: false });
    assert!(c.screens.contains(&Screen::FaceLocked));
    c.event(Event::ChooseFace);
    assert_eq!(c.state(), State::ChooseAuth, "face is locked");
    c.event(Event::StaffVisualCheck);
    assert_eq!(c.screen(), Some(&Screen::VisualCheck));
    c.event(Event::StaffIdentityConfirmed);
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::Accepted);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::FaceFailed { .. })), 10);
    assert_eq!(c.card.as_ref().unwrap().pin_tries_left(), Some(3), "visual check touched the PIN counter");
}

#[test]
fn unregistered_card_is_offered_registration_on_the_spot() {
    let records = vec![record(false, None)];
    let mut c = counter_with(TerminalConfig::new(facility(true)), Some(card()), service(records, FaultPlan::default()));
    placed(&mut c);
    c.event(Event::ChooseFace);
    c.event(Event::FaceResult { matched: true });
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    assert_eq!(c.screen(), Some(&Screen::NotRegistered));
    // The patient registers; the service now knows the card.
    c.service.db = CoverageDb::new(vec![record(true, None)]).unwrap();
    c.event(Event::Register(true));
    c.finish(QUERY_WAIT);
    assert!(c.screens.contains(&Screen::Registered));
    assert_eq!(c.decision().unwrap().outcome, Outcome::Accepted);

    // Declining ends in "needs more" with the registration rule.
    let mut c = counter_with(
        TerminalConfig::new(facility(true)),
        Some(card()),
        service(vec![record(false, None)], FaultPlan::default()),
    );
    placed(&mut c);
    c.event(Event::ChooseFace);
    c.event(Event::FaceResult { matched: true });
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    c.event(Event::Register(false));
    assert_eq!(c.decision().unwrap().outcome, Outcome::NeedsMore);
    assert_eq!(decision_rules(&c), vec!["MYNA-NOT-REGISTERED"]);
}

#[test]
fn expired_certificate_falls_back_to_the_eligibility_certificate() {
    let mut c = online_counter(
        // Expired 2025-06-29: its grace ended on 2025-09-30.
        VirtualCard::new(profile(Some([1, 2, 3, 4]), 3, utc(2025, 6, 29))).unwrap(),
        FaultPlan::default(),
    );
    c.event(Event::CardPlaced);
    assert!(c.screens.contains(&Screen::CertificateExpired));
    assert_eq!(decision_rules(&c), vec!["MYNA-CERT-EXPIRED"]);
    assert!(
        matches!(c.screen(), Some(Screen::Fallback { kind: FallbackKind::CertificateOrNotice, rule }) if rule.as_str() == "MYNA-CERT-EXPIRED")
    );
    assert_eq!(logged(&c, |e| *e == LogEvent::CertificateRead { valid: false }), 1);
}

#[test]
fn card_pulled_mid_read_ends_on_card_removed() {
    // The card goes silent after 4 APDUs (inside the certificate read).
    let mut p = profile(Some([1, 2, 3, 4]), 3, utc(2029, 3, 31));
    p.mute_after = Some(4);
    let mut c = online_counter(VirtualCard::new(p).unwrap(), FaultPlan::default());
    c.event(Event::CardPlaced);
    assert_eq!(c.state(), State::ReadCert);
    c.advance(5_000);
    assert_eq!(c.screen(), Some(&Screen::CardRemoved));
    assert_eq!(logged(&c, |e| *e == LogEvent::CardTimeout), 1);
    c.advance(60_000);
    assert_eq!(c.screen(), Some(&Screen::Idle { online: true }));

    // Removed by the patient during PIN entry.
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    c.event(Event::ChoosePin);
    c.event(Event::PinDigit(1));
    c.event(Event::CardRemoved);
    assert_eq!(c.screen(), Some(&Screen::CardRemoved));
    assert_eq!(logged(&c, |e| *e == LogEvent::CardRemoved { mid_session: true }), 1);
}

fn identified_and_queried(mut c: Counter) -> Counter {
    placed(&mut c);
    c.event(Event::ChooseFace);
    c.event(Event::FaceResult { matched: true });
    c.event(Event::Consent(true));
    c
}

#[test]
fn service_timeout_retries_then_self_declaration() {
    let faults = FaultPlan { outage: Queries::All, ..FaultPlan::default() };
    let mut c = identified_and_queried(online_counter(card(), faults));
    c.advance(35_000);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::QuerySent { .. })), 3);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::QueryTimedOut { .. })), 1);
    let d = c.decision().unwrap();
    assert_eq!(d.outcome, Outcome::SelfDeclaration);
    assert_eq!(decision_rules(&c), vec!["SYSTEM-FAILURE-SELF-DECLARATION"]);
    // A paper proof first, if the patient holds one; otherwise the form.
    assert!(matches!(c.screen(), Some(Screen::Fallback { kind: FallbackKind::PaperOrSelfDeclaration, .. })));
}

#[test]
fn service_error_goes_straight_to_self_declaration() {
    let faults = FaultPlan {
        errors: vec![ErrorFault { queries: Queries::All, error: ServiceError::Internal }],
        ..FaultPlan::default()
    };
    let mut c = identified_and_queried(online_counter(card(), faults));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::SelfDeclaration);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::QuerySent { .. })), 1);
    assert_eq!(logged(&c, |e| *e == LogEvent::ServiceError), 1);
}

#[test]
fn corrupted_reply_is_never_trusted_and_the_retry_succeeds() {
    for kind in [Garble::Corrupt { at: None }, Garble::Truncate { keep: None }, Garble::Drop] {
        let faults =
            FaultPlan { garble: vec![GarbleFault { queries: Queries::List(vec![0]), kind }], ..FaultPlan::default() };
        let mut c = identified_and_queried(online_counter(card(), faults));
        c.advance(15_000);
        assert_eq!(c.decision().map(|d| d.outcome), Some(Outcome::Accepted), "{kind:?}\n{}", c.transcript.text());
        assert_eq!(logged(&c, |e| matches!(e, LogEvent::QuerySent { attempt: 2, .. })), 1, "{kind:?}");
    }
}

#[test]
fn duplicated_reply_is_decided_once() {
    let faults = FaultPlan {
        garble: vec![GarbleFault { queries: Queries::All, kind: Garble::Duplicate }],
        ..FaultPlan::default()
    };
    let mut c = identified_and_queried(online_counter(card(), faults));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decisions.len(), 1);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::StaleReply { .. })), 1);
}

#[test]
fn invalid_and_missing_coverage_end_in_self_declaration() {
    // Coverage ended before today: 資格(無効).
    let records = vec![record(true, Some(d(2025, 9, 1)))];
    let mut c = identified_and_queried(counter_with(
        TerminalConfig::new(facility(true)),
        Some(card()),
        service(records, FaultPlan::default()),
    ));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::SelfDeclaration);
    assert!(decision_rules(&c).contains(&"MYNA-ONLINE-INVALID"));
    // Unknown card: 資格情報なし.
    let mut c = identified_and_queried(counter_with(
        TerminalConfig::new(facility(true)),
        Some(card()),
        service(vec![], FaultPlan::default()),
    ));
    c.finish(QUERY_WAIT);
    assert!(decision_rules(&c).contains(&"MYNA-ONLINE-NOT-FOUND"));
}

#[test]
fn network_down_means_self_declaration_without_a_query() {
    let mut f = facility(true);
    f.network = NetworkState::Down;
    let mut c =
        counter_with(TerminalConfig::new(f), Some(card()), service(vec![record(true, None)], FaultPlan::default()));
    assert_eq!(c.screen(), Some(&Screen::NetworkDown));
    c.event(Event::CardPlaced);
    assert_eq!(c.decision().unwrap().outcome, Outcome::SelfDeclaration);
    assert_eq!(decision_rules(&c), vec!["SYSTEM-FAILURE-SELF-DECLARATION"]);
    assert_eq!(c.service.queries_received(), 0);
}

fn notice_form() -> KeyInForm<'static> {
    KeyInForm {
        insurer_number: Some("０６１３１２３９"),
        symbol: Some("12"),
        number: Some("987654"),
        branch: Some("01"),
        ..KeyInForm::default()
    }
}

#[test]
fn offline_facility_guides_the_clerk_through_notice_and_card() {
    let mut c = counter_with(TerminalConfig::new(facility(false)), Some(card()), service(vec![], FaultPlan::default()));
    assert_eq!(c.screen(), Some(&Screen::Idle { online: false }));
    // Card alone: the notice (or portal screen) is needed.
    c.event(Event::CardPlaced);
    assert_eq!(decision_rules(&c), vec!["MYNA-OFFLINE-NEEDS-NOTICE"]);
    assert!(matches!(c.screen(), Some(Screen::Fallback { kind: FallbackKind::NoticeOrPortal, .. })));
    // The clerk keys in the notice and the birth date, then decides.
    c.event(Event::StaffKeyIn { kind: PaperKind::Notice, form: notice_form() });
    c.event(Event::StaffBirthDate("昭和55年5月5日"));
    c.event(Event::StaffDecide);
    let d = c.decision().unwrap();
    assert_eq!((d.outcome, d.basis), (Outcome::Accepted, Some(Basis::NoticeWithCard)));
    assert_eq!(d.copay.map(|c| c.rate), Some(CopayRate::Thirty));
}

#[test]
fn notice_without_the_card_is_not_enough() {
    let mut c = counter_with(TerminalConfig::new(facility(false)), None, service(vec![], FaultPlan::default()));
    c.event(Event::StaffKeyIn { kind: PaperKind::Notice, form: notice_form() });
    c.event(Event::StaffDecide);
    assert_eq!(c.decision().unwrap().outcome, Outcome::NeedsMore);
    assert_eq!(decision_rules(&c), vec!["NOTICE-NEEDS-CARD"]);
    assert!(matches!(c.screen(), Some(Screen::Fallback { kind: FallbackKind::NoticeWithCard, .. })));
    // Shown the card: accepted.
    c.event(Event::StaffCardSeen);
    c.event(Event::StaffDecide);
    assert_eq!(c.decision().unwrap().basis, Some(Basis::NoticeWithCard));
}

#[test]
fn offline_certificate_key_in_with_errors_named() {
    let mut c = counter_with(TerminalConfig::new(facility(false)), None, service(vec![], FaultPlan::default()));
    let bad = KeyInForm { insurer_number: Some("06131238"), ..notice_form() };
    c.event(Event::StaffKeyIn { kind: PaperKind::Certificate, form: bad });
    assert!(matches!(c.screen(), Some(Screen::KeyIn { field: KeyInField::InsurerNumber, error: true, .. })));
    assert_eq!(logged(&c, |e| *e == LogEvent::KeyInRejected(KeyInField::InsurerNumber)), 1);
    // 資格確認書 needs its expiry.
    c.event(Event::StaffKeyIn { kind: PaperKind::Certificate, form: notice_form() });
    assert_eq!(logged(&c, |e| *e == LogEvent::KeyInRejected(KeyInField::ValidUntil)), 1);
    let good = KeyInForm { valid_until: Some("令和8年3月31日"), birth_date: Some("S55.5.5"), ..notice_form() };
    c.event(Event::StaffKeyIn { kind: PaperKind::Certificate, form: good });
    c.event(Event::StaffDecide);
    let d = c.decision().unwrap();
    assert_eq!((d.outcome, d.basis), (Outcome::Accepted, Some(Basis::Certificate)));
}

#[test]
fn transcripts_and_logs_carry_no_personal_data() {
    let runs: Vec<Counter> = vec![
        {
            let mut c = identified_and_queried(online_counter(card(), FaultPlan::default()));
            c.finish(QUERY_WAIT);
            c
        },
        {
            let mut c = online_counter(card(), FaultPlan::default());
            placed(&mut c);
            c.event(Event::ChoosePin);
            pin(&mut c, [1, 2, 3, 4]);
            c.event(Event::Consent(true));
            c.finish(QUERY_WAIT);
            c
        },
        {
            let mut c = counter_with(TerminalConfig::new(facility(false)), None, service(vec![], FaultPlan::default()));
            c.event(Event::StaffKeyIn { kind: PaperKind::Notice, form: notice_form() });
            c.event(Event::StaffBirthDate("昭和55年5月5日"));
            c.event(Event::StaffDecide);
            c
        },
        {
            // A rejected key-in puts the typed text on screen, not in the transcript.
            let mut c = counter_with(TerminalConfig::new(facility(false)), None, service(vec![], FaultPlan::default()));
            let typo = KeyInForm { insurer_number: Some("０６１３１２３８"), ..notice_form() };
            c.event(Event::StaffKeyIn { kind: PaperKind::Notice, form: typo });
            assert!(matches!(c.screen(), Some(Screen::KeyIn { error: true, .. })));
            c
        },
    ];
    let cert = card().certificate().to_vec();
    let serial_hex: String = SERIAL.iter().map(|b| format!("{b:02X}")).collect();
    for c in &runs {
        let mut text = c.transcript.text();
        for r in &c.logs {
            text.push_str(&format!("{r:?}\n"));
        }
        text.push_str(&format!("{:?}\n", c.service.transcript()));
        // The reception log file: its raw image and its listing.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("reception.log");
        let mut log = host_sim::reception_log::LogFile::open(&file).unwrap();
        c.logs.iter().for_each(|r| log.append(r).unwrap());
        let records = host_sim::reception_log::read(&file).unwrap();
        assert_eq!(records, c.logs, "the log file reads back what was appended");
        text.push_str(&host_sim::reception_log::list(&records));
        text.push_str(&String::from_utf8_lossy(&std::fs::read(&file).unwrap()));
        for secret in [
            HOLDER,
            "1234",
            "1 2 3 4",
            "987654",
            "06131239",
            "０６１３１２３９",
            "０６１３１２３８",
            "1980",
            "昭和55",
            &serial_hex,
        ] {
            assert!(!text.contains(secret), "{secret:?} leaked:\n{text}");
        }
        // No 8-byte window of the certificate appears as hex.
        for w in cert.windows(8).step_by(97) {
            let hex: String = w.iter().map(|b| format!("{b:02X}")).collect();
            let spaced: Vec<String> = w.iter().map(|b| format!("{b:02X}")).collect();
            assert!(!text.contains(&hex) && !text.contains(&spaced.join(" ")), "certificate bytes leaked");
        }
        assert_eq!(c.dropped_actions(), 0);
    }
}

#[test]
fn expired_old_card_confirmed_online_by_numbers_under_the_temporary_measure() {
    let old_card = KeyInForm {
        valid_until: Some("令和7年11月30日"),
        issued_on: Some("令和5年4月1日"),
        birth_date: Some("昭和55年5月5日"),
        ..notice_form()
    };
    let play = |date: NaiveDate| {
        let mut c = Counter::new(
            TerminalConfig::new(facility(true)),
            date,
            None,
            service(vec![record(true, None)], FaultPlan::default()),
        );
        c.event(Event::StaffKeyIn { kind: PaperKind::OldCard, form: old_card });
        c.event(Event::StaffQueryByNumbers(None));
        c.finish(host_sim::counter::FINISH_LIMIT_MS);
        c
    };
    // February 2026: the measure as announced on 2025-11-12.
    let c = play(d(2026, 2, 10));
    let d1 = c.decision().unwrap();
    assert_eq!((d1.outcome, d1.basis), (Outcome::Accepted, Some(Basis::OldCardOnlineChecked)));
    assert!(decision_rules(&c).contains(&"TEMP-EXPIRED-OLD-CARD"));
    assert!(c.transcript.text().contains("query id 1 by numbers"));
    // 2026-03-31, after the extension was announced on 2026-03-19.
    let c = play(d(2026, 3, 31));
    assert!(decision_rules(&c).contains(&"TEMP-EXPIRED-OLD-CARD-TO-JULY"));
    // The day after the extended measure: the same check no longer helps.
    let c = play(d(2026, 8, 1));
    assert_eq!(c.decision().unwrap().outcome, Outcome::Refused);
    assert_eq!(c.decision().unwrap().deciding.id.as_str(), "TEMP-MEASURE-ENDED");
}

#[test]
fn staff_recorded_documents_and_circumstances_reach_the_decision() {
    let mut c = online_counter(card(), FaultPlan::default());
    let ticket = Document::PublicExpense(PublicExpenseTicket { programme: 88, valid_until: None });
    c.event(Event::StaffCircumstances(firmware::rules::Circumstances { public_expense: true, ..Default::default() }));
    c.event(Event::StaffDocument(&ticket));
    placed(&mut c);
    c.event(Event::ChooseFace);
    c.event(Event::FaceResult { matched: true });
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    let d = c.decision().unwrap();
    assert_eq!(d.outcome, Outcome::Accepted);
    assert!(d.fired("PUBLIC-EXPENSE-SEPARATE"));
    assert!(d.required.is_empty(), "the ticket was shown");
}

/// Issue 13, defect b: documents recorded after a valid online answer never
/// push the card out of the decision; the one that does not fit is refused
/// where the clerk sees it.
#[test]
fn documents_recorded_after_an_online_answer_never_push_the_card_out() {
    let mut c = identified_and_queried(online_counter(card(), FaultPlan::default()));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::Accepted);
    let ticket = Document::PublicExpense(PublicExpenseTicket { programme: 88, valid_until: None });
    for _ in 0..firmware::rules::MAX_DOCUMENTS {
        c.event(Event::StaffDocument(&ticket));
    }
    c.event(Event::StaffDecide);
    let d = c.decision().unwrap();
    assert_eq!(d.outcome, Outcome::Accepted, "{}", c.transcript.text());
    // The card keeps its place: one fewer staff document fits than the visit holds.
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::DocumentRecorded(_))), firmware::rules::MAX_DOCUMENTS - 1);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::CardError)), 0);
    // The refusal is logged and heard.
    assert_eq!(logged(&c, |e| *e == LogEvent::DocumentRefused(DocumentKind::PublicExpense)), 1);
    assert!(c.transcript.text().contains("beep Error"));
}

const VC_PASSWORD: &str = "Kanri-2025!";

fn visual_check_counter() -> Counter {
    let config = TerminalConfig::new(facility(true)).with_visual_check_password(VC_PASSWORD, *b"salt-for-testing");
    counter_with(config, Some(card()), service(vec![record(true, None)], FaultPlan::default()))
}

fn typed(text: &str) -> TypedPassword {
    TypedPassword::new(text).expect("short enough")
}

/// Nothing the terminal put out (screens, logs, decisions, the transcript)
/// carries the typed text.
fn assert_never_shown(c: &Counter, secret: &str) {
    let everything = format!("{:?}{:?}{:?}{}", c.screens, c.logs, c.decisions, c.transcript.text());
    assert!(!everything.contains(secret), "the password leaked");
    assert!(!everything.as_bytes().windows(secret.len()).any(|w| w == secret.as_bytes()));
}

#[test]
fn right_visual_check_password_at_the_reader_switches() {
    let mut c = visual_check_counter();
    placed(&mut c);
    c.event(Event::VisualCheckPassword(&typed(VC_PASSWORD)));
    assert_eq!(c.state(), State::VisualCheck);
    assert_eq!(c.screen(), Some(&Screen::VisualCheck));
    c.event(Event::StaffIdentityConfirmed);
    c.event(Event::Consent(true));
    c.finish(QUERY_WAIT);
    assert_eq!(c.decision().unwrap().outcome, Outcome::Accepted);
    assert_eq!(logged(&c, |e| *e == LogEvent::VisualCheckUnlocked), 1);
    assert_never_shown(&c, VC_PASSWORD);
}

#[test]
fn wrong_visual_check_passwords_lock_the_switch_for_five_minutes() {
    let mut c = visual_check_counter();
    placed(&mut c);
    let wrong = "guess-0042";
    c.event(Event::VisualCheckPassword(&typed(wrong)));
    assert_eq!(c.screen(), Some(&Screen::VisualCheckPasswordWrong { tries_left: 2 }));
    assert_eq!(c.state(), State::ChooseAuth, "a wrong password does not switch");
    c.event(Event::VisualCheckPassword(&typed(wrong)));
    assert_eq!(c.screen(), Some(&Screen::VisualCheckPasswordWrong { tries_left: 1 }));
    c.event(Event::VisualCheckPassword(&typed(wrong)));
    assert_eq!(c.screen(), Some(&Screen::VisualCheckLocked { minutes: 5 }));
    // Locked: even the right one does not switch, and the visit's end does
    // not lift the lock.
    c.event(Event::StaffCancel);
    placed(&mut c);
    c.advance(2 * 60 * 1000 + 1);
    placed_again_if_idle(&mut c);
    c.event(Event::VisualCheckPassword(&typed(VC_PASSWORD)));
    assert_ne!(c.state(), State::VisualCheck);
    assert!(matches!(c.screen(), Some(Screen::VisualCheckLocked { minutes: 3 })), "{:?}", c.screen());
    // After five minutes the right password switches.
    c.advance(3 * 60 * 1000);
    placed_again_if_idle(&mut c);
    c.event(Event::VisualCheckPassword(&typed(VC_PASSWORD)));
    assert_eq!(c.state(), State::VisualCheck);
    assert_eq!(logged(&c, |e| matches!(e, LogEvent::VisualCheckPasswordWrong { .. })), 2);
    assert_eq!(logged(&c, |e| *e == LogEvent::VisualCheckLocked), 2);
    assert_never_shown(&c, wrong);
    assert_never_shown(&c, VC_PASSWORD);
}

#[test]
fn visual_check_password_without_one_configured_changes_nothing() {
    let mut c = online_counter(card(), FaultPlan::default());
    placed(&mut c);
    let before = c.screens.len();
    c.event(Event::VisualCheckPassword(&typed(VC_PASSWORD)));
    assert_eq!(c.state(), State::ChooseAuth);
    assert_eq!(c.screens.len(), before);
    // The clerk PC still switches without a password.
    c.event(Event::StaffVisualCheck);
    assert_eq!(c.state(), State::VisualCheck);
}

/// The input wait may have ended the visit while time passed: place the
/// card again.
fn placed_again_if_idle(c: &mut Counter) {
    if c.state() != State::ChooseAuth {
        c.event(Event::StaffCancel);
        placed(c);
    }
}
