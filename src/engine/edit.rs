//! Changes to a workspace as values. Every change the user makes (saving,
//! duplicating or deleting a segment, new LTV bands, hand-typed spend, later
//! personas and audiences) is an [`Edit`]; applying one returns its inverse, so the
//! app keeps one undo/redo history over all of them and no view changes the
//! workspace in place.

use super::audience::Audience;
use super::persona::Persona;
use super::workspace::{ManualSpend, Segment, Workspace};

/// One change to a workspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Put a segment at this index (the list grows by one).
    InsertSegment { index: usize, segment: Segment },
    /// Replace the segment at this index.
    ReplaceSegment { index: usize, segment: Segment },
    /// Remove the segment at this index.
    DeleteSegment { index: usize },
    /// New upper limits of the LTV bands.
    SetLtvBands(Vec<f64>),
    /// The whole list of hand-typed spend.
    SetManualSpend(Vec<ManualSpend>),
    /// Put an audience at this index.
    InsertAudience { index: usize, audience: Box<Audience> },
    /// Replace the audience at this index.
    ReplaceAudience { index: usize, audience: Box<Audience> },
    /// Remove the audience at this index.
    DeleteAudience { index: usize },
    /// Put a persona at this index.
    InsertPersona { index: usize, persona: Box<Persona> },
    /// Replace the persona at this index.
    ReplacePersona { index: usize, persona: Box<Persona> },
    /// Remove the persona at this index.
    DeletePersona { index: usize },
    /// The price index, the base month of real lira and the gross margin.
    SetRealMoney(Box<RealMoney>),
}

/// The settings behind real lira and payback on margin, changed together.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RealMoney {
    pub price_index: Option<crate::engine::cohorts::index::PriceIndex>,
    pub real_base: Option<String>,
    pub gross_margin: Option<f64>,
}

impl RealMoney {
    /// The workspace's current ones.
    pub fn of(workspace: &Workspace) -> Self {
        let s = &workspace.settings;
        Self { price_index: s.price_index.clone(), real_base: s.real_base.clone(), gross_margin: s.gross_margin }
    }
}

/// Why an edit could not be applied (the workspace changed under it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no item {index} (the workspace has {len})")]
pub struct EditError {
    pub index: usize,
    pub len: usize,
}

impl Edit {
    /// Applies the edit and returns the edit that undoes it. A failed edit leaves
    /// the workspace as it was.
    pub fn apply(self, workspace: &mut Workspace) -> Result<Edit, EditError> {
        let segments = &mut workspace.segments;
        let missing = |index: usize, len: usize| EditError { index, len };
        Ok(match self {
            Edit::InsertSegment { index, segment } => {
                if index > segments.len() {
                    return Err(missing(index, segments.len()));
                }
                segments.insert(index, segment);
                Edit::DeleteSegment { index }
            }
            Edit::ReplaceSegment { index, segment } => {
                let len = segments.len();
                let slot = segments.get_mut(index).ok_or_else(|| missing(index, len))?;
                Edit::ReplaceSegment { index, segment: std::mem::replace(slot, segment) }
            }
            Edit::DeleteSegment { index } => {
                if index >= segments.len() {
                    return Err(missing(index, segments.len()));
                }
                Edit::InsertSegment { index, segment: segments.remove(index) }
            }
            Edit::SetLtvBands(bands) => Edit::SetLtvBands(std::mem::replace(&mut workspace.settings.ltv_bands, bands)),
            Edit::SetManualSpend(spend) => Edit::SetManualSpend(std::mem::replace(&mut workspace.manual_spend, spend)),
            Edit::SetRealMoney(money) => {
                let before = RealMoney::of(workspace);
                let s = &mut workspace.settings;
                (s.price_index, s.real_base, s.gross_margin) = (money.price_index, money.real_base, money.gross_margin);
                Edit::SetRealMoney(Box::new(before))
            }
            Edit::InsertAudience { .. } | Edit::ReplaceAudience { .. } | Edit::DeleteAudience { .. } => {
                return self.apply_to_audiences(workspace);
            }
            Edit::InsertPersona { .. } | Edit::ReplacePersona { .. } | Edit::DeletePersona { .. } => {
                return self.apply_to_personas(workspace);
            }
        })
    }

    fn apply_to_personas(self, workspace: &mut Workspace) -> Result<Edit, EditError> {
        let personas = &mut workspace.personas;
        let missing = |index: usize, len: usize| EditError { index, len };
        Ok(match self {
            Edit::InsertPersona { index, persona } => {
                if index > personas.len() {
                    return Err(missing(index, personas.len()));
                }
                personas.insert(index, *persona);
                Edit::DeletePersona { index }
            }
            Edit::ReplacePersona { index, persona } => {
                let len = personas.len();
                let slot = personas.get_mut(index).ok_or_else(|| missing(index, len))?;
                Edit::ReplacePersona { index, persona: Box::new(std::mem::replace(slot, *persona)) }
            }
            Edit::DeletePersona { index } => {
                if index >= personas.len() {
                    return Err(missing(index, personas.len()));
                }
                Edit::InsertPersona { index, persona: Box::new(personas.remove(index)) }
            }
            other => other,
        })
    }

