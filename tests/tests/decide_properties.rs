//! Properties of `decide` on arbitrary visits: total (never panics),
//! deterministic, and structurally consistent.

use chrono::NaiveDate;
use firmware::corpus::insurer;
use firmware::domain::*;
use firmware::rules::*;
use proptest::prelude::*;

fn date_in(from_year: i32, to_year: i32) -> impl Strategy<Value = NaiveDate> {
    let from = NaiveDate::from_ymd_opt(from_year, 1, 1).unwrap();
    let days = (NaiveDate::from_ymd_opt(to_year, 12, 31).unwrap() - from).num_days();
    (0..=days).prop_map(move |n| from + chrono::Days::new(n as u64))
}

fn copay() -> impl Strategy<Value = Option<CopayRate>> {
    prop::option::of(prop_oneof![Just(CopayRate::Ten), Just(CopayRate::Twenty), Just(CopayRate::Thirty)])
}

fn insurer_number() -> impl Strategy<Value = InsurerNumber> {
    prop_oneof![
        Just("13202"),
        Just("13101"),
        Just("3913101"),
        Just("3914101"),
        Just("0113001"),
        Just("0613123"),
        Just("3127001"),
    ]
    .prop_map(insurer)
}

fn coverage() -> impl Strategy<Value = Coverage> {
    (insurer_number(), copay()).prop_map(|(insurer, copay)| Coverage {
        insurer,
        member: MemberId::parse("12", "3456", Some("01")).unwrap(),
        copay,
    })
}

fn document() -> impl Strategy<Value = Document> {
    let d = || date_in(2018, 2032);
    prop_oneof![
        (d(), any::<bool>(), any::<bool>(), 0usize..3).prop_map(|(until, registered, pin_less, m)| {
            Document::MynaCard(MynaCard {
                certificate_valid_until: until,
                registered,
                pin_less,
                medium: [CardMedium::Card, CardMedium::Android, CardMedium::IPhone][m],
            })
        }),
        (coverage(), prop::option::of(d()), d(), prop::option::of(d())).prop_map(|(coverage, from, until, cf)| {
            Document::Certificate(EligibilityCertificate {
                coverage,
                valid_from: from,
                valid_until: until,
                copay_from: cf,
            })
        }),
        (coverage(), prop::option::of(d()))
            .prop_map(|(coverage, issued_on)| Document::Notice(EligibilityNotice { coverage, issued_on })),
        coverage().prop_map(|coverage| Document::Portal(PortalScreen { coverage })),
        (coverage(), d(), prop::option::of(d()), prop::option::of(d())).prop_map(
            |(coverage, issued, until, changed)| {
                Document::OldCard(OldInsuranceCard {
                    coverage,
                    issued_on: issued,
                    valid_until: until,
                    face_changed_on: changed,
                })
            }
        ),
        (copay(), prop::option::of(d()), d()).prop_map(|(c, from, until)| Document::ElderlyRecipient(
            ElderlyRecipientCertificate {
                copay: c.unwrap_or(CopayRate::Twenty),
                effective_from: from,
                valid_until: until
            }
        )),
        (0..LimitClass::ALL.len(), any::<bool>(), d()).prop_map(|(i, reduced, until)| Document::Limit(
            LimitCertificate { class: LimitClass::ALL[i], reduced, valid_until: until }
        )),
        (1u8..=3, prop::option::of(d())).prop_map(|(code, until)| Document::SpecificDisease(
            SpecificDiseaseCertificate {
                disease: SpecificDisease::from_code(code).unwrap(),
                cap: DiseaseCap::Yen10000,
                valid_until: until
            }
        )),
        (any::<u8>(), prop::option::of(d())).prop_map(|(programme, until)| Document::PublicExpense(
            PublicExpenseTicket { programme, valid_until: until }
        )),
        (prop::option::of(insurer_number()), copay())
            .prop_map(|(insurer, c)| Document::SelfDeclaration(SelfDeclaration { insurer, declared_copay: c })),
    ]
}

