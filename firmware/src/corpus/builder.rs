//! Terse construction of visits for the corpus.

use crate::domain::{
    CardMedium, CopayRate, Coverage, DiseaseCap, Document, ElderlyInfo, ElderlyRecipientCertificate,
    EligibilityCertificate, EligibilityNotice, Facility, FacilityKind, InsurerNumber, LimitCertificate, LimitClass,
    MemberId, MynaCard, NetworkState, OldInsuranceCard, OnlineAnswer, OnlineStatus, Person, PortalScreen,
    PublicExpenseTicket, QueryKey, ReaderState, SelfDeclaration, Sex, SpecificDisease, SpecificDiseaseCertificate,
    Validity, insurer::check_digit,
};
use crate::rules::{Circumstances, IdentityMethod, Visit};
use chrono::NaiveDate;

/// A date; corpus dates are literals, so an impossible one is a corpus bug
/// and becomes 1970-01-01 (and fails its case) rather than a panic.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// An insurer number from its body digits (the check digit is appended).
pub fn insurer(body: &str) -> InsurerNumber {
    let mut digits = [0u8; 8];
    let mut text = heapless::String::<8>::new();
    for (i, b) in body.bytes().take(7).enumerate() {
        digits[i] = b.wrapping_sub(b'0');
        let _ = text.push(char::from(b));
    }
    let n = body.len().min(7);
    let _ = text.push(char::from(b'0' + check_digit(&digits[..n]) % 10));
    InsurerNumber::parse(&text).unwrap_or_else(|_| fallback_insurer())
}

fn fallback_insurer() -> InsurerNumber {
    // 01040013 is the check-digit example of DOMAIN.md §5.
    match InsurerNumber::parse("01040013") {
        Ok(n) => n,
        Err(_) => unreachable_insurer(),
    }
}

fn unreachable_insurer() -> InsurerNumber {
    panic!("01040013 must parse")
}

fn member() -> MemberId {
    MemberId::parse("12", "3456", Some("01"))
        .unwrap_or_else(|_| MemberId::parse("", "1", None).unwrap_or_else(|_| unreachable_member()))
}

fn unreachable_member() -> MemberId {
    panic!("a plain member id must parse")
}

fn coverage(insurer_body: &str, copay: Option<CopayRate>) -> Coverage {
    Coverage { insurer: insurer(insurer_body), member: member(), copay }
}

/// Builds a [`Visit`] step by step. Defaults: an online-capable clinic with
/// working equipment, a patient born 1980-05-05, nothing presented, no query.
#[derive(Debug, Clone)]
pub struct VisitBuilder {
    visit: Visit,
}

impl VisitBuilder {
    /// A visit on the given day.
    pub fn on(y: i32, m: u32, day: u32) -> Self {
        Self {
            visit: Visit {
                date: d(y, m, day),
                facility: Facility {
                    kind: FacilityKind::Clinic,
                    online_capable: true,
                    reader: ReaderState::Working,
                    network: NetworkState::Up,
                    phone_reader: false,
                },
                patient: Some(Person { birth_date: d(1980, 5, 5), sex: Some(Sex::Female) }),
                circumstances: Circumstances::default(),
                documents: heapless::Vec::new(),
                identity: None,
                online: OnlineStatus::NotQueried,
            },
        }
    }

    /// The finished visit.
    pub fn build(self) -> Visit {
        self.visit
    }

    /// At a facility of this kind.
    pub fn at(mut self, kind: FacilityKind) -> Self {
        self.visit.facility.kind = kind;
        self
    }

    /// At a facility without online eligibility checks.
    pub fn offline(mut self) -> Self {
        self.visit.facility.online_capable = false;
        self
    }

    /// With the network down.
    pub fn network_down(mut self) -> Self {
        self.visit.facility.network = NetworkState::Down;
        self
    }

    /// With the card reader broken.
    pub fn reader_broken(mut self) -> Self {
        self.visit.facility.reader = ReaderState::Broken;
        self
    }

    /// At a facility with a general-purpose NFC reader for smartphones.
    pub fn phone_reader(mut self) -> Self {
        self.visit.facility.phone_reader = true;
        self
    }

    /// A smartphone (`medium`) as the マイナ保険証, certificate valid until
    /// `cert_until`.
    pub fn phone(self, medium: CardMedium, cert_until: NaiveDate) -> Self {
        self.doc(Document::MynaCard(MynaCard {
            certificate_valid_until: cert_until,
            registered: true,
            pin_less: false,
            medium,
        }))
    }

    /// Patient whose birth date the terminal does not know.
    pub fn unknown_patient(mut self) -> Self {
        self.visit.patient = None;
        self
    }

    /// Patient's birth date.
    pub fn born(mut self, y: i32, m: u32, day: u32) -> Self {
        self.visit.patient = Some(Person { birth_date: d(y, m, day), sex: Some(Sex::Female) });
        self
    }

    /// Sets circumstances.
    pub fn with(mut self, f: fn(&mut Circumstances)) -> Self {
        f(&mut self.visit.circumstances);
        self
    }

    fn doc(mut self, doc: Document) -> Self {
        let _ = self.visit.documents.push(doc);
        self
    }

    /// A registered マイナ保険証 with a certificate valid for years.
    pub fn card(self) -> Self {
        self.card_until(d(2030, 12, 31), true)
    }

