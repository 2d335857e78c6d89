//! Tab 2, Segments: the list of saved segments and the Smart Segment Builder.
//!
//! The builder shows the rule as rows (field ▼, operator ▼, value) with AND/OR
//! between them. AND binds tighter than OR, so each run of AND-ed rows sits in its
//! own frame and OR sits between frames: `A AND B OR C` can't be misread. Every
//! edit re-evaluates on a background thread (a newer edit supersedes an older
//! one); the text form below the rows is editable too.

use foldhash::HashMap;
use std::sync::Arc;

use egui_extras::{Column, TableBuilder};
use polars::prelude::*;

use crate::app::i18n::{Lang, field_label, t, type_label};
use crate::app::jobs::{Job, Poll};
use crate::app::tabs::customers::{cell_text, display_order};
use crate::app::{Command, Document};
use crate::engine::build::{CustomerData, FieldInfo};
use crate::engine::evaluate::{Evaluation, SegmentFrame, SegmentStats};
use crate::engine::fields::FieldType;
use crate::engine::segment::{Condition, DateUnit, Group, Item, Join, Node, Op, ParseError, parse, to_text};
use crate::engine::templates::gallery;
use crate::engine::workspace::Segment;
use crate::format;

/// What an evaluation returns to the builder.
pub struct EvalResult {
    pub evaluation: Evaluation,
    pub members: Vec<IdxSize>,
}

/// What decides an evaluation: data version and rule text.
type EvalKey = (u64, String);
/// Stats of every saved segment (`None` where a rule can't be read).
type ListStats = Arc<Vec<Option<SegmentStats>>>;
/// What decides the list's numbers: data version and the saved rules.
type ListKey = (u64, Vec<String>);

/// The segment being built or edited.
pub struct Editor {
    /// The saved segment being edited; `None` for a new one.
    pub index: Option<usize>,
    pub name: String,
    pub description: String,
    pub rule: Group,
    /// The text form as the user is typing it.
    pub text: String,
    pub text_error: Option<ParseError>,
    pub result: Option<Arc<EvalResult>>,
    result_key: Option<EvalKey>,
    job: Option<(EvalKey, Job<Result<EvalResult, String>>)>,
    pub error: Option<String>,
}

impl Editor {
    pub fn new(index: Option<usize>, name: String, description: String, rule: Group) -> Self {
        let text = to_text(&rule);
        Self {
            index,
            name,
            description,
            rule,
            text,
            text_error: None,
            result: None,
            result_key: None,
            job: None,
            error: None,
        }
    }

    /// True while the latest edit is still being counted.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// True when the results shown are those of the current rule.
    pub fn settled(&self, version: u64) -> bool {
        self.result_key.as_ref().is_some_and(|(v, text)| *v == version && *text == to_text(&self.rule))
    }

    fn rule_changed(&mut self) {
        self.text = to_text(&self.rule);
        self.text_error = None;
    }
}

#[derive(Default)]
pub struct SegmentsView {
    pub editor: Option<Editor>,
    /// The last deleted segment and where it was, for undo.
    pub deleted: Option<(usize, Segment)>,
    pub gallery_open: bool,
    frame: Option<(u64, Arc<SegmentFrame>)>,
    /// Stats of each saved segment, by data version and rule texts.
    list: Option<(ListKey, ListStats)>,
    list_job: Option<(ListKey, Job<Vec<Option<SegmentStats>>>)>,
    /// Values offered for text fields, with counts.
    choices: HashMap<String, Arc<Vec<(String, usize)>>>,
    choices_version: u64,
}

impl SegmentsView {
    fn frame(&mut self, doc: &Document) -> Arc<SegmentFrame> {
        match &self.frame {
            Some((v, f)) if *v == doc.version => Arc::clone(f),
            _ => {
                let f = Arc::new(SegmentFrame::new(Arc::clone(&doc.data)));
                self.frame = Some((doc.version, Arc::clone(&f)));
                f
            }
        }
    }

    /// Stats of the saved segments, once computed.
    pub fn list_stats(&self) -> Option<&ListStats> {
        self.list.as_ref().map(|(_, s)| s)
    }

