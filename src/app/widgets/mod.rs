//! Widgets the tabs share: the theme (every colour Kitle uses), chart helpers
//! (the pie egui_plot lacks, axis labels), heat-map cells, the Venn diagram of saved
//! segments and the one virtualised customer table.

pub mod customer_table;
pub mod heat;
pub mod money;
pub mod number_entry;
pub mod plots;
pub mod theme;
pub mod venn;
pub mod why;
