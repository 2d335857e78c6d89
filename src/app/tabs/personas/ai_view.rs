//! The optional AI narrative under a persona's fit: off until an endpoint is set;
//! what would be sent (aggregates only) is shown before the first call; the key
//! is typed for the session or read from `KITLE_AI_KEY`, never stored.

use std::sync::Arc;

use crate::app::command::ViewCommand;
use crate::app::i18n::t;
use crate::app::keyed::Keyed;
use crate::app::tabs::TabContext;
use crate::connect::ai::{ask, request_body};
use crate::connect::http::{Endpoint, Token};
use crate::engine::persona::Persona;
use crate::engine::persona::fit::Fit;

/// The AI section's state.
pub struct AiPanel {
    endpoint: String,
    model: String,
    key: String,
    /// The request shown to the user (asking needs it shown first).
    previewed: Option<String>,
    answer: Keyed<String, String>,
}

impl Default for AiPanel {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            model: String::new(),
            key: String::new(),
            previewed: None,
            answer: Keyed::new("ai-narrative"),
        }
    }
}

impl AiPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>, persona: &Persona, fit: &Arc<Fit>) {
        let lang = ctx.lang;
        self.answer.collect(lang);
        if self.endpoint.is_empty() && self.model.is_empty() {
            self.endpoint.clone_from(&ctx.prefs.ai_endpoint);
            self.model.clone_from(&ctx.prefs.ai_model);
        }
        egui::CollapsingHeader::new(t(lang, "ai.heading")).id_salt("ai-narrative").show(ui, |ui| {
            ui.weak(t(lang, "ai.hint"));
            let mut changed = false;
            egui::Grid::new("ai-settings").num_columns(2).show(ui, |ui| {
                for (key, text, password) in [
                    ("ai.endpoint", &mut self.endpoint, false),
                    ("ai.model", &mut self.model, false),
                    ("ai.key", &mut self.key, true),
                ] {
                    let label = ui.label(t(lang, key));
                    let edit = egui::TextEdit::singleline(text).password(password).desired_width(360.0);
                    changed |= ui.add(edit).labelled_by(label.id).changed() && !password;
                    ui.end_row();
                }
            });
            if changed {
                ctx.send(ViewCommand::SetAi {
                    endpoint: self.endpoint.trim().to_owned(),
                    model: self.model.trim().to_owned(),
                });
            }
            let language = if lang.code() == "tr" { "Turkish" } else { "English" };
            let body = request_body(&self.model, persona, fit, language);
            let text = serde_json::to_string_pretty(&body).unwrap_or_default();
            if ui.button(t(lang, "ai.show")).clicked() {
                self.previewed = Some(text.clone());
            }
            if let Some(shown) = &self.previewed {
                let mut shown = shown.as_str();
                ui.add(
                    egui::TextEdit::multiline(&mut shown).code_editor().desired_rows(8).desired_width(f32::INFINITY),
                );
            }
            let ready = !self.endpoint.trim().is_empty() && self.previewed.as_deref() == Some(text.as_str());
            ui.horizontal_wrapped(|ui| {
                if ui.add_enabled(ready, egui::Button::new(t(lang, "ai.ask"))).clicked() {
                    self.start(ctx, body, text.clone());
                }
                // Say why "Ask" waits: no endpoint yet, or the request changed since shown.
                if self.endpoint.trim().is_empty() {
                    ui.weak(t(lang, "ai.needs_endpoint"));
                } else if self.previewed.as_deref() != Some(text.as_str()) {
                    ui.weak(t(lang, "ai.needs_preview"));
                }
            });
            if self.answer.busy() {
                ui.spinner();
            }
            if let Some(e) = self.answer.error() {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            if let Some(answer) = self.answer.latest() {
                ui.label(answer.as_str());
            }
        });
    }

    fn start(&mut self, ctx: &TabContext<'_>, body: serde_json::Value, text: String) {
        let endpoint = Endpoint::parse(&self.endpoint);
        let key = Token::new(&self.key).or_else(|| std::env::var("KITLE_AI_KEY").ok().as_deref().and_then(Token::new));
        let lang = ctx.lang;
        self.answer.ensure(ctx.egui, text, move |_| {
            move |_| {
                let endpoint = endpoint.map_err(|e| e.text(lang))?;
                ask(&endpoint, key, &body).map_err(|e| e.text(lang))
            }
        });
    }
}
