//! Domain types: people, insurers, documents, dates (和暦), copay ratios.

pub mod copay;

pub use copay::CopayRate;
