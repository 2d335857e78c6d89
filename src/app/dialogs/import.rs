//! The import dialog: choose the customers, orders and spend files, see their first
//! rows and the automatic column mapping, change any column's field or type, pick
//! the sheet of a workbook, then import. Files are previewed in the background.

use std::path::PathBuf;

use super::file::{self, DialogOutcome, FileDialogs};

use crate::engine::fields::{FieldType, SourceKind, canonical_fields};
use crate::engine::import::mapping::{ColumnTarget, MappingOverride};
use crate::engine::import::{Preview, SourceSpec, guess_kind, preview_source};

use crate::app::command::CommandSender;
use crate::app::command::FileCommand;
use crate::app::i18n::{Lang, field_label, t, type_label};
use crate::app::keyed::{Keyed, Polled};

/// One file of the import.
pub struct FileSlot {
    pub kind: SourceKind,
    pub path_text: String,
    pub sheet: Option<String>,
    /// The file's first rows and automatic mapping, read in the background per
    /// path, sheet and kind.
    preview: Keyed<String, Preview>,
    /// The user's choice for each column (starts as the automatic mapping).
    pub choices: Vec<ColumnTarget>,
    /// The kind was guessed from the file name only; move the file once its headers tell.
    auto_kind: bool,
    /// Overrides carried over from the workspace, applied once the preview arrives.
    pending_overrides: Vec<MappingOverride>,
    /// Browse… found no file dialog on this system: the box says to type the path.
    pub no_dialog: bool,
}

impl FileSlot {
    fn new(kind: SourceKind) -> Self {
        Self {
            kind,
            path_text: String::new(),
            sheet: None,
            preview: Keyed::new("preview"),
            choices: Vec::new(),
            auto_kind: false,
            pending_overrides: Vec::new(),
            no_dialog: false,
        }
    }

    fn path(&self) -> Option<PathBuf> {
        let p = self.path_text.trim();
        (!p.is_empty()).then(|| PathBuf::from(p))
    }

    fn spec(&self) -> Option<SourceSpec> {
        let mut spec = SourceSpec::new(self.kind, self.path()?);
        spec.options.sheet.clone_from(&self.sheet);
        Some(spec)
    }

    /// The chosen mapping as overrides: every column whose choice differs from auto.
    pub fn overrides(&self) -> Vec<MappingOverride> {
        let Some(Ok(preview)) = self.preview() else { return Vec::new() };
        preview
            .headers
            .iter()
            .zip(&self.choices)
            .zip(&preview.auto)
            .filter(|((_, choice), auto)| choice != auto)
            .map(|((header, choice), _)| MappingOverride { header: header.clone(), target: choice.clone() })
            .collect()
    }

    /// The preview: `None` until read, or why it could not be.
    pub fn preview(&self) -> Option<Result<&Preview, &str>> {
        self.path()?;
        let key = self.preview_key();
        if let Some(e) = self.preview.failed(&key) {
            return Some(Err(e));
        }
        self.preview.get(&key).map(|p| Ok(&**p))
    }

    /// What decides the preview: path, sheet and kind.
    fn preview_key(&self) -> String {
        format!("{}|{:?}|{:?}", self.path_text.trim(), self.sheet, self.kind)
    }

    fn start_preview(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some(spec) = self.spec() else {
            self.preview.clear();
            return;
        };
        let key = self.preview_key();
        self.preview.ensure(ctx, key, |_| move |progress| preview_source(&spec, progress).map_err(|e| e.text(lang)));
    }
}

pub struct ImportDialog {
    pub slots: [FileSlot; 4],
    pub error: Option<String>,
    /// Whether Browse… shows the system's file dialog.
    pub file_dialogs: FileDialogs,
}

const KINDS: [SourceKind; 4] = [SourceKind::Customers, SourceKind::Orders, SourceKind::Spend, SourceKind::Consent];

fn slot_index(kind: SourceKind) -> usize {
    match kind {
        SourceKind::Customers => 0,
        SourceKind::Orders => 1,
        SourceKind::Spend => 2,
        SourceKind::Consent => 3,
    }
}

