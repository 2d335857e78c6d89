//! The customer list: every customer in a virtualised table (only visible rows are
//! laid out), sortable by any column, with a quick search, column visibility and a
//! detail panel with the customer's orders. Sorting and searching a million rows
//! runs on a background thread; the table shows the previous order until then.

use std::collections::BTreeSet;
use std::sync::Arc;

use egui_extras::{Column, TableBuilder};
use polars::prelude::*;

use crate::app::Document;
use crate::app::i18n::{Lang, field_label, t};
use crate::app::jobs::{Job, Poll};
use crate::engine::browse::{SortBy, row_order};
use crate::engine::build::{CustomerData, FieldInfo};
use crate::engine::fields::FieldType;
use crate::format;

/// What decides the row order: data version, search text, sort.
type ViewKey = (u64, String, Option<SortBy>);
/// A running computation of the row order, and what it is for.
type OrderJob = (ViewKey, Job<Result<Vec<IdxSize>, String>>);

#[derive(Default)]
pub struct CustomersView {
    pub query: String,
    pub sort: Option<SortBy>,
    pub hidden: BTreeSet<String>,
    /// The selected customer's row in the customer table.
    pub selected: Option<usize>,
    /// Rows shown, in order; `None` shows all rows in file order.
    order: Option<Arc<Vec<IdxSize>>>,
    order_key: Option<ViewKey>,
    job: Option<OrderJob>,
}

impl CustomersView {
    /// Number of rows the table shows.
    pub fn shown(&self, data: &CustomerData) -> usize {
        self.order.as_ref().map_or(data.len(), |o| o.len())
    }

    /// True while a sort or search is still being computed.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// True when the rows shown follow the current search and sort.
    pub fn settled(&self, doc: &Document) -> bool {
        self.order_key.as_ref() == Some(&(doc.version, self.query.trim().to_owned(), self.sort.clone()))
    }

    /// The customer-table row shown at `position`.
    pub fn row_at(&self, position: usize) -> Option<usize> {
        match &self.order {
            Some(order) => order.get(position).map(|&r| r as usize),
            None => Some(position),
        }
    }

    /// Starts or collects the background computation of the row order.
    pub fn update(&mut self, ctx: &egui::Context, doc: &Document, lang: Lang) {
        let wanted: ViewKey = (doc.version, self.query.trim().to_owned(), self.sort.clone());
        if let Some((key, job)) = &self.job {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(result) => {
                    if let Ok(order) = result {
                        self.order = Some(Arc::new(order));
                        self.order_key = Some(key.clone());
                    }
                    self.job = None;
                }
                Poll::Lost => self.job = None,
            }
        }
        if self.order_key.as_ref() == Some(&wanted) || self.job.as_ref().is_some_and(|(k, _)| k == &wanted) {
            return;
        }
        if wanted.1.is_empty() && wanted.2.is_none() {
            self.order = None;
            self.order_key = Some(wanted);
            self.job = None;
            return;
        }
        let data = Arc::clone(&doc.data);
        let (query, sort) = (wanted.1.clone(), wanted.2.clone());
        // Starting a new job drops (and so cancels) a superseded one.
        match Job::spawn("customer-view", ctx, move |progress| {
            row_order(&data, &query, sort.as_ref(), &|| progress.is_cancelled())
                .map_err(|e| crate::engine::import::ImportError::from(e).text(lang))
        }) {
            Ok(job) => self.job = Some((wanted, job)),
            Err(_) => self.job = None,
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(30));
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang) {
        let data = &doc.data;
        let currency = doc.workspace.settings.currency.clone();
        self.toolbar_ui(ui, data, lang);
        if self.selected.is_some() {
            egui::Panel::right("customer-details").default_size(340.0).resizable(true).show(ui, |ui| {
                self.details_ui(ui, data, &currency, lang);
            });
        }
        if self.shown(data) == 0 {
            ui.add_space(16.0);
            ui.weak(t(lang, "customers.none"));
            return;
        }
        // Wide tables scroll sideways inside their area instead of painting past it.
        egui::ScrollArea::horizontal().id_salt("customers-hscroll").show(ui, |ui| {
            self.table_ui(ui, data, &currency, lang);
        });
    }

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
        });
        ui.separator();
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, data: &CustomerData, currency: &str, lang: Lang) {
        let fields: Vec<&FieldInfo> =
            display_order(&data.fields).into_iter().filter(|f| !self.hidden.contains(&f.name)).collect();
        let columns: Vec<&polars::prelude::Column> =
            fields.iter().filter_map(|f| data.customers.column(&f.name).ok()).collect();
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut table = TableBuilder::new(ui)
            .id_salt("customers-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for field in &fields {
            let width = match field.ty {
                FieldType::Money | FieldType::Number | FieldType::Integer | FieldType::Bool => 90.0,
                FieldType::Date => 100.0,
                _ => 150.0,
            };
            table = table.column(Column::initial(width).at_least(40.0).clip(true));
        }
        let mut clicked_sort: Option<String> = None;
        let mut clicked_row: Option<usize> = None;
        table
            .header(row_height + 4.0, |mut header| {
                for field in &fields {
                    header.col(|ui| {
                        let arrow = match &self.sort {
                            Some(s) if s.column == field.name => {
                                if s.descending {
                                    " ▼"
                                } else {
                                    " ▲"
                                }
                            }
                            _ => "",
                        };
                        let text = egui::RichText::new(format!("{}{arrow}", field_label(lang, &field.name))).strong();
                        let button =
                            egui::Button::new(text).frame(false).min_size(egui::vec2(ui.available_width(), 0.0));
                        if ui.add(button).clicked() {
                            clicked_sort = Some(field.name.clone());
                        }
                    });
                }
            })
            .body(|body| {
                let total = self.shown(data);
                body.rows(row_height, total, |mut row| {
                    let Some(data_row) = self.row_at(row.index()) else { return };
                    let selected = self.selected == Some(data_row);
                    row.set_selected(selected);
                    for (i, (field, column)) in fields.iter().zip(&columns).enumerate() {
                        row.col(|ui| {
                            let text = cell_text(column, data_row, field.ty, currency, lang);
                            if i == 0 {
                                // The first cell is a real button, so keyboards and screen
                                // readers can open a customer too.
                                if ui.selectable_label(selected, text).clicked() {
                                    clicked_row = Some(data_row);
                                }
                            } else if matches!(field.ty, FieldType::Money | FieldType::Number | FieldType::Integer) {
                                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                    ui.label(text);
                                });
                            } else {
                                ui.label(text);
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked_row = Some(data_row);
                    }
                });
            });
        if let Some(name) = clicked_sort {
            self.sort = match self.sort.take() {
                Some(s) if s.column == name && !s.descending => Some(SortBy { column: name, descending: true }),
                Some(s) if s.column == name => None,
                _ => Some(SortBy { column: name, descending: false }),
            };
        }
        if let Some(row) = clicked_row {
            self.selected = if self.selected == Some(row) { None } else { Some(row) };
        }
    }

    fn details_ui(&mut self, ui: &mut egui::Ui, data: &CustomerData, currency: &str, lang: Lang) {
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
                    ui.label(cell_text(column, row, field.ty, currency, lang));
                    ui.end_row();
                }
            });
            ui.add_space(12.0);
            ui.heading(t(lang, "customers.orders"));
            let orders = customer_orders(data, row);
            if orders.is_empty() {
                ui.weak(t(lang, "customers.no_orders"));
            } else {
                egui::Grid::new("customer-orders").num_columns(3).striped(true).show(ui, |ui| {
                    ui.strong(t(lang, "order.id"));
                    ui.strong(t(lang, "order.date"));
                    ui.strong(t(lang, "order.total"));
                    ui.end_row();
                    for (id, date, total) in orders {
                        ui.label(id);
                        ui.label(date.map_or_else(String::new, |d| format::date(d, lang)));
                        ui.label(format::money(total, currency, lang));
                        ui.end_row();
                    }
                });
            }
        });
    }
}

