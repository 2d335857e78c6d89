//! "Split…": a saved segment cut into groups by percentage (a 90/10 holdout, an
//! A/B test), each group saved as its own segment that keeps its customers when the
//! data is refreshed (see [`crate::engine::segment::split`]).

use super::SegmentsTab;
use crate::app::command::Command;
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::engine::edit::Edit;
use crate::engine::segment::split::{SharesProblem, new_seed, read_shares, split_segments};
use crate::engine::workspace::Segment;

impl SegmentsTab {
    /// Starts splitting the saved segment at `index`.
    pub fn start_split(&mut self, index: usize) {
        self.splitting = Some((index, "90/10".to_owned()));
    }

    /// The split window, while one is being made.
    pub(super) fn split_ui(&mut self, egui: &egui::Context, ctx: &TabContext<'_>) {
        let lang = ctx.lang;
        let Some((index, mut shares)) = self.splitting.take() else { return };
        let Some(segment) = ctx.doc.workspace.segments.get(index) else { return };
        let mut open = true;
        let mut done = false;
        egui::Window::new(t(lang, "split.title").replace("{0}", &segment.name))
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(egui, |ui| {
                ui.label(t(lang, "split.intro"));
                let label = ui.label(t(lang, "split.shares"));
                ui.text_edit_singleline(&mut shares).labelled_by(label.id);
                let parsed = read_shares(&shares, lang);
                match &parsed {
                    Ok(groups) => {
                        for (name, _) in split_segments(&segment.name, groups, "", lang) {
                            ui.weak(name);
                        }
                    }
                    Err(problem) => {
                        ui.colored_label(ui.visuals().warn_fg_color, shares_problem_text(problem, lang));
                    }
                }
                if ui.add_enabled(parsed.is_ok(), egui::Button::new(t(lang, "split.create"))).clicked()
                    && let Ok(groups) = parsed
                {
                    let seed = new_seed();
                    let at = ctx.doc.workspace.segments.len();
                    let groups = split_segments(&segment.name, &groups, &seed, lang);
                    for (k, (name, rule)) in groups.into_iter().enumerate() {
                        let description = t(lang, "split.description").replace("{0}", &segment.name);
                        let segment = Segment::of_rule(name, description, &rule);
                        ctx.send(Command::Edit(Edit::InsertSegment { index: at + k, segment }));
                    }
                    done = true;
                }
            });
        if open && !done {
            self.splitting = Some((index, shares));
        }
    }
}

/// Why the typed percentages make no split, in words.
fn shares_problem_text(problem: &SharesProblem, lang: crate::app::i18n::Lang) -> String {
    let example = t(lang, "split.bad_shares");
    let why = match problem {
        SharesProblem::NotNumber(part) => t(lang, "split.not_number").replace("{0}", part),
        SharesProblem::NotWhole(part) => t(lang, "split.not_whole").replace("{0}", part),
        SharesProblem::TooFew => t(lang, "split.too_few").to_owned(),
        SharesProblem::Empty => t(lang, "split.empty_group").to_owned(),
        SharesProblem::Sum(total) => t(lang, "split.sum").replace("{0}", &total.to_string()),
    };
    format!("{why} {example}")
}
