//! The virtual online eligibility service: validity codes from database
//! contents, and every fault as the terminal's `FrameReader` sees it.

use chrono::NaiveDate;
use firmware::domain::{
    Branch, CopayRate, ElderlyInfo, InsurerNumber, LimitClass, MemberId, OnlineAnswer, QueryKey, SpecificDisease,
    Validity,
};
use firmware::link::{
    EligibilityQuery, EligibilityReply, FrameReader, LinkError, MAX_WIRE_FRAME, Message, QueryBy, ServiceError,
    encode_message,
};
use host_sim::virtual_service::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn insurer(s: &str) -> InsurerNumber {
    InsurerNumber::parse(s).unwrap()
}

fn member(symbol: &str, number: &str, branch: Option<&str>) -> MemberId {
    MemberId::parse(symbol, number, branch).unwrap()
}

fn serial(hex: &str) -> CertSerial {
    hex.parse().unwrap()
}

const KYOKAI: &str = "01040013";
const POLICE: &str = "33120015";
const TACHIKAWA_NHI: &str = "132027";

/// Hanako (fictitious): 協会けんぽ until she left her job on 2025-03-31 (loss
/// 2025-04-01), then Tachikawa NHI; her card reaches only the NHI record.
fn record(ins: &str, number: &str, qualified_on: NaiveDate, disqualified_on: Option<NaiveDate>) -> CoverageRecord {
    CoverageRecord {
        person: None,
        serials: Vec::new(),
        card_registered: true,
        insurer: insurer(ins),
        member: member("12", number, Some("01")),
        birth_date: d(1980, 5, 17),
        qualified_on,
        disqualified_on,
        copay: Some(CopayRate::Thirty),
        preschool: false,
        elderly: None,
        limit: None,
        disease: None,
        public_assistance: false,
    }
}

#[test]
fn public_assistance_answers_validity_6_and_classification_a1() {
    let r = CoverageRecord { public_assistance: true, ..record("01130012", "77", d(2024, 4, 1), None) };
    let db = CoverageDb::new(vec![r.clone()]).unwrap();
    let a = db.answer(&numbers_query(1, d(2026, 11, 30), &r));
    assert_eq!(a.validity, Validity::PublicAssistance);
    assert_eq!(a.validity.code(), 6);
    assert_eq!(a.card_class, Some(firmware::domain::CardClass::PublicAssistance));
    assert_eq!(a.copay, None, "public assistance states no insurance copay");
    // Before the assistance started, nothing is found.
    let before = db.answer(&numbers_query(2, d(2024, 3, 31), &r));
    assert_ne!(before.validity, Validity::PublicAssistance);
}

fn numbers_query(id: u16, date: NaiveDate, r: &CoverageRecord) -> EligibilityQuery {
    EligibilityQuery {
        id,
        date,
        by: QueryBy::Numbers { insurer: r.insurer.clone(), member: r.member.clone(), birth_date: r.birth_date },
    }
}

fn card_query(id: u16, date: NaiveDate, s: &CertSerial) -> EligibilityQuery {
    EligibilityQuery { id, date, by: s.to_query() }
}

fn moved_to_nhi() -> (CoverageDb, CoverageRecord, CoverageRecord) {
    let mut old = record(KYOKAI, "4567", d(2010, 4, 1), Some(d(2025, 4, 1)));
    old.person = Some("p1".into());
    let mut new = record(TACHIKAWA_NHI, "88", d(2025, 4, 1), None);
    new.person = Some("p1".into());
    new.serials = vec![serial("0A1B2C3D")];
    new.limit = Some(LimitClass::U);
    let db = CoverageDb::new(vec![old.clone(), new.clone()]).unwrap();
    (db, old, new)
}

// ---- validity codes ----

