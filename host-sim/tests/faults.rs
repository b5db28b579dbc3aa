//! The fault campaign's injections take effect, and a faulted visit of the
//! bundled pack ends in a defined state, never more favourable.

use host_sim::faults::{campaign, load};
use std::path::PathBuf;

fn first_lesson() -> PathBuf {
    host_sim::scenario::bundled_dir().join("01-myna-basics")
}

#[test]
fn faults_change_outcomes_but_never_for_the_better() {
    let scenarios = load(&[first_lesson()]).unwrap();
    let c = campaign(&scenarios, 1).unwrap();
    assert!(c.failures.is_empty(), "{:#?}", c.failures);
    let pulled = c.kinds.get("card pulled").expect("card faults injected");
    assert!(pulled.runs > 0 && pulled.other > 0, "pulling the card changes outcomes: {pulled:?}");
    let restart = c.kinds.get("terminal restarted").expect("restarts injected");
    assert_eq!(restart.runs, restart.same, "a visit entered again after a restart decides the same");
}

#[test]
fn sampling_runs_fewer() {
    let scenarios = load(&[first_lesson()]).unwrap();
    let all = campaign(&scenarios, 1).unwrap().runs();
    let sampled = campaign(&scenarios, 10).unwrap().runs();
    assert!(sampled * 5 < all && sampled > 0, "{sampled} of {all}");
}
