//! Tab 3, Personas: ideal customer profiles checked against real customers. The
//! cards on the left ([`cards`]); the chosen persona's editor ([`editor`]) and its
//! fit against a linked segment ([`fit_view`]), computed in the background.
//! The editor works on a copy; saving, suggestions, duplicates and deletes are
//! undoable edits.

mod ai_view;
mod cards;
mod editor;
mod fit_view;

use std::sync::Arc;

use super::{Tab, TabContext, TabView};
use crate::app::keyed::Keyed;
use crate::engine::persona::Persona;
use crate::engine::persona::fit::{Fit, fit};
use crate::engine::segment::parse;

/// What decides a fit: data version, the persona (as JSON) and the segment's rule.
type FitKey = (u64, String, String);

#[derive(Default)]
pub struct PersonasTab {
    /// The persona shown in the editor (index in the workspace).
    pub selected: Option<usize>,
    /// The editor's copy, and the saved persona it was taken from.
    pub working: Option<Persona>,
    loaded: Option<Persona>,
    /// The linked segment the fit is measured against.
    pub segment: String,
    fit: Option<Keyed<FitKey, Fit>>,
    /// The optional AI narrative of the fit.
    ai: ai_view::AiPanel,
}

impl PersonasTab {
    /// The fit of the editor's persona, once computed.
    pub fn fit(&self) -> Option<&Arc<Fit>> {
        self.fit.as_ref()?.latest()
    }

    /// Whether the fit is being computed.
    pub fn fit_is_busy(&self) -> bool {
        self.fit_busy()
    }

    fn fit_busy(&self) -> bool {
        self.fit.as_ref().is_some_and(Keyed::busy)
    }

    /// Keeps the editor's copy in step with the workspace (undo, suggestions).
    fn follow_workspace(&mut self, ctx: &TabContext<'_>) {
        let personas = &ctx.doc.workspace.personas;
        let Some(index) = self.selected.filter(|i| *i < personas.len()) else {
            self.selected = None;
            self.working = None;
            self.loaded = None;
            return;
        };
        let saved = &personas[index];
        if self.loaded.as_ref() != Some(saved) {
            self.loaded = Some(saved.clone());
            self.working = Some(saved.clone());
            if !saved.segments.contains(&self.segment) {
                self.segment = saved.segments.first().cloned().unwrap_or_default();
            }
        }
    }
}

impl TabView for PersonasTab {
    fn id(&self) -> Tab {
        Tab::Personas
    }

    fn title_key(&self) -> &'static str {
        "tab.personas"
    }

    fn logic(&mut self, ctx: &TabContext<'_>) {
        self.follow_workspace(ctx);
        let keyed = self.fit.get_or_insert_with(|| Keyed::new("persona-fit"));
        let _ = keyed.poll(ctx.lang);
        let (Some(persona), Some(frame)) = (self.working.clone(), ctx.cache.frame()) else { return };
        let Some(rule) = ctx.doc.workspace.segments.iter().find(|s| s.name == self.segment).map(|s| s.rule.clone())
        else {
            return;
        };
        let key = (ctx.doc.version, serde_json::to_string(&persona).unwrap_or_default(), rule);
        keyed.ensure(ctx.egui, key, |(_, _, rule)| {
            let rule = rule.clone();
            move |_| {
                let group = parse(&rule).map_err(|e| e.to_string())?;
                let members = frame.members(&frame.compile(&group)).map_err(|e| e.to_string())?;
                fit(&frame, &persona, &members, Some(&group)).map_err(|e| e.to_string())
            }
        });
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        egui::Panel::left("persona-cards").resizable(true).default_size(320.0).show(ui, |ui| {
            cards::cards_ui(self, ui, ctx);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.working.is_none() {
                ui.weak(crate::app::i18n::t(ctx.lang, "persona.pick"));
                return;
            }
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                editor::editor_ui(self, ui, ctx);
                ui.separator();
                fit_view::fit_ui(self, ui, ctx);
            });
        });
    }
}