    /// Opens the builder on a new segment.
    pub fn new_segment(&mut self, lang: Lang, rule: Group) {
        let rule = if rule.items.is_empty() {
            Group { items: vec![Item { join: Join::And, negate: false, node: Node::Condition(default_condition()) }] }
        } else {
            rule
        };
        self.editor = Some(Editor::new(None, t(lang, "segments.new_name").to_owned(), String::new(), rule));
    }

    /// Starts or collects background evaluations.
    pub fn update(&mut self, ctx: &egui::Context, doc: &Document, lang: Lang) {
        let frame = self.frame(doc);
        if let Some(editor) = &mut self.editor {
            if let Some((key, job)) = &editor.job {
                match job.poll() {
                    Poll::Running => {}
                    Poll::Done(result) => {
                        match result {
                            Ok(r) => {
                                editor.result = Some(Arc::new(r));
                                editor.result_key = Some(key.clone());
                                editor.error = None;
                            }
                            Err(e) => editor.error = Some(e),
                        }
                        editor.job = None;
                    }
                    Poll::Lost => editor.job = None,
                }
            }
            let wanted = (doc.version, to_text(&editor.rule));
            let running = editor.job.as_ref().is_some_and(|(k, _)| *k == wanted);
            if editor.result_key.as_ref() != Some(&wanted) && !running {
                let rule = editor.rule.clone();
                let frame = Arc::clone(&frame);
                // A newer edit replaces (and so cancels) the running evaluation.
                editor.job = Job::spawn("segment", ctx, move |_| {
                    let evaluation =
                        frame.evaluate(&rule).map_err(|e| crate::engine::import::ImportError::from(e).text(lang))?;
                    let members = frame
                        .members(&frame.compile(&rule))
                        .map_err(|e| crate::engine::import::ImportError::from(e).text(lang))?;
                    Ok(EvalResult { evaluation, members })
                })
                .ok()
                .map(|job| (wanted, job));
            }
        }
        let rules: Vec<String> = doc.workspace.segments.iter().map(|s| s.rule.clone()).collect();
        if let Some((key, job)) = &self.list_job
            && let Poll::Done(stats) = job.poll()
        {
            self.list = Some((key.clone(), Arc::new(stats)));
            self.list_job = None;
        }
        let fresh = self.list.as_ref().is_some_and(|((v, r), _)| *v == doc.version && *r == rules);
        let running = self.list_job.as_ref().is_some_and(|(k, _)| k.0 == doc.version && k.1 == rules);
        if !fresh && !running {
            let frame = Arc::clone(&frame);
            let texts = rules.clone();
            self.list_job = Job::spawn("segment-list", ctx, move |_| {
                texts.iter().map(|r| parse(r).ok().and_then(|g| frame.stats(&frame.compile(&g)).ok())).collect()
            })
            .ok()
            .map(|job| ((doc.version, rules), job));
        }
        if self.choices_version != doc.version {
            self.choices.clear();
            self.choices_version = doc.version;
        }
    }

