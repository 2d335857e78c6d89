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
use crate::engine::segment::members::{Target, members};

/// What decides a fit: data version, the persona (as JSON) and the segment's rule.
type FitKey = (u64, String, String);
/// Data version and the personas and segments (as JSON) → each persona's score.
type Scores = Keyed<(u64, String), Vec<Option<u32>>>;

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
    /// A persona being drafted from a segment (by name), in the background.
    drafting: Option<String>,
    draft: Option<Keyed<(u64, String), Persona>>,
    /// Every persona's score against its first linked segment, for the cards.
    scores: Option<Scores>,
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

    /// The score of persona `index` against its first linked segment, once computed.
    pub fn card_score(&self, index: usize) -> Option<u32> {
        self.scores.as_ref()?.latest()?.get(index).copied().flatten()
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

impl PersonasTab {
    /// Starts a draft from `segment` (in the background).
    pub fn request_draft(&mut self, segment: String) {
        self.drafting = Some(segment);
    }

    fn draft_logic(&mut self, ctx: &TabContext<'_>) {
        let keyed = self.draft.get_or_insert_with(|| Keyed::new("persona-draft"));
        let drafted = match keyed.poll(ctx.lang) {
            crate::app::keyed::Polled::Value(persona) => Some((**persona).clone()),
            _ => None,
        };
        if let Some(persona) = drafted {
            let index = ctx.doc.workspace.personas.len();
            ctx.send(crate::app::command::Command::Edit(crate::engine::edit::Edit::InsertPersona {
                index,
                persona: Box::new(persona),
            }));
            self.selected = Some(index);
            self.drafting = None;
            keyed.clear(); // the same segment can be drafted again
            return;
        }
        let (Some(segment), Some(frame)) = (self.drafting.clone(), ctx.cache.frame()) else { return };
        if !ctx.doc.workspace.segments.iter().any(|s| s.name == segment) {
            self.drafting = None;
            return;
        }
        let segments = ctx.doc.workspace.segments.clone();
        keyed.ensure(ctx.egui, (ctx.doc.version, segment), |(_, segment)| {
            let segment = segment.clone();
            move |_| {
                let members = members(&frame, &segments, Target::Segment(&segment)).map_err(|e| e.to_string())?.rows;
                crate::engine::persona::missed::draft(&frame, &members, &segment).map_err(|e| e.to_string())
            }
        });
    }

    fn scores_logic(&mut self, ctx: &TabContext<'_>) {
        let keyed = self.scores.get_or_insert_with(|| Keyed::new("persona-scores"));
        keyed.collect(ctx.lang);
        let Some(frame) = ctx.cache.frame() else { return };
        let ws = &ctx.doc.workspace;
        let (personas, segments) = (ws.personas.clone(), ws.segments.clone());
        let key = (ctx.doc.version, serde_json::to_string(&(&ws.personas, &ws.segments)).unwrap_or_default());
        keyed.ensure(ctx.egui, key, |_| {
            move |_| {
                // A persona without a segment, or whose segment can't be evaluated, has no score.
                let score = |persona: &Persona| -> Option<u32> {
                    let name = persona.segments.first()?;
                    let members = members(&frame, &segments, Target::Segment(name)).ok()?.rows;
                    let s = crate::engine::persona::fit::member_bits(&members, frame.data().customers.height());
                    crate::engine::persona::fit::fit_traits(&frame, persona, &s).ok()?.score
                };
                Ok(personas.iter().map(score).collect())
            }
        });
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
        self.draft_logic(ctx);
        self.scores_logic(ctx);
        let keyed = self.fit.get_or_insert_with(|| Keyed::new("persona-fit"));
        keyed.collect(ctx.lang);
        let (Some(persona), Some(frame)) = (self.working.clone(), ctx.cache.frame()) else { return };
        if !ctx.doc.workspace.segments.iter().any(|s| s.name == self.segment) {
            return;
        }
        let segments = ctx.doc.workspace.segments.clone();
        // An edit to the segment's rule changes the document's version.
        let key = (ctx.doc.version, serde_json::to_string(&persona).unwrap_or_default(), self.segment.clone());
        keyed.ensure(ctx.egui, key, |(_, _, segment)| {
            let segment = segment.clone();
            move |_| {
                let found = members(&frame, &segments, Target::Segment(&segment)).map_err(|e| e.to_string())?;
                fit(&frame, &persona, &found.rows, Some(&found.rule)).map_err(|e| e.to_string())
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