fn answer() -> impl Strategy<Value = OnlineAnswer> {
    (1u8..=6, prop::option::of(insurer_number()), copay(), any::<bool>(), copay(), any::<bool>(), any::<bool>())
        .prop_map(|(v, insurer, copay, preschool, elderly, limit, disease)| OnlineAnswer {
            validity: Validity::from_code(v).unwrap(),
            insurer,
            card_class: (v == 6).then_some(CardClass::PublicAssistance),
            copay,
            preschool,
            elderly: elderly.map(|c| ElderlyInfo { copay: c, valid_from: None, valid_until: None }),
            limit: limit.then_some(LimitClass::U),
            disease: disease.then_some(SpecificDisease::Dialysis),
            qualified_on: None,
            disqualified_on: None,
            birth_date: None,
        })
}

fn online() -> impl Strategy<Value = OnlineStatus> {
    prop_oneof![
        Just(OnlineStatus::NotQueried),
        Just(OnlineStatus::Timeout),
        Just(OnlineStatus::ServiceError),
        (any::<bool>(), answer()).prop_map(|(card, answer)| OnlineStatus::Answered {
            by: if card { QueryKey::Card } else { QueryKey::Numbers },
            answer
        }),
    ]
}

prop_compose! {
    fn visit()(
        date in date_in(2019, 2031),
        birth in prop::option::of(date_in(1900, 2031)),
        kind in 0usize..4,
        flags in any::<[bool; 8]>(),
        documents in prop::collection::vec(document(), 0..=8),
        identity in prop::option::of(0usize..3),
        online in online(),
    ) -> Visit {
        let kinds = [FacilityKind::Clinic, FacilityKind::Hospital, FacilityKind::Dental, FacilityKind::Pharmacy];
        let ids = [IdentityMethod::Face, IdentityMethod::Pin, IdentityMethod::VisualCheck];
        Visit {
            date,
            facility: Facility {
                kind: kinds[kind],
                online_capable: flags[0],
                reader: if flags[1] { ReaderState::Working } else { ReaderState::Broken },
                network: if flags[2] { NetworkState::Up } else { NetworkState::Down },
                phone_reader: flags[1] && flags[3],
            },
            patient: birth.map(|b| Person { birth_date: b, sex: Some(Sex::Male) }),
            circumstances: Circumstances {
                public_expense: flags[3],
                high_cost_care: flags[4],
                specific_disease: flags[5],
                non_taxed_long_stay: flags[6],
                premium_arrears: flags[7],
            },
            documents: documents.into_iter().collect(),
            identity: identity.map(|i| ids[i]),
            online,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn decide_is_total_deterministic_and_consistent(v in visit()) {
        let policy = Policy::national();
        let a = decide(&v, &policy);
        let b = decide(&v.clone(), &policy);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.digest(&policy), b.digest(&policy));

        // The deciding rule is one that fired; no rule fires twice.
        prop_assert!(a.fired.iter().any(|r| r.id == a.deciding.id));
        for (i, r) in a.fired.iter().enumerate() {
            prop_assert!(a.fired[i + 1..].iter().all(|s| s.id != r.id), "{} fired twice", r.id);
        }
        match a.outcome {
            Outcome::Accepted => prop_assert!(matches!(a.basis, Some(b) if b != Basis::SelfDeclaration)),
            Outcome::SelfDeclaration => prop_assert_eq!(a.basis, Some(Basis::SelfDeclaration)),
            Outcome::NeedsMore | Outcome::Refused => {
                prop_assert_eq!(a.basis, None);
                prop_assert_eq!(a.copay, None);
            }
        }
        if a.outcome == Outcome::Refused {
            // A refusal says what would make the visit valid: one
            // requirement, a 資格確認書 among its alternatives.
            prop_assert_eq!(a.required.len(), 1);
            prop_assert!(a.required.mentions(firmware::domain::DocumentKind::Certificate));
            prop_assert!(a.fired("NO-VALID-DOCUMENT"));
        }
        if let CopayCheck::Mismatch { expected, stated } = a.copay_check {
            prop_assert!(a.fired("COPAY-MISMATCH"));
            prop_assert!(!expected.allows(stated));
        }
        if v.documents.is_empty() {
            prop_assert_eq!(a.outcome, Outcome::Refused);
        }
        // A visit with a 公費 programme that is covered always mentions the ticket.
        if v.circumstances.public_expense && matches!(a.outcome, Outcome::Accepted | Outcome::SelfDeclaration) {
            prop_assert!(a.fired("PUBLIC-EXPENSE-SEPARATE"));
        }
    }
}