    /// Distinct values of a text field with their counts, most common first.
    fn choices(&mut self, data: &CustomerData, field: &str) -> Arc<Vec<(String, usize)>> {
        if let Some(c) = self.choices.get(field) {
            return Arc::clone(c);
        }
        let mut counts: HashMap<String, usize> = HashMap::default();
        if let Ok(column) = data.customers.column(field) {
            if let Ok(list) = column.list() {
                for i in 0..list.len() {
                    if let Some(s) = list.get_as_series(i)
                        && let Ok(items) = s.str()
                    {
                        for v in items.iter().flatten() {
                            *counts.entry(v.to_owned()).or_default() += 1;
                        }
                    }
                }
            } else if let Ok(text) = column.cast(&DataType::String)
                && let Ok(text) = text.str()
            {
                for v in text.iter().flatten() {
                    if let Some(n) = counts.get_mut(v) {
                        *n += 1;
                    } else if counts.len() < 5_000 {
                        counts.insert(v.to_owned(), 1);
                    }
                }
            }
        }
        let mut list: Vec<(String, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list.truncate(200);
        let list = Arc::new(list);
        self.choices.insert(field.to_owned(), Arc::clone(&list));
        list
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang, out: &mut Vec<Command>) {
        if self.editor.is_some() {
            self.builder_ui(ui, doc, lang, out);
        } else {
            self.list_ui(ui, doc, lang, out);
        }
        self.gallery_ui(ui.ctx(), doc, lang, out);
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang, out: &mut Vec<Command>) {
        let currency = &doc.workspace.settings.currency;
        ui.horizontal(|ui| {
            ui.heading(t(lang, "tab.segments"));
            ui.add_space(16.0);
            let new = egui::Button::new(egui::RichText::new(t(lang, "segments.new")).strong().size(16.0))
                .fill(ui.visuals().selection.bg_fill);
            if ui.add(new).clicked() {
                self.new_segment(lang, Group::default());
            }
            if ui.button(t(lang, "segments.gallery")).clicked() {
                self.gallery_open = true;
            }
        });
        if let Some((_, seg)) = &self.deleted {
            let name = seg.name.clone();
            ui.horizontal(|ui| {
                ui.label(t(lang, "segments.deleted").replace("{}", &name));
                if ui.button(t(lang, "segments.undo")).clicked() {
                    out.push(Command::UndoDeleteSegment);
                }
            });
        }
        ui.separator();
        if doc.workspace.segments.is_empty() {
            ui.weak(t(lang, "segments.none"));
            return;
        }
        let stats = self.list_stats().cloned();
        egui::ScrollArea::vertical().id_salt("segment-list").show(ui, |ui| {
            egui::Grid::new("segments-grid").striped(true).num_columns(7).show(ui, |ui| {
                for key in [
                    "segments.name",
                    "segments.description",
                    "segments.count",
                    "segments.share",
                    "dash.avg_ltv",
                    "segments.edited",
                    "",
                ] {
                    if key.is_empty() {
                        ui.label("");
                    } else {
                        ui.strong(t(lang, key));
                    }
                }
                ui.end_row();
                for (i, seg) in doc.workspace.segments.iter().enumerate() {
                    let st = stats.as_ref().and_then(|s| s.get(i).cloned().flatten());
                    if ui.link(egui::RichText::new(&seg.name).strong()).on_hover_text(&seg.rule).clicked() {
                        self.open(i, seg);
                    }
                    ui.label(&seg.description);
                    match &st {
                        Some(st) => {
                            ui.label(format::count(st.count, lang));
                            ui.label(format::percent(st.share, lang));
                            ui.label(st.avg_ltv.map_or_else(|| "—".to_owned(), |v| format::money(v, currency, lang)));
                        }
                        None => {
                            ui.spinner();
                            ui.label("");
                            ui.label("");
                        }
                    }
                    ui.label(seg.edited.clone().unwrap_or_default());
                    ui.horizontal(|ui| {
                        if ui
                            .small_button(t(lang, "segments.edit"))
                            .accessible_name(format!("{} {}", t(lang, "segments.edit"), seg.name))
                            .clicked()
                        {
                            self.open(i, seg);
                        }
                        if ui
                            .small_button(t(lang, "segments.duplicate"))
                            .accessible_name(format!("{} {}", t(lang, "segments.duplicate"), seg.name))
                            .clicked()
                        {
                            out.push(Command::DuplicateSegment(i));
                        }
                        if ui
                            .small_button(t(lang, "segments.delete"))
                            .accessible_name(format!("{} {}", t(lang, "segments.delete"), seg.name))
                            .clicked()
                        {
                            out.push(Command::DeleteSegment(i));
                        }
                    });
                    ui.end_row();
                }
            });
        });
    }

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

    fn gallery_ui(&mut self, ctx: &egui::Context, doc: &Document, lang: Lang, out: &mut Vec<Command>) {
        if !self.gallery_open {
            return;
        }
        let mut open = true;
        egui::Window::new(t(lang, "segments.gallery")).open(&mut open).default_width(520.0).show(ctx, |ui| {
            for template in gallery(&doc.data, lang) {
                ui.horizontal(|ui| {
                    if ui
                        .button(t(lang, "segments.add"))
                        .accessible_name(format!("{} {}", t(lang, "segments.add"), template.name))
                        .clicked()
                    {
                        out.push(Command::SaveSegment(None, template.segment()));
                    }
                    ui.vertical(|ui| {
                        ui.strong(&template.name);
                        ui.weak(format!("{} — {}", template.description, template.rule));
                    });
                });
                ui.separator();
            }
        });
        self.gallery_open = open;
    }

    fn builder_ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang, out: &mut Vec<Command>) {
        let data = Arc::clone(&doc.data);
        let currency = doc.workspace.settings.currency.clone();
        let Some(mut editor) = self.editor.take() else { return };
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.button(t(lang, "segments.back")).clicked() {
                close = true;
            }
            ui.heading(t(lang, "segments.builder"));
        });
        ui.horizontal(|ui| {
            let l = ui.label(t(lang, "segments.name"));
            ui.add(egui::TextEdit::singleline(&mut editor.name).desired_width(280.0)).labelled_by(l.id);
            let l = ui.label(t(lang, "segments.description"));
            ui.add(egui::TextEdit::singleline(&mut editor.description).desired_width(360.0)).labelled_by(l.id);
        });
        ui.separator();
        let invalid: Vec<Vec<usize>> = editor
            .result
            .as_ref()
            .map(|r| r.evaluation.invalid.iter().map(|i| i.path.clone()).collect())
            .unwrap_or_default();
        egui::ScrollArea::vertical().id_salt("builder-scroll").max_height(ui.available_height() * 0.5).show(ui, |ui| {
            ui.label(egui::RichText::new(t(lang, "segments.intro")).strong());
            let mut ctx = RowCtx { data: &data, lang, invalid: &invalid, view: self };
            let changed = group_ui(ui, &mut editor.rule, &mut ctx, &mut Vec::new());
            if changed {
                editor.rule_changed();
            }
            ui.add_space(6.0);
            ui.label(egui::RichText::new(t(lang, "segments.text_form")).weak());
            let response = ui.add(
                egui::TextEdit::multiline(&mut editor.text).code_editor().desired_rows(2).desired_width(f32::INFINITY),
            );
            let response = response.accessible_name(t(lang, "segments.text_form"));
            if response.changed() {
                match parse(&editor.text) {
                    Ok(rule) => {
                        editor.rule = rule;
                        editor.text_error = None;
                    }
                    Err(e) => editor.text_error = Some(e),
                }
            }
            if let Some(e) = &editor.text_error {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{} {}: {}", t(lang, "segments.text_error"), e.position + 1, e.message),
                );
            }
        });
        ui.separator();
        results_ui(ui, &editor, &currency, lang);
        ui.horizontal(|ui| {
            if ui.button(egui::RichText::new(t(lang, "segments.save")).strong()).clicked() {
                out.push(Command::SaveSegment(
                    editor.index,
                    Segment::new(
                        editor.name.trim().to_owned(),
                        editor.description.trim().to_owned(),
                        to_text(&editor.rule),
                    ),
                ));
                close = true;
            }
            if ui.button(t(lang, "segments.remarketing")).on_hover_text(t(lang, "segments.remarketing_soon")).clicked()
            {
                out.push(Command::Notify(t(lang, "segments.remarketing_soon").to_owned()));
            }
            if let Some(result) = &editor.result {
                for (label, ext) in [("segments.export_csv", "csv"), ("segments.export_xlsx", "xlsx")] {
                    if ui.button(t(lang, label)).clicked() {
                        out.push(Command::ExportMembers {
                            rows: Arc::new(result.members.clone()),
                            extension: ext,
                            name: editor.name.clone(),
                        });
                    }
                }
            }
        });
        if let Some(result) = editor.result.clone() {
            members_table_ui(ui, &data, &result.members, &currency, lang);
        }
        if !close {
            self.editor = Some(editor);
        }
    }
}

