//! Chart helpers over egui_plot: a pie chart (egui_plot has none: slices are
//! polygons), a fixed chart that neither zooms nor drags, and axis labels.

use egui_plot::{Plot, PlotPoints, Polygon};

use super::theme::{SLICE_EDGE, series_colour};
use crate::format::{self, Lang};

/// A chart that stays put: no zoom, drag or scroll (dashboards are read, not explored).
pub fn fixed_plot(id: &str) -> Plot<'static> {
    Plot::new(id.to_owned()).allow_zoom(false).allow_drag(false).allow_scroll(false).allow_boxed_zoom(false)
}

/// An axis label for a count: whole numbers only (no "1 1 1" for 0.8, 1.0, 1.2).
pub fn count_label(value: f64, lang: Lang) -> String {
    if (value - value.round()).abs() < 1e-9 { format::number(value, 0, lang) } else { String::new() }
}

/// The label at a whole-number x position of a category axis; nothing between.
pub fn category_label(labels: &[String], value: f64) -> String {
    let i = value.round();
    if (value - i).abs() < 1e-6 && i >= 0.0 {
        labels.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Points of a pie slice from `a` to `b` (fractions of a turn, clockwise from 12 o'clock).
pub fn slice_points(a: f64, b: f64) -> Vec<[f64; 2]> {
    let steps = ((b - a) * 120.0).ceil().max(2.0) as usize;
    let mut points = vec![[0.0, 0.0]];
    for s in 0..=steps {
        let turn = a + (b - a) * s as f64 / steps as f64;
        let angle = turn * std::f64::consts::TAU;
        points.push([angle.sin(), angle.cos()]);
    }
    points
}

/// One slice of a pie: its name (shown in hovers) and its count.
pub struct PieSlice {
    pub name: String,
    pub value: usize,
}

/// What a pie chart reports: the slice under the pointer and whether it was clicked.
pub struct PieResponse {
    pub hovered: Option<usize>,
    pub response: egui::Response,
}

/// Draws a pie of `slices` (coloured from the palette in order), `size` points wide.
pub fn pie_ui(ui: &mut egui::Ui, id: &str, slices: &[PieSlice], size: f32) -> PieResponse {
    let total: usize = slices.iter().map(|s| s.value).sum();
    let mut start = 0.0f64;
    let spans: Vec<(f64, f64)> = slices
        .iter()
        .map(|s| {
            let share = if total == 0 { 0.0 } else { s.value as f64 / total as f64 };
            let span = (start, start + share);
            start += share;
            span
        })
        .collect();
    let shown = fixed_plot(id)
        .width(size)
        .height(size)
        .data_aspect(1.0)
        .show_axes(false)
        .show_grid(false)
        .include_y(-1.05)
        .include_y(1.05)
        .label_formatter(|_| None)
        .show(ui, |plot| {
            for (i, (slice, (a, b))) in slices.iter().zip(&spans).enumerate() {
                if slice.value > 0 {
                    plot.polygon(
                        Polygon::new(slice.name.clone(), PlotPoints::from(slice_points(*a, *b)))
                            .fill_color(series_colour(i))
                            .stroke(egui::Stroke::new(1.0, SLICE_EDGE)),
                    );
                }
            }
            plot.pointer_coordinate()
        });
    let hovered = shown.inner.and_then(|p| {
        if p.x.hypot(p.y) > 1.0 {
            return None;
        }
        // Angle measured clockwise from 12 o'clock, as the slices are drawn.
        let turn = (p.x.atan2(p.y) / std::f64::consts::TAU).rem_euclid(1.0);
        spans.iter().position(|(a, b)| turn >= *a && turn < *b)
    });
    PieResponse { hovered, response: shown.response }
}

/// A small square of series `i`'s colour, as in a legend.
pub fn legend_swatch(ui: &mut egui::Ui, i: usize) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, series_colour(i));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_axes_label_whole_numbers_only() {
        assert_eq!(count_label(2.0, Lang::Tr), "2");
        assert_eq!(count_label(1200.0, Lang::Tr), "1.200");
        assert_eq!(count_label(0.8, Lang::En), "");
        let labels = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(category_label(&labels, 1.0), "b");
        assert_eq!(category_label(&labels, 0.5), "");
        assert_eq!(category_label(&labels, 7.0), "");
    }

    #[test]
    fn slices_run_clockwise_from_noon() {
        let points = slice_points(0.0, 0.25);
        assert_eq!(points[0], [0.0, 0.0]);
        let first = points[1];
        let last = points[points.len() - 1];
        assert!((first[0] - 0.0).abs() < 1e-9 && (first[1] - 1.0).abs() < 1e-9, "starts at 12 o'clock");
        assert!((last[0] - 1.0).abs() < 1e-9 && last[1].abs() < 1e-9, "a quarter turn ends at 3 o'clock");
    }
}
