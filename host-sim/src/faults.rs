//! The fault campaign (`host-sim faults`): every bundled scenario played
//! once without a fault, then once per fault at each point it can happen:
//!
//! - at each APDU: the card pulled, its answer garbled, truncated, or with
//!   another status word;
//! - at each query the service receives: the reply frame dropped,
//!   duplicated, corrupted or truncated; no reply (timeout); an error reply;
//! - before each event: the clock jumping back or far ahead, the terminal
//!   restarting as after a power cut (the clerk, seeing the idle screen,
//!   enters the visit again).
//!
//! Each run is played to its end and then left alone for a day. It must end
//! in a defined state (idle, no deadline left, nothing dropped, the port
//! alive), and its last decision must not be more favourable than the
//! fault-free one: no acceptance the fault-free visit would not give, no
//! lower copay.

use crate::counter::{Counter, CounterFault, Injection, LocalPort};
use crate::scenario::load::{Discovery, discover, load_file};
use crate::scenario::session::play_with;
use crate::scenario::{Scenario, bundled_dir};
use crate::virtual_service::{ErrorFault, Garble, GarbleFault, Queries};
use firmware::link::ServiceError;
use firmware::reception::State;
use firmware::rules::{Decision, Outcome};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// One fault at one point of a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Injected by the counter (card, clock, restart).
    Counter(Injection),
    /// The reply frame to the service's query number `query` is damaged.
    Link {
        /// 0-based query number (retries included).
        query: u32,
        /// How.
        garble: Garble,
    },
    /// The service does not answer query number `query`.
    ServiceTimeout {
        /// 0-based query number.
        query: u32,
    },
    /// The service answers query number `query` with an error.
    ServiceError {
        /// 0-based query number.
        query: u32,
    },
}

impl Fault {
    /// The kind of fault, without the point.
    pub fn kind(&self) -> String {
        match self {
            Self::Counter(i) => i.fault.to_string(),
            Self::Link { garble: Garble::Drop, .. } => "reply frame dropped".into(),
            Self::Link { garble: Garble::Duplicate, .. } => "reply frame duplicated".into(),
            Self::Link { garble: Garble::Corrupt { .. }, .. } => "reply frame corrupted".into(),
            Self::Link { garble: Garble::Truncate { .. }, .. } => "reply frame truncated".into(),
            Self::ServiceTimeout { .. } => "service timeout".into(),
            Self::ServiceError { .. } => "service error".into(),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Counter(i) if i.fault.at_card() => write!(f, "{} at APDU {}", i.fault, i.at + 1),
            Self::Counter(i) => write!(f, "{} before event {}", i.fault, i.at + 1),
            Self::Link { query, .. } | Self::ServiceTimeout { query } | Self::ServiceError { query } => {
                write!(f, "{} at query {}", self.kind(), query + 1)
            }
        }
    }
}

/// How one faulted run compares with the fault-free one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Same outcome and copay.
    Same,
    /// Less favourable (no acceptance where there was one, or a higher copay)
    /// or another non-accepting outcome.
    Other,
    /// Not at rest once everything was over, or the port failed, or actions
    /// were dropped.
    Undefined,
    /// More favourable than without the fault.
    MoreFavourable,
}

/// Counts for one kind of fault.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    /// Runs.
    pub runs: usize,
    /// [`Verdict::Same`].
    pub same: usize,
    /// [`Verdict::Other`].
    pub other: usize,
    /// [`Verdict::Undefined`].
    pub undefined: usize,
    /// [`Verdict::MoreFavourable`].
    pub more_favourable: usize,
}

/// What the campaign found.
#[derive(Debug, Default)]
pub struct Campaign {
    /// Scenarios played.
    pub scenarios: usize,
    /// Counts per kind of fault.
    pub kinds: BTreeMap<String, KindCounts>,
    /// Every run with an undefined end or a more favourable outcome.
    pub failures: Vec<String>,
}

impl Campaign {
    /// Runs in total.
    pub fn runs(&self) -> usize {
        self.kinds.values().map(|k| k.runs).sum()
    }
}

/// The last decision's outcome and copay, for comparison.
fn result(c: &Counter) -> Option<(Outcome, Option<firmware::domain::CopayRate>)> {
    c.decisions.last().map(|d: &Decision| (d.outcome, d.copay.map(|c| c.rate)))
}

fn play(s: &Scenario, fault: Option<Fault>) -> Result<Counter, String> {
    let session = play_with(s, LocalPort::new, |c| match fault {
        None => {}
        Some(Fault::Counter(i)) => c.injection = Some(i),
        Some(Fault::Link { query, garble }) => {
            // After the scenario's own: a reply it damages stays damaged.
            c.service.faults.garble.push(GarbleFault { queries: Queries::List(vec![query]), kind: garble })
        }
        Some(Fault::ServiceTimeout { query }) => {
            // The scenario's own outage, if any, stays.
            c.service.faults.outage = match std::mem::take(&mut c.service.faults.outage) {
                Queries::None => Queries::List(vec![query]),
                other => other,
            }
        }
        Some(Fault::ServiceError { query }) => c
            .service
            .faults
            .errors
            .insert(0, ErrorFault { queries: Queries::List(vec![query]), error: ServiceError::Internal }),
    })
    .map_err(|e| format!("{}: {e}", s.id()))?;
    let mut counter = session.counter;
    // Everyone leaves: a day passes.
    counter.advance(24 * 3600 * 1000);
    Ok(counter)
}

