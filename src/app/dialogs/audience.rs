//! "Create remarketing audience from this segment": name, platform, identifiers
//! and the consent filter; a preview of exactly what would leave the machine (the
//! first rows normalised and hashed, counts, warnings), computed in the
//! background; then save the audience and write the platform's upload file.

use std::path::PathBuf;
use std::sync::Arc;

use crate::app::command::AudienceCommand;
use crate::app::command::{Command, CommandSender};
use crate::app::dialogs::push::{PushInputs, PushPanel};
use crate::app::document::Document;
use crate::app::i18n::{Lang, t};
use crate::app::keyed::Keyed;
use crate::engine::audience::diff::{Diff, Membership, SentBy, membership_path};
use crate::engine::audience::normalise::PhoneRegion;
use crate::engine::audience::{
    Audience, AudienceRequest, AudienceRows, Consent, ConsentField, DestinationKind, Identifier, Platform, Preview,
    Warning,
};
use crate::engine::audience::{audience_rows, preview};
use crate::engine::edit::Edit;
use crate::engine::import::ImportError;
use crate::engine::segment::evaluate::SegmentFrame;
use crate::engine::segment::members::{self, Target};
use crate::engine::segment::to_text;
use crate::format;

/// What decides the preview: data version, rule, platform, identifiers, consent.
type PreviewKey = (u64, String, Platform, Vec<Identifier>, bool);

/// The rows an audience would send and their preview.
pub struct Built {
    pub rows: Arc<AudienceRows>,
    pub preview: Preview,
}

pub struct AudienceDialog {
    pub name: String,
    /// The saved segment it comes from (may be empty for an unsaved rule).
    pub segment: String,
    pub rule: String,
    pub platform: Platform,
    pub identifiers: Vec<Identifier>,
    pub consent_only: bool,
    /// Where the upload file goes.
    pub path_text: String,
    built: Keyed<PreviewKey, Built>,
    /// How the upload file would differ from the last one written (`None`: the first).
    file_diff: Keyed<(String, PathBuf), Option<Diff>>,
    /// Sending through the platform's API.
    pub push: PushPanel,
}

impl AudienceDialog {
    pub fn new(segment: String, rule: String, doc: &Document, lang: Lang) -> Self {
        let name = if segment.is_empty() { t(lang, "audience.default_name").to_owned() } else { segment.clone() };
        let dir = doc.path.as_deref().map_or_else(|| PathBuf::from("."), crate::engine::workspace::parent_dir);
        let file = format!("{}-google.csv", crate::engine::text::file_stem_for(&name));
        let identifiers = Identifier::ALL.into_iter().filter(|i| i.available(&doc.data)).collect();
        Self {
            name,
            segment,
            rule,
            platform: Platform::Google,
            identifiers,
            consent_only: true,
            path_text: dir.join(file).display().to_string(),
            built: Keyed::new("audience-preview"),
            file_diff: Keyed::new("audience-file-diff"),
            push: PushPanel::new(None, std::collections::HashMap::new()),
        }
    }

    /// The dialog on a saved audience, showing the rule it follows now (see
    /// [`crate::engine::segment::members`]).
    pub fn from_saved(saved: &Audience, doc: &Document, lang: Lang) -> Self {
        let rule = members::rule_of(Target::Audience(saved), &doc.workspace.segments)
            .map_or_else(|_| saved.rule.clone().unwrap_or_default(), |r| to_text(&r));
        let mut dialog = Self::new(saved.segment.clone(), rule, doc, lang);
        dialog.name.clone_from(&saved.name);
        dialog.platform = saved.platforms.first().copied().unwrap_or(Platform::Google);
        dialog.identifiers.clone_from(&saved.identifiers);
        dialog.consent_only = saved.consent_only;
        dialog.push = PushPanel::new(Some(saved), std::collections::HashMap::new());
        dialog
    }

    /// How the upload file would differ from the last one written, once computed
    /// (`Some(None)`: no file was written before).
    pub fn file_changes(&self) -> Option<Option<Diff>> {
        self.file_diff.latest().map(|d| d.as_ref().clone())
    }

    /// Why the preview could not be made (a rule that can't be read or used …).
    pub fn preview_error(&self) -> Option<&str> {
        self.built.error()
    }

    /// The preview, once computed for the current choices.
    pub fn built(&self, version: u64) -> Option<&Arc<Built>> {
        self.built.get(&self.key(version))
    }