#[test]
fn code_1_valid_copies_every_field() {
    let mut r = record(POLICE, "777", d(2020, 1, 1), None);
    r.serials = vec![serial("01:02:03")];
    r.preschool = true;
    r.copay = Some(CopayRate::Twenty);
    r.elderly = Some(ElderlyInfo { copay: CopayRate::Thirty, valid_from: Some(d(2025, 8, 1)), valid_until: None });
    r.limit = Some(LimitClass::GenekiNamiII);
    r.disease = Some(SpecificDisease::Hemophilia);
    let db = CoverageDb::new(vec![r.clone()]).unwrap();
    let want = OnlineAnswer {
        validity: Validity::Valid,
        insurer: Some(insurer(POLICE)),
        card_class: None,
        copay: Some(CopayRate::Twenty),
        preschool: true,
        elderly: r.elderly,
        limit: Some(LimitClass::GenekiNamiII),
        disease: Some(SpecificDisease::Hemophilia),
        qualified_on: Some(d(2020, 1, 1)),
        disqualified_on: None,
        birth_date: Some(r.birth_date),
    };
    assert_eq!(db.answer(&card_query(1, d(2025, 12, 2), &serial("010203"))), want);
    assert_eq!(db.answer(&numbers_query(2, d(2025, 12, 2), &r)), want);
    // The first day of coverage is covered.
    assert_eq!(db.answer(&numbers_query(3, d(2020, 1, 1), &r)).validity, Validity::Valid);
    assert_eq!(db.by_serial(&[1, 2, 3]).count(), 1);
    assert_eq!(db.by_numbers(&r.insurer, &r.member, r.birth_date).count(), 1);
}

#[test]
fn code_2_invalid_when_the_only_coverage_ended() {
    let r = record(KYOKAI, "4567", d(2010, 4, 1), Some(d(2025, 4, 1)));
    let db = CoverageDb::new(vec![r.clone()]).unwrap();
    // The loss date is the first day without coverage.
    assert_eq!(db.answer(&numbers_query(1, d(2025, 3, 31), &r)).validity, Validity::Valid);
    let a = db.answer(&numbers_query(1, d(2025, 4, 1), &r));
    assert_eq!(a.validity, Validity::Invalid);
    assert_eq!((a.insurer, a.disqualified_on), (Some(insurer(KYOKAI)), Some(d(2025, 4, 1))));
}

#[test]
fn code_3_invalid_with_the_newer_coverage_of_the_same_person() {
    let (db, old, _) = moved_to_nhi();
    let a = db.answer(&numbers_query(1, d(2025, 6, 10), &old));
    assert_eq!(a.validity, Validity::InvalidNewerExists);
    assert_eq!(a.insurer, Some(insurer(TACHIKAWA_NHI)));
    assert_eq!(a.limit, Some(LimitClass::U));
    assert_eq!(a.qualified_on, Some(d(2025, 4, 1)));
    // Before the move, the old numbers are simply valid.
    assert_eq!(db.answer(&numbers_query(2, d(2025, 3, 10), &old)).validity, Validity::Valid);
    // The card reaches the current coverage directly.
    let a = db.answer(&card_query(3, d(2025, 6, 10), &serial("0A1B2C3D")));
    assert_eq!((a.validity, a.insurer), (Validity::Valid, Some(insurer(TACHIKAWA_NHI))));
}

#[test]
fn code_3_links_records_by_a_shared_serial_too() {
    let mut old = record(KYOKAI, "4567", d(2010, 4, 1), Some(d(2025, 4, 1)));
    old.serials = vec![serial("AA")];
    let mut new = record(POLICE, "9", d(2025, 4, 1), None);
    new.serials = vec![serial("BB"), serial("AA")];
    let db = CoverageDb::new(vec![old.clone(), new]).unwrap();
    let a = db.answer(&numbers_query(1, d(2025, 5, 1), &old));
    assert_eq!((a.validity, a.insurer), (Validity::InvalidNewerExists, Some(insurer(POLICE))));
}

