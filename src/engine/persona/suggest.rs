//! Edits that would make a persona fit its segment better, each from the figures:
//! move a numeric trait's range to where most members are (the middle 80%), drop a
//! contradicted trait, add what the persona misses (the three strongest).

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use serde::Serialize;

use super::Persona;
use super::fit::{Fit, Verdict};
use crate::engine::segment::evaluate::SegmentFrame;

/// What a suggestion does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Replace trait `index` with `trait_text`.
    Replace,
    /// Remove trait `index`.
    Drop,
    /// Add `trait_text`.
    Add,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    /// The trait it changes (for replace and drop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The new trait (for replace and add).
    #[serde(rename = "trait", skip_serializing_if = "Option::is_none")]
    pub trait_text: Option<String>,
}

impl Suggestion {
    /// The persona with this suggestion applied.
    pub fn apply(&self, persona: &Persona) -> Persona {
        let mut p = persona.clone();
        match (self.kind, self.index, &self.trait_text) {
            (SuggestionKind::Replace, Some(i), Some(t)) if i < p.traits.len() => p.traits[i].clone_from(t),
            (SuggestionKind::Drop, Some(i), _) if i < p.traits.len() => {
                p.traits.remove(i);
            }
            (SuggestionKind::Add, _, Some(t)) => p.traits.push(t.clone()),
            _ => {}
        }
        p
    }
}

/// The suggestions for a persona's fit against the segment `s`.
pub fn suggestions(frame: &SegmentFrame, s: &Bitmap, persona: &Persona, fit: &Fit) -> PolarsResult<Vec<Suggestion>> {
    let mut out = Vec::new();
    for (index, t) in fit.traits.iter().enumerate() {
        if !matches!(t.verdict, Verdict::Contradicted | Verdict::Weak) {
            continue;
        }
        let Ok(group) = crate::engine::segment::parse(&t.trait_text) else { continue };
        let fields = super::fields_of(&group);
        // A numeric trait moves to where the members are; others are dropped when contradicted.
        let numeric = fields.len() == 1
            && frame.data().field(&fields[0]).is_some_and(|f| {
                use crate::engine::fields::FieldType::*;
                matches!(f.ty, Number | Money | Integer | Date)
            });
        let moved = if numeric { range_of_members(frame, s, &fields[0])? } else { None };
        match moved {
            Some(text) if text != t.trait_text => {
                out.push(Suggestion { kind: SuggestionKind::Replace, index: Some(index), trait_text: Some(text) });
            }
            _ if t.verdict == Verdict::Contradicted => {
                out.push(Suggestion { kind: SuggestionKind::Drop, index: Some(index), trait_text: None });
            }
            _ => {}
        }
    }
    let mut fields_added: Vec<&str> = Vec::new();
    for m in &fit.missed {
        if fields_added.len() == 3 {
            break;
        }
        if fields_added.contains(&m.field.as_str()) || persona.traits.contains(&m.trait_text) {
            continue;
        }
        fields_added.push(&m.field);
        out.push(Suggestion { kind: SuggestionKind::Add, index: None, trait_text: Some(m.trait_text.clone()) });
    }
    Ok(out)
}

/// `field between P10 and P90` of the members (where 80% of them are).
fn range_of_members(frame: &SegmentFrame, s: &Bitmap, field: &str) -> PolarsResult<Option<String>> {
    super::missed::range_trait(frame, s, field)
}