    fn key(&self, version: u64) -> PreviewKey {
        (version, self.rule.clone(), self.platform, self.identifiers.clone(), self.consent_only)
    }

    /// Starts or collects the preview's computation (call once per frame).
    pub fn logic(&mut self, egui: &egui::Context, doc: &Document, lang: Lang) {
        self.built.collect(lang);
        let data = Arc::clone(&doc.data);
        let saved = doc.workspace.segments.clone();
        let name = self.name.clone();
        let audience = self.audience();
        self.built.ensure(egui, self.key(doc.version), |(_, _, platform, identifiers, consent_only)| {
            let (platform, identifiers, consent_only) = (*platform, identifiers.clone(), *consent_only);
            move |_| {
                let err = |e: polars::prelude::PolarsError| ImportError::from(e).text(lang);
                let frame = SegmentFrame::new(data);
                // The same members the command line finds for this audience.
                let members =
                    members::members(&frame, &saved, Target::Audience(&audience)).map_err(|e| e.to_string())?.rows;
                let request = AudienceRequest {
                    platform,
                    identifiers: &identifiers,
                    consent_only,
                    region: PhoneRegion::default(),
                };
                let rows = audience_rows(frame.data(), &members, &request).map_err(err)?;
                let preview = preview(&name, &rows);
                Ok(Built { rows: Arc::new(rows), preview })
            }
        });
        let key = format!("{:?}", self.key(doc.version));
        let rows = self.built.get(&self.key(doc.version)).map(|b| Arc::clone(&b.rows));
        let inputs = PushInputs { name: &self.name, platform: self.platform, rows: rows.as_ref(), preview_key: &key };
        self.push.logic(egui, doc, lang, inputs);
        self.file_diff.collect(lang);
        if let (Some(rows), Some(workspace)) = (rows, doc.path.as_ref()) {
            let path = membership_path(workspace, self.name.trim(), self.platform, SentBy::File);
            self.file_diff.ensure(egui, (key, path), |(_, path)| {
                let path = path.clone();
                move |_| {
                    if !path.exists() {
                        return Ok(None);
                    }
                    let before = Membership::load(&path).map_err(|e| e.to_string())?;
                    Ok(Some(Membership::of(&rows).diff_from(&before)))
                }
            });
        }
    }

    /// The audience as it would be saved.
    pub fn audience(&self) -> Audience {
        Audience {
            name: self.name.trim().to_owned(),
            segment: self.segment.clone(),
            rule: Some(self.rule.clone()),
            platforms: vec![self.platform],
            identifiers: self.identifiers.clone(),
            consent_only: self.consent_only,
            last_sent: None,
            destinations: self.push.destinations(),
        }
    }

    /// Draws the dialog; returns false when it was closed.
    pub fn ui(&mut self, egui: &egui::Context, doc: &Document, lang: Lang, commands: &CommandSender) -> bool {
        let mut open = true;
        let mut done = false;
        egui::Window::new(t(lang, "audience.title"))
            .id(egui::Id::unique("audience-dialog"))
            .open(&mut open)
            // As tall as the screen allows, so the push section shows without scrolling.
            .default_size([780.0, (egui.content_rect().height() - 80.0).clamp(400.0, 900.0)])
            .vscroll(true)
            .show(egui, |ui| {
                self.choices_ui(ui, doc, lang);
                ui.separator();
                self.preview_ui(ui, doc, lang);
                ui.separator();
                done = self.actions_ui(ui, doc, lang, commands);
                if matches!(self.platform, Platform::Google | Platform::Meta) {
                    ui.separator();
                    let key = format!("{:?}", self.key(doc.version));
                    let rows = self.built(doc.version).map(|b| Arc::clone(&b.rows));
                    let inputs = PushInputs {
                        name: &self.name,
                        platform: self.platform,
                        rows: rows.as_ref(),
                        preview_key: &key,
                    };
                    if let Some(order) = self.push.ui(ui, doc, lang, inputs) {
                        // Saved first, so the audience exists when the push ends.
                        commands.send(Command::Edit(save_edit(doc, self.audience())));
                        commands.send(AudienceCommand::Push(Box::new(order)));
                        done = true;
                    }
                }
            });
        open && !done
    }