#[test]
fn code_4_not_found() {
    let (db, old, _) = moved_to_nhi();
    let date = d(2025, 6, 10);
    assert_eq!(db.answer(&card_query(1, date, &serial("FFFF"))), OnlineAnswer::with_validity(Validity::NotFound));
    let mut wrong_birth = numbers_query(2, date, &old);
    if let QueryBy::Numbers { birth_date, .. } = &mut wrong_birth.by {
        *birth_date = d(1980, 5, 18);
    }
    assert_eq!(db.answer(&wrong_birth).validity, Validity::NotFound);
    let mut wrong_branch = numbers_query(3, date, &old);
    if let QueryBy::Numbers { member, .. } = &mut wrong_branch.by {
        *member = MemberId::parse("12", "4567", Some("02")).unwrap();
    }
    assert_eq!(db.answer(&wrong_branch).validity, Validity::NotFound);
    // Coverage that only starts later is not found either.
    let future = record(POLICE, "5", d(2026, 1, 1), None);
    let db = CoverageDb::new(vec![future.clone()]).unwrap();
    assert_eq!(db.answer(&numbers_query(4, date, &future)).validity, Validity::NotFound);
    assert_eq!(CoverageDb::default().answer(&numbers_query(5, date, &future)).validity, Validity::NotFound);
}

#[test]
fn code_4_with_a_flag_for_a_card_not_registered_for_insurance_use() {
    let mut r = record(POLICE, "5", d(2020, 1, 1), None);
    r.serials = vec![serial("C0FFEE")];
    r.card_registered = false;
    let db = CoverageDb::new(vec![r]).unwrap();
    let q = card_query(7, d(2025, 6, 10), &serial("C0FFEE"));
    assert_eq!(db.answer_for_card(&[0xC0, 0xFF, 0xEE], q.date), CardLookup::NotRegistered);
    assert_eq!(db.lookup(&q), CardLookup::NotRegistered);
    assert_eq!(db.answer(&q), OnlineAnswer::with_validity(Validity::NotFound));

    let mut svc = VirtualService::new(db, FaultPlan::default());
    let out = svc.on_query(&q, 0);
    // On the wire the terminal learns why, so it can offer registration.
    assert_eq!(replies(&out), vec![Ok((0, reply(7, Err(ServiceError::CardNotRegistered))))]);
    let LogEntry::Query(log) = &svc.log()[0] else { panic!("{:?}", svc.log()) };
    assert_eq!(log.outcome, Outcome::CardNotRegistered);
    assert!(svc.transcript()[0].contains("not registered"), "{:?}", svc.transcript());
}

#[test]
fn code_5_multiple_coverages_on_the_date() {
    // Twins with one insurer: a query without a branch matches both.
    let a = record(KYOKAI, "4567", d(2010, 4, 1), None);
    let mut b = a.clone();
    b.member = member("12", "4567", Some("02"));
    let db = CoverageDb::new(vec![a.clone(), b]).unwrap();
    let mut q = numbers_query(1, d(2025, 1, 1), &a);
    if let QueryBy::Numbers { member: m, .. } = &mut q.by {
        *m = member("12", "4567", None);
    }
    assert_eq!(db.answer(&q), OnlineAnswer::with_validity(Validity::Multiple));
    // With the branch, one of them.
    let a1 = db.answer(&numbers_query(2, d(2025, 1, 1), &a));
    assert_eq!(a1.validity, Validity::Valid);

    // A card reaching two covering records.
    let mut x = record(KYOKAI, "1", d(2020, 1, 1), None);
    x.serials = vec![serial("0102")];
    let mut y = record(POLICE, "2", d(2021, 1, 1), None);
    y.serials = vec![serial("0102")];
    let db = CoverageDb::new(vec![x, y]).unwrap();
    assert_eq!(db.answer(&card_query(3, d(2025, 1, 1), &serial("0102"))).validity, Validity::Multiple);
}

#[test]
fn query_numbers_keyed_in_full_width_match() {
    let r = record(TACHIKAWA_NHI, "88", d(2025, 4, 1), None);
    let db = CoverageDb::new(vec![r]).unwrap();
    let q = EligibilityQuery {
        id: 1,
        date: d(2025, 5, 1),
        by: QueryBy::Numbers {
            insurer: InsurerNumber::parse("  １３２０２７").unwrap(),
            member: MemberId::parse("１２", "８８", Some("０１")).unwrap(),
            birth_date: d(1980, 5, 17),
        },
    };
    assert_eq!(db.answer(&q).validity, Validity::Valid);
}