fn default_condition() -> Condition {
    Condition { field: "ltv".to_owned(), op: Op::Gt, values: vec![String::new()], include_empty: false }
}

struct RowCtx<'a> {
    data: &'a CustomerData,
    lang: Lang,
    invalid: &'a [Vec<usize>],
    view: &'a mut SegmentsView,
}

/// Edits to a group, collected while drawing and applied after.
enum RowAction {
    Remove(usize),
    Up(usize),
    Down(usize),
    Wrap(usize),
    ToggleJoin(usize),
    AddCondition,
    AddGroup,
}

/// Draws a group's rows; returns whether anything changed.
fn group_ui(ui: &mut egui::Ui, group: &mut Group, ctx: &mut RowCtx<'_>, path: &mut Vec<usize>) -> bool {
    let lang = ctx.lang;
    let mut changed = false;
    let mut action = None;
    // Runs of AND-ed rows, each in its own frame; OR between frames.
    let mut starts: Vec<usize> = Vec::new();
    for (i, item) in group.items.iter().enumerate() {
        if i == 0 || item.join == Join::Or {
            starts.push(i);
        }
    }
    for (c, &start) in starts.iter().enumerate() {
        let end = starts.get(c + 1).copied().unwrap_or(group.items.len());
        if c > 0 {
            let or = egui::Button::new(egui::RichText::new(t(lang, "segments.or")).strong()).selected(true);
            if ui
                .add(or)
                .on_hover_text(t(lang, "segments.toggle_join"))
                .accessible_name(format!("{} {}", t(lang, "segments.or"), start + 1))
                .clicked()
            {
                action = Some(RowAction::ToggleJoin(start));
            }
        }
        egui::Frame::group(ui.style()).show(ui, |ui| {
            for i in start..end {
                if i > start {
                    let and = egui::Button::new(t(lang, "segments.and")).small();
                    if ui
                        .add(and)
                        .on_hover_text(t(lang, "segments.toggle_join"))
                        .accessible_name(format!("{} {}", t(lang, "segments.and"), i + 1))
                        .clicked()
                    {
                        action = Some(RowAction::ToggleJoin(i));
                    }
                }
                path.push(i);
                let label = path.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join(".");
                let is_invalid = ctx.invalid.iter().any(|p| p == path);
                let count = group.items.len();
                let item = &mut group.items[i];
                ui.horizontal(|ui| {
                    ui.weak(format!("{label}."));
                    let not = egui::Button::new(t(lang, "segments.not")).small().selected(item.negate);
                    if ui.add(not).accessible_name(format!("{} {label}", t(lang, "segments.not"))).clicked() {
                        item.negate = !item.negate;
                        changed = true;
                    }
                    if let Node::Condition(cond) = &mut item.node {
                        changed |= condition_ui(ui, cond, ctx, &label);
                        if is_invalid {
                            ui.colored_label(ui.visuals().error_fg_color, "⚠")
                                .on_hover_text(t(lang, "segments.invalid_row"));
                        }
                    } else {
                        ui.label(t(lang, "segments.group"));
                    }
                    if i > 0
                        && ui.small_button("▲").accessible_name(format!("{} {label}", t(lang, "segments.up"))).clicked()
                    {
                        action = Some(RowAction::Up(i));
                    }
                    if i + 1 < count
                        && ui
                            .small_button("▼")
                            .accessible_name(format!("{} {label}", t(lang, "segments.down")))
                            .clicked()
                    {
                        action = Some(RowAction::Down(i));
                    }
                    if ui
                        .small_button("( )")
                        .on_hover_text(t(lang, "segments.wrap"))
                        .accessible_name(format!("{} {label}", t(lang, "segments.wrap")))
                        .clicked()
                    {
                        action = Some(RowAction::Wrap(i));
                    }
                    if ui.small_button("✕").accessible_name(format!("{} {label}", t(lang, "segments.remove"))).clicked()
                    {
                        action = Some(RowAction::Remove(i));
                    }
                });
                if let Node::Group(inner) = &mut item.node {
                    ui.indent(("group", path.clone()), |ui| {
                        changed |= group_ui(ui, inner, ctx, path);
                    });
                }
                path.pop();
            }
        });
    }
    ui.horizontal(|ui| {
        let suffix = if path.is_empty() {
            String::new()
        } else {
            format!(" {}", path.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join("."))
        };
        if ui
            .button(t(lang, "segments.add_condition"))
            .accessible_name(format!("{}{suffix}", t(lang, "segments.add_condition")))
            .clicked()
        {
            action = Some(RowAction::AddCondition);
        }
        if ui
            .button(t(lang, "segments.add_group"))
            .accessible_name(format!("{}{suffix}", t(lang, "segments.add_group")))
            .clicked()
        {
            action = Some(RowAction::AddGroup);
        }
    });
    if let Some(action) = action {
        changed = true;
        let items = &mut group.items;
        match action {
            RowAction::Remove(i) => {
                items.remove(i);
                if let Some(first) = items.first_mut() {
                    first.join = Join::And;
                }
            }
            RowAction::Up(i) => swap_rows(items, i - 1),
            RowAction::Down(i) => swap_rows(items, i),
            RowAction::Wrap(i) => {
                let join = items[i].join;
                let mut inner = items.remove(i);
                inner.join = Join::And;
                items.insert(i, Item { join, negate: false, node: Node::Group(Group { items: vec![inner] }) });
            }
            RowAction::ToggleJoin(i) => {
                items[i].join = if items[i].join == Join::And { Join::Or } else { Join::And };
            }
            RowAction::AddCondition => {
                items.push(Item { join: Join::And, negate: false, node: Node::Condition(default_condition()) })
            }
            RowAction::AddGroup => items.push(Item {
                join: Join::And,
                negate: false,
                node: Node::Group(Group {
                    items: vec![Item { join: Join::And, negate: false, node: Node::Condition(default_condition()) }],
                }),
            }),
        }
    }
    changed
}

