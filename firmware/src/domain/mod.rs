//! Domain types: people, insurers, documents, dates (和暦), copay ratios.

pub mod copay;
pub mod disease;
pub mod documents;
pub mod facility;
pub mod insurer;
pub mod keyed_documents;
pub mod keyin;
pub mod limit;
pub mod member_id;
pub mod online;
pub mod person;
pub mod text;
pub mod wareki;

pub use copay::CopayRate;
pub use disease::{DiseaseCap, SpecificDisease};
pub use documents::*;
pub use facility::{Facility, FacilityKind, NetworkState, ReaderState};
pub use insurer::{Houbetsu, InsurerNumber, InsurerNumberError, Scheme, check_digit};
pub use keyin::{CopayRatioError, KeyInError, KeyInField, KeyInForm, KeyInProblem, KeyedFields, parse_copay_ratio};
pub use limit::LimitClass;
pub use member_id::{Branch, MemberId, MemberIdError, MemberIdPart};
pub use online::{CardClass, ElderlyInfo, OnlineAnswer, OnlineStatus, QueryKey, Validity};
pub use person::{Person, Sex};
pub use wareki::{DateError, Era, Short, WarekiDate, parse_date};
