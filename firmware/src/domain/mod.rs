//! Domain types: people, insurers, documents, dates (和暦), copay ratios.

pub mod copay;
pub mod disease;
pub mod limit;

pub use copay::CopayRate;
pub use disease::{DiseaseCap, SpecificDisease};
pub use limit::LimitClass;
