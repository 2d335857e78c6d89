//! The shell's side of remarketing audiences: opening the dialog, writing upload
//! files and pushing through the platforms' APIs in the background, and recording
//! on the saved audience what was sent, when and where.

use std::path::PathBuf;
use std::sync::Arc;

use super::KitleApp;
use super::command::AudienceCommand;
use super::dialogs::audience::AudienceDialog;
use super::dialogs::push::PushOrder;
use super::i18n::t;
use super::state::Notice;
use super::tasks::TaskKind;
use crate::connect::credentials::keychain;
use crate::connect::push::{Plan, Pushed, Stopped, run};
use crate::engine::audience::diff::{Membership, SentBy, membership_path};
use crate::engine::audience::record::{ExportAction, ExportEvent, ExportRecord, write_recorded_file};
use crate::engine::audience::{AudienceRows, Sent};
use crate::engine::edit::Edit;

impl KitleApp {
    /// The audience dialog, its upload files and its pushes.
    pub(super) fn apply_audience(&mut self, ctx: &egui::Context, command: AudienceCommand) {
        let lang = self.lang();
        match command {
            AudienceCommand::Dialog { segment, rule } => {
                if let Some(doc) = &self.doc {
                    let mut dialog = AudienceDialog::new(segment, rule, doc, lang);
                    dialog.push.remembered.clone_from(&self.session_tokens);
                    self.audience = Some(dialog);
                }
            }
            AudienceCommand::Open(index) => {
                if let Some(doc) = &self.doc
                    && let Some(saved) = doc.workspace.audiences.get(index)
                {
                    let mut dialog = AudienceDialog::from_saved(saved, doc, lang);
                    dialog.push.remembered.clone_from(&self.session_tokens);
                    self.audience = Some(dialog);
                }
            }
            AudienceCommand::WriteFile { name, rows, path } => self.start_audience_file(ctx, name, rows, path),
            AudienceCommand::FileWritten(result) => self.audience_written(result),
            AudienceCommand::Push(order) => self.start_push(ctx, *order),
            AudienceCommand::Pushed(result) => self.pushed(*result),
        }
    }

    fn start_audience_file(&mut self, ctx: &egui::Context, name: String, rows: Arc<AudienceRows>, path: PathBuf) {
        let lang = self.lang();
        let Some(doc) = &mut self.doc else { return };
        // What a file held is kept beside a saved workspace, so the next one can say what changed.
        let membership = doc.path.as_ref().map(|ws| membership_path(ws, &name, rows.platform, SentBy::File));
        let record = match &doc.path {
            Some(ws) => ExportRecord::of_workspace(ws),
            None => {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                let file = self.exports_dir.join(format!("unsaved-{stamp}-{}.jsonl", doc.revision));
                doc.unsaved_record.get_or_insert_with(|| ExportRecord::at(file)).clone()
            }
        };
        let started =
            self.tasks.spawn(TaskKind::Export, ctx, move |_| {
                let event = |written| {
                    ExportEvent::now(ExportAction::File, rows.platform, written, &rows.identifiers)
                        .for_audience(&name)
                        .to(path.display().to_string())
                };
                let written = write_recorded_file(&rows, &path, &record, event).and_then(|members| {
                    if let Some(membership) = &membership {
                        Membership::of(&rows).save(membership)?;
                    }
                    Ok(members)
                });
                AudienceCommand::FileWritten(written.map(|members| (name, path, members)).map_err(|e| {
                    crate::engine::message::Message::new("msg.err_export_write", [e.to_string()]).text(lang)
                }))
            });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    /// An upload file was written: say so, and record it on the audience.
    fn audience_written(&mut self, result: Result<(String, PathBuf, usize), String>) {
        let lang = self.lang();
        let (name, path, members) = match result {
            Ok(done) => done,
            Err(e) => {
                self.notice = Some(Notice::Error(e));
                return;
            }
        };
        let text = t(lang, "audience.written").replace("{0}", &crate::format::count(members, lang));
        self.notice = Some(Notice::Info(text.replace("{1}", &path.display().to_string())));
        let Some(doc) = &self.doc else { return };
        let Some(index) = doc.workspace.audiences.iter().position(|a| a.name == name) else { return };
        let mut audience = doc.workspace.audiences[index].clone();
        let platform = audience.platforms.first().copied().unwrap_or(crate::engine::audience::Platform::Google);
        let at = crate::engine::workspace::now_text();
        audience.last_sent = Some(Sent { at, platform, members, how: "file".to_owned(), stopped: None });
        self.edit(Edit::ReplaceAudience { index, audience: Box::new(audience) });
    }

    /// Starts a push in the background; the token is remembered for this session only.
    fn start_push(&mut self, ctx: &egui::Context, order: PushOrder) {
        let PushOrder { name, rows, job, keep_token } = order;
        let lang = self.lang();
        self.session_tokens.insert(rows.platform, job.token.clone());
        let started = self.tasks.spawn(TaskKind::Push, ctx, move |progress| {
            let kept = if keep_token { keychain::save(rows.platform, &job.token) } else { Ok(()) };
            let result = kept
                .map_err(|e| t(lang, "push.keychain_failed").replace("{0}", &e.to_string()))
                .and_then(|()| Plan::new(&rows, &job.membership_path, &job.destination).map_err(|e| e.to_string()))
                .and_then(|plan| run(job, plan, progress).map_err(|e| e.text(lang)));
            AudienceCommand::Pushed(Box::new(result.map(|pushed| (name, pushed))))
        });
        if let Err(e) = started {
            self.notice = Some(Notice::Error(e));
        }
    }

    /// A push ended: say what was sent (or why it stopped), and record it on the audience.
    fn pushed(&mut self, result: Result<(String, Pushed), String>) {
        let lang = self.lang();
        let (name, pushed) = match result {
            Ok(done) => done,
            Err(e) => {
                self.notice = Some(Notice::Error(t(lang, "push.failed").replace("{0}", "API").replace("{1}", &e)));
                return;
            }
        };
        let platform = super::dialogs::audience::platform_label(lang, pushed.destination.platform());
        let r = &pushed.report;
        if r.stopped_by == Some(Stopped::TokenExpired) {
            // The token is no good any more: the dialog asks for a new one.
            let which = pushed.destination.platform();
            self.session_tokens.remove(&which);
            if let Some(dialog) = &mut self.audience {
                dialog.push.token_refused(which);
            }
        }
        let n = |v: usize| crate::format::count(v, lang);
        self.notice = Some(match &r.error {
            None => Notice::Info(
                t(lang, "push.done")
                    .replace("{0}", platform)
                    .replace("{1}", &n(r.adds_sent))
                    .replace("{2}", &n(r.removes_sent))
                    .replace("{3}", &n(r.requests)),
            ),
            Some(e) => Notice::Error(match r.stopped_by {
                Some(Stopped::TokenExpired) => t(lang, "push.token_expired").replace("{0}", platform),
                Some(Stopped::TooSmall) => t(lang, "push.too_small").replace("{0}", platform),
                Some(Stopped::Cancelled) => t(lang, "push.cancelled").replace("{0}", platform),
                Some(Stopped::NotRecorded) | None => t(lang, "push.stopped").replace("{0}", platform).replace("{1}", e),
            }),
        });
        let Some(doc) = &self.doc else { return };
        let Some(index) = doc.workspace.audiences.iter().position(|a| a.name == name) else { return };
        let mut audience = doc.workspace.audiences[index].clone();
        pushed.record(&mut audience);
        self.edit(Edit::ReplaceAudience { index, audience: Box::new(audience) });
    }
}