/// Swaps rows `i` and `i + 1`, keeping the joins where they stand between rows.
fn swap_rows(items: &mut [Item], i: usize) {
    if i + 1 >= items.len() {
        return;
    }
    let (a, b) = (items[i].join, items[i + 1].join);
    items.swap(i, i + 1);
    items[i].join = a;
    items[i + 1].join = b;
}

fn op_label(lang: Lang, op: Op) -> String {
    let key = match op {
        Op::Eq => "op.eq",
        Op::Ne => "op.ne",
        Op::Gt => "op.gt",
        Op::Ge => "op.ge",
        Op::Lt => "op.lt",
        Op::Le => "op.le",
        Op::Between => "op.between",
        Op::IsEmpty => "op.is_empty",
        Op::IsNotEmpty => "op.is_not_empty",
        Op::Before => "op.before",
        Op::After => "op.after",
        Op::On => "op.on",
        Op::MoreThanAgo(DateUnit::Days) => "op.more_days",
        Op::MoreThanAgo(DateUnit::Weeks) => "op.more_weeks",
        Op::MoreThanAgo(DateUnit::Months) => "op.more_months",
        Op::WithinLast(DateUnit::Days) => "op.within_days",
        Op::WithinLast(DateUnit::Weeks) => "op.within_weeks",
        Op::WithinLast(DateUnit::Months) => "op.within_months",
        Op::In => "op.in",
        Op::NotIn => "op.not_in",
        Op::Contains => "op.contains",
        Op::NotContains => "op.not_contains",
        Op::StartsWith => "op.starts_with",
        Op::EndsWith => "op.ends_with",
        Op::ContainsAny => "op.contains_any",
        Op::IsYes => "op.is_yes",
        Op::IsNo => "op.is_no",
    };
    t(lang, key).to_owned()
}

