//! Pushing an audience's changes through a platform's API: removes first (with the
//! values sent before), then adds, in batches the platform allows. Each batch is
//! written to the export record before it goes; each accepted batch is appended to
//! the membership's journal (synced) before the next is sent, and a failed batch
//! stops the push, so what is recorded only ever holds what the platform accepted
//! and the next push — after a refusal, an expired token or a `kill -9` — resumes
//! with what is left (a Meta audience created by the interrupted push included).
//!
//! A batch whose answer never came (a timeout, a reset after sending) may have been
//! applied: it is retried, and a push that stops there sends it again next time.
//! That is harmless on both platforms: Google's Data Manager API and Meta's
//! `/{audience}/users` match members by their hashed identifiers, so adding one
//! already there changes nothing, and removing one not there is ignored.

use std::path::PathBuf;

use super::google::{self, GoogleSender};
use super::http::{ApiError, Client, Endpoint, Method, Retry, Token};
use super::meta::{self, MetaSender, Session};
use crate::engine::audience::diff::{Change, Changes, Diff, Journal, Membership};
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
        // A Meta audience an interrupted push created (before the workspace learned
        // its id) is the one to carry on with.
        let created_earlier = matches!(destination, Destination::Meta(d) if d.audience_id.is_none())
            && recorded.destination.strip_prefix("meta:").is_some_and(|id| !id.is_empty() && id != "new");
        if recorded.destination != destination.key() && !created_earlier {
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

/// Runs a push: creates the Meta audience if there is none yet (or carries on with
/// the one an interrupted push created), sends the changes, and saves the
/// membership the platform accepted (also when a batch failed).
pub fn run(job: PushJob, mut plan: Plan, progress: &Progress) -> Result<Pushed, ApiError> {
    if let Some(missing) = job.destination.missing() {
        return Err(ApiError::new(None, missing));
    }
    let mut destination = job.destination;
    let journal_failed = |e: std::io::Error| {
        ApiError::new(None, format!("What is sent can't be recorded in {}: {e}", job.membership_path.display()))
    };
    let (report, journal) = match &mut destination {
        Destination::Google(d) => {
            let mut journal =
                Journal::open(&job.membership_path, &plan.recorded.destination).map_err(journal_failed)?;
            let client = Client::new(job.token, job.retry, super::http::retry_on_busy);
            let sender = GoogleSender {
                client: &client,
                endpoint: &job.endpoint,
                destination: d,
                consent_granted: plan.consent_granted,
            };
            let record =
                BatchRecord { record: &job.record, audience: &job.name, target: plan.recorded.destination.clone() };
            let mut sent = Sent { recorded: &mut plan.recorded, journal: &mut journal, record: &record };
            (push(&Target::Google(sender), &plan.changes, &mut sent, progress), journal)
        }
        Destination::Meta(d) => {
            let client = Client::new(job.token, job.retry, meta::retry_on_busy);
            let earlier = plan.recorded.destination.strip_prefix("meta:").filter(|id| !id.is_empty() && *id != "new");
            let id = match (&d.audience_id, earlier) {
                (Some(id), _) => id.clone(),
                (None, Some(id)) => id.to_owned(),
                (None, None) => meta::create_audience(&client, &job.endpoint, &d.ad_account_id, &job.name)?,
            };
            d.audience_id = Some(id.clone());
            plan.recorded.destination = format!("meta:{id}");
            // The new audience's id is journalled at once: a push killed now carries on with it.
            let mut journal =
                Journal::open(&job.membership_path, &plan.recorded.destination).map_err(journal_failed)?;
            let sender = MetaSender { client: &client, endpoint: &job.endpoint, audience_id: &id };
            let record =
                BatchRecord { record: &job.record, audience: &job.name, target: plan.recorded.destination.clone() };
            let mut sent = Sent { recorded: &mut plan.recorded, journal: &mut journal, record: &record };
            (push(&Target::Meta(sender), &plan.changes, &mut sent, progress), journal)
        }
    };
    plan.recorded.save(&job.membership_path).map_err(|e| {
        ApiError::new(None, format!("What was sent could not be recorded in {}: {e}", job.membership_path.display()))
    })?;
    // Saved: the journal holds nothing the membership file lacks.
    journal.finish().ok();
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
    /// Why it stopped, where that is something Kitle can say in the user's language.
    #[serde(skip)]
    pub stopped_by: Option<Stopped>,
}

/// Why a push stopped early, for the reasons with a sentence of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The user cancelled it.
    Cancelled,
    /// The platform refused the token (expired or revoked): ask for a new one.
    TokenExpired,
    /// Meta refused removals that would leave the audience too small.
    TooSmall,
    /// What was accepted could not be written down (the disk), so nothing more went.
    NotRecorded,
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

/// Where a push records what it sends: the export record before each batch goes,
/// the journal and the membership once the platform accepted it.
pub struct Sent<'a> {
    pub recorded: &'a mut Membership,
    pub journal: &'a mut Journal,
    pub record: &'a BatchRecord<'a>,
}

