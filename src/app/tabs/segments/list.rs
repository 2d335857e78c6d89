//! The saved segments: name, description, live count, share and average LTV, with
//! edit, duplicate and delete (undoable), and the template gallery.

use std::sync::Arc;

use super::SegmentsTab;
use crate::app::command::Command;
use crate::app::command::{AudienceCommand, SegmentCommand};
use crate::app::dialogs::audience::platform_label;
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::app::widgets::venn::venn_ui as venn_widget;
use crate::engine::edit::Edit;
use crate::engine::segment::Group;
use crate::engine::segment::evaluate::SegmentStats;
use crate::engine::segment::membership::{Snapshot, latest, members_dir_for};
use crate::engine::segment::overlap::{Overlap, intersection_rule};
use crate::engine::segment::templates::gallery;
use crate::engine::workspace::now_text;
use crate::format;

impl SegmentsTab {
    pub(super) fn list_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        ui.horizontal(|ui| {
            ui.heading(t(lang, "tab.segments"));
            ui.add_space(16.0);
            let new = egui::Button::new(egui::RichText::new(t(lang, "segments.new")).strong().size(16.0))
                .fill(ui.visuals().selection.bg_fill);
            if ui.add(new).clicked() {
                self.new_segment(lang, Group::default());
            }
            if ui.button(t(lang, "segments.gallery")).clicked() {
                self.gallery_open = true;
            }
        });
        if let Some(name) = self.deleted.clone() {
            ui.horizontal(|ui| {
                ui.label(t(lang, "segments.deleted").replace("{}", &name));
                if ui.button(t(lang, "segments.undo")).clicked() {
                    ctx.send(Command::Undo);
                    self.deleted = None;
                }
            });
        }
        if let Some(e) = ctx.cache.saved.error() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.separator();
        if ctx.doc.workspace.segments.is_empty() {
            ui.weak(t(lang, "segments.none"));
            return;
        }
        egui::ScrollArea::vertical().id_salt("segment-list").show(ui, |ui| {
            egui::Grid::new("segments-grid").striped(true).num_columns(8).show(ui, |ui| self.grid_ui(ui, ctx));
            self.overlap_ui(ui, ctx);
            audiences_ui(ui, ctx);
            self.history_ui(ui, ctx);
        });
    }

    fn grid_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        for key in ["segments.name", "segments.description", "segments.count", "segments.share", "dash.avg_ltv"] {
            ui.strong(t(lang, key));
        }
        ui.strong(t(lang, "segments.edited"));
        ui.strong(t(lang, "segments.changes")).on_hover_text(t(lang, "segments.changes_help"));
        let changes = self.latest_changes(ctx);
        ui.label("");
        ui.end_row();
        let stats = ctx.cache.saved_stats().cloned();
        let failed = ctx.cache.saved.error().is_some();
        for (i, seg) in ctx.doc.workspace.segments.iter().enumerate() {
            // A long name or description is cut to its column (whole on hover), so
            // the row's actions stay on screen at 1024 px.
            let name = egui::Button::new(egui::RichText::new(&seg.name).strong()).frame(false).truncate();
            let name = clipped(ui, NAME_WIDTH, |ui| ui.add(name))
                // The sentence is made only while the name is hovered.
                .on_hover_ui(|ui| {
                    ui.strong(&seg.name);
                    ui.label(ctx.doc.sentence_of(&seg.rule, lang));
                });
            if name.clicked() {
                self.open(i, seg);
            }
            clipped(ui, DESCRIPTION_WIDTH, |ui| ui.add(egui::Label::new(&seg.description).truncate()));
            match stats.as_ref().map(|s| s.get(i).cloned().flatten()) {
                Some(st) => stats_cells_ui(ui, st.as_ref(), ctx),
                None if failed => stats_cells_ui(ui, None, ctx),
                None => {
                    ui.spinner();
                    ui.label("");
                    ui.label("");
                }
            }
            ui.label(seg.edited.as_deref().map(|e| format::stamp(e, lang)).unwrap_or_default());
            match changes.iter().find(|c| c.segment == seg.name) {
                Some(c) => {
                    let text = format!("+{} / −{}", format::count(c.entered, lang), format::count(c.left, lang));
                    let hover = format!(
                        "{}\n{}",
                        t(lang, "segments.changes_at").replace("{0}", &format::stamp(&c.at, lang)),
                        t(lang, "changes.open")
                    );
                    let name = format!("{} {}", t(lang, "segments.changes"), seg.name);
                    if ui.link(text).on_hover_text(hover).accessible_name(name).clicked() {
                        self.changes = Some(super::changes::ChangesWindow::new(seg.name.clone()));
                    }
                }
                None => {
                    ui.weak("—");
                }
            }
            ui.horizontal(|ui| self.actions_ui(ui, i, ctx));
            ui.end_row();
        }
    }

    /// Each saved segment's latest membership record (read once per data version).
    fn latest_changes(&mut self, ctx: &TabContext<'_>) -> Vec<Snapshot> {
        let version = ctx.doc.version;
        if self.membership.as_ref().is_none_or(|(v, _)| *v != version) {
            let latest = ctx.doc.path.as_deref().map(|p| latest(&members_dir_for(p))).unwrap_or_default();
            self.membership = Some((version, latest));
        }
        self.membership.as_ref().map(|(_, l)| l.clone()).unwrap_or_default()
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, i: usize, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        let segments = &ctx.doc.workspace.segments;
        let Some(seg) = segments.get(i) else { return };
        let button = |ui: &mut egui::Ui, key: &'static str| {
            ui.small_button(t(lang, key)).accessible_name(format!("{} {}", t(lang, key), seg.name)).clicked()
        };
        if button(ui, "segments.edit") {
            self.open(i, seg);
        }
        // The rest in a "…" menu, so a row fits a 1024 px window whatever its name.
        let more = ui.menu_button("…", |ui| {
            if button(ui, "segments.audience") {
                ctx.send(AudienceCommand::Dialog { segment: seg.name.clone(), rule: seg.rule.clone() });
                ui.close();
            }
            if button(ui, "segments.split") {
                self.start_split(i);
                ui.close();
            }
            if button(ui, "segments.duplicate") {
                let mut copy = seg.clone();
                copy.name = format!("{} ({})", copy.name, t(lang, "segments.copy"));
                copy.edited = Some(now_text());
                ctx.send(Command::Edit(Edit::InsertSegment { index: i + 1, segment: copy }));
                ui.close();
            }
            ui.separator();
            if button(ui, "segments.delete") {
                ctx.send(Command::Edit(Edit::DeleteSegment { index: i }));
                self.deleted = Some(seg.name.clone());
                ui.close();
            }
        });
        more.response.on_hover_text(t(lang, "segments.more")).accessible_name(format!(
            "{}: {}",
            t(lang, "segments.more"),
            seg.name
        ));
    }

    pub(super) fn gallery_ui(&mut self, egui: &egui::Context, ctx: &TabContext<'_>) {
        if !self.gallery_open {
            return;
        }
        let lang = ctx.lang;
        let mut open = true;
        egui::Window::new(t(lang, "segments.gallery")).open(&mut open).default_width(520.0).show(egui, |ui| {
            for template in gallery(&ctx.doc.data, lang) {
                ui.horizontal(|ui| {
                    if ui
                        .button(t(lang, "segments.add"))
                        .accessible_name(format!("{} {}", t(lang, "segments.add"), template.name))
                        .clicked()
                    {
                        let index = ctx.doc.workspace.segments.len();
                        ctx.send(Command::Edit(Edit::InsertSegment { index, segment: template.segment() }));
                    }
                    ui.vertical(|ui| {
                        ui.strong(&template.name);
                        ui.weak(format!("{} — {}", template.description, ctx.doc.sentence(&template.rule, lang)));
                    });
                });
                ui.separator();
            }
        });
        self.gallery_open = open;
    }
}