/// One condition: field ▼, operator ▼, value(s).
fn condition_ui(ui: &mut egui::Ui, cond: &mut Condition, ctx: &mut RowCtx<'_>, label: &str) -> bool {
    let lang = ctx.lang;
    let mut changed = false;
    let fields: Vec<&FieldInfo> = display_order(&ctx.data.fields);
    let ty = ctx.data.field(&cond.field).map(|f| f.ty);
    let field_text = match ty {
        Some(ty) => field_label(lang, &cond.field) + " · " + type_label(lang, ty),
        None => format!("{} (?)", cond.field),
    };
    let mut chosen_field = cond.field.clone();
    egui::ComboBox::from_id_salt(("field", label.to_owned()))
        .selected_text(field_text)
        .width(220.0)
        .show_ui(ui, |ui| {
            for f in &fields {
                let text = format!("{} · {}", field_label(lang, &f.name), type_label(lang, f.ty));
                ui.selectable_value(&mut chosen_field, f.name.clone(), text);
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.field")));
    if chosen_field != cond.field {
        let new_ty = ctx.data.field(&chosen_field).map_or(FieldType::Text, |f| f.ty);
        cond.field = chosen_field;
        if !Op::for_type(new_ty).contains(&cond.op) {
            cond.op = Op::for_type(new_ty)[0];
        }
        cond.values = vec![String::new(); cond.op.arity().unwrap_or(1)];
        changed = true;
    }
    let Some(ty) = ty else { return changed };
    let mut op = cond.op;
    egui::ComboBox::from_id_salt(("op", label.to_owned()))
        .selected_text(op_label(lang, op))
        .width(170.0)
        .show_ui(ui, |ui| {
            for candidate in Op::for_type(ty) {
                ui.selectable_value(&mut op, candidate, op_label(lang, candidate));
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.operator")));
    if op != cond.op {
        cond.op = op;
        let n = op.arity().unwrap_or(cond.values.len().max(1));
        cond.values.resize(n, String::new());
        if !op.is_negative() {
            cond.include_empty = false;
        }
        changed = true;
    }
    match cond.op.arity() {
        Some(0) => {}
        Some(n) => {
            for i in 0..n {
                if i > 0 {
                    ui.label(t(lang, "segments.and_between"));
                }
                changed |= value_ui(ui, cond, i, ty, ctx, label);
            }
        }
        None => changed |= multi_value_ui(ui, cond, ctx, label),
    }
    if cond.op.is_negative() {
        let mut include = cond.include_empty;
        if ui
            .checkbox(&mut include, t(lang, "segments.include_empty"))
            .on_hover_text(t(lang, "segments.include_empty_hint"))
            .changed()
        {
            cond.include_empty = include;
            changed = true;
        }
    }
    changed
}

fn value_ui(
    ui: &mut egui::Ui,
    cond: &mut Condition,
    i: usize,
    ty: FieldType,
    ctx: &mut RowCtx<'_>,
    label: &str,
) -> bool {
    let lang = ctx.lang;
    let hint = match (ty, cond.op) {
        (_, Op::MoreThanAgo(_) | Op::WithinLast(_)) => "30",
        (FieldType::Date, _) => "2026-04-05",
        (FieldType::Money | FieldType::Number | FieldType::Integer, _) => "5000",
        _ => "",
    };
    let mut changed = false;
    let Some(value) = cond.values.get_mut(i) else { return false };
    let response = ui
        .add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(120.0))
        .accessible_name(format!("{} {label}{}", t(lang, "segments.value"), if i > 0 { " (2)" } else { "" }));
    if response.changed() {
        changed = true;
        // Numbers typed the reader's way (7,5 in Turkish) are kept with a decimal point.
        if matches!(ty, FieldType::Money | FieldType::Number | FieldType::Integer)
            && !matches!(cond.op, Op::MoreThanAgo(_) | Op::WithinLast(_))
        {
            let decimal = if lang == Lang::Tr {
                crate::engine::import::parse::DecimalSeparator::Comma
            } else {
                crate::engine::import::parse::DecimalSeparator::Point
            };
            if value.contains(',')
                && let Some(n) = crate::engine::import::parse::parse_number(value, decimal)
            {
                *value = crate::engine::import::table::format_plain_number(n);
            }
        }
    }
    if matches!(ty, FieldType::Text | FieldType::Category) {
        let choices = ctx.view.choices(ctx.data, &cond.field);
        if !choices.is_empty() {
            egui::ComboBox::from_id_salt(("pick", label.to_owned(), i))
                .selected_text("▾")
                .width(24.0)
                .show_ui(ui, |ui| {
                    for (v, n) in choices.iter().take(60) {
                        if ui.selectable_label(false, format!("{v} ({})", format::count(*n, lang))).clicked() {
                            cond.values[i] = v.clone();
                            changed = true;
                        }
                    }
                })
                .response
                .accessible_name(format!("{} {label}", t(lang, "segments.pick_value")));
        }
    }
    changed
}

fn multi_value_ui(ui: &mut egui::Ui, cond: &mut Condition, ctx: &mut RowCtx<'_>, label: &str) -> bool {
    let lang = ctx.lang;
    let mut changed = false;
    let mut remove = None;
    for (i, v) in cond.values.iter().enumerate() {
        if !v.is_empty()
            && ui
                .small_button(format!("{v} ✕"))
                .accessible_name(format!("{} {v}", t(lang, "segments.remove")))
                .clicked()
        {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        cond.values.remove(i);
        changed = true;
    }
    let choices = ctx.view.choices(ctx.data, &cond.field);
    egui::ComboBox::from_id_salt(("add-value", label.to_owned()))
        .selected_text(t(lang, "segments.add_value"))
        .width(140.0)
        .show_ui(ui, |ui| {
            for (v, n) in choices.iter().take(100) {
                if ui.selectable_label(cond.values.contains(v), format!("{v} ({})", format::count(*n, lang))).clicked()
                    && !cond.values.contains(v)
                {
                    cond.values.retain(|x| !x.is_empty());
                    cond.values.push(v.clone());
                    changed = true;
                }
            }
        })
        .response
        .accessible_name(format!("{} {label}", t(lang, "segments.add_value")));
    changed
}

fn results_ui(ui: &mut egui::Ui, editor: &Editor, currency: &str, lang: Lang) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(t(lang, "segments.results")).strong());
        if editor.busy() {
            ui.spinner();
        }
    });
    if let Some(e) = &editor.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    let Some(result) = &editor.result else { return };
    let s = &result.evaluation.stats;
    ui.label(
        egui::RichText::new(
            t(lang, "segments.matching")
                .replace("{}", &format::count(s.count, lang))
                .replace("{%}", &format::percent(s.share, lang)),
        )
        .size(18.0),
    );
    let money = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format::money(v, currency, lang));
    ui.label(egui::RichText::new(format!("{}: {}", t(lang, "segments.avg_ltv"), money(s.avg_ltv))).size(18.0).strong());
    ui.label(format!(
        "{}: {} · {}: {}",
        t(lang, "dash.revenue"),
        money(s.total_revenue),
        t(lang, "segments.avg_orders"),
        s.avg_orders.map_or_else(|| "—".to_owned(), |v| format::number(v, 1, lang))
    ));
    if !result.evaluation.invalid.is_empty() {
        let reasons: Vec<String> = result
            .evaluation
            .invalid
            .iter()
            .map(|i| {
                format!(
                    "{}: {}",
                    i.path.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join("."),
                    invalid_text(lang, &i.kind)
                )
            })
            .collect();
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "{} {}",
                t(lang, "segments.ignored").replace("{}", &result.evaluation.invalid.len().to_string()),
                reasons.join("; ")
            ),
        );
    }
    if result.evaluation.funnel.len() > 1 {
        egui::CollapsingHeader::new(t(lang, "segments.funnel")).id_salt("funnel").default_open(false).show(ui, |ui| {
            egui::Grid::new("funnel-grid").striped(true).show(ui, |ui| {
                ui.strong(t(lang, "segments.after_row"));
                ui.strong(t(lang, "segments.count"));
                ui.strong(t(lang, "segments.avg_ltv"));
                ui.end_row();
                for (i, step) in result.evaluation.funnel.iter().enumerate() {
                    ui.label((i + 1).to_string());
                    ui.label(format::count(step.count, lang));
                    ui.label(money(step.avg_ltv));
                    ui.end_row();
                }
            });
        });
    }
}

