//! The dependency rules of the crate, checked by a test: the engine is plain Rust
//! over polars that any front end can drive, so no file under `src/engine` may name
//! the UI toolkit, the desktop app, the command line, or open a network
//! connection (network code lives in its own top-level module, so "offline unless
//! asked" can be checked by reading one folder).
//!
//! And the engine's own modules (`engine/NAME.rs` or `engine/NAME/`) form no
//! circle: a module never uses one that uses it back, directly or through others,
//! so each can be read, tested and moved knowing only what it names below it.

/// Words no engine file may contain, and why.
pub const FORBIDDEN_IN_ENGINE: &[(&str, &str)] = &[
    ("egui", "the engine draws nothing: UI code lives in src/app"),
    ("eframe", "the engine draws nothing: UI code lives in src/app"),
    ("rfd::", "file dialogs belong to the app"),
    ("crate::app", "the app depends on the engine, never the other way"),
    ("crate::cli", "the command line depends on the engine, never the other way"),
    ("std::net", "network code lives outside the engine"),
    ("TcpStream", "network code lives outside the engine"),
    ("UdpSocket", "network code lives outside the engine"),
    ("reqwest", "network code lives outside the engine"),
    ("ureq", "network code lives outside the engine"),
];

/// The rule broken on each line of an engine file that breaks one: (line number,
/// word, why). This file itself names the words and is left out by the caller.
pub fn violations(text: &str) -> Vec<(usize, &'static str, &'static str)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (word, why) in FORBIDDEN_IN_ENGINE {
            if code.contains(word) {
                found.push((number + 1, *word, *why));
            }
        }
    }
    found
}

/// The engine modules a file names (`crate::engine::NAME`, or `super::NAME` from a
/// file `depth` folders below the engine), outside comments and test code.
pub fn modules_named(text: &str, depth: usize) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    let supers = "super::".repeat(depth);
    let mut found: Vec<String> = Vec::new();
    let word = |rest: &str| -> String { rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut names = Vec::new();
        for (at, _) in line.match_indices("crate::engine::") {
            names.push(word(&line[at + "crate::engine::".len()..]));
        }
        for (at, _) in line.match_indices(&supers) {
            // Exactly `depth` supers: not part of a longer chain.
            if line[..at].ends_with("super::") {
                continue;
            }
            let rest = &line[at + supers.len()..];
            if rest.starts_with("super::") {
                continue;
            }
            match rest.strip_prefix('{') {
                Some(list) => {
                    let list = list.split('}').next().unwrap_or("");
                    names.extend(list.split(',').map(|n| word(n.trim())));
                }
                None => names.push(word(rest)),
            }
        }
        for name in names.into_iter().filter(|n| !n.is_empty()) {
            if !found.contains(&name) {
                found.push(name);
            }
        }
    }
    found
}

