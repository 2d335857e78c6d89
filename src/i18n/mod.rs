//! Every user-facing text, in English and Turkish: the desktop app's labels and
//! the engine's messages (import notes, errors), which the command line prints in
//! English. One table per area (a file each, beside this one), all looked up by
//! [`t`] through one map built on first use. Tests check every key has both
//! languages, every key the code uses exists, and every key is used. No UI code
//! here, so the engine can use it.

mod app;
mod audiences;
mod cohorts;
mod customers;
mod dashboard;
mod explore;
mod fields;
mod import;
mod messages;
mod persona;
mod segments;
mod store;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use crate::format::Lang;

/// Every area's table.
const AREAS: [&[(&str, &str, &str)]; 12] = [
    cohorts::TEXTS,
    store::TEXTS,
    explore::TEXTS,
    persona::TEXTS,
    app::TEXTS,
    audiences::TEXTS,
    import::TEXTS,
    customers::TEXTS,
    dashboard::TEXTS,
    segments::TEXTS,
    messages::TEXTS,
    fields::TEXTS,
];

/// Key → (English, Turkish), built once.
fn table() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    static TABLE: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| AREAS.iter().flat_map(|area| area.iter()).map(|(k, en, tr)| (*k, (*en, *tr))).collect())
}

fn pick(lang: Lang, (en, tr): (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Tr => tr,
    }
}

/// The text for `key` in `lang`; the key itself when it is missing (tests keep that
/// from happening: a scan of the code, and [`missing_keys`] after a UI walk).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    match table().get(key) {
        Some(texts) => pick(lang, *texts),
        None => {
            MISSING.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key);
            key
        }
    }
}

/// Keys looked up that the tables lack, however they were built.
static MISSING: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// Every key asked of [`t`] in this process that the tables lack.
pub fn missing_keys() -> Vec<&'static str> {
    MISSING.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().copied().collect()
}

/// Every key of the tables (for tests that check no screen shows one).
pub fn keys() -> impl Iterator<Item = &'static str> {
    table().keys().copied()
}

/// The table's own copy of a key (for messages read back from a file).
pub fn static_key(key: &str) -> Option<&'static str> {
    table().get_key_value(key).map(|(k, _)| *k)
}

/// A field's user-facing name: canonical and derived fields are translated, custom
/// fields keep their header.
pub fn field_label(lang: Lang, field: &str) -> String {
    table()
        .get(format!("field.{field}").as_str())
        .map_or_else(|| field.to_owned(), |texts| pick(lang, *texts).to_owned())
}

/// An RFM group's name (the groups' ids are English; the table has both).
pub fn rfm_group_label(lang: Lang, id: &str) -> String {
    table().get(format!("rfm.{id}").as_str()).map_or_else(|| id.to_owned(), |texts| pick(lang, *texts).to_owned())
}

/// An RFM group's meaning and the action marketers usually take with it.
pub fn rfm_group_advice(lang: Lang, id: &str) -> Option<(&'static str, &'static str)> {
    let meaning = table().get(format!("rfm_meaning.{id}").as_str())?;
    let action = table().get(format!("rfm_action.{id}").as_str())?;
    Some((pick(lang, *meaning), pick(lang, *action)))
}