impl ImportDialog {
    /// A dialog pre-filled with the open workspace's sources (absolute paths), whose
    /// previews start reading at once: Import is ready as soon as they are read, or
    /// each slot says why its file can't be (moved, deleted).
    pub fn new(ctx: &egui::Context, existing: Option<&[SourceSpec]>, lang: Lang) -> Self {
        let mut dialog = Self { slots: KINDS.map(FileSlot::new), error: None, file_dialogs: FileDialogs::Off };
        for spec in existing.unwrap_or_default() {
            let slot = &mut dialog.slots[slot_index(spec.kind)];
            slot.path_text = spec.path.display().to_string();
            slot.sheet.clone_from(&spec.options.sheet);
            slot.pending_overrides.clone_from(&spec.mapping);
            slot.start_preview(ctx, lang);
        }
        dialog
    }

    /// Adds a file where it fits: an empty customers slot first; once its headers
    /// are read it moves to orders, spend or consent if it looks like one.
    pub fn add_file(&mut self, ctx: &egui::Context, path: PathBuf, lang: Lang) {
        let index = if self.slots[0].path().is_none() {
            0
        } else if self.slots[1].path().is_none() {
            1
        } else {
            2
        };
        let slot = &mut self.slots[index];
        slot.path_text = path.display().to_string();
        slot.auto_kind = index == 0;
        slot.start_preview(ctx, lang);
    }

    /// Collects finished previews (call once per frame).
    pub fn poll(&mut self, ctx: &egui::Context, lang: Lang) {
        let mut moves = Vec::new();
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if slot.preview.busy() {
                ctx.request_repaint_after(std::time::Duration::from_millis(30));
            }
            let Polled::Value(preview) = slot.preview.poll(lang) else { continue };
            let preview = std::sync::Arc::clone(preview);
            slot.choices = preview.auto.clone();
            for o in std::mem::take(&mut slot.pending_overrides) {
                if let Some(i) = preview.headers.iter().position(|h| h.eq_ignore_ascii_case(&o.header)) {
                    slot.choices[i] = o.target;
                }
            }
            if slot.auto_kind {
                slot.auto_kind = false;
                let kind = guess_kind(&preview.headers);
                if kind != slot.kind {
                    moves.push((index, slot_index(kind)));
                }
            }
        }
        for (from, to) in moves {
            if self.slots[to].path().is_none() {
                let mut moved = std::mem::replace(&mut self.slots[from], FileSlot::new(KINDS[from]));
                moved.kind = KINDS[to];
                if let Some(Ok(p)) = moved.preview() {
                    moved.choices = crate::engine::import::mapping::auto_map(&p.headers, moved.kind, &[]);
                }
                // The automatic mapping differs per kind: read it again for the new kind.
                moved.start_preview(ctx, lang);
                self.slots[to] = moved;
            }
        }
    }

    /// The sources to import, or why not yet.
    pub fn specs(&self, lang: Lang) -> Result<Vec<SourceSpec>, String> {
        let mut specs = Vec::new();
        for slot in &self.slots {
            let Some(mut spec) = slot.spec() else { continue };
            match slot.preview() {
                Some(Ok(_)) if !slot.preview.busy() => {}
                Some(Err(e)) => return Err(e.to_owned()),
                _ => return Err(t(lang, "import.reading").to_owned()),
            }
            spec.mapping = slot.overrides();
            specs.push(spec);
        }
        if !specs.iter().any(|s| matches!(s.kind, SourceKind::Customers | SourceKind::Orders)) {
            return Err(t(lang, "import.need_file").to_owned());
        }
        Ok(specs)
    }

    /// Draws the dialog; returns false when it was closed.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang, commands: &CommandSender) -> bool {
        let mut open = true;
        let mut run = false;
        egui::Window::new(t(lang, "import.title"))
            .id(egui::Id::unique("import-dialog"))
            .open(&mut open)
            .default_size([820.0, 620.0])
            .show(ctx, |ui| {
                ui.label(t(lang, "import.intro"));
                ui.add_space(6.0);
                let height = (ctx.content_rect().height() - 220.0).max(200.0);
                egui::ScrollArea::vertical().max_height(height).show(ui, |ui| self.slots_ui(ui, ctx, lang));
                ui.separator();
                let ready = self.specs(lang);
                ui.horizontal(|ui| {
                    if ui.add_enabled(ready.is_ok(), egui::Button::new(t(lang, "import.run"))).clicked() {
                        run = true;
                    }
                    if let Err(why) = &ready {
                        ui.weak(why);
                    }
                });
            });
        if run && let Ok(specs) = self.specs(lang) {
            commands.send(FileCommand::RunImport(specs));
            return false;
        }
        open
    }

    fn slots_ui(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, lang: Lang) {
        let file_dialogs = self.file_dialogs;
        for index in 0..KINDS.len() {
            let slot = &mut self.slots[index];
            let title = match slot.kind {
                SourceKind::Customers => "import.customers",
                SourceKind::Orders => "import.orders",
                SourceKind::Spend => "import.spend",
                SourceKind::Consent => "import.consent",
            };
            egui::CollapsingHeader::new(t(lang, title))
                .id_salt(("import-slot", index))
                .default_open(index < 2)
                .show(ui, |ui| slot_ui(ui, ctx, slot, file_dialogs, lang));
        }
    }
}

