//! The virtual online eligibility service (オンライン資格確認): answers the
//! terminal's [`EligibilityQuery`](firmware::link::EligibilityQuery) from a
//! small coverage database, with planned faults.
//!
//! - [`db`]: coverage records and the validity decision (codes 1..5).
//! - [`faults`]: latency, outages, error answers and damaged frames, by query number.
//! - [`service`]: the sans-IO core: queries or bytes in, timed wire frames out, and a
//!   log free of personal data.
//! - [`stream`]: a blocking adapter over a real byte stream.
#![warn(missing_docs)]

pub mod db;
pub mod faults;
pub mod service;
pub mod stream;

pub use db::{CardLookup, CertSerial, CoverageDb, CoverageRecord, DbError, SerialError};
pub use faults::{ErrorFault, FaultPlan, Garble, GarbleFault, Queries, QueriesError};
pub use service::{AppliedFault, LogEntry, Outcome, Outgoing, QueryLog, VirtualService};
pub use stream::{Clock, ServeError, SystemClock, VirtualClock, serve_stream};
