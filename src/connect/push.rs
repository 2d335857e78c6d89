//! Pushing an audience's changes through a platform's API: removes first (with the
//! values sent before), then adds, in batches the platform allows. Each accepted
//! batch is recorded in the membership at once and a failed batch stops the push,
//! so the membership only ever holds what the platform accepted and the next push
//! resumes where this one stopped.

use std::path::PathBuf;

use super::google::{self, GoogleSender};
use super::http::{ApiError, Client, Endpoint, Method, Retry, Token};
use super::meta::{self, MetaSender, Session};
use crate::engine::audience::diff::{Change, Changes, Diff, Membership};
use crate::engine::audience::record::{ExportAction, ExportEvent, ExportRecord};
use crate::engine::audience::{AudienceRows, Consent, GoogleDestination, MetaDestination, Platform};
use crate::engine::import::Progress;

/// Where on a platform an audience goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Google(GoogleDestination),
    Meta(MetaDestination),
}

impl Destination {
    /// The key a membership records it under: another list starts from nobody.
    pub fn key(&self) -> String {
        match self {
            Destination::Google(d) => format!("google:{}/{}", d.account_id.trim(), d.user_list_id.trim()),
            Destination::Meta(d) => format!("meta:{}", d.audience_id.as_deref().unwrap_or("new")),
        }
    }

    pub fn platform(&self) -> Platform {
        match self {
            Destination::Google(_) => Platform::Google,
            Destination::Meta(_) => Platform::Meta,
        }
    }

    /// What is still missing before a push can go, as a sentence.
    pub fn missing(&self) -> Option<&'static str> {
        match self {
            Destination::Google(d) if d.account_id.trim().is_empty() || d.user_list_id.trim().is_empty() => {
                Some("Give the Google Ads account and customer list ids.")
            }
            Destination::Meta(d) if d.ad_account_id.trim().is_empty() && d.audience_id.is_none() => {
                Some("Give the Meta ad account id, or an existing audience id.")
            }
            _ => None,
        }
    }
}

/// A push, ready to go: where, with what, and where its membership is kept.
#[derive(Debug)]
pub struct PushJob {
    /// The audience's name (a Meta audience created for it takes it).
    pub name: String,
    pub destination: Destination,
    pub endpoint: Endpoint,
    pub token: Token,
    pub retry: Retry,
    pub membership_path: PathBuf,
    /// The workspace's export record: each batch is written there before it is sent.
    pub record: ExportRecord,
}

/// What a push will send: the members now (those the platform can match), the
/// membership recorded so far, and the changes between them.
pub struct Plan {
    pub now: Membership,
    pub recorded: Membership,
    pub changes: Changes,
    /// Members with nothing the platform matches on.
    pub left_out: usize,
    /// Consent was granted by every member sent (the consent filter was on).
    pub consent_granted: bool,
}

impl Plan {
    /// Plans the push of `rows` to `destination`, from what was recorded as sent
    /// there (nothing, when the membership file records another destination).
    pub fn new(
        rows: &AudienceRows,
        membership_path: &std::path::Path,
        destination: &Destination,
    ) -> std::io::Result<Self> {
        let (now, left_out) = sendable(rows.platform, Membership::of(rows));
        let mut recorded = Membership::load(membership_path)?;
        if recorded.destination != destination.key() {
            recorded = Membership { destination: destination.key(), ..Membership::default() };
        }
        let changes = now.changes_from(&recorded);
        Ok(Self { now, recorded, changes, left_out, consent_granted: rows.consent == Consent::Applied })
    }

    pub fn diff(&self) -> Diff {
        Diff {
            adds: self.changes.adds.len(),
            removes: self.changes.removes.len(),
            unchanged: self.now.members.len() - self.changes.adds.len(),
        }
    }
}

/// What a push did, and where it went (a Meta audience created on the way included).
#[derive(Debug, Clone)]
pub struct Pushed {
    pub report: PushReport,
    pub destination: Destination,
    /// Members the platform holds now, as recorded.
    pub members: usize,
}

