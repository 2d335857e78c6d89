//! Sentences the engine tells the user (import notes, why a file can't be read),
//! kept as an id and its arguments so the app can show them in the user's language.
//! The texts live in the one translation table ([`crate::i18n`]); the command line
//! and JSON output use English.

use crate::format::Lang;
use crate::i18n::t;

/// A message: a key of the translation table and the values for its `{0}`, `{1}` ….
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<String>,
}

impl Message {
    pub fn new<I, S>(id: &'static str, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: ToString,
    {
        Self { id, args: args.into_iter().map(|a| a.to_string()).collect() }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = t(lang, self.id).to_owned();
        for (i, arg) in self.args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), arg);
        }
        out
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text(Lang::En))
    }
}