#[test]
fn inconsistent_records_are_rejected() {
    let bad = record(KYOKAI, "1", d(2020, 1, 1), Some(d(2020, 1, 1)));
    assert_eq!(CoverageDb::new(vec![bad]), Err(DbError::EndsBeforeStart { record: 0 }));
    let mut a = record(KYOKAI, "1", d(2020, 1, 1), None);
    a.person = Some("p1".into());
    a.serials = vec![serial("01")];
    let mut b = a.clone();
    b.person = Some("p2".into());
    let err = CoverageDb::new(vec![a, b]).unwrap_err();
    assert_eq!(err, DbError::SerialOfTwoPeople { first: 0, second: 1 });
    assert!(err.to_string().contains("#0 and #1"));
}

#[test]
fn database_from_json() {
    let json = r#"[
      { "person": "p1", "serials": ["0a:1b:2c"], "insurer": "39130018",
        "member": { "symbol": "", "number": "00012345", "branch": null },
        "birth_date": "1948-03-03", "qualified_on": "2023-03-03", "copay": "Ten",
        "elderly": null, "limit": "Ippan", "disease": "Dialysis" },
      { "serials": ["FF"], "card_registered": false, "insurer": "  132027",
        "member": { "symbol": "立川", "number": "5", "branch": 1 },
        "birth_date": "1990-01-01", "qualified_on": "2020-01-01", "disqualified_on": "2025-10-01" }
    ]"#;
    let db: CoverageDb = serde_json::from_str(json).unwrap();
    assert_eq!(db.records().len(), 2);
    assert_eq!(db.records()[0].serials[0].as_bytes(), &[0x0A, 0x1B, 0x2C]);
    assert_eq!(db.records()[1].member.branch(), Branch::new(1));
    assert!(db.records()[0].card_registered && !db.records()[1].card_registered);
    let a = db.answer(&card_query(1, d(2025, 12, 2), &serial("0A1B2C")));
    assert_eq!(
        (a.validity, a.copay, a.disease),
        (Validity::Valid, Some(CopayRate::Ten), Some(SpecificDisease::Dialysis))
    );
    let again: CoverageDb = serde_json::from_str(&serde_json::to_string(&db).unwrap()).unwrap();
    assert_eq!(again, db);

    let bad_hex = json.replace("0a:1b:2c", "0a:1b:2");
    assert!(serde_json::from_str::<CoverageDb>(&bad_hex).unwrap_err().to_string().contains("hex digits"));
    let ends_early = json.replace("2025-10-01", "2019-10-01");
    assert!(serde_json::from_str::<CoverageDb>(&ends_early).unwrap_err().to_string().contains("#1"));
    let unknown = json.replace("\"copay\"", "\"copay_ratio\"");
    assert!(serde_json::from_str::<CoverageDb>(&unknown).is_err());
}

