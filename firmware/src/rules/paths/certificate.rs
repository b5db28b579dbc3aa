//! 資格確認書: valid between its printed start and expiry.

use super::{PathResult, Stated};
use crate::domain::DocumentKind;
use crate::domain::{Document, EligibilityCertificate, Scheme};
use crate::rules::context::Cx;
use crate::rules::decision::{Basis, CopaySource};
use crate::rules::rule::RuleKind;

pub(crate) fn evaluate<'v>(cx: &mut Cx<'v>) -> PathResult<'v> {
    let mut result = PathResult::NotPresented;
    for doc in cx.documents() {
        let Document::Certificate(cert) = doc else { continue };
        result = judge(cx, cert);
        if matches!(result, PathResult::Accepted { .. }) {
            break;
        }
    }
    result
}

fn judge<'v>(cx: &mut Cx<'v>, cert: &'v EligibilityCertificate) -> PathResult<'v> {
    let date = cx.visit.date;
    let insurer = Some(&cert.coverage.insurer);
    if cert.valid_from.is_some_and(|from| date < from) {
        cx.fire(RuleKind::CertificateNotYetValid, insurer);
        return PathResult::Rejected;
    }
    let late_elderly = cert.coverage.insurer.scheme() == Scheme::LateElderly;
    if date > cert.valid_until {
        cx.fire(RuleKind::CertificateExpired, insurer);
        cx.want(DocumentKind::Certificate);
        if late_elderly && let Some(rule) = late_elderly_paper(cx, insurer) {
            cx.refusal = cx.refusal.or(Some(rule));
        }
        return PathResult::Rejected;
    }
    let Some(rule) = cx.fire(RuleKind::CertificateValid, insurer) else { return PathResult::Rejected };
    if late_elderly {
        cx.fire(RuleKind::LateElderlyCertificateForAll, insurer);
        late_elderly_paper(cx, insurer);
    }
    // A printed 70+ ratio applies from its printed effective date.
    let stated: Stated = cert
        .coverage
        .copay
        .filter(|_| cert.copay_from.is_none_or(|from| from <= date))
        .map(|c| (c, CopaySource::Document(DocumentKind::Certificate)));
    PathResult::Accepted { basis: Basis::Certificate, rule, stated, insurer }
}

/// From 2026-08-01: which paper a late-stage elderly patient gets, by age on
/// the reference day (85 and over: a 資格確認書 without applying; 84 and under:
/// by whether they hold a マイナ保険証). Fires and returns the row that
/// applies; none when the age is unknown or no such row is in force.
fn late_elderly_paper(
    cx: &mut Cx<'_>,
    insurer: Option<&crate::domain::InsurerNumber>,
) -> Option<&'static crate::rules::Rule> {
    let person = cx.visit.patient?;
    let ctx = crate::rules::policy::Context { date: cx.visit.date, insurer };
    let by_age =
        cx.policy.in_force(ctx, |k| matches!(k, RuleKind::LateElderlyCertificateFromAge { .. })).find_map(|r| match r
            .kind
        {
            RuleKind::LateElderlyCertificateFromAge { age, on } => Some((r, age, on)),
            _ => None,
        });
    let (rule, age, on) = by_age?;
    let reached = person.reaches_age_on(u16::from(age)).is_some_and(|d| d <= on);
    if reached { Some(cx.fire_rule(rule)) } else { cx.fire(RuleKind::LateElderlyCertificateByHolding, insurer) }
}
