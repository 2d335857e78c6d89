//! A heat-map cell: a clickable box shaded by its value, its text centred, and an
//! accessible name of its own ("R 5 · F 3"), so screen readers (and UI tests) find a
//! cell by its row and column rather than by the number it shows.

use super::theme::{heat_fill, text_on};

/// One cell of `size`, shaded by `intensity` (0..=1), showing `text`, named `name`.
pub fn heat_cell(ui: &mut egui::Ui, size: egui::Vec2, text: &str, intensity: f32, name: &str) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
    let enabled = ui.is_enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let fill = heat_fill(visuals, intensity);
        let stroke = if response.hovered() { visuals.widgets.hovered.fg_stroke } else { egui::Stroke::NONE };
        ui.painter().rect(rect.shrink(1.0), 3.0, fill, stroke, egui::StrokeKind::Inside);
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            text,
            egui::FontId::proportional(13.0),
            text_on(fill),
        );
    }
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}

/// The shade of each value among `values`: where it lies between their smallest
/// and largest (0 when they are all equal).
pub fn shading(values: impl Iterator<Item = f64>) -> impl Fn(f64) -> f32 {
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    move |value| if max > min { ((value - min) / (max - min)).clamp(0.0, 1.0) as f32 } else { 0.0 }
}