#[test]
fn fault_plan_from_json() {
    let plan: FaultPlan = serde_json::from_str("{}").unwrap();
    assert_eq!(plan, FaultPlan::default());
    let plan: FaultPlan = serde_json::from_str(
        r#"{ "latency_ms": 200, "latency_per_query": [5000],
             "outage": { "from": 4, "until": 6 },
             "errors": [ { "queries": [1], "error": "Unavailable" } ],
             "garble": [ { "queries": "all", "kind": { "Corrupt": { "at": 10 } } },
                         { "queries": 2, "kind": "Duplicate" },
                         { "queries": "none", "kind": { "Truncate": {} } } ],
             "seed": 42 }"#,
    )
    .unwrap();
    assert_eq!(plan.latency_for(0), 5000);
    assert_eq!(plan.latency_for(1), 200);
    assert!(plan.is_outage(5) && !plan.is_outage(6));
    assert_eq!(plan.error_for(1), Some(ServiceError::Unavailable));
    assert_eq!(plan.garble_for(2), Some(Garble::Corrupt { at: Some(10) }));
    assert_eq!(plan.garble[1].queries, Queries::List(vec![2]));
    assert_eq!(plan.garble[2].kind, Garble::Truncate { keep: None });
    assert_eq!(plan.seed, Some(42));
    let again: FaultPlan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(again, plan);
    assert!(serde_json::from_str::<FaultPlan>(r#"{ "outage": "sometimes" }"#).is_err());
    assert!(serde_json::from_str::<FaultPlan>(r#"{ "latency": 5 }"#).is_err());
}

// ---- on the wire ----

type Frame = Result<(u8, Message), LinkError>;

fn replies(out: &[Outgoing]) -> Vec<Frame> {
    let mut reader = FrameReader::new();
    out.iter().flat_map(|o| o.bytes.iter()).filter_map(|&b| reader.push(b)).collect()
}

fn reply(id: u16, result: Result<OnlineAnswer, ServiceError>) -> Message {
    Message::Reply(EligibilityReply { id, result })
}

fn service(faults: FaultPlan) -> (VirtualService, EligibilityQuery) {
    let (db, _, new) = moved_to_nhi();
    let q = card_query(42, d(2025, 6, 10), &new.serials[0]);
    (VirtualService::new(db, faults), q)
}

fn garbling(queries: Queries, kind: Garble) -> FaultPlan {
    FaultPlan { garble: vec![GarbleFault { queries, kind }], ..FaultPlan::default() }
}

#[test]
fn clean_replies_decode_with_rising_sequence_numbers() {
    let (mut svc, q) = service(FaultPlan::default());
    let answer = svc.db.answer(&q);
    assert_eq!(answer.validity, Validity::Valid);
    for (i, now) in [(0u8, 100u64), (1, 250), (2, 900)] {
        let out = svc.on_query(&q, now);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].at_ms, now);
        assert_eq!(replies(&out), vec![Ok((i, reply(42, Ok(answer.clone()))))]);
    }
    assert_eq!(svc.queries_received(), 3);
}

#[test]
fn latency_shifts_the_delivery_time() {
    let plan = FaultPlan { latency_ms: 300, latency_per_query: vec![5000, 20], ..FaultPlan::default() };
    let (mut svc, q) = service(plan);
    let at: Vec<u64> = (0..3).map(|_| svc.on_query(&q, 1000)[0].at_ms).collect();
    assert_eq!(at, vec![6000, 1020, 1300]);
    let LogEntry::Query(log) = &svc.log()[0] else { panic!() };
    assert_eq!(log.reply_at_ms, Some(6000));
}

#[test]
fn outage_sends_nothing_until_it_ends() {
    let plan = FaultPlan { outage: Queries::Range { from: 0, until: Some(2) }, ..FaultPlan::default() };
    let (mut svc, q) = service(plan);
    assert!(svc.on_query(&q, 0).is_empty());
    assert!(svc.on_query(&q, 5000).is_empty());
    // The third try gets through; no sequence number was used up before.
    let out = svc.on_query(&q, 10_000);
    assert!(matches!(replies(&out)[..], [Ok((0, Message::Reply(EligibilityReply { id: 42, result: Ok(_) })))]));
    let LogEntry::Query(log) = &svc.log()[0] else { panic!() };
    assert_eq!((log.outcome, log.faults.as_slice()), (Outcome::NoReply, &[AppliedFault::Outage][..]));
    assert!(svc.transcript()[0].contains("outage"));
}

#[test]
fn error_answers_for_chosen_queries() {
    let plan = FaultPlan {
        errors: vec![
            ErrorFault { queries: Queries::List(vec![0]), error: ServiceError::Internal },
            ErrorFault { queries: Queries::Range { from: 2, until: None }, error: ServiceError::BadRequest },
        ],
        ..FaultPlan::default()
    };
    let (mut svc, q) = service(plan);
    let got: Vec<Frame> = (0..3).flat_map(|_| replies(&svc.on_query(&q, 0))).collect();
    let answer = svc.db.answer(&q);
    assert_eq!(
        got,
        vec![
            Ok((0, reply(42, Err(ServiceError::Internal)))),
            Ok((1, reply(42, Ok(answer)))),
            Ok((2, reply(42, Err(ServiceError::BadRequest)))),
        ]
    );
    let all = FaultPlan {
        errors: vec![ErrorFault { queries: Queries::All, error: ServiceError::Unavailable }],
        ..FaultPlan::default()
    };
    let (mut svc, q) = service(all);
    assert_eq!(replies(&svc.on_query(&q, 0)), vec![Ok((0, reply(42, Err(ServiceError::Unavailable))))]);
    assert!(svc.transcript()[0].contains("error answer (service unavailable)"));
}

#[test]
fn corrupted_frame_fails_its_crc() {
    let (mut svc, q) = service(garbling(Queries::List(vec![0]), Garble::Corrupt { at: None }));
    let got = replies(&svc.on_query(&q, 0));
    assert!(matches!(got[..], [Err(LinkError::BadCrc { .. })]), "{got:?}");
    // The next reply is clean.
    assert!(matches!(replies(&svc.on_query(&q, 0))[..], [Ok((1, _))]));
}

#[test]
fn corruption_anywhere_is_rejected() {
    let (mut clean, q) = service(FaultPlan::default());
    let len = clean.on_query(&q, 0)[0].bytes.len();
    for at in 0..len + 3 {
        let (mut svc, q) = service(garbling(Queries::All, Garble::Corrupt { at: Some(at) }));
        let out = svc.on_query(&q, 0);
        assert_eq!(out[0].bytes.len(), len);
        assert_eq!(out[0].bytes.iter().filter(|&&b| b == 0).count(), 1, "delimiter count changed at {at}");
        let got = replies(&out);
        assert!(!got.is_empty() && got.iter().all(Result::is_err), "corruption at {at} accepted: {got:?}");
        let LogEntry::Query(log) = &svc.log()[0] else { panic!() };
        assert_eq!(log.faults, vec![AppliedFault::Corrupt { at: at.min(len - 2) }]);
    }
}

#[test]
fn truncated_frame_is_an_error_and_the_next_reads_fine() {
    for keep in [None, Some(1), Some(3), Some(10_000)] {
        let (mut svc, q) = service(garbling(Queries::List(vec![0]), Garble::Truncate { keep }));
        let mut out = svc.on_query(&q, 0);
        out.extend(svc.on_query(&q, 0));
        let got = replies(&out);
        assert_eq!(got.len(), 2, "{keep:?}: {got:?}");
        assert!(got[0].is_err());
        assert!(matches!(got[1], Ok((1, Message::Reply(_)))));
    }
}

#[test]
fn duplicate_is_two_identical_frames_with_one_sequence_number() {
    let (mut svc, q) = service(garbling(Queries::All, Garble::Duplicate));
    let out = svc.on_query(&q, 50);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0], out[1]);
    let got = replies(&out);
    assert_eq!(got[0], got[1]);
    assert!(matches!(got[0], Ok((0, Message::Reply(EligibilityReply { id: 42, .. })))));
}

