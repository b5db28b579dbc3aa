//! The decision corpus on the host: every case decides as expected, every
//! rule of the policy table is exercised, names are unique.

use firmware::corpus::CASES;
use firmware::rules::{Policy, decide};
use std::collections::HashSet;

#[test]
fn every_case_decides_as_expected() {
    let policy = Policy::national();
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|case| {
            let d = decide(&(case.visit)(), &policy);
            (!case.expect.matches(&d)).then(|| tests::diff(case, &d))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn every_rule_of_the_policy_fires_in_some_case() {
    let fired: HashSet<&str> = CASES.iter().flat_map(|c| c.expect.rules.iter().copied()).collect();
    let missing: Vec<&str> =
        Policy::national().rules().iter().map(|r| r.id.as_str()).filter(|id| !fired.contains(id)).collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn expected_rule_ids_exist_in_the_policy() {
    let policy = Policy::national();
    for case in CASES {
        for id in case.expect.rules {
            assert!(policy.get(id).is_some(), "case {} expects unknown rule {id}", case.name);
        }
    }
}

#[test]
fn case_names_are_unique() {
    let mut seen = HashSet::new();
    for case in CASES {
        assert!(seen.insert(case.name), "duplicate case name {}", case.name);
    }
}

#[test]
fn every_outcome_and_basis_occurs() {
    use firmware::rules::{Basis, Outcome};
    let outcomes: HashSet<_> = CASES.iter().map(|c| format!("{:?}", c.expect.outcome)).collect();
    for o in [Outcome::Accepted, Outcome::Refused, Outcome::NeedsMore, Outcome::SelfDeclaration] {
        assert!(outcomes.contains(&format!("{o:?}")), "no case with outcome {o:?}");
    }
    let bases: HashSet<_> = CASES.iter().filter_map(|c| c.expect.basis).map(|b| format!("{b:?}")).collect();
    for b in [
        Basis::Online,
        Basis::Certificate,
        Basis::NoticeWithCard,
        Basis::PortalWithCard,
        Basis::OldCard,
        Basis::OldCardOnlineChecked,
        Basis::NoticeOnlineChecked,
        Basis::SelfDeclaration,
    ] {
        assert!(bases.contains(&format!("{b:?}")), "no case with basis {b:?}");
    }
}

#[test]
fn replaced_rows_name_a_current_row_of_the_same_kind_announced_that_day() {
    let policy = Policy::national();
    for rule in policy.rules() {
        let Some(replaced) = rule.known.replaced else { continue };
        let by = policy
            .get(replaced.by.as_str())
            .unwrap_or_else(|| panic!("{} replaced by unknown {}", rule.id, replaced.by));
        assert_eq!(by.kind, rule.kind, "{} and {} decide different things", rule.id, by.id);
        assert_eq!(
            by.known.announced,
            Some(replaced.on),
            "{} is not announced on the day it replaces {}",
            by.id,
            rule.id
        );
        assert!(by.known.replaced.is_none(), "{} is itself replaced", by.id);
        // The replaced row keeps its own end date, and the two never answer
        // on the same day.
        let mut day = replaced.on.pred_opt().unwrap();
        for _ in 0..400 {
            assert!(!(rule.current_on(day) && by.current_on(day)), "{} and {} both answer on {day}", rule.id, by.id);
            day = day.succ_opt().unwrap();
        }
    }
}