/// The saved remarketing audiences: name, platform, segment, when last sent, how
/// many members, and whether the last push finished.
fn audiences_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let audiences = &ctx.doc.workspace.audiences;
    if audiences.is_empty() {
        return;
    }
    ui.add_space(12.0);
    ui.heading(t(lang, "audience.list"));
    egui::Grid::new("audiences-grid").striped(true).num_columns(6).show(ui, |ui| {
        for (index, audience) in audiences.iter().enumerate() {
            ui.strong(&audience.name);
            let platforms: Vec<&str> = audience.platforms.iter().map(|p| platform_label(lang, *p)).collect();
            ui.label(platforms.join(", "));
            ui.label(&audience.segment);
            ui.label(match &audience.last_sent {
                Some(sent) => t(lang, "audience.last_sent")
                    .replace("{0}", &format::stamp(&sent.at, lang))
                    .replace("{1}", &format::count(sent.members, lang))
                    .replace("{2}", t(lang, if sent.how == "api" { "audience.how_api" } else { "audience.how_file" })),
                None => t(lang, "audience.never").to_owned(),
            });
            match audience.last_sent.as_ref().and_then(|s| s.stopped.as_ref()) {
                Some(why) => {
                    ui.colored_label(ui.visuals().warn_fg_color, t(lang, "audience.stopped")).on_hover_text(why);
                }
                None if audience.last_sent.is_some() => {
                    ui.label(t(lang, "audience.sent"));
                }
                None => {
                    ui.label("—");
                }
            }
            ui.horizontal(|ui| {
                let name = |key: &'static str| format!("{} {}", t(lang, key), audience.name);
                if ui.small_button(t(lang, "audience.open")).accessible_name(name("audience.open")).clicked() {
                    ctx.send(AudienceCommand::Open(index));
                }
                if ui.small_button(t(lang, "audience.delete")).accessible_name(name("audience.delete")).clicked() {
                    ctx.send(Command::Edit(Edit::DeleteAudience { index }));
                }
            });
            ui.end_row();
        }
    });
}

