//! Sentences the engine tells the user (import notes, why a file can't be read),
//! kept as an id and its arguments so the app can show them in the user's language.
//! The texts live in the one translation table ([`crate::i18n`]); the command line
//! and JSON output use English.

use crate::format::Lang;
use crate::i18n::t;

/// A value filled into a message: text as is, or another key of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Key(&'static str),
}

/// A message: a key of the translation table and the values for its `{0}`, `{1}` ….
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<Arg>,
    /// What the message is about (a file name), shown before it.
    pub context: Option<String>,
}

impl Message {
    pub fn new<I, S>(id: &'static str, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: ToString,
    {
        Self { id, args: args.into_iter().map(|a| Arg::Text(a.to_string())).collect(), context: None }
    }

    /// Adds an argument that is itself a key of the table (translated too).
    pub fn with_key(mut self, key: &'static str) -> Self {
        self.args.push(Arg::Key(key));
        self
    }

    /// Puts what the message is about in front of it: `orders.csv: …`.
    pub fn about(mut self, context: impl Into<String>) -> Self {
        self.context = Some(context.into());
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = t(lang, self.id).to_owned();
        for (i, arg) in self.args.iter().enumerate() {
            let value = match arg {
                Arg::Text(text) => text.as_str(),
                Arg::Key(key) => t(lang, key),
            };
            out = out.replace(&format!("{{{i}}}"), value);
        }
        match &self.context {
            Some(context) => format!("{context}: {out}"),
            None => out,
        }
    }
}

/// A system error's text (Rust's `io::Error` display, "No such file or directory
/// (os error 2)") for the reader: in English as the system said it; in Turkish the
/// common causes in words, with the system's own text kept as a detail. Text that
/// is not a system error is returned as it is.
pub fn os_error_text(lang: Lang, raw: &str) -> String {
    if lang == Lang::En {
        return raw.to_owned();
    }
    let code =
        raw.rsplit_once("(os error ").and_then(|(_, rest)| rest.strip_suffix(')')).and_then(|n| n.parse::<i32>().ok());
    let key = match code {
        Some(2) => "io.not_found",
        Some(13 | 1) => "io.denied",
        Some(21) => "io.is_dir",
        Some(28) => "io.no_space",
        Some(30) => "io.read_only",
        Some(17) => "io.exists",
        Some(_) => "io.other",
        // Not a system error (a parser's message): shown as it is.
        None => return raw.to_owned(),
    };
    t(lang, "io.with_detail").replace("{0}", t(lang, key)).replace("{1}", raw)
}

/// The text a panic was raised with, when it has one (a `&str` or a `String`).
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload.downcast_ref::<&str>().map(|s| (*s).to_owned()).or_else(|| payload.downcast_ref::<String>().cloned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_are_said_in_turkish_with_the_systems_text_beside() {
        let raw = "No such file or directory (os error 2)";
        assert_eq!(os_error_text(Lang::En, raw), raw);
        assert_eq!(os_error_text(Lang::Tr, raw), format!("dosya bulunamadı (sistemin iletisi: {raw})"));
        assert!(os_error_text(Lang::Tr, "Permission denied (os error 13)").starts_with("erişim izni yok"));
        assert!(os_error_text(Lang::Tr, "Weird (os error 99)").starts_with("bir sistem hatası"));
        assert_eq!(os_error_text(Lang::Tr, "expected `(` at 1:1"), "expected `(` at 1:1");
    }
}
