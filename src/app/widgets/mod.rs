//! Widgets the tabs share: the theme (every colour Kitle uses), chart helpers
//! (the pie egui_plot lacks, axis labels) and the one virtualised customer table.

pub mod customer_table;
pub mod plots;
pub mod theme;