#[test]
fn dropped_frame_leaves_a_sequence_gap() {
    let (mut svc, q) = service(garbling(Queries::List(vec![0]), Garble::Drop));
    assert!(svc.on_query(&q, 0).is_empty());
    assert!(matches!(replies(&svc.on_query(&q, 0))[..], [Ok((1, _))]));
    assert!(svc.transcript()[0].contains("dropped"));
}

#[test]
fn seeded_picks_repeat_and_an_error_answer_can_be_damaged_too() {
    let plan = FaultPlan {
        errors: vec![ErrorFault { queries: Queries::All, error: ServiceError::Internal }],
        garble: vec![GarbleFault { queries: Queries::All, kind: Garble::Corrupt { at: None } }],
        seed: Some(7),
        ..FaultPlan::default()
    };
    let run = || {
        let (mut svc, q) = service(plan.clone());
        (0..20).flat_map(|_| svc.on_query(&q, 0)).collect::<Vec<_>>()
    };
    let a = run();
    assert_eq!(a, run());
    assert!(replies(&a).iter().all(Result::is_err));
    let (mut svc, q) = service(plan.clone());
    svc.on_query(&q, 0);
    let LogEntry::Query(log) = &svc.log()[0] else { panic!() };
    assert_eq!(log.faults.len(), 2);
    assert_eq!(log.faults[0], AppliedFault::Error(ServiceError::Internal));
}

