//! Personas: ideal customer profiles, and how well one fits the real customers of
//! a segment. A persona's checkable traits are conditions in the segment rule
//! language (one per trait), so personas and segments share one language; its
//! narrative fields (quote, goals, pain points…) are shown, never scored.
//! [`fit`] measures each trait against a segment; [`missed`] finds what sets a
//! segment apart that the persona does not mention, and drafts personas;
//! [`suggest`] turns both into edits.

pub mod chart;
pub mod fit;
pub mod missed;
pub mod stats;
pub mod suggest;

use serde::{Deserialize, Serialize};

use crate::engine::segment::{Group, Node, ParseError, Rule, parse};

/// An ideal customer profile, as saved in the workspace and in persona files
/// (`kitle persona add WS --file P.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// Checkable traits, one condition each in the segment text form.
    #[serde(default)]
    pub traits: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pain_points: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motivations: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<String>,
    /// Saved segments (by name) this persona stands for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
}

impl Persona {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ..Self::default() }
    }

    /// A persona file's JSON.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let persona: Persona = serde_json::from_str(text).map_err(|e| format!("not a persona file: {e}"))?;
        if persona.name.trim().is_empty() {
            return Err("the persona has no name".to_owned());
        }
        for t in &persona.traits {
            parse(t).map_err(|e| format!("the trait \"{t}\" could not be read: {e}"))?;
        }
        Ok(persona)
    }

    /// "Customers like this persona": every trait joined with AND; the first trait
    /// that can't be read is the error (never left out silently).
    pub fn rule(&self) -> Result<Rule, (String, ParseError)> {
        let traits = self.traits.iter().map(|t| t.trim()).filter(|t| !t.is_empty());
        traits.map(|t| parse(t).map_err(|e| (t.to_owned(), e))).collect::<Result<Vec<_>, _>>().map(Rule::all)
    }
}

/// The fields a rule reads.
pub fn fields_of(group: &Group) -> Vec<String> {
    let mut out = Vec::new();
    for item in &group.items {
        match &item.node {
            Node::Condition(c) => {
                if !out.contains(&c.field) {
                    out.push(c.field.clone());
                }
            }
            Node::Group(g) => {
                for f in fields_of(g) {
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persona_file_reads_and_its_traits_join_with_and() {
        let p = Persona::from_json(
            r#"{"name": "Girişimci Gökhan", "traits": ["age between 30 and 45", "city in (\"İstanbul\", \"Ankara\")"],
                "quote": "Zamanım yok.", "goals": ["Büyümek"]}"#,
        )
        .unwrap();
        let rule = p.rule().unwrap();
        assert_eq!(
            crate::engine::segment::to_text(&rule),
            r#"age between 30 and 45 and city in ("İstanbul", "Ankara")"#
        );
        assert_eq!(fields_of(&rule), ["age", "city"]);
        let either = Persona { traits: vec!["age < 30 or age > 60".into(), "city = \"İzmir\"".into()], ..p.clone() };
        assert_eq!(
            crate::engine::segment::to_text(&either.rule().unwrap()),
            "(age < 30 or age > 60) and city = \"İzmir\""
        );
        let broken = Persona { traits: vec!["age between".into()], ..p };
        assert_eq!(broken.rule().unwrap_err().0, "age between");
        assert!(Persona::from_json(r#"{"name": "X", "traits": ["age between"]}"#).is_err());
        assert!(Persona::from_json(r#"{"traits": []}"#).is_err());
    }
}
