//! The import report window: how many customers and orders were read, and per
//! file what was skipped, what could not be read, and how each column was mapped.

use super::{Dialog, DialogContext};
use crate::app::i18n::{Lang, field_label, t, type_label};
use crate::engine::data::ImportReport;

/// The open workspace's import report, as a window.
#[derive(Debug, Default)]
pub struct ReportDialog;

impl Dialog for ReportDialog {
    fn show(&mut self, ctx: &DialogContext<'_>) -> bool {
        let Some(doc) = ctx.doc else { return false };
        let mut open = true;
        let window = egui::Window::new(t(ctx.lang, "report.title")).open(&mut open).default_width(560.0);
        window.show(ctx.egui, |ui| report_ui(ui, &doc.data.report, ctx.lang));
        open
    }
}

/// The import report: what was read, skipped, unclear.
pub fn report_ui(ui: &mut egui::Ui, report: &ImportReport, lang: Lang) {
    use crate::format::count;
    ui.heading(format!("{} {}", count(report.customers, lang), t(lang, "report.summary")));
    if report.orders_counted > 0 {
        ui.label(format!("{} {}", count(report.orders_counted, lang), t(lang, "report.orders")));
    }
    if report.duplicate_customers_merged > 0 {
        ui.label(format!("{} {}", count(report.duplicate_customers_merged, lang), t(lang, "report.merged")));
    }
    for note in &report.notes {
        ui.label(format!("• {}", note.text(lang)));
    }
    egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
        for source in &report.sources {
            ui.separator();
            ui.strong(&source.path);
            ui.label(format!(
                "{} {} · {} {}",
                count(source.rows_read, lang),
                t(lang, "report.rows_read"),
                count(source.rows_skipped, lang),
                t(lang, "report.rows_skipped")
            ));
            for note in &source.notes {
                ui.label(format!("• {}", note.text(lang)));
            }
            for u in &source.unparsed {
                let examples: Vec<String> = u.examples.iter().map(|e| format!("\"{e}\"")).collect();
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!(
                        "• {}: {} {} ({}) — {} {}",
                        u.column,
                        count(u.count, lang),
                        t(lang, "report.unparsed"),
                        type_label(lang, u.expected),
                        t(lang, "report.examples"),
                        examples.join(", ")
                    ),
                );
            }
            if !source.ambiguous_dates.is_empty() {
                ui.label(format!("{} {}", t(lang, "report.ambiguous"), source.ambiguous_dates.join(", ")));
            }
            let mapped: Vec<String> = source
                .columns
                .iter()
                .map(|c| {
                    if c.canonical {
                        format!("{} → {}", c.header, field_label(lang, &c.name))
                    } else {
                        format!("{} → {} ({})", c.header, t(lang, "import.custom"), type_label(lang, c.ty))
                    }
                })
                .collect();
            ui.weak(mapped.join(" · "));
        }
    });
}