fn invalid_text(lang: Lang, kind: &crate::engine::evaluate::InvalidKind) -> &'static str {
    use crate::engine::evaluate::InvalidKind as K;
    t(
        lang,
        match kind {
            K::UnknownField => "invalid.unknown_field",
            K::OperatorDoesNotFit => "invalid.operator",
            K::WrongValueCount | K::MissingValue => "invalid.missing",
            K::NotANumber => "invalid.number",
            K::NotADate => "invalid.date",
            K::NotAWholeNumber => "invalid.whole",
        },
    )
}

fn members_table_ui(ui: &mut egui::Ui, data: &CustomerData, rows: &[IdxSize], currency: &str, lang: Lang) {
    let fields: Vec<&FieldInfo> = display_order(&data.fields).into_iter().take(8).collect();
    let columns: Vec<&polars::prelude::Column> =
        fields.iter().filter_map(|f| data.customers.column(&f.name).ok()).collect();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::horizontal().id_salt("members-hscroll").show(ui, |ui| {
        let mut table = TableBuilder::new(ui).id_salt("segment-members").striped(true).resizable(true);
        for _ in &fields {
            table = table.column(Column::initial(130.0).at_least(40.0).clip(true));
        }
        table
            .header(row_height + 4.0, |mut header| {
                for f in &fields {
                    header.col(|ui| {
                        ui.strong(field_label(lang, &f.name));
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let r = rows[row.index()] as usize;
                    for (f, c) in fields.iter().zip(&columns) {
                        row.col(|ui| {
                            ui.label(cell_text(c, r, f.ty, currency, lang));
                        });
                    }
                });
            });
    });
}
