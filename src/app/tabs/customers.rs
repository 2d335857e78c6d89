//! The customer list: every customer in the virtualised table, sortable by any
//! column, with a quick search, column visibility and a detail panel with the
//! customer's orders. Sorting and searching a million rows runs in the
//! background; the table shows the previous order until then.

use std::collections::BTreeSet;

use polars::prelude::IdxSize;

use super::{Tab, TabContext, TabView};
use crate::app::i18n::{Lang, field_label, t};
use crate::app::keyed::Keyed;
use crate::app::widgets::customer_table::{CustomerTable, display_order};
use crate::app::widgets::why::WhyPanel;
use crate::engine::browse::{SortBy, customer_orders, row_order};
use crate::engine::data::CustomerData;
use crate::engine::import::ImportError;
use crate::engine::values::display_text;
use crate::format;

/// What decides the row order: data version, search text, sort.
type ViewKey = (u64, String, Option<SortBy>);

pub struct CustomersTab {
    pub query: String,
    pub sort: Option<SortBy>,
    pub hidden: BTreeSet<String>,
    /// The selected customer's row in the customer table.
    pub selected: Option<usize>,
    /// Rows shown, in order; `None` shows all rows in file order.
    order: Keyed<ViewKey, Option<Vec<IdxSize>>>,
    /// The saved segment the details panel explains for the selected customer.
    pub why_segment: Option<usize>,
    /// The explanation shown for the selected customer.
    why: WhyPanel,
}

impl Default for CustomersTab {
    fn default() -> Self {
        Self {
            query: String::new(),
            sort: None,
            hidden: BTreeSet::new(),
            selected: None,
            order: Keyed::new("customer-view"),
            why_segment: None,
            why: WhyPanel::default(),
        }
    }
}

impl CustomersTab {
    fn rows(&self) -> Option<&[IdxSize]> {
        self.order.latest().and_then(|o| o.as_deref())
    }

    /// Number of rows the table shows.
    pub fn shown(&self, data: &CustomerData) -> usize {
        self.rows().map_or(data.len(), <[IdxSize]>::len)
    }

    /// True while a sort or search is still being computed.
    pub fn busy(&self) -> bool {
        self.order.busy()
    }

    fn key(&self, version: u64) -> ViewKey {
        (version, self.query.trim().to_owned(), self.sort.clone())
    }

    /// True when the rows shown follow the current search and sort.
    pub fn settled(&self, version: u64) -> bool {
        self.order.is_current(&self.key(version))
    }

    /// The customer-table row shown at `position`.
    pub fn row_at(&self, position: usize) -> Option<usize> {
        match self.rows() {
            Some(order) => order.get(position).map(|&r| r as usize),
            None => Some(position),
        }
    }
}

impl TabView for CustomersTab {
    fn id(&self) -> Tab {
        Tab::Customers
    }

    fn title_key(&self) -> &'static str {
        "tab.customers"
    }

    fn logic(&mut self, ctx: &TabContext<'_>) {
        self.order.collect(ctx.lang);
        let wanted = self.key(ctx.doc.version);
        if wanted.1.is_empty() && wanted.2.is_none() {
            if !self.order.is_current(&wanted) {
                self.order.set(wanted, None);
            }
            return;
        }
        let data = std::sync::Arc::clone(&ctx.doc.data);
        let lang = ctx.lang;
        self.order.ensure(ctx.egui, wanted, |(_, query, sort)| {
            let (query, sort) = (query.clone(), sort.clone());
            move |progress| {
                row_order(&data, &query, sort.as_ref(), &|| progress.is_cancelled())
                    .map(Some)
                    .map_err(|e| ImportError::from(e).text(lang))
            }
        });
        if self.order.busy() {
            ctx.egui.request_repaint_after(std::time::Duration::from_millis(30));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let data = &ctx.doc.data;
        self.toolbar_ui(ui, data, ctx.lang);
        if self.selected.is_some() {
            egui::Panel::right("customer-details").default_size(340.0).resizable(true).show(ui, |ui| {
                self.details_ui(ui, ctx);
            });
        }
        if self.shown(data) == 0 {
            ui.add_space(16.0);
            ui.weak(t(ctx.lang, "customers.none"));
            return;
        }
        // Wide tables scroll sideways inside their area instead of painting past it.
        egui::ScrollArea::horizontal().id_salt("customers-hscroll").show(ui, |ui| {
            let fields = display_order(&data.fields).into_iter().filter(|f| !self.hidden.contains(&f.name)).collect();
            let clicks = CustomerTable {
                id: "customers-table",
                data,
                fields,
                rows: self.rows(),
                currency: ctx.currency(),
                lang: ctx.lang,
                sort: Some(self.sort.as_ref()),
                selection: Some(self.selected),
            }
            .ui(ui);
            if let Some(name) = clicks.header {
                self.sort = match self.sort.take() {
                    Some(s) if s.column == name && !s.descending => Some(SortBy { column: name, descending: true }),
                    Some(s) if s.column == name => None,
                    _ => Some(SortBy { column: name, descending: false }),
                };
            }
            if let Some(row) = clicks.row {
                self.selected = if self.selected == Some(row) { None } else { Some(row) };
            }
        });
    }
}