/// Sends `changes`, recording each batch in the export record before it goes and
/// each accepted batch in the journal (synced) and the membership. Stops at the
/// first batch the platform refuses (after retries), a record can't take, or when
/// `progress` is cancelled.
pub fn push(target: &Target<'_>, changes: &Changes, sent: &mut Sent<'_>, progress: &Progress) -> PushReport {
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
                report.stopped_by = Some(Stopped::Cancelled);
                return report;
            }
            if let Err(e) = sent.record.before_sending(target.platform(), method, identifiers, batch.len()) {
                report.error = Some(e);
                report.stopped_by = Some(Stopped::NotRecorded);
                return report;
            }
            match send_batch(target, method, identifiers, batch, session, index + 1) {
                Ok(invalid) => report.invalid += invalid,
                Err(e) => {
                    report.error = Some(stop_reason(target.platform(), method, &e));
                    report.stopped_by = stopped_by(target.platform(), method, &e);
                    return report;
                }
            }
            report.requests += 1;
            if let Err(e) = sent.journal.record(method != Method::Delete, identifiers, batch) {
                report.error = Some(format!("Stopped: what the platform accepted can't be recorded ({e})."));
                report.stopped_by = Some(Stopped::NotRecorded);
                return report;
            }
            if method == Method::Delete {
                sent.recorded.record_removed(batch);
                report.removes_sent += batch.len();
            } else {
                sent.recorded.record_added(identifiers, batch);
                report.adds_sent += batch.len();
            }
            progress.set_fraction(report.requests as f64 / total as f64);
        }
    }
    report
}

/// Why a push stopped, in a sentence that says what to do. An expired or revoked
/// token (Google's 401 `UNAUTHENTICATED`, Meta's error 190) asks for a new one;
/// what was accepted before is recorded either way, so the next push sends the rest.
pub fn stop_reason(platform: Platform, method: Method, error: &ApiError) -> String {
    let name = if platform == Platform::Meta { "Meta" } else { "Google" };
    match stopped_by(platform, method, error) {
        Some(Stopped::TokenExpired) => format!(
            "The {name} token has expired or was revoked ({}). Give a new token and push again: only what is left is sent.",
            error.message
        ),
        Some(Stopped::TooSmall) => format!(
            "Meta refused these removals: the audience would be left too small ({}). The members stay in the audience until a later push can remove them.",
            error.message
        ),
        _ => error.message.clone(),
    }
}

/// The reason with a sentence of its own, if a platform's refusal is one: the token
/// itself refused (Google's 401, Meta's error 190), or Meta's "too small".
pub fn stopped_by(platform: Platform, method: Method, error: &ApiError) -> Option<Stopped> {
    let expired = match platform {
        Platform::Meta => error.code == Some(190),
        _ => error.status == Some(401),
    };
    let too_small =
        platform == Platform::Meta && method == Method::Delete && error.message.to_lowercase().contains("too small");
    if expired {
        Some(Stopped::TokenExpired)
    } else if too_small {
        Some(Stopped::TooSmall)
    } else {
        None
    }
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
