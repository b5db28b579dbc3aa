//! Eligibility rules: the effective-dated policy table and the decision for
//! one visit.
//!
//! ```text
//! Visit (date, facility, patient, documents, online answer)
//!   └─ decide(visit, &Policy::national()) ─> Decision
//!        outcome · basis · copay (+ cross-check) · documents still required
//!        · every rule fired · the deciding rule's guidance (ja / en)
//! ```

pub mod age;
mod context;
mod decide;
pub mod decision;
mod paths;
pub mod policy;
pub mod required;
pub mod rule;
pub mod validity;
pub mod visit;

pub use decide::decide;
pub use decision::{Basis, Copay, CopayCheck, CopaySource, Decision, DecisionDigest, ExpectedCopay, Outcome};
pub use policy::Policy;
pub use required::{MAX_ALTERNATIVES, MAX_REQUIRED, OneOf, Required, Together};
pub use rule::{Known, Period, Replaced, Rule, RuleId, RuleKind, SchemeKind, Scope, Source};
pub use visit::{Circumstances, IdentityMethod, MAX_DOCUMENTS, Visit};
