//! What goes wrong, on purpose: latency, outages, error answers and damaged
//! reply frames, chosen by query number (the 0-based count of queries the
//! service received, retries included).
//!
//! Everything is deterministic: the only pseudo-random choices (which byte to
//! corrupt, where to cut) are made from [`FaultPlan::seed`] when it is set.
//!
//! In files (JSON shown; any serde format works):
//!
//! ```json
//! { "latency_ms": 200, "latency_per_query": [5000],
//!   "outage": { "from": 4, "until": 6 },
//!   "errors": [ { "queries": [1], "error": "Unavailable" } ],
//!   "garble": [ { "queries": "all", "kind": { "Corrupt": { "at": 10 } } },
//!               { "queries": 2, "kind": "Duplicate" } ] }
//! ```

use firmware::link::ServiceError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A set of query numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawQueries", into = "RawQueries")]
pub enum Queries {
    /// None ("none").
    #[default]
    None,
    /// Every query ("all").
    All,
    /// These queries (`3` or `[0, 2]`).
    List(Vec<u32>),
    /// Queries `from` on, up to but excluding `until` (`{"from": 2, "until": 5}`).
    Range {
        /// First query number in the range.
        from: u32,
        /// First query number after the range; `None`: no end.
        until: Option<u32>,
    },
}

impl Queries {
    /// Whether query number `n` is in the set.
    pub fn contains(&self, n: u32) -> bool {
        match self {
            Self::None => false,
            Self::All => true,
            Self::List(list) => list.contains(&n),
            Self::Range { from, until } => *from <= n && until.is_none_or(|u| n < u),
        }
    }
}

/// The forms [`Queries`] takes in files.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum RawQueries {
    Word(String),
    One(u32),
    List(Vec<u32>),
    Range {
        from: u32,
        #[serde(default)]
        until: Option<u32>,
    },
}

/// Why a query set in a file was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueriesError {
    /// A word other than "all" or "none".
    UnknownWord(String),
}

impl fmt::Display for QueriesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownWord(w) => {
                write!(f, "unknown query set {w:?}: use \"all\", \"none\", a number, a list or {{from, until}}")
            }
        }
    }
}

impl std::error::Error for QueriesError {}

impl TryFrom<RawQueries> for Queries {
    type Error = QueriesError;
    fn try_from(raw: RawQueries) -> Result<Self, QueriesError> {
        Ok(match raw {
            RawQueries::Word(w) if w == "all" => Self::All,
            RawQueries::Word(w) if w == "none" => Self::None,
            RawQueries::Word(w) => return Err(QueriesError::UnknownWord(w)),
            RawQueries::One(n) => Self::List(vec![n]),
            RawQueries::List(list) => Self::List(list),
            RawQueries::Range { from, until } => Self::Range { from, until },
        })
    }
}

impl From<Queries> for RawQueries {
    fn from(q: Queries) -> Self {
        match q {
            Queries::None => Self::Word("none".into()),
            Queries::All => Self::Word("all".into()),
            Queries::List(list) => Self::List(list),
            Queries::Range { from, until } => Self::Range { from, until },
        }
    }
}

/// How a reply frame is damaged on its way to the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Garble {
    /// One byte of the frame changes (never into the `0x00` delimiter).
    Corrupt {
        /// Index of the byte in the wire frame (clamped to the frame);
        /// `None`: picked from the seed, or the middle byte without one.
        #[serde(default)]
        at: Option<usize>,
    },
    /// Only the first bytes arrive, then the delimiter (the rest was lost).
    Truncate {
        /// Bytes kept (at least 1, fewer than the frame); `None`: picked
        /// from the seed, or half the frame without one.
        #[serde(default)]
        keep: Option<usize>,
    },
    /// The frame arrives twice, same sequence number.
    Duplicate,
    /// The frame is lost (its sequence number is used up all the same).
    Drop,
}