    fn choices_ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang) {
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "audience.name"));
            ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(280.0)).labelled_by(label.id);
            ui.weak(format!("{} {}", t(lang, "audience.from"), doc.sentence_of(&self.rule, lang)));
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "audience.platform"));
            let before = self.platform;
            for platform in Platform::ALL {
                ui.selectable_value(&mut self.platform, platform, platform_label(lang, platform));
            }
            // The suggested file name follows the platform (`vip-google.csv` → `vip-meta.csv`).
            let old_suffix = format!("-{}.csv", before.id());
            if self.platform != before
                && let Some(stem) = self.path_text.strip_suffix(&old_suffix)
            {
                self.path_text = format!("{stem}-{}.csv", self.platform.id());
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(t(lang, "audience.identifiers"));
            for id in self.platform.identifiers() {
                if !id.available(&doc.data) {
                    continue;
                }
                let mut on = self.identifiers.contains(id);
                if ui.checkbox(&mut on, identifier_label(lang, *id)).changed() {
                    if on {
                        self.identifiers.push(*id);
                    } else {
                        self.identifiers.retain(|i| i != id);
                    }
                }
            }
        });
        if self.platform.in_clear() {
            ui.weak(t(lang, "audience.list_hint"));
        }
        let (label, hint) = if self.platform.kind() == DestinationKind::SmsList {
            ("audience.consent_only_sms", "audience.consent_hint_sms")
        } else {
            ("audience.consent_only", "audience.consent_hint")
        };
        ui.checkbox(&mut self.consent_only, t(lang, label)).on_hover_text(t(lang, hint));
    }

    fn preview_ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang) {
        if let Some(e) = self.built.error() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let Some(built) = self.built(doc.version).cloned() else {
            ui.spinner();
            return;
        };
        let p = &built.preview;
        ui.label(
            t(lang, "audience.summary")
                .replace("{0}", &format::count(p.members, lang))
                .replace("{1}", &format::count(p.with_identifier, lang))
                .replace("{2}", &p.match_ready_share.map_or_else(|| "—".to_owned(), |s| format::percent(s, lang))),
        );
        if let Some(value) = p.predicted_revenue_12m {
            ui.label(
                t(lang, "audience.predicted_revenue")
                    .replace("{0}", &format::money(value, &doc.workspace.settings.currency, lang)),
            );
        }
        if p.consent == Consent::Applied && p.no_consent > 0 {
            let basis: Vec<&str> = p
                .basis
                .iter()
                .map(|c| match c {
                    ConsentField::AcceptsMarketing => t(lang, "audience.basis_marketing"),
                    ConsentField::AdConsent => t(lang, "audience.basis_ad"),
                    ConsentField::SmsConsent => t(lang, "audience.basis_sms"),
                })
                .collect();
            ui.label(
                t(lang, "audience.no_consent")
                    .replace("{0}", &format::count(p.no_consent, lang))
                    .replace("{1}", &basis.join(t(lang, "audience.basis_or"))),
            );
        }
        let usable: Vec<String> = p
            .usable
            .iter()
            .map(|(id, n)| format!("{}: {}", identifier_label(lang, *id), format::count(*n, lang)))
            .collect();
        ui.weak(usable.join(" · "));
        for warning in &p.warnings {
            ui.colored_label(ui.visuals().warn_fg_color, warning_text(lang, warning));
        }
        // Scrolled in its own box, so the actions below stay in view.
        egui::ScrollArea::vertical().id_salt("audience-first-rows").max_height(190.0).show(ui, |ui| {
            first_rows_ui(ui, &built.rows, lang);
        });
    }

    /// Save and write buttons; returns true when the dialog is done.
    fn actions_ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang, commands: &CommandSender) -> bool {
        let ready = self.built(doc.version).is_some_and(|b| b.preview.with_identifier > 0);
        if let Some(Some(d)) = self.file_diff.latest().map(|d| d.as_ref()) {
            let n = |v: usize| format::count(v, lang);
            ui.label(
                t(lang, "audience.file_changes")
                    .replace("{0}", &n(d.adds))
                    .replace("{1}", &n(d.removes))
                    .replace("{2}", &n(d.unchanged)),
            );
        }
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "audience.file"));
            ui.add(egui::TextEdit::singleline(&mut self.path_text).desired_width(420.0)).labelled_by(label.id);
        });
        let mut done = false;
        ui.horizontal(|ui| {
            if ui.button(t(lang, "audience.save")).clicked() {
                commands.send(Command::Edit(save_edit(doc, self.audience())));
                done = true;
            }
            if ui.add_enabled(ready, egui::Button::new(t(lang, "audience.write"))).clicked()
                && let Some(built) = self.built(doc.version)
            {
                commands.send(Command::Edit(save_edit(doc, self.audience())));
                let path = PathBuf::from(self.path_text.trim());
                commands.send(AudienceCommand::WriteFile {
                    name: self.name.trim().to_owned(),
                    rows: Arc::clone(&built.rows),
                    path,
                });
                done = true;
            }
        });
        done
    }
}