fn slot_ui(ui: &mut egui::Ui, ctx: &egui::Context, slot: &mut FileSlot, file_dialogs: FileDialogs, lang: Lang) {
    path_row_ui(ui, ctx, slot, file_dialogs, lang);
    if slot.preview.busy() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(t(lang, "import.reading"));
        });
        return;
    }
    let preview = match slot.preview() {
        None => return,
        Some(Ok(p)) => p.clone(),
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    if preview.sheets.len() > 1 {
        let mut sheet = slot.sheet.clone();
        egui::ComboBox::new(("sheet", slot.kind.id()), t(lang, "import.sheet"))
            .selected_text(sheet.clone().unwrap_or_else(|| t(lang, "import.sheet_auto").to_owned()))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut sheet, None, t(lang, "import.sheet_auto"));
                for name in &preview.sheets {
                    ui.selectable_value(&mut sheet, Some(name.clone()), name);
                }
            });
        if sheet != slot.sheet {
            slot.sheet = sheet;
            slot.start_preview(ctx, lang);
        }
    }
    for note in &preview.notes {
        ui.weak(note.text(lang));
    }
    first_rows_ui(ui, slot.kind, &preview, lang);
    ui.label(egui::RichText::new(t(lang, "import.mapping")).strong());
    egui::Grid::new(("mapping", slot.kind.id())).striped(true).num_columns(3).show(ui, |ui| {
        ui.strong(t(lang, "import.becomes"));
        ui.strong(t(lang, "import.preview"));
        ui.strong(t(lang, "import.type"));
        ui.end_row();
        for (i, header) in preview.headers.iter().enumerate() {
            let Some(choice) = slot.choices.get_mut(i) else { continue };
            target_combo(ui, slot.kind, i, header, choice, lang);
            let samples: Vec<&str> = preview
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(String::as_str)
                .filter(|s| !s.is_empty())
                .take(3)
                .collect();
            let sample: String = samples.join(" · ").chars().take(60).collect();
            ui.weak(sample);
            let inferred = preview.inferred.get(i).copied().unwrap_or(FieldType::Text);
            type_cell_ui(ui, slot.kind, i, choice, inferred, lang);
            ui.end_row();
        }
    });
    ui.weak(format!("{} {}", crate::format::count(preview.total_rows, lang), t(lang, "report.rows_read")));
}

/// The file's path (typed or browsed) and a button to remove it.
fn path_row_ui(ui: &mut egui::Ui, ctx: &egui::Context, slot: &mut FileSlot, file_dialogs: FileDialogs, lang: Lang) {
    ui.horizontal(|ui| {
        let label = ui.label(t(lang, "import.path"));
        let edit = ui.add(egui::TextEdit::singleline(&mut slot.path_text).desired_width(420.0)).labelled_by(label.id);
        // Read the file as soon as the typed path names one (or when the field is left).
        if edit.lost_focus() || (edit.changed() && slot.path().is_some_and(|p| p.is_file())) {
            slot.start_preview(ctx, lang);
        }
        if ui.button(t(lang, "import.browse")).clicked() {
            match file::pick_spreadsheet(file_dialogs, t(lang, "import.filter")) {
                DialogOutcome::Picked(path) => {
                    slot.path_text = path.display().to_string();
                    slot.no_dialog = false;
                    slot.start_preview(ctx, lang);
                }
                DialogOutcome::Unavailable => {
                    slot.no_dialog = true;
                    edit.request_focus();
                }
                DialogOutcome::Cancelled => {}
            }
        }
        if slot.path().is_some() && ui.button(t(lang, "import.remove")).clicked() {
            *slot = FileSlot::new(slot.kind);
        }
    });
    if slot.no_dialog && slot.path().is_none() {
        ui.colored_label(ui.visuals().warn_fg_color, t(lang, "error.dialog_unavailable"));
    }
}

