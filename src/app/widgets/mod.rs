//! Widgets the tabs share: the theme (every colour Kitle uses), chart helpers
//! (the pie egui_plot lacks, axis labels), heat-map cells and the one virtualised
//! customer table.

pub mod customer_table;
pub mod heat;
pub mod plots;
pub mod theme;
pub mod why;
