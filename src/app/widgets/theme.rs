//! Kitle's look: the chart palette, the colours for good and bad changes, fonts
//! and the light/dark choice. Every colour in the app comes from here (a lint bans
//! hard-coded colours elsewhere), so a theme change is one file.
#![allow(clippy::disallowed_methods)] // the one place colours are written down

use std::sync::Arc;

use egui::Color32;

use super::super::state::ThemeChoice;

/// Slice and bar colours, readable on light and dark backgrounds.
pub const PALETTE: [Color32; 8] = [
    Color32::from_rgb(31, 119, 180),
    Color32::from_rgb(255, 127, 14),
    Color32::from_rgb(44, 160, 44),
    Color32::from_rgb(214, 39, 40),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
    Color32::from_rgb(227, 119, 194),
    Color32::from_rgb(23, 190, 207),
];

/// The palette colour for series `i`.
pub fn series_colour(i: usize) -> Color32 {
    PALETTE[i % PALETTE.len()]
}

/// A Venn circle's see-through fill for segment `i` (overlaps show darker).
pub fn venn_fill(i: usize) -> Color32 {
    series_colour(i).gamma_multiply(0.25)
}

/// A change for the better (a rising card where up is good).
pub const GOOD: Color32 = Color32::from_rgb(44, 160, 44);

/// The line between pie slices, visible on light and dark backgrounds.
pub const SLICE_EDGE: Color32 = Color32::from_gray(128);

/// A heat-map cell's fill for `intensity` in 0..=1: from the background to the
/// palette's first colour.
pub fn heat_fill(visuals: &egui::Visuals, intensity: f32) -> Color32 {
    visuals.extreme_bg_color.lerp_to_gamma(PALETTE[0], intensity.clamp(0.0, 1.0))
}

/// Text that reads on `fill`: white on dark fills, black on light ones.
pub fn text_on(fill: Color32) -> Color32 {
    let [r, g, b, _] = fill.to_array();
    let luma = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
    if luma < 140.0 { Color32::WHITE } else { Color32::BLACK }
}

/// A change for the worse: the theme's error colour.
pub fn bad(visuals: &egui::Visuals) -> Color32 {
    visuals.error_fg_color
}

pub fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
}

/// egui's fonts lack a few symbols Kitle shows (₺, →, ≥ …): add them as a fallback.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "kitle-symbols".to_owned(),
        Arc::new(egui::FontData::from_static(include_bytes!("../../../assets/fonts/kitle-symbols.ttf"))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("kitle-symbols".to_owned());
    }
    ctx.set_fonts(fonts);
}
