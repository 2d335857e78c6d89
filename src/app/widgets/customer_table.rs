//! The one customer table: virtualised (only the visible rows are laid out, so a
//! million customers scroll smoothly), used by the customer list (sortable,
//! selectable) and by the segment builder's members.

use egui_extras::{Column, TableBuilder};
use polars::prelude::IdxSize;

use super::super::i18n::{Lang, field_label};
use crate::engine::browse::SortBy;
use crate::engine::data::{CustomerData, FieldInfo};
use crate::engine::fields::FieldType;
use crate::engine::values::display_text;

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

/// The fields in the order tables and pickers show them.
pub fn display_order(fields: &[FieldInfo]) -> Vec<&FieldInfo> {
    let mut ordered: Vec<&FieldInfo> =
        FIRST_COLUMNS.iter().filter_map(|name| fields.iter().find(|f| f.name == *name)).collect();
    ordered.extend(fields.iter().filter(|f| !FIRST_COLUMNS.contains(&f.name.as_str())));
    ordered
}

/// A table of customers.
pub struct CustomerTable<'a> {
    pub id: &'static str,
    pub data: &'a CustomerData,
    pub fields: Vec<&'a FieldInfo>,
    /// Rows of the customer table to show, in order; `None` shows every row.
    pub rows: Option<&'a [IdxSize]>,
    pub currency: &'a str,
    pub lang: Lang,
    /// Headers are buttons that report clicks, with the sort's arrow.
    pub sort: Option<Option<&'a SortBy>>,
    /// Rows can be clicked; this one is shown selected.
    pub selection: Option<Option<usize>>,
}

/// What the user clicked.
#[derive(Default)]
pub struct TableClicks {
    pub header: Option<String>,
    /// A row of the customer table.
    pub row: Option<usize>,
}

impl CustomerTable<'_> {
    /// The customer-table row shown at `position`.
    fn row_at(&self, position: usize) -> Option<usize> {
        match self.rows {
            Some(rows) => rows.get(position).map(|&r| r as usize),
            None => Some(position),
        }
    }

    pub fn ui(self, ui: &mut egui::Ui) -> TableClicks {
        let columns: Vec<&polars::prelude::Column> =
            self.fields.iter().filter_map(|f| self.data.customers.column(&f.name).ok()).collect();
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let mut table = TableBuilder::new(ui)
            .id_salt(self.id)
            .striped(true)
            .resizable(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        if self.selection.is_some() {
            table = table.sense(egui::Sense::click());
        }
        for field in &self.fields {
            let width = match field.ty {
                FieldType::Money | FieldType::Number | FieldType::Integer | FieldType::Bool => 90.0,
                FieldType::Date => 100.0,
                _ => 150.0,
            };
            table = table.column(Column::initial(width).at_least(40.0).clip(true));
        }
        let mut clicks = TableClicks::default();
        let total = self.rows.map_or(self.data.len(), <[IdxSize]>::len);
        table
            .header(row_height + 4.0, |mut header| {
                for field in &self.fields {
                    header.col(|ui| self.header_ui(ui, field, &mut clicks));
                }
            })
            .body(|body| {
                body.rows(row_height, total, |mut row| {
                    let Some(data_row) = self.row_at(row.index()) else { return };
                    let selected = self.selection.flatten() == Some(data_row);
                    row.set_selected(selected);
                    for (i, (field, column)) in self.fields.iter().zip(&columns).enumerate() {
                        row.col(|ui| {
                            let text = display_text(column, data_row, field.ty, self.currency, self.lang);
                            if i == 0 && self.selection.is_some() {
                                // The first cell is a real button, so keyboards and screen
                                // readers can open a customer too.
                                if ui.selectable_label(selected, text).clicked() {
                                    clicks.row = Some(data_row);
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
                    if self.selection.is_some() && row.response().clicked() {
                        clicks.row = Some(data_row);
                    }
                });
            });
        clicks
    }

    fn header_ui(&self, ui: &mut egui::Ui, field: &FieldInfo, clicks: &mut TableClicks) {
        let label = field_label(self.lang, &field.name);
        let Some(sort) = self.sort else {
            ui.strong(label);
            return;
        };
        let arrow = match sort {
            Some(s) if s.column == field.name => {
                if s.descending {
                    " ▼"
                } else {
                    " ▲"
                }
            }
            _ => "",
        };
        let text = egui::RichText::new(format!("{label}{arrow}")).strong();
        let button = egui::Button::new(text).frame(false).min_size(egui::vec2(ui.available_width(), 0.0));
        if ui.add(button).clicked() {
            clicks.header = Some(field.name.clone());
        }
    }
}