/// The file's first rows as a table.
fn first_rows_ui(ui: &mut egui::Ui, kind: SourceKind, preview: &Preview, lang: Lang) {
    egui::CollapsingHeader::new(t(lang, "import.preview")).id_salt(("rows", kind.id())).default_open(true).show(
        ui,
        |ui| {
            egui::ScrollArea::horizontal().id_salt(("rows-scroll", kind.id())).show(ui, |ui| {
                egui::Grid::new(("first-rows", kind.id())).striped(true).show(ui, |ui| {
                    for header in &preview.headers {
                        ui.strong(header);
                    }
                    ui.end_row();
                    for row in &preview.rows {
                        for cell in row {
                            let short: String = cell.chars().take(28).collect();
                            ui.label(short);
                        }
                        ui.end_row();
                    }
                });
            });
        },
    );
}

/// A column's type: chosen for a custom column, else the field's (or nothing when ignored).
fn type_cell_ui(
    ui: &mut egui::Ui,
    kind: SourceKind,
    i: usize,
    choice: &mut ColumnTarget,
    inferred: FieldType,
    lang: Lang,
) {
    let ty = match choice {
        ColumnTarget::Field(id) => canonical_fields(kind).iter().find(|f| f.id == id).map_or(FieldType::Text, |f| f.ty),
        ColumnTarget::Custom(Some(ty)) => *ty,
        ColumnTarget::Custom(None) | ColumnTarget::Ignore => inferred,
    };
    match choice {
        ColumnTarget::Custom(custom_ty) => {
            let mut chosen = *custom_ty;
            egui::ComboBox::new(("type", kind.id(), i), t(lang, "import.type"))
                .selected_text(match chosen {
                    Some(ty) => type_label(lang, ty).to_owned(),
                    None => format!("{} ({})", type_label(lang, ty), t(lang, "import.auto_type")),
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, t(lang, "import.auto_type"));
                    for option in FieldType::ALL {
                        ui.selectable_value(&mut chosen, Some(option), type_label(lang, option));
                    }
                });
            *custom_ty = chosen;
        }
        ColumnTarget::Ignore => {
            ui.label("");
        }
        ColumnTarget::Field(_) => {
            ui.label(type_label(lang, ty));
        }
    }
}

fn target_label(lang: Lang, target: &ColumnTarget) -> String {
    match target {
        ColumnTarget::Field(id) => field_label(lang, id),
        ColumnTarget::Custom(_) => t(lang, "import.custom").to_owned(),
        ColumnTarget::Ignore => t(lang, "import.ignore").to_owned(),
    }
}

/// The "becomes" choice of one column, labelled with the column's header.
fn target_combo(
    ui: &mut egui::Ui,
    kind: SourceKind,
    index: usize,
    header: &str,
    choice: &mut ColumnTarget,
    lang: Lang,
) {
    let mut chosen = choice.clone();
    egui::ComboBox::new(("target", kind.id(), index), header).selected_text(target_label(lang, &chosen)).show_ui(
        ui,
        |ui| {
            for field in canonical_fields(kind) {
                let option = ColumnTarget::Field(field.id.to_owned());
                let label = target_label(lang, &option);
                ui.selectable_value(&mut chosen, option, label);
            }
            ui.separator();
            let custom =
                if matches!(chosen, ColumnTarget::Custom(_)) { chosen.clone() } else { ColumnTarget::Custom(None) };
            ui.selectable_value(&mut chosen, custom, t(lang, "import.custom"));
            ui.selectable_value(&mut chosen, ColumnTarget::Ignore, t(lang, "import.ignore"));
        },
    );
    *choice = chosen;
}

impl super::Dialog for ImportDialog {
    fn show(&mut self, ctx: &super::DialogContext<'_>) -> bool {
        self.ui(ctx.egui, ctx.lang, ctx.commands)
    }
}