fn defined_end(c: &Counter) -> Result<(), String> {
    if let Some(e) = &c.port_error {
        return Err(format!("port failed: {e}"));
    }
    if c.dropped_actions() != 0 {
        return Err(format!("{} actions dropped", c.dropped_actions()));
    }
    if c.state() != State::Idle || c.poll_timeout().is_some() {
        return Err(format!("not at rest a day later: {:?}, deadline {:?}", c.state(), c.poll_timeout()));
    }
    Ok(())
}

fn verdict(base: Option<(Outcome, Option<firmware::domain::CopayRate>)>, got: &Counter) -> Verdict {
    if defined_end(got).is_err() {
        return Verdict::Undefined;
    }
    let now = result(got);
    if now == base {
        return Verdict::Same;
    }
    match (base, now) {
        (_, Some((Outcome::Accepted, copay))) => match base {
            Some((Outcome::Accepted, base_copay)) => match (base_copay, copay) {
                (Some(b), Some(c)) if c < b => Verdict::MoreFavourable,
                // No copay shown: the counter has to find it, not a lower one.
                _ => Verdict::Other,
            },
            _ => Verdict::MoreFavourable,
        },
        _ => Verdict::Other,
    }
}

/// Every fault at every point the fault-free run offers.
fn faults_for(base: &Counter) -> Vec<Fault> {
    let mut all = Vec::new();
    for fault in CounterFault::ALL {
        let points = if fault.at_card() { base.seen.apdus } else { base.seen.events };
        all.extend((0..points).map(|at| Fault::Counter(Injection { fault, at })));
    }
    for query in 0..base.service.queries_received() {
        for garble in [Garble::Drop, Garble::Duplicate, Garble::Corrupt { at: None }, Garble::Truncate { keep: None }] {
            all.push(Fault::Link { query, garble });
        }
        all.push(Fault::ServiceTimeout { query });
        all.push(Fault::ServiceError { query });
    }
    all
}

/// Loads every scenario under `paths` (the bundled pack when empty).
pub fn load(paths: &[PathBuf]) -> Result<Vec<Scenario>, String> {
    let paths = if paths.is_empty() { vec![bundled_dir()] } else { paths.to_vec() };
    let Discovery { files, errors, .. } = discover(&paths);
    if let Some(e) = errors.first() {
        return Err(e.to_string());
    }
    let mut all = Vec::new();
    for f in &files {
        all.extend(load_file(f).map_err(|e| e.to_string())?);
    }
    Ok(all)
}

/// Runs the campaign; with `sample` = n, only every nth faulted run of each
/// scenario (starting with the first).
pub fn campaign(scenarios: &[Scenario], sample: usize) -> Result<Campaign, String> {
    let mut out = Campaign { scenarios: scenarios.len(), ..Campaign::default() };
    for s in scenarios {
        let base = play(s, None)?;
        if let Err(e) = defined_end(&base) {
            out.failures.push(format!("{}: without a fault: {e}", s.id()));
        }
        let base_result = result(&base);
        for fault in faults_for(&base).into_iter().step_by(sample.max(1)) {
            let got = play(s, Some(fault))?;
            let v = verdict(base_result, &got);
            let k = out.kinds.entry(fault.kind()).or_default();
            k.runs += 1;
            match v {
                Verdict::Same => k.same += 1,
                Verdict::Other => k.other += 1,
                Verdict::Undefined => k.undefined += 1,
                Verdict::MoreFavourable => k.more_favourable += 1,
            }
            match v {
                Verdict::Undefined => {
                    let why = defined_end(&got).err().unwrap_or_default();
                    out.failures.push(format!("{}: {fault}: undefined end: {why}", s.id()));
                }
                Verdict::MoreFavourable => out.failures.push(format!(
                    "{}: {fault}: more favourable: {:?} instead of {:?}",
                    s.id(),
                    result(&got),
                    base_result
                )),
                _ => {}
            }
        }
    }
    Ok(out)
}

/// The counts as a Markdown table.
pub fn table(c: &Campaign) -> String {
    let mut t = String::from(
        "| fault | runs | same outcome | other outcome (not more favourable) | undefined end | more favourable |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut total = KindCounts::default();
    for (kind, k) in &c.kinds {
        t.push_str(&format!(
            "| {kind} | {} | {} | {} | {} | {} |\n",
            k.runs, k.same, k.other, k.undefined, k.more_favourable
        ));
        total.runs += k.runs;
        total.same += k.same;
        total.other += k.other;
        total.undefined += k.undefined;
        total.more_favourable += k.more_favourable;
    }
    t.push_str(&format!(
        "| **all** | **{}** | **{}** | **{}** | **{}** | **{}** |\n",
        total.runs, total.same, total.other, total.undefined, total.more_favourable
    ));
    t
}