    fn apply_to_audiences(self, workspace: &mut Workspace) -> Result<Edit, EditError> {
        let audiences = &mut workspace.audiences;
        let missing = |index: usize, len: usize| EditError { index, len };
        Ok(match self {
            Edit::InsertAudience { index, audience } => {
                if index > audiences.len() {
                    return Err(missing(index, audiences.len()));
                }
                audiences.insert(index, *audience);
                Edit::DeleteAudience { index }
            }
            Edit::ReplaceAudience { index, audience } => {
                let len = audiences.len();
                let slot = audiences.get_mut(index).ok_or_else(|| missing(index, len))?;
                Edit::ReplaceAudience { index, audience: Box::new(std::mem::replace(slot, *audience)) }
            }
            Edit::DeleteAudience { index } => {
                if index >= audiences.len() {
                    return Err(missing(index, audiences.len()));
                }
                Edit::InsertAudience { index, audience: Box::new(audiences.remove(index)) }
            }
            other => other,
        })
    }

    /// True when the customer data must be recomputed after this edit (spend feeds
    /// the numbers; segments and bands are read where they are used).
    pub fn changes_data(&self) -> bool {
        matches!(self, Edit::SetManualSpend(_) | Edit::SetRealMoney(_))
    }

    /// Whether this edit continues `previous` (typing into the same spend table) and
    /// so belongs to the same undo step.
    pub fn continues(&self, previous: &Edit) -> bool {
        matches!((self, previous), (Edit::SetManualSpend(_), Edit::SetManualSpend(_)))
    }
}

/// Undo and redo stacks of inverse edits.
#[derive(Debug, Default, Clone)]
pub struct History {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    /// The kind of the last edit applied, for [`Edit::continues`]; cleared by
    /// [`History::seal`] so the next edit starts a new step.
    last: Option<Edit>,
}

/// How many steps are kept.
const MAX_STEPS: usize = 200;

impl History {
    /// Applies a new edit; its inverse goes on the undo stack and redo is cleared.
    /// An edit that continues the last one is merged into its undo step.
    pub fn apply(&mut self, edit: Edit, workspace: &mut Workspace) -> Result<(), EditError> {
        let merge = self.last.as_ref().is_some_and(|last| edit.continues(last));
        let marker = edit.clone();
        let inverse = edit.apply(workspace)?;
        if !merge {
            self.undo.push(inverse);
            if self.undo.len() > MAX_STEPS {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last = Some(marker);
        Ok(())
    }

    /// Ends the current step: the next edit is undone on its own.
    pub fn seal(&mut self) {
        self.last = None;
    }

    /// Undoes the latest step; returns the edit applied (to see what changed).
    pub fn undo(&mut self, workspace: &mut Workspace) -> Option<Result<Edit, EditError>> {
        let edit = self.undo.pop()?;
        self.last = None;
        Some(edit.clone().apply(workspace).map(|inverse| {
            self.redo.push(inverse);
            edit
        }))
    }

    /// Redoes the latest undone step.
    pub fn redo(&mut self, workspace: &mut Workspace) -> Option<Result<Edit, EditError>> {
        let edit = self.redo.pop()?;
        self.last = None;
        Some(edit.clone().apply(workspace).map(|inverse| {
            self.undo.push(inverse);
            edit
        }))
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Workspace {
        let mut ws = Workspace::new("Mağaza");
        ws.segments = vec![Segment::new("VIP", "", "ltv > 5000"), Segment::new("Sadık", "", "orders > 5")];
        ws
    }

    #[test]
    fn every_edit_is_undone_by_its_inverse() {
        let edits = [
            Edit::InsertSegment { index: 1, segment: Segment::new("Yeni", "", "city = \"İzmir\"") },
            Edit::ReplaceSegment { index: 0, segment: Segment::new("VIP+", "", "ltv > 9000") },
            Edit::DeleteSegment { index: 1 },
            Edit::SetLtvBands(vec![500.0, 2000.0]),
            Edit::SetManualSpend(vec![ManualSpend {
                channel: "TikTok".into(),
                month: "2026-03".into(),
                amount: 900.0,
            }]),
        ];
        for edit in edits {
            let before = workspace();
            let mut ws = before.clone();
            let inverse = edit.clone().apply(&mut ws).unwrap();
            assert_ne!(ws, before, "{edit:?} changes the workspace");
            let again = inverse.apply(&mut ws).unwrap();
            assert_eq!(ws, before, "{edit:?} is undone");
            assert_eq!(again, edit, "the inverse of the inverse is the edit");
        }
    }

    #[test]
    fn an_edit_that_no_longer_fits_changes_nothing() {
        let mut ws = workspace();
        assert_eq!(Edit::DeleteSegment { index: 5 }.apply(&mut ws), Err(EditError { index: 5, len: 2 }));
        assert_eq!(ws, workspace());
    }

    #[test]
    fn history_undoes_and_redoes_in_order_and_merges_typing() {
        let mut ws = workspace();
        let mut history = History::default();
        history.apply(Edit::DeleteSegment { index: 0 }, &mut ws).unwrap();
        history.seal();
        let spend = |amount| vec![ManualSpend { channel: "TikTok".into(), month: "2026-03".into(), amount }];
        for amount in [9.0, 90.0, 900.0] {
            history.apply(Edit::SetManualSpend(spend(amount)), &mut ws).unwrap();
        }
        assert_eq!(ws.manual_spend, spend(900.0));
        history.undo(&mut ws).unwrap().unwrap();
        assert!(ws.manual_spend.is_empty(), "typing is one step");
        history.undo(&mut ws).unwrap().unwrap();
        assert_eq!(ws, workspace());
        assert!(!history.can_undo());
        history.redo(&mut ws).unwrap().unwrap();
        assert_eq!(ws.segments.len(), 1);
        history.redo(&mut ws).unwrap().unwrap();
        assert_eq!(ws.manual_spend, spend(900.0));
        assert!(history.redo(&mut ws).is_none());
    }
}
