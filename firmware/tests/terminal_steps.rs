//! A deadline falling due and an event arriving in the same `handle` call:
//! the terminal hands out every action of both, in order, to a caller that
//! drains after every call (issue 13, defect a).

use chrono::NaiveDate;
use firmware::domain::{Facility, FacilityKind, KeyInForm, NetworkState, ReaderState};
use firmware::reception::{Action, Event, Handled, LogEvent, Millis, Now, Terminal, TerminalConfig, screen_for};
use firmware::rules::Policy;
use firmware::ui::Screen;

fn now(ms: u64) -> Now {
    Now { ms: Millis(ms), date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() }
}

fn terminal(reader: ReaderState) -> Terminal {
    let facility = Facility {
        kind: FacilityKind::Clinic,
        online_capable: true,
        reader,
        network: NetworkState::Up,
        phone_reader: false,
    };
    let mut t = Terminal::new(TerminalConfig::new(facility), Policy::national());
    t.start(now(0));
    while t.poll_action().is_some() {}
    t
}

/// Gives `event` to the terminal the way a caller must, and drains.
fn feed(t: &mut Terminal, at: u64, event: Event<'_>) -> Vec<Action> {
    let mut out = Vec::new();
    loop {
        let handled = t.handle(now(at), event);
        out.extend(std::iter::from_fn(|| t.poll_action()));
        match handled {
            Handled::Deferred => continue,
            Handled::Taken => return out,
            Handled::Refused(r) => panic!("refused: {r}"),
        }
    }
}

fn form() -> KeyInForm<'static> {
    KeyInForm {
        insurer_number: Some("06131239"),
        symbol: Some("12"),
        number: Some("987654"),
        birth_date: Some("1980-05-05"),
        ..KeyInForm::default()
    }
}

/// Query by numbers at t=0, ticks at 10 s and 20 s (attempts 2 and 3); the
/// third attempt's deadline is due at 30 s.
fn three_attempts_sent(t: &mut Terminal) {
    let sent = |actions: &[Action]| actions.iter().filter(|a| matches!(a, Action::SendQuery(_))).count();
    assert_eq!(sent(&feed(t, 0, Event::StaffQueryByNumbers(Some(form())))), 1);
    assert_eq!(sent(&feed(t, 10_000, Event::Tick)), 1);
    assert_eq!(sent(&feed(t, 20_000, Event::Tick)), 1);
}

/// Every decision is logged, handed out and followed by its own screen.
fn assert_each_decision_logged_and_shown(actions: &[Action], expected: usize) {
    let decided: Vec<usize> =
        actions.iter().enumerate().filter(|(_, a)| matches!(a, Action::Decided(_))).map(|(i, _)| i).collect();
    let logged = actions.iter().filter(|a| matches!(a, Action::Log(r) if matches!(r.event, LogEvent::Decided { .. })));
    assert_eq!(decided.len(), expected, "decisions handed out: {actions:#?}");
    assert_eq!(logged.count(), expected, "decisions logged");
    for i in decided {
        let Action::Decided(d) = &actions[i] else { unreachable!() };
        let shown = actions[i..].iter().find_map(|a| match a {
            Action::Show(s) => Some(*s),
            _ => None,
        });
        assert_eq!(shown, Some(screen_for(d, None)), "the screen after decision {i}");
    }
}

#[test]
fn card_placed_as_the_last_query_times_out_keeps_both_decisions() {
    let mut t = terminal(ReaderState::Broken);
    three_attempts_sent(&mut t);
    let actions = feed(&mut t, 30_000, Event::CardPlaced);
    assert_eq!(t.dropped_actions(), 0);
    assert_each_decision_logged_and_shown(&actions, 2);
    assert!(matches!(actions.last(), Some(Action::Show(s)) if *s != Screen::Querying));
}

#[test]
fn staff_decide_as_the_last_query_times_out_shows_the_final_screen() {
    let mut t = terminal(ReaderState::Working);
    three_attempts_sent(&mut t);
    let actions = feed(&mut t, 30_000, Event::StaffDecide);
    assert_eq!(t.dropped_actions(), 0);
    assert_each_decision_logged_and_shown(&actions, 2);
}
