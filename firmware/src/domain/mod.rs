//! Domain types: people, insurers, documents, dates (和暦), copay ratios.

pub mod copay;
pub mod disease;
pub mod insurer;
pub mod limit;
pub mod text;
pub mod wareki;

pub use copay::CopayRate;
pub use disease::{DiseaseCap, SpecificDisease};
pub use insurer::{Houbetsu, InsurerNumber, InsurerNumberError, Scheme};
pub use limit::LimitClass;
pub use wareki::{DateError, Era, WarekiDate, parse_date};
