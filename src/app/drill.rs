//! Crash drills for CI (`KITLE_DRILL`), run in the real window under Xvfb by
//! `.ci/crash-drill`, which kills the process with SIGKILL at the worst moments:
//! - `edit`: after the workspace opens, make three changes, one a frame, say so the
//!   frame after the last and keep running unsaved (the script kills the app as
//!   soon as it reads that, without waiting for the recovery file, and looks for
//!   the last change there);
//! - `restore`: at start, restore the first leftover recovery file, print what came
//!   back, and quit;
//! - `save-loop`: change and save every frame until killed (the workspace file must
//!   stay whole whenever the kill lands);
//! - `panic`: once the workspace is open, make one change, then panic on the UI
//!   thread (the window must show the crash screen and keep the change).
//!
//! Nothing happens unless the variable is set.

use super::command::Command;
use super::{KitleApp, SMOKE_EXIT_CODE};
use crate::app::command::FileCommand;
use crate::engine::edit::Edit;
use crate::engine::workspace::Segment;

/// The segment a drill adds.
pub const DRILL_SEGMENT: &str = "Crash drill";

/// How many changes the edit drill makes before it is killed.
const EDIT_DRILL_CHANGES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drill {
    Edit,
    /// The edit drill's changes are all made: say so next.
    Edited,
    Restore,
    SaveLoop,
    Panic,
}

impl Drill {
    /// The drill named by `KITLE_DRILL`, if any.
    pub fn from_env() -> Option<Self> {
        match std::env::var("KITLE_DRILL").ok()?.as_str() {
            "edit" => Some(Self::Edit),
            "restore" => Some(Self::Restore),
            "save-loop" => Some(Self::SaveLoop),
            "panic" => Some(Self::Panic),
            _ => None,
        }
    }
}

impl KitleApp {
    /// One frame of the drill in progress.
    pub(super) fn drill_step(&mut self, ctx: &egui::Context) {
        let Some(drill) = self.drill else { return };
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
        match drill {
            Drill::Edit => {
                let Some(doc) = &self.doc else { return };
                // Each frame applies the change the frame before sent, so one goes a frame.
                let made = doc.workspace.segments.iter().filter(|s| s.name.starts_with(DRILL_SEGMENT)).count();
                if made < EDIT_DRILL_CHANGES {
                    self.add_drill_segment();
                } else {
                    self.drill = Some(Drill::Edited);
                }
            }
            Drill::Edited => {
                let last = self.doc.as_ref().and_then(|d| d.workspace.segments.last()).map(|s| s.name.clone());
                println!("kitle drill: edited, last change: {}", last.unwrap_or_default());
                self.drill = None;
            }
            Drill::Restore => self.drill_restore(ctx),
            Drill::Panic => {
                let Some(doc) = &self.doc else { return };
                if doc.dirty {
                    self.drill = None;
                    println!("kitle drill: panicking");
                    panic!("crash drill: a deliberate panic");
                }
                self.add_drill_segment();
            }
            Drill::SaveLoop => {
                if self.doc.as_ref().is_some_and(|d| d.path.is_some()) && self.tasks.is_idle() {
                    self.add_drill_segment();
                    self.send(FileCommand::Save);
                }
            }
        }
    }

    fn add_drill_segment(&mut self) {
        let Some(doc) = &self.doc else { return };
        let index = doc.workspace.segments.len();
        let name = format!("{DRILL_SEGMENT} {index}");
        self.send(Command::Edit(Edit::InsertSegment { index, segment: Segment::new(name, "", "ltv > 1") }));
    }

    fn drill_restore(&mut self, ctx: &egui::Context) {
        if let Some((file, _)) = self.restore.as_ref().and_then(|r| r.leftovers.first()) {
            let file = file.clone();
            self.send(FileCommand::Restore(file));
            return;
        }
        let Some(doc) = &self.doc else {
            if self.tasks.is_idle() && self.queued.is_empty() {
                println!("kitle drill: nothing to restore");
                SMOKE_EXIT_CODE.store(1, std::sync::atomic::Ordering::Relaxed);
                self.discard_ok = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        };
        let restored = doc.workspace.segments.iter().filter(|s| s.name.starts_with(DRILL_SEGMENT)).count();
        println!(
            "kitle drill: restored {} customers, {restored} drill segment(s), unsaved: {}",
            doc.data.len(),
            doc.dirty
        );
        self.drill = None;
        self.discard_ok = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}