pub fn type_label(lang: Lang, ty: crate::engine::fields::FieldType) -> &'static str {
    use crate::engine::fields::FieldType as F;
    t(
        lang,
        match ty {
            F::Text => "type.text",
            F::Category => "type.category",
            F::Number => "type.number",
            F::Money => "type.money",
            F::Integer => "type.integer",
            F::Date => "type.date",
            F::Bool => "type.bool",
            F::List => "type.list",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fields::{SourceKind, canonical_fields, customer_columns};
    use std::collections::HashSet;

    /// Rust files under `src`, except the tables themselves.
    fn code_files() -> Vec<(std::path::PathBuf, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let i18n = src.join("i18n");
        let mut files = Vec::new();
        walk(&src, &mut files);
        files
            .into_iter()
            .filter(|f| !f.starts_with(&i18n) || f.ends_with("mod.rs"))
            .map(|f| {
                let text = std::fs::read_to_string(&f).unwrap();
                (f, text)
            })
            .collect()
    }

    /// The string literals of Rust source (comments and char literals skipped).
    fn string_literals(text: &str) -> Vec<&str> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
                b'\'' if b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'') => i += 3,
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                    out.push(&text[start..i.min(b.len())]);
                }
                _ => {}
            }
            i += 1;
        }
        out
    }

    /// Endings that make a dotted literal a file or host name, not a key.
    const NOT_KEYS: [&str; 9] = ["csv", "tsv", "kitle", "ron", "rs", "com", "example", "xlsx", "jsonl"];

    /// String literals that look like keys (`"area.name"`, whatever the area, so a
    /// key of an area the tables lack is found too), with the file they are in.
    fn keys_in_code(files: &[(std::path::PathBuf, String)]) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for (file, text) in files {
            for literal in string_literals(text) {
                let Some((area, name)) = literal.split_once('.') else { continue };
                let is_word = |s: &str| {
                    s.starts_with(|c: char| c.is_ascii_lowercase())
                        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                };
                if is_word(area) && is_word(name) && !NOT_KEYS.contains(&name) {
                    found.push((literal.to_owned(), file.display().to_string()));
                }
            }
        }
        found
    }

    /// Keys used in `files` that the table lacks, and table keys no file uses.
    fn key_problems(files: &[(std::path::PathBuf, String)]) -> (Vec<String>, Vec<&'static str>) {
        let used = keys_in_code(files);
        let missing =
            used.iter().filter(|(k, _)| !table().contains_key(k.as_str())).map(|(k, f)| format!("{k} ({f})")).collect();
        let used: HashSet<&str> = used.iter().map(|(k, _)| k.as_str()).collect();
        let all_code: String = files.iter().map(|(_, text)| text.as_str()).collect();
        let mut unused: Vec<&'static str> = table()
            .keys()
            .copied()
            // Field and RFM group names and advice are looked up by id (field_label,
            // rfm_group_label, rfm_group_advice).
            .filter(|k| !["field.", "rfm.", "rfm_meaning.", "rfm_action."].iter().any(|p| k.starts_with(p)))
            .filter(|k| !used.contains(k) && !all_code.contains(&format!("\"{k}\"")))
            .collect();
        unused.sort_unstable();
        (missing, unused)
    }

    #[test]
    fn every_key_used_exists_and_every_key_is_used() {
        let (missing, unused) = key_problems(&code_files());
        assert!(missing.is_empty(), "keys used in code but missing from the tables: {missing:?}");
        assert!(unused.is_empty(), "keys in the tables that no code uses: {unused:?}");
    }

    #[test]
    fn the_key_check_fails_when_broken() {
        let file = |text: &str| vec![(std::path::PathBuf::from("x.rs"), text.to_owned())];
        let (missing, _) = key_problems(&file("t(lang, \"menu.no_such_item\")"));
        assert_eq!(missing, ["menu.no_such_item (x.rs)"]);
        // A key of an area no table has, passed through a helper, is found too.
        let (missing, _) = key_problems(&file("for (key, x) in [(\"newarea.heading\", 1)] { t(lang, key); }"));
        assert_eq!(missing, ["newarea.heading (x.rs)"]);
        let (missing, _) = key_problems(&file("let f = \"demo.kitle\"; let n = \"2.500\";"));
        assert!(missing.is_empty(), "{missing:?}");
        let (_, unused) = key_problems(&file("t(lang, \"menu.file\")"));
        assert!(unused.contains(&"menu.open") && !unused.contains(&"menu.file"));
    }

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, tr) in AREAS.iter().flat_map(|a| a.iter()) {
            assert!(seen.insert(key), "duplicate key {key}");
            assert!(!en.is_empty() && !tr.is_empty(), "{key} is missing a language");
        }
    }

    #[test]
    fn messages_fill_the_same_blanks_in_both_languages() {
        let blanks = |text: &str| -> Vec<usize> { (0..6).filter(|i| text.contains(&format!("{{{i}}}"))).collect() };
        for (key, en, tr) in AREAS.iter().flat_map(|a| a.iter()) {
            assert_eq!(blanks(en), blanks(tr), "{key} has different {{n}} blanks in English and Turkish");
        }
        let m = crate::engine::message::Message::new("msg.blank_rows", [3]).about("a.csv");
        assert_eq!(m.text(Lang::Tr), "a.csv: 3 boş satır atlandı.");
        assert_eq!(m.to_string(), "a.csv: 3 blank rows were skipped.");
        let kind = crate::engine::message::Message::new("msg.err_not_spreadsheet", ["x.csv"]).with_key("kind.png");
        assert!(kind.text(Lang::Tr).contains("bir PNG resmi"));
    }

    #[test]
    fn every_field_has_a_name_in_both_languages() {
        let kinds = [SourceKind::Customers, SourceKind::Orders, SourceKind::Spend];
        let ids = customer_columns()
            .map(|(id, _)| id)
            .chain(kinds.iter().flat_map(|k| canonical_fields(*k).iter().map(|f| f.id)));
        for id in ids {
            assert_ne!(field_label(Lang::En, id), id, "{id} has no English name");
            assert_ne!(field_label(Lang::Tr, id), id, "{id} has no Turkish name");
        }
        assert_eq!(t(Lang::Tr, "tab.explore"), "Keşfet");
        use crate::engine::explore::rfm::{GROUPS, OTHERS, PROSPECTS};
        for id in GROUPS.iter().map(|g| g.id).chain([OTHERS, PROSPECTS]) {
            assert!(rfm_group_advice(Lang::Tr, id).is_some(), "{id} has no meaning or advice");
            assert_ne!(rfm_group_label(Lang::Tr, id), id, "{id} has no name");
        }
        assert_eq!(field_label(Lang::Tr, "Sadakat Puanı"), "Sadakat Puanı");
    }
}