/// Columns a marketer looks at first come first; the rest keep their order.
const FIRST_COLUMNS: &[&str] = &[
    "customer_id",
    "name",
    "first_name",
    "last_name",
    "email",
    "ltv",
    "orders",
    "aov",
    "last_order_date",
    "days_since_last_order",
    "channel",
    "city",
];

pub fn display_order(fields: &[FieldInfo]) -> Vec<&FieldInfo> {
    let mut ordered: Vec<&FieldInfo> =
        FIRST_COLUMNS.iter().filter_map(|name| fields.iter().find(|f| f.name == *name)).collect();
    ordered.extend(fields.iter().filter(|f| !FIRST_COLUMNS.contains(&f.name.as_str())));
    ordered
}

/// The orders of one customer: id, date and net total, oldest first.
pub fn customer_orders(data: &CustomerData, row: usize) -> Vec<(String, Option<chrono::NaiveDate>, f64)> {
    let Some(orders) = &data.orders else { return Vec::new() };
    let (Ok(customer), Ok(ids), Ok(dates), Ok(totals)) =
        (orders.column("customer"), orders.column("order_id"), orders.column("order_date"), orders.column("total"))
    else {
        return Vec::new();
    };
    let (Ok(customer), Ok(ids), Ok(dates), Ok(totals)) =
        (customer.u32(), ids.str(), dates.cast(&DataType::Int32), totals.f64())
    else {
        return Vec::new();
    };
    let Ok(dates) = dates.i32().cloned() else { return Vec::new() };
    let target = u32::try_from(row).unwrap_or(u32::MAX);
    customer
        .iter()
        .enumerate()
        .filter(|(_, c)| *c == Some(target))
        .map(|(i, _)| {
            (
                ids.get(i).unwrap_or("").to_owned(),
                dates.get(i).and_then(crate::engine::import::columns::days_to_date),
                totals.get(i).unwrap_or(0.0),
            )
        })
        .collect()
}

/// A cell written for the reader: money with the currency, dates and numbers in the
/// language's style, yes/no translated, lists joined.
pub fn cell_text(column: &polars::prelude::Column, row: usize, ty: FieldType, currency: &str, lang: Lang) -> String {
    let Ok(value) = column.get(row) else { return String::new() };
    match (&value, ty) {
        (AnyValue::Null, _) => String::new(),
        (AnyValue::Float64(v), FieldType::Money) => format::money(*v, currency, lang),
        (AnyValue::Float64(v), _) => format::number(*v, if v.fract() == 0.0 { 0 } else { 2 }, lang),
        (AnyValue::Int64(v), _) => format::number(*v as f64, 0, lang),
        (AnyValue::Date(d), _) => {
            crate::engine::import::columns::days_to_date(*d).map_or_else(String::new, |d| format::date(d, lang))
        }
        (AnyValue::Boolean(b), _) => t(lang, if *b { "yes" } else { "no" }).to_owned(),
        _ => crate::cli::cell_text(&value),
    }
}