    /// A マイナ保険証 with this certificate expiry and registration.
    pub fn card_until(self, cert_until: NaiveDate, registered: bool) -> Self {
        self.doc(Document::MynaCard(MynaCard {
            certificate_valid_until: cert_until,
            registered,
            pin_less: false,
            medium: CardMedium::Card,
        }))
    }

    /// Identity proven this way.
    pub fn identity(mut self, m: IdentityMethod) -> Self {
        self.visit.identity = Some(m);
        self
    }

    /// The service answered this query.
    pub fn answer(mut self, by: QueryKey, answer: OnlineAnswer) -> Self {
        self.visit.online = OnlineStatus::Answered { by, answer };
        self
    }

    /// Card, face authentication, and a valid answer with this copay.
    pub fn online_valid(self, copay: CopayRate) -> Self {
        self.card().identity(IdentityMethod::Face).answer(QueryKey::Card, OnlineAnswer::valid(copay))
    }

    /// Card, face authentication, and an answer with this validity.
    pub fn online_validity(self, v: Validity) -> Self {
        self.card().identity(IdentityMethod::Face).answer(QueryKey::Card, OnlineAnswer::with_validity(v))
    }

    /// Card and face authentication, then this answer.
    pub fn online_answer(self, answer: OnlineAnswer) -> Self {
        self.card().identity(IdentityMethod::Face).answer(QueryKey::Card, answer)
    }

    /// A valid answer to a query by the printed numbers.
    pub fn numbers_valid(self, copay: CopayRate) -> Self {
        self.answer(QueryKey::Numbers, OnlineAnswer::valid(copay))
    }

    /// The service did not answer in time.
    pub fn timeout(mut self) -> Self {
        self.visit.online = OnlineStatus::Timeout;
        self
    }

    /// The service answered with an error.
    pub fn service_error(mut self) -> Self {
        self.visit.online = OnlineStatus::ServiceError;
        self
    }

    /// A 資格確認書.
    pub fn certificate(
        self,
        insurer: &str,
        from: Option<NaiveDate>,
        until: NaiveDate,
        copay: Option<CopayRate>,
    ) -> Self {
        self.doc(Document::Certificate(EligibilityCertificate {
            coverage: coverage(insurer, copay),
            valid_from: from,
            valid_until: until,
            copay_from: None,
        }))
    }

    /// A 資格情報のお知らせ.
    pub fn notice(self, insurer: &str) -> Self {
        self.doc(Document::Notice(EligibilityNotice { coverage: coverage(insurer, None), issued_on: None }))
    }

    /// A マイナポータル screen.
    pub fn portal(self, insurer: &str) -> Self {
        self.doc(Document::Portal(PortalScreen { coverage: coverage(insurer, None) }))
    }

    /// An old paper card.
    pub fn old_card(
        self,
        insurer: &str,
        issued: NaiveDate,
        until: Option<NaiveDate>,
        copay: Option<CopayRate>,
    ) -> Self {
        self.doc(Document::OldCard(OldInsuranceCard {
            coverage: coverage(insurer, copay),
            issued_on: issued,
            valid_until: until,
            face_changed_on: None,
        }))
    }

    /// An old paper card whose printed details changed on `changed`.
    pub fn old_card_changed(self, insurer: &str, issued: NaiveDate, changed: NaiveDate) -> Self {
        self.doc(Document::OldCard(OldInsuranceCard {
            coverage: coverage(insurer, None),
            issued_on: issued,
            valid_until: None,
            face_changed_on: Some(changed),
        }))
    }

    /// A 高齢受給者証.
    pub fn elderly_recipient(self, copay: CopayRate, until: NaiveDate) -> Self {
        self.doc(Document::ElderlyRecipient(ElderlyRecipientCertificate {
            copay,
            effective_from: None,
            valid_until: until,
        }))
    }

    /// A 限度額適用認定証.
    pub fn limit(self, class: LimitClass, until: NaiveDate) -> Self {
        self.doc(Document::Limit(LimitCertificate { class, reduced: class.is_non_taxed(), valid_until: until }))
    }

    /// A 特定疾病療養受療証.
    pub fn disease(self, disease: SpecificDisease) -> Self {
        self.doc(Document::SpecificDisease(SpecificDiseaseCertificate {
            disease,
            cap: DiseaseCap::Yen10000,
            valid_until: None,
        }))
    }

    /// A 公費 ticket.
    pub fn public_expense(self, programme: u8) -> Self {
        self.doc(Document::PublicExpense(PublicExpenseTicket { programme, valid_until: None }))
    }

    /// A filled-in 被保険者資格申立書.
    pub fn self_declaration(self, copay: Option<CopayRate>) -> Self {
        self.doc(Document::SelfDeclaration(SelfDeclaration { insurer: None, declared_copay: copay }))
    }
}

/// An elderly (70–74) answer with this copay.
pub fn elderly_answer(copay: CopayRate) -> OnlineAnswer {
    OnlineAnswer {
        elderly: Some(ElderlyInfo { copay, valid_from: None, valid_until: None }),
        ..OnlineAnswer::valid(copay)
    }
}

/// A valid answer from this insurer.
pub fn answer_from(insurer_body: &str, copay: CopayRate) -> OnlineAnswer {
    OnlineAnswer { insurer: Some(insurer(insurer_body)), ..OnlineAnswer::valid(copay) }
}
