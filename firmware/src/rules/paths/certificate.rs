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
    if date > cert.valid_until {
        cx.fire(RuleKind::CertificateExpired, insurer);
        cx.want(DocumentKind::Certificate);
        return PathResult::Rejected;
    }
    let Some(rule) = cx.fire(RuleKind::CertificateValid, insurer) else { return PathResult::Rejected };
    if cert.coverage.insurer.scheme() == Scheme::LateElderly {
        cx.fire(RuleKind::LateElderlyCertificateForAll, insurer);
    }
    // A printed 70+ ratio applies from its printed effective date.
    let stated: Stated = cert
        .coverage
        .copay
        .filter(|_| cert.copay_from.is_none_or(|from| from <= date))
        .map(|c| (c, CopaySource::Document(DocumentKind::Certificate)));
    PathResult::Accepted { basis: Basis::Certificate, rule, stated, insurer }
}