/// The widths a saved segment's name and description are cut to.
const NAME_WIDTH: f32 = 210.0;
const DESCRIPTION_WIDTH: f32 = 230.0;

/// `add` in a cell no wider than `width`; what does not fit is cut with "…".
fn clipped(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui) -> egui::Response) -> egui::Response {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(egui::vec2(width, height), egui::Layout::left_to_right(egui::Align::Center), |ui| {
        ui.set_max_width(width);
        add(ui)
    })
    .inner
}

/// Count, share and average LTV of one saved segment ("—" where unknown).
fn stats_cells_ui(ui: &mut egui::Ui, st: Option<&SegmentStats>, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    ui.label(st.map_or_else(|| "—".to_owned(), |s| format::count(s.count, lang)));
    ui.label(st.map_or_else(|| "—".to_owned(), |s| format::percent(s.share, lang)));
    let avg = st.and_then(|s| s.avg_ltv);
    ui.label(format::money_or_dash(avg, ctx.currency(), lang));
}

impl SegmentsTab {
    /// The overlap matrix of the saved segments (the first 12): customers in both
    /// and the share of the row's segment; a click opens a segment of them. Below
    /// it, a Venn diagram of two or three of them.
    fn overlap_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        let segments = &ctx.doc.workspace.segments;
        if segments.len() < 2 {
            return;
        }
        ui.add_space(12.0);
        egui::CollapsingHeader::new(t(lang, "segments.overlap")).id_salt("segment-overlap").show(ui, |ui| {
            ui.weak(t(lang, "segments.overlap_help"));
            let current = ctx.cache.saved_overlap().filter(|o| o.names.len() == segments.len()).cloned();
            let Some(o) = current else {
                ui.spinner();
                return;
            };
            matrix_ui(ui, ctx, &o);
            ui.add_space(8.0);
            self.venn_ui(ui, ctx, &o);
        });
    }

    /// Two or three segments picked, and their diagram.
    fn venn_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>, o: &Arc<Overlap>) {
        let lang = ctx.lang;
        let n = o.names.len();
        if self.venn[0].is_none_or(|i| i >= n) {
            self.venn = [Some(0), Some(1), (n > 2).then_some(2)];
        }
        ui.strong(t(lang, "venn.title"));
        ui.horizontal(|ui| {
            for (k, pick) in self.venn.iter_mut().enumerate() {
                let shown = pick.and_then(|i| o.names.get(i)).map_or_else(|| "—".to_owned(), Clone::clone);
                egui::ComboBox::from_id_salt(("venn", k))
                    .selected_text(shown)
                    .width(200.0)
                    .show_ui(ui, |ui| {
                        if k == 2 {
                            ui.selectable_value(pick, None, "—");
                        }
                        for (i, name) in o.names.iter().enumerate() {
                            ui.selectable_value(pick, Some(i), name);
                        }
                    })
                    .response
                    .accessible_name(format!("{} {}", t(lang, "venn.segment"), k + 1));
            }
        });
        let picks: Vec<usize> = self.venn.iter().flatten().copied().filter(|&i| i < n).collect();
        // Regions are recounted only when the overlap or the picks change (not every frame).
        let fresh = self.venn_regions.as_ref().is_some_and(|(of, p, _)| Arc::ptr_eq(of, o) && *p == picks);
        if !fresh {
            self.venn_regions = Some((Arc::clone(o), picks.clone(), o.venn(&picks)));
        }
        let Some(venn) = self.venn_regions.as_ref().and_then(|(_, _, v)| v.clone()) else {
            ui.weak(t(lang, "venn.pick"));
            return;
        };
        let names: Vec<&str> = picks.iter().map(|&i| o.names[i].as_str()).collect();
        if let Some(rule) = venn_widget(ui, &venn, &names, lang) {
            ctx.send(SegmentCommand::Draft(rule));
        }
    }
}

fn matrix_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>, o: &Overlap) {
    let lang = ctx.lang;
    let segments = &ctx.doc.workspace.segments;
    let shown = o.names.len().min(12);
    egui::Grid::new("overlap-grid").striped(true).show(ui, |ui| {
        ui.label("");
        for name in &o.names[..shown] {
            ui.strong(name);
        }
        ui.end_row();
        for i in 0..shown {
            ui.strong(&o.names[i]);
            for j in 0..shown {
                let Some(both) = o.counts[i][j] else {
                    ui.label("—");
                    continue;
                };
                let share = o.share(i, j).map_or_else(|| "—".to_owned(), |s| format::percent(s, lang));
                let hover = t(lang, "segments.overlap_cell").replace("{0}", &o.names[i]).replace("{1}", &o.names[j]);
                let cell = ui.button(format!("{} · {share}", format::count(both, lang))).on_hover_text(hover);
                if cell.clicked()
                    && let Some(rule) = intersection_rule(&segments[i].rule, &segments[j].rule)
                {
                    ctx.send(SegmentCommand::Draft(rule));
                }
            }
            ui.end_row();
        }
    });
}