/// Saving an audience: over the one with the same name, else as a new one.
fn save_edit(doc: &Document, audience: Audience) -> Edit {
    match doc.workspace.audiences.iter().position(|a| a.name == audience.name) {
        Some(index) => {
            // What it sent and where it went stay with the audience.
            let saved = &doc.workspace.audiences[index];
            let (last_sent, destinations) = (saved.last_sent.clone(), saved.destinations.clone());
            Edit::ReplaceAudience { index, audience: Box::new(Audience { last_sent, destinations, ..audience }) }
        }
        None => Edit::InsertAudience { index: doc.workspace.audiences.len(), audience: Box::new(audience) },
    }
}

/// The first ten members as they would be sent: normalised, then hashed.
fn first_rows_ui(ui: &mut egui::Ui, rows: &AudienceRows, lang: Lang) {
    ui.strong(t(lang, if rows.platform.in_clear() { "audience.first_rows_clear" } else { "audience.first_rows" }));
    egui::ScrollArea::both().id_salt("audience-rows").max_height(220.0).show(ui, |ui| {
        egui::Grid::new("audience-rows-grid").striped(true).show(ui, |ui| {
            ui.strong(t(lang, "field.customer_id"));
            for id in &rows.identifiers {
                ui.strong(identifier_label(lang, *id));
            }
            ui.end_row();
            for member in rows.rows.iter().take(10) {
                ui.label(member.customer_id.clone().unwrap_or_default());
                for value in &member.values {
                    match value {
                        // A list sends the text itself.
                        Some(v) if rows.platform.in_clear() => {
                            ui.label(&v.normalized);
                        }
                        Some(v) => {
                            let hash = v.sha256.map_or_else(String::new, |h| format!("{}…", &h.hex()[..12]));
                            ui.label(format!("{}\n{hash}", v.normalized));
                        }
                        None => {
                            ui.weak("—");
                        }
                    }
                }
                ui.end_row();
            }
        });
    });
}

pub fn platform_label(lang: Lang, platform: Platform) -> &'static str {
    t(
        lang,
        match platform {
            Platform::Google => "audience.google",
            Platform::Meta => "audience.meta",
            Platform::Tiktok => "audience.tiktok",
            Platform::Hashed => "audience.hashed",
            Platform::EmailList => "audience.email_list",
            Platform::SmsList => "audience.sms_list",
        },
    )
}

pub fn identifier_label(lang: Lang, id: Identifier) -> &'static str {
    t(
        lang,
        match id {
            Identifier::Email => "audience.id_email",
            Identifier::Phone => "audience.id_phone",
            Identifier::FirstName => "audience.id_first_name",
            Identifier::LastName => "audience.id_last_name",
            Identifier::Country => "audience.id_country",
            Identifier::Zip => "audience.id_zip",
            Identifier::City => "audience.id_city",
            Identifier::State => "audience.id_state",
            Identifier::Gender => "audience.id_gender",
            Identifier::BirthYear => "audience.id_birth_year",
        },
    )
}

fn warning_text(lang: Lang, warning: &Warning) -> String {
    match warning {
        Warning::BelowMinimum { members, minimum } => t(lang, "audience.warn_small")
            .replace("{0}", &format::count(*members, lang))
            .replace("{1}", &format::count(*minimum, lang)),
        Warning::SensitiveName { word } => t(lang, "audience.warn_name").replace("{0}", word),
        Warning::NoIdentifier { members } => {
            t(lang, "audience.warn_no_id").replace("{0}", &format::count(*members, lang))
        }
        Warning::NoConsentField { field: ConsentField::SmsConsent } => {
            t(lang, "audience.warn_no_sms_consent").to_owned()
        }
        Warning::NoConsentField { .. } => t(lang, "audience.warn_no_consent").to_owned(),
        Warning::MarketplaceEmail { members } => {
            t(lang, "audience.warn_relay").replace("{0}", &format::count(*members, lang))
        }
    }
}

impl super::Dialog for AudienceDialog {
    /// Closes when no workspace is open.
    fn show(&mut self, ctx: &super::DialogContext<'_>) -> bool {
        ctx.doc.is_some_and(|doc| self.ui(ctx.egui, doc, ctx.lang, ctx.commands))
    }
}