fn wire(seq: u8, m: &Message) -> Vec<u8> {
    let mut buf = [0u8; MAX_WIRE_FRAME];
    let n = encode_message(seq, m, &mut buf).unwrap();
    buf[..n].to_vec()
}

#[test]
fn bytes_in_bad_frames_counted_other_messages_ignored() {
    let (mut svc, q) = service(FaultPlan { latency_ms: 10, ..FaultPlan::default() });
    let mut stream = vec![0x13, 0x37, 0x00]; // garbage frame
    stream.extend(wire(0, &Message::Done { ok: true }));
    let query = wire(1, &Message::Query(q.clone()));
    stream.extend(&query[..5]);
    assert!(svc.on_bytes(&stream, 100).is_empty());
    // The rest of the query arrives later.
    let out = svc.on_bytes(&query[5..], 200);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].at_ms, 210);
    assert!(matches!(replies(&out)[..], [Ok((0, Message::Reply(EligibilityReply { id: 42, result: Ok(_) })))]));
    assert_eq!(svc.bad_frames(), 1);
    assert_eq!(svc.queries_received(), 1);
    assert!(matches!(svc.log()[0], LogEntry::BadFrame { at_ms: 100, .. }));
    assert_eq!(svc.log()[1], LogEntry::Ignored { at_ms: 100, kind: "Done" });
    let LogEntry::Query(log) = &svc.log()[2] else { panic!() };
    assert_eq!((log.id, log.key, log.number, log.seq), (42, QueryKey::Card, 0, Some(0)));
}

#[test]
fn transcript_carries_no_personal_data() {
    let (db, old, new) = moved_to_nhi();
    let plan = FaultPlan {
        garble: vec![GarbleFault { queries: Queries::List(vec![1]), kind: Garble::Duplicate }],
        ..FaultPlan::default()
    };
    let mut svc = VirtualService::new(db, plan);
    svc.on_query(&numbers_query(1, d(2025, 6, 10), &old), 0);
    svc.on_query(&card_query(2, d(2025, 6, 10), &new.serials[0]), 10);
    svc.on_bytes(&[1, 2, 3, 0], 20);
    let text = svc.transcript().join("\n");
    assert_eq!(svc.transcript().len(), 3);
    assert!(text.contains("query #0 id=1 by numbers: validity 3 (invalid, newer coverage)"), "{text}");
    assert!(text.contains("query #1 id=2 by card: validity 1 (valid); duplicated; reply seq 1 at 10 ms"), "{text}");
    for secret in ["4567", "88", "1980", "05-17", "0A1B2C3D", "0a1b2c3d", KYOKAI, TACHIKAWA_NHI, "p1"] {
        assert!(!text.contains(secret), "{secret:?} in transcript:\n{text}");
    }
}

// ---- over a byte stream ----

/// A stream that yields `input` in chunks, then end of file, and records writes.
struct FakeStream {
    input: Vec<Vec<u8>>,
    written: Vec<u8>,
}

impl std::io::Read for FakeStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.input.is_empty() {
            return Ok(0);
        }
        let chunk = self.input.remove(0);
        buf[..chunk.len()].copy_from_slice(&chunk);
        Ok(chunk.len())
    }
}