/// An error answer instead of the database's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorFault {
    /// Which queries.
    pub queries: Queries,
    /// The error the reply carries.
    pub error: ServiceError,
}

/// A damaged reply frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GarbleFault {
    /// Which queries.
    pub queries: Queries,
    /// What happens to the frame.
    pub kind: Garble,
}

/// The faults of one run; the default has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPlan {
    /// Delay from a query to its reply, in ms (unless `latency_per_query` says otherwise).
    pub latency_ms: u64,
    /// Delay for query n at index n; queries past the end get `latency_ms`.
    pub latency_per_query: Vec<u64>,
    /// Queries that get no reply at all (the service is down or the line is cut).
    pub outage: Queries,
    /// Error answers; the first entry naming a query applies.
    pub errors: Vec<ErrorFault>,
    /// Damaged reply frames; the first entry naming a query applies (an
    /// error answer can be damaged too).
    pub garble: Vec<GarbleFault>,
    /// Seed of the pseudo-random byte picks; `None`: fixed picks.
    pub seed: Option<u64>,
}

impl FaultPlan {
    /// Delay of the reply to query `n`, in ms.
    pub fn latency_for(&self, n: u32) -> u64 {
        usize::try_from(n).ok().and_then(|i| self.latency_per_query.get(i)).copied().unwrap_or(self.latency_ms)
    }

    /// Whether query `n` falls in an outage.
    pub fn is_outage(&self, n: u32) -> bool {
        self.outage.contains(n)
    }

    /// The error answer for query `n`, if any.
    pub fn error_for(&self, n: u32) -> Option<ServiceError> {
        self.errors.iter().find(|e| e.queries.contains(n)).map(|e| e.error)
    }

    /// The damage to the reply of query `n`, if any.
    pub fn garble_for(&self, n: u32) -> Option<Garble> {
        self.garble.iter().find(|g| g.queries.contains(n)).map(|g| g.kind)
    }
}

/// A small deterministic generator (xorshift64*) for seeded picks.
#[derive(Debug, Clone)]
pub(crate) struct Picker(u64);

impl Picker {
    pub(crate) fn new(seed: u64) -> Self {
        // xorshift must not start at 0.
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        if n == 0 { 0 } else { (r % n as u64) as usize }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_sets() {
        assert!(!Queries::None.contains(0));
        assert!(Queries::All.contains(u32::MAX));
        assert!(Queries::List(vec![1, 3]).contains(3));
        assert!(!Queries::List(vec![1, 3]).contains(2));
        let r = Queries::Range { from: 2, until: Some(4) };
        assert_eq!((0..6).filter(|&n| r.contains(n)).collect::<Vec<_>>(), vec![2, 3]);
        assert!(Queries::Range { from: 2, until: None }.contains(1000));
    }

    #[test]
    fn plan_lookups() {
        let plan = FaultPlan {
            latency_ms: 100,
            latency_per_query: vec![7, 8],
            errors: vec![
                ErrorFault { queries: Queries::List(vec![1]), error: ServiceError::Internal },
                ErrorFault { queries: Queries::All, error: ServiceError::Unavailable },
            ],
            ..FaultPlan::default()
        };
        assert_eq!([0, 1, 2].map(|n| plan.latency_for(n)), [7, 8, 100]);
        assert_eq!(plan.error_for(1), Some(ServiceError::Internal));
        assert_eq!(plan.error_for(0), Some(ServiceError::Unavailable));
        assert_eq!(plan.garble_for(0), None);
        assert!(!plan.is_outage(0));
    }

    #[test]
    fn picker_is_deterministic_and_in_range() {
        let a: Vec<usize> = {
            let mut p = Picker::new(1);
            (0..50).map(|_| p.below(7)).collect()
        };
        let mut p = Picker::new(1);
        assert!(a.iter().all(|&x| x < 7));
        assert_eq!(a, (0..50).map(|_| p.below(7)).collect::<Vec<_>>());
        assert_eq!(Picker::new(0).below(0), 0);
    }
}