/// The circles among modules, given each module's uses: every group of modules that
/// reach each other (strongly connected, found by Tarjan's method), sorted.
pub fn cycles(uses: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        uses: &'a std::collections::BTreeMap<String, Vec<String>>,
        index: std::collections::HashMap<&'a str, (usize, usize)>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) -> usize {
            let at = self.index.len();
            self.index.insert(v, (at, at));
            self.stack.push(v);
            let mut low = at;
            for w in self.uses.get(v).into_iter().flatten() {
                let w = w.as_str();
                match self.index.get(w) {
                    None => low = low.min(self.visit(w)),
                    Some(&(i, _)) if self.stack.contains(&w) => low = low.min(i),
                    Some(_) => {}
                }
            }
            self.index.insert(v, (at, low));
            if low == at {
                let from = self.stack.iter().rposition(|x| *x == v).unwrap_or(0);
                let mut group: Vec<String> = self.stack.drain(from..).map(str::to_owned).collect();
                if group.len() > 1 || self.uses.get(v).is_some_and(|u| u.iter().any(|w| w == v)) {
                    group.sort();
                    self.found.push(group);
                }
            }
            low
        }
    }
    let mut walk = Walk { uses, index: Default::default(), stack: Vec::new(), found: Vec::new() };
    for v in uses.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found.sort();
    walk.found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_engine_depends_on_nothing_above_it() {
        let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
        let mut files = Vec::new();
        rust_files(&engine, &mut files);
        assert!(files.len() > 20, "the engine's files were found");
        let mut broken = Vec::new();
        for file in files.iter().filter(|f| !f.ends_with("architecture.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for (line, word, why) in violations(&text) {
                broken.push(format!("{}:{line}: `{word}`: {why}", file.display()));
            }
        }
        assert!(broken.is_empty(), "the engine reaches above itself:\n{}", broken.join("\n"));
    }

    #[test]
    fn network_code_lives_in_connect_only() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let connect = src.join("connect");
        assert!(files.iter().any(|f| f.starts_with(&connect)), "the connect module was found");
        let network = ["ureq", "std::net", "TcpStream", "UdpSocket", "reqwest"];
        let mut broken = Vec::new();
        for file in files.iter().filter(|f| !f.starts_with(&connect) && !f.ends_with("architecture.rs")) {
            let text = std::fs::read_to_string(file).unwrap();
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if let Some(word) = network.iter().find(|w| code.contains(*w)) {
                    broken.push(format!("{}:{}: `{word}`", file.display(), number + 1));
                }
            }
        }
        assert!(broken.is_empty(), "network code outside src/connect:\n{}", broken.join("\n"));
    }

    /// Each engine module (first folder or file below `src/engine`) and the engine
    /// modules its files use.
    fn engine_uses() -> std::collections::BTreeMap<String, Vec<String>> {
        let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
        let mut files = Vec::new();
        rust_files(&engine, &mut files);
        let mut uses: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for file in files.iter().filter(|f| !f.ends_with("architecture.rs") && !f.ends_with("engine/mod.rs")) {
            let rel = file.strip_prefix(&engine).unwrap();
            let parts: Vec<String> =
                rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned()).collect();
            let module = parts[0].clone();
            let depth = parts.len() - usize::from(parts.last().is_some_and(|p| p == "mod"));
            let text = std::fs::read_to_string(file).unwrap();
            let entry = uses.entry(module.clone()).or_default();
            for name in modules_named(&text, depth) {
                if name != module && !entry.contains(&name) {
                    entry.push(name);
                }
            }
        }
        uses
    }

    #[test]
    fn the_engine_modules_form_no_circle() {
        let uses = engine_uses();
        assert!(uses.len() > 20 && uses["segment"].contains(&"data".to_owned()), "{uses:?}");
        let found = cycles(&uses);
        assert!(found.is_empty(), "engine modules that use each other in a circle: {found:?}\nuses: {uses:#?}");
    }

    #[test]
    fn the_circle_check_catches_a_circle() {
        let named = modules_named(
            "use super::{data::X, import};\nuse crate::engine::segment::Rule; // crate::engine::app\nuse super::super::x;\n#[cfg(test)]\nuse crate::engine::demo;",
            1,
        );
        assert_eq!(named, ["data", "import", "segment"]);
        assert_eq!(modules_named("use super::history::Window;\nuse super::super::data::D;", 2), ["data"]);
        let uses = |pairs: &[(&str, &[&str])]| -> std::collections::BTreeMap<String, Vec<String>> {
            pairs.iter().map(|(m, u)| ((*m).to_owned(), u.iter().map(|s| (*s).to_owned()).collect())).collect()
        };
        // workspace → cache → files is fine; workspace → segment → workspace is a circle.
        assert!(cycles(&uses(&[("workspace", &["cache"]), ("cache", &["files"]), ("files", &[])])).is_empty());
        let broken = uses(&[
            ("workspace", &["segment", "cache"]),
            ("segment", &["data", "audience"]),
            ("audience", &["workspace"]),
            ("data", &[]),
        ]);
        assert_eq!(cycles(&broken), [["audience", "segment", "workspace"]]);
    }

    #[test]
    fn the_check_catches_what_it_should() {
        // What the engine's export once did, and what a UI or network import looks like.
        let bad = "use crate::cli::cell_text;\nfn f(ui: &mut egui::Ui) {}\nlet s = std::net::TcpStream::connect(a);";
        let words: Vec<&str> = violations(bad).into_iter().map(|(_, w, _)| w).collect();
        assert_eq!(words, ["crate::cli", "egui", "std::net", "TcpStream"]);
        assert!(violations("// mentions egui in a comment only\nlet x = 1;").is_empty());
    }
}