impl Pushed {
    /// Writes where the audience went and when into its saved definition.
    pub fn record(&self, audience: &mut crate::engine::audience::Audience) {
        match &self.destination {
            Destination::Google(d) => audience.destinations.google = Some(d.clone()),
            Destination::Meta(d) => audience.destinations.meta = Some(d.clone()),
        }
        let at = crate::engine::workspace::now_text();
        let platform = self.destination.platform();
        audience.last_sent = Some(crate::engine::audience::Sent {
            at,
            platform,
            members: self.members,
            how: "api".to_owned(),
            stopped: self.report.error.clone(),
        });
    }
}

/// Runs a push: creates the Meta audience if there is none yet, sends the changes,
/// and saves the membership the platform accepted (also when a batch failed).
pub fn run(job: PushJob, mut plan: Plan, progress: &Progress) -> Result<Pushed, ApiError> {
    if let Some(missing) = job.destination.missing() {
        return Err(ApiError::new(None, missing));
    }
    let mut destination = job.destination;
    let report = match &mut destination {
        Destination::Google(d) => {
            let client = Client::new(job.token, job.retry, super::http::retry_on_busy);
            let sender = GoogleSender {
                client: &client,
                endpoint: &job.endpoint,
                destination: d,
                consent_granted: plan.consent_granted,
            };
            let record =
                BatchRecord { record: &job.record, audience: &job.name, target: plan.recorded.destination.clone() };
            push(&Target::Google(sender), &plan.changes, &mut plan.recorded, &record, progress)
        }
        Destination::Meta(d) => {
            let client = Client::new(job.token, job.retry, meta::retry_on_busy);
            let id = match &d.audience_id {
                Some(id) => id.clone(),
                None => {
                    let id = meta::create_audience(&client, &job.endpoint, &d.ad_account_id, &job.name)?;
                    d.audience_id = Some(id.clone());
                    id
                }
            };
            plan.recorded.destination = format!("meta:{id}");
            let sender = MetaSender { client: &client, endpoint: &job.endpoint, audience_id: &id };
            let record =
                BatchRecord { record: &job.record, audience: &job.name, target: plan.recorded.destination.clone() };
            push(&Target::Meta(sender), &plan.changes, &mut plan.recorded, &record, progress)
        }
    };
    plan.recorded.save(&job.membership_path).map_err(|e| {
        ApiError::new(None, format!("What was sent could not be recorded in {}: {e}", job.membership_path.display()))
    })?;
    Ok(Pushed { report, destination, members: plan.recorded.members.len() })
}

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

/// Where a push writes each batch in the export record before sending it.
pub struct BatchRecord<'a> {
    pub record: &'a ExportRecord,
    pub audience: &'a str,
    /// The list sent to (`google:ACCOUNT/LIST`, `meta:AUDIENCE`).
    pub target: String,
}

impl BatchRecord<'_> {
    fn before_sending(
        &self,
        platform: Platform,
        method: Method,
        identifiers: &[crate::engine::audience::Identifier],
        members: usize,
    ) -> Result<(), String> {
        let action = if method == Method::Delete { ExportAction::Remove } else { ExportAction::Push };
        let event =
            ExportEvent::now(action, platform, members, identifiers).for_audience(self.audience).to(&self.target);
        self.record.append(&event).map_err(|e| {
            format!(
                "Nothing more was sent: the export record {} could not be written ({e}).",
                self.record.path().display()
            )
        })
    }
}

/// Sends `changes`, recording each accepted batch in `recorded` and each batch in
/// the export record before it goes. Stops at the first batch the platform refuses
/// (after retries), the record can't take, or when `progress` is cancelled.
pub fn push(
    target: &Target<'_>,
    changes: &Changes,
    recorded: &mut Membership,
    record: &BatchRecord<'_>,
    progress: &Progress,
) -> PushReport {
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
            if let Err(e) = record.before_sending(target.platform(), method, identifiers, batch.len()) {
                report.error = Some(e);
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
        (Target::Google(google), Method::Post | Method::Get) => google.add(identifiers, batch).map(|()| 0),
        (Target::Meta(meta), method) => meta.send(method, identifiers, batch, session, seq),
    }
}