impl std::io::Write for FakeStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn serve_stream_with_a_virtual_clock() {
    let (mut svc, q) = service(FaultPlan { latency_ms: 1500, ..FaultPlan::default() });
    let mut stream = FakeStream {
        input: vec![wire(0, &Message::Query(q.clone())), wire(1, &Message::Query(q))],
        written: Vec::new(),
    };
    let mut clock = VirtualClock::default();
    serve_stream(&mut stream, &mut svc, &mut clock).unwrap();
    assert_eq!(clock.now_ms, 3000);
    let mut reader = FrameReader::new();
    let seqs: Vec<u8> = stream.written.iter().filter_map(|&b| reader.push(b)).map(|f| f.unwrap().0).collect();
    assert_eq!(seqs, vec![0, 1]);
}

#[test]
fn serve_stream_over_tcp() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (svc, q) = service(FaultPlan { latency_ms: 30, ..FaultPlan::default() });
    let server = std::thread::spawn(move || {
        let mut svc = svc;
        let (stream, _) = listener.accept().unwrap();
        let result = serve_stream(stream, &mut svc, &mut SystemClock::new());
        (result.map_err(|e| e.to_string()), svc.queries_received())
    });
    let mut client = std::net::TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let start = std::time::Instant::now();
    client.write_all(&wire(0, &Message::Query(q))).unwrap();
    let mut reader = FrameReader::new();
    let mut byte = [0u8; 1];
    let frame = loop {
        client.read_exact(&mut byte).unwrap();
        if let Some(f) = reader.push(byte[0]) {
            break f;
        }
    };
    assert!(start.elapsed() >= std::time::Duration::from_millis(30));
    assert!(matches!(frame, Ok((0, Message::Reply(EligibilityReply { id: 42, result: Ok(_) })))));
    drop(client);
    assert_eq!(server.join().unwrap(), (Ok(()), 1));
}

// ---- never panics ----

fn arb_garble() -> impl Strategy<Value = Garble> {
    prop_oneof![
        proptest::option::of(0usize..400).prop_map(|at| Garble::Corrupt { at }),
        proptest::option::of(0usize..400).prop_map(|keep| Garble::Truncate { keep }),
        Just(Garble::Duplicate),
        Just(Garble::Drop),
    ]
}

fn arb_plan() -> impl Strategy<Value = FaultPlan> {
    (
        0u64..10_000,
        proptest::collection::vec(any::<u64>(), 0..4),
        proptest::collection::vec(0u32..8, 0..3),
        proptest::collection::vec((0u32..8, arb_garble()), 0..3),
        proptest::option::of(any::<u64>()),
    )
        .prop_map(|(latency_ms, latency_per_query, outage, garble, seed)| FaultPlan {
            latency_ms,
            latency_per_query,
            outage: Queries::List(outage),
            errors: vec![ErrorFault { queries: Queries::List(vec![3]), error: ServiceError::Internal }],
            garble: garble.into_iter().map(|(n, kind)| GarbleFault { queries: Queries::List(vec![n]), kind }).collect(),
            seed,
        })
}

proptest! {
    #[test]
    fn garbage_from_the_terminal_never_panics(chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..700), 0..6)) {
        let (mut svc, _) = service(FaultPlan::default());
        for (i, chunk) in chunks.iter().enumerate() {
            let out = svc.on_bytes(chunk, i as u64);
            // Whatever was answered decodes cleanly.
            prop_assert!(replies(&out).iter().all(Result::is_ok));
        }
    }

    #[test]
    fn any_query_under_any_plan_never_panics(
        plan in arb_plan(),
        serials in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..=20), 1..8),
        days in proptest::collection::vec(0i64..20_000, 1..8),
        now in any::<u64>(),
    ) {
        let (mut svc, _) = service(plan);
        for (i, (s, day)) in serials.iter().zip(days.iter()).enumerate() {
            let date = d(1990, 1, 1) + chrono::Duration::days(*day);
            let q = card_query(i as u16, date, &CertSerial::new(s).unwrap());
            for o in svc.on_query(&q, now) {
                prop_assert!(o.at_ms >= now);
                prop_assert!(o.bytes.len() <= MAX_WIRE_FRAME && o.bytes.last() == Some(&0));
            }
        }
        prop_assert_eq!(svc.log().len(), serials.len().min(days.len()));
    }
}
