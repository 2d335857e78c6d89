//! Tab 2, Segments: the list of saved segments ([`list`]) and the Smart Segment
//! Builder ([`builder`], with its condition rows in [`rows`]), and splitting a
//! saved segment into holdout or A/B groups ([`split`]), and a segment's
//! membership over time ([`changes`]). The builder's live
//! numbers and members come from the shared cache, computed in the background.

mod builder;
mod changes;
mod history;
mod list;
mod rows;
mod split;

pub use builder::Editor;

use super::{Tab, TabContext, TabView};
use crate::app::i18n::{Lang, t};
use crate::engine::segment::{Condition, Group, Item, Join, Node, Op, parse};
use crate::engine::workspace::Segment;

/// A Venn diagram's regions: the overlap and picks they were counted for.
type VennRegions = (
    std::sync::Arc<crate::engine::segment::overlap::Overlap>,
    Vec<usize>,
    Option<crate::engine::segment::overlap::Venn>,
);

#[derive(Default)]
pub struct SegmentsTab {
    pub editor: Option<Editor>,
    /// The name of the segment just deleted, for the "Undo" line.
    pub deleted: Option<String>,
    pub gallery_open: bool,
    /// A split being made: the saved segment's index and the percentages typed.
    pub splitting: Option<(usize, String)>,
    /// The saved segments' latest membership records, for a data version.
    membership: Option<(u64, Vec<crate::engine::segment::membership::Snapshot>)>,
    /// The segments of the Venn diagram (indexes into the saved list; the third
    /// may be left out).
    venn: [Option<usize>; 3],
    /// The regions of the picked segments, for the overlap they were counted on.
    venn_regions: Option<VennRegions>,
    /// The membership-over-time window of a saved segment.
    pub changes: Option<changes::ChangesWindow>,
    /// The export record under the audiences.
    history: history::ExportHistory,
}

impl SegmentsTab {
    /// Opens the builder on a new segment.
    pub fn new_segment(&mut self, lang: Lang, rule: Group) {
        let rule = if rule.items.is_empty() {
            Group { items: vec![Item { join: Join::And, negate: false, node: Node::Condition(default_condition()) }] }
        } else {
            rule
        };
        self.editor = Some(Editor::new(None, t(lang, "segments.new_name").to_owned(), String::new(), rule));
    }

    /// Opens the builder on a saved segment.
    fn open(&mut self, index: usize, seg: &Segment) {
        let (rule, error) = match parse(&seg.rule) {
            Ok(g) => (g, None),
            Err(e) => (Group::default(), Some(e)),
        };
        let mut editor = Editor::new(Some(index), seg.name.clone(), seg.description.clone(), rule);
        if let Some(e) = error {
            editor.text = seg.rule.clone();
            editor.text_error = Some(e);
        }
        self.editor = Some(editor);
    }
}

impl TabView for SegmentsTab {
    fn id(&self) -> Tab {
        Tab::Segments
    }

    fn title_key(&self) -> &'static str {
        "tab.segments"
    }

    fn logic(&mut self, ctx: &TabContext<'_>) {
        if let Some(editor) = &self.editor {
            ctx.cache.request_segment(ctx.egui, &editor.rule, ctx.lang);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &TabContext<'_>) {
        if let Some(mut editor) = self.editor.take() {
            if editor.ui(ui, ctx) {
                self.editor = Some(editor);
            }
        } else {
            self.list_ui(ui, ctx);
        }
        self.gallery_ui(ui.ctx(), ctx);
        self.split_ui(ui.ctx(), ctx);
        self.changes_ui(ui.ctx(), ctx);
    }
}

fn default_condition() -> Condition {
    Condition::new("ltv", Op::Gt, vec![String::new()])
}
