//! A Venn diagram of two or three saved segments: a circle each, and in every
//! region the number of customers in exactly those segments, as a button that
//! opens them as a new segment.

use egui::{Rect, Stroke, Vec2, pos2, vec2};

use super::theme;
use crate::app::i18n::{Lang, t};
use crate::engine::segment::overlap::{Venn, region_rule};
use crate::format;

const RADIUS: f32 = 90.0;

/// Circle centres relative to the diagram's centre.
fn centres(n: usize) -> Vec<Vec2> {
    if n == 2 {
        vec![vec2(-55.0, 0.0), vec2(55.0, 0.0)]
    } else {
        vec![vec2(-55.0, -35.0), vec2(55.0, -35.0), vec2(0.0, 55.0)]
    }
}

/// Where a region's count sits (bit k: inside segment k).
fn region_spot(n: usize, inside: u8) -> Vec2 {
    match (n, inside) {
        (2, 0b01) => vec2(-100.0, 0.0),
        (2, 0b10) => vec2(100.0, 0.0),
        (2, _) => vec2(0.0, 0.0),
        (_, 0b001) => vec2(-95.0, -55.0),
        (_, 0b010) => vec2(95.0, -55.0),
        (_, 0b100) => vec2(0.0, 105.0),
        (_, 0b011) => vec2(0.0, -75.0),
        (_, 0b101) => vec2(-52.0, 32.0),
        (_, 0b110) => vec2(52.0, 32.0),
        _ => vec2(0.0, -5.0),
    }
}

/// Draws the diagram; returns the rule of the region clicked.
pub fn venn_ui(ui: &mut egui::Ui, venn: &Venn, names: &[&str], lang: Lang) -> Option<crate::engine::segment::Rule> {
    let n = names.len();
    let size = vec2(680.0, if n == 2 { 230.0 } else { 320.0 });
    let (area, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let centre = pos2(area.left() + 230.0, area.center().y + if n == 2 { 0.0 } else { -10.0 });
    let painter = ui.painter_at(area);
    let text = ui.visuals().text_color();
    for (k, offset) in centres(n).into_iter().enumerate() {
        painter.circle(centre + offset, RADIUS, theme::venn_fill(k), Stroke::new(1.5, theme::series_colour(k)));
        // The legend: each segment's colour and name, right of the diagram.
        let row = pos2(area.left() + 470.0, area.top() + 40.0 + 26.0 * k as f32);
        painter.circle(row, 7.0, theme::venn_fill(k), Stroke::new(1.5, theme::series_colour(k)));
        painter.text(
            row + vec2(14.0, 0.0),
            egui::Align2::LEFT_CENTER,
            names[k],
            egui::FontId::proportional(13.0),
            text,
        );
    }
    let mut clicked = None;
    for &(inside, count) in &venn.regions {
        let at = centre + region_spot(n, inside);
        let rule = region_rule(names, inside);
        let rule_text = crate::engine::segment::to_text(&rule);
        let label = format::count(count, lang);
        let rect = Rect::from_center_size(at, vec2(64.0, 22.0));
        let button = egui::Button::new(label).small();
        let response = ui
            .put(rect, button)
            .on_hover_text(format!("{}\n{rule_text}", t(lang, "venn.region_help")))
            .accessible_name(format!("{} {rule_text}", t(lang, "venn.region")));
        if response.clicked() {
            clicked = Some(rule);
        }
    }
    clicked
}
