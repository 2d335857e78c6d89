//! The dependency rules of the crate, checked by a test: the engine is plain Rust
//! over polars that any front end can drive, so no file under `src/engine` may name
//! the UI toolkit, the desktop app, the command line, or open a network
//! connection (network code lives in its own top-level module, so "offline unless
//! asked" can be checked by reading one folder).

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

    #[test]
    fn the_check_catches_what_it_should() {
        // What the engine's export once did, and what a UI or network import looks like.
        let bad = "use crate::cli::cell_text;\nfn f(ui: &mut egui::Ui) {}\nlet s = std::net::TcpStream::connect(a);";
        let words: Vec<&str> = violations(bad).into_iter().map(|(_, w, _)| w).collect();
        assert_eq!(words, ["crate::cli", "egui", "std::net", "TcpStream"]);
        assert!(violations("// mentions egui in a comment only\nlet x = 1;").is_empty());
    }
}
