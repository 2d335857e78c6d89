//! Pushing an audience's changes through a platform's API: removes first (with the
//! values sent before), then adds, in batches the platform allows. Each accepted
//! batch is recorded in the membership at once and a failed batch stops the push,
//! so the membership only ever holds what the platform accepted and the next push
//! resumes where this one stopped.

use super::google::{self, GoogleSender};
use super::http::{ApiError, Method};
use super::meta::{self, MetaSender, Session};
use crate::engine::audience::Platform;
use crate::engine::audience::diff::{Change, Changes, Membership};
use crate::engine::import::Progress;

/// Where a push goes.
pub enum Target<'a> {
    Google(GoogleSender<'a>),
    Meta(MetaSender<'a>),
}

impl Target<'_> {
    pub fn platform(&self) -> Platform {
        match self {
            Target::Google(_) => Platform::Google,
            Target::Meta(_) => Platform::Meta,
        }
    }
}

/// What a push did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PushReport {
    pub adds_sent: usize,
    pub removes_sent: usize,
    pub requests: usize,
    /// Rows the platform received but called invalid (Meta says so).
    pub invalid: u64,
    /// Why the push stopped early; what was sent before it is recorded.
    pub error: Option<String>,
}

/// Keeps the members a platform can match on; returns them and how many were left out.
pub fn sendable(platform: Platform, mut membership: Membership) -> (Membership, usize) {
    let before = membership.members.len();
    let ids = membership.identifiers.clone();
    membership.members.retain(|_, values| match platform {
        Platform::Google => google::audience_member(&ids, values).is_some(),
        _ => meta::matchable(&ids, values),
    });
    let left_out = before - membership.members.len();
    (membership, left_out)
}

/// The batch size of a platform's API.
pub fn batch_size(platform: Platform) -> usize {
    match platform {
        Platform::Meta => meta::BATCH,
        _ => google::BATCH,
    }
}

/// Requests a push of these changes takes.
pub fn requests_needed(platform: Platform, changes: &Changes) -> usize {
    let size = batch_size(platform);
    changes.removes.len().div_ceil(size) + changes.adds.len().div_ceil(size)
}

/// Sends `changes`, recording each accepted batch in `recorded`. Stops at the first
/// batch the platform refuses (after retries) or when `progress` is cancelled.
pub fn push(target: &Target<'_>, changes: &Changes, recorded: &mut Membership, progress: &Progress) -> PushReport {
    let mut report = PushReport::default();
    let total = requests_needed(target.platform(), changes).max(1);
    let size = batch_size(target.platform());
    let steps = [
        (Method::Delete, &changes.removed_identifiers, &changes.removes),
        (Method::Post, &changes.identifiers, &changes.adds),
    ];
    for (method, identifiers, members) in steps {
        let batches: Vec<&[Change]> = members.chunks(size).collect();
        let session = Session::new(members.len(), batches.len());
        for (index, batch) in batches.iter().enumerate() {
            if progress.is_cancelled() {
                report.error = Some("Cancelled; what was sent before is recorded.".to_owned());
                return report;
            }
            match send_batch(target, method, identifiers, batch, session, index + 1) {
                Ok(invalid) => report.invalid += invalid,
                Err(e) => {
                    report.error = Some(e.message);
                    return report;
                }
            }
            report.requests += 1;
            if method == Method::Delete {
                recorded.record_removed(batch);
                report.removes_sent += batch.len();
            } else {
                recorded.record_added(identifiers, batch);
                report.adds_sent += batch.len();
            }
            #[allow(clippy::cast_precision_loss)]
            progress.set_fraction(report.requests as f64 / total as f64);
        }
    }
    report
}

fn send_batch(
    target: &Target<'_>,
    method: Method,
    identifiers: &[crate::engine::audience::Identifier],
    batch: &[Change],
    session: Session,
    seq: usize,
) -> Result<u64, ApiError> {
    match (target, method) {
        (Target::Google(google), Method::Delete) => google.remove(identifiers, batch).map(|()| 0),
        (Target::Google(google), Method::Post) => google.add(identifiers, batch).map(|()| 0),
        (Target::Meta(meta), method) => meta.send(method, identifiers, batch, session, seq),
    }
}