impl CustomersTab {
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, data: &CustomerData, lang: Lang) {
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "customers.search_label"));
            ui.add(
                egui::TextEdit::singleline(&mut self.query).hint_text(t(lang, "customers.search")).desired_width(320.0),
            )
            .labelled_by(label.id)
            .on_hover_text(t(lang, "customers.search"));
            ui.menu_button(t(lang, "customers.columns"), |ui| {
                egui::ScrollArea::vertical().max_height(400.0).show(ui, |ui| {
                    for field in &data.fields {
                        let mut visible = !self.hidden.contains(&field.name);
                        if ui.checkbox(&mut visible, field_label(lang, &field.name)).changed() {
                            if visible {
                                self.hidden.remove(&field.name);
                            } else {
                                self.hidden.insert(field.name.clone());
                            }
                        }
                    }
                });
            });
            ui.label(format!(
                "{} {} {} {}",
                format::count(self.shown(data), lang),
                t(lang, "customers.of"),
                format::count(data.len(), lang),
                t(lang, "customers.showing")
            ));
            if self.busy() {
                ui.spinner();
                ui.weak(t(lang, "customers.sorting"));
            }
            if let Some(e) = self.order.error() {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
        ui.separator();
    }

    fn details_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        let (data, currency, lang) = (&*ctx.doc.data, ctx.currency(), ctx.lang);
        let Some(row) = self.selected else { return };
        ui.horizontal(|ui| {
            ui.heading(t(lang, "customers.details"));
            if ui.small_button(t(lang, "close")).clicked() {
                self.selected = None;
            }
        });
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("customer-fields").num_columns(2).striped(true).show(ui, |ui| {
                for field in &data.fields {
                    let Ok(column) = data.customers.column(&field.name) else { continue };
                    ui.label(field_label(lang, &field.name));
                    ui.label(display_text(column, row, field.ty, currency, lang));
                    ui.end_row();
                }
            });
            ui.add_space(12.0);
            self.why_ui(ui, ctx, row);
            ui.add_space(12.0);
            ui.heading(t(lang, "customers.orders"));
            let orders = customer_orders(data, row);
            if orders.is_empty() {
                ui.weak(t(lang, "customers.no_orders"));
                return;
            }
            egui::Grid::new("customer-orders").num_columns(3).striped(true).show(ui, |ui| {
                ui.strong(t(lang, "order.id"));
                ui.strong(t(lang, "order.date"));
                ui.strong(t(lang, "order.total"));
                ui.end_row();
                for order in orders {
                    ui.label(order.id);
                    ui.label(order.date.map_or_else(String::new, |d| format::date(d, lang)));
                    ui.label(format::money(order.total, currency, lang));
                    ui.end_row();
                }
            });
        });
    }

    /// "Why is this customer in the segment?": pick a saved segment, see its rule
    /// marked for this customer (one customer's evaluation: instant).
    fn why_ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>, row: usize) {
        let lang = ctx.lang;
        let segments = &ctx.doc.workspace.segments;
        if segments.is_empty() {
            return;
        }
        ui.heading(t(lang, "why.title"));
        let chosen = self.why_segment.filter(|&i| i < segments.len());
        let shown = chosen.map_or_else(|| t(lang, "why.pick").to_owned(), |i| segments[i].name.clone());
        egui::ComboBox::from_id_salt("why-segment")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for (i, seg) in segments.iter().enumerate() {
                    ui.selectable_value(&mut self.why_segment, Some(i), &seg.name);
                }
            })
            .response
            .accessible_name(t(lang, "why.segment"));
        let Some(index) = self.why_segment.filter(|&i| i < segments.len()) else { return };
        self.why.ui(ui, ctx, row, &segments[index].rule);
    }
}
