//! What `kitle`'s first argument asks for: a subcommand, the version, a file to
//! open in the window, or nothing known — then the command line says so and lists
//! the commands instead of trying to open a window for a typo.

use std::ffi::OsString;
use std::path::PathBuf;

use super::commands::{self, HELP_WORDS};

/// What to do with the command line.
#[derive(Debug, PartialEq)]
pub enum Launch {
    /// A headless subcommand (`kitle import …`).
    Command,
    /// The desktop app, opening this file if one is given.
    Window(Option<PathBuf>),
    /// `kitle --version`.
    Version,
    /// Neither a command nor a file: the message to print.
    Unknown(String),
}

/// Decides what the arguments ask for.
pub fn launch(args: &[OsString]) -> Launch {
    let Some(first) = args.first() else { return Launch::Window(None) };
    let text = first.to_string_lossy();
    if matches!(text.as_ref(), "--version" | "-V" | "version") {
        return Launch::Version;
    }
    if commands::find(&text).is_some() || HELP_WORDS.contains(&text.as_ref()) {
        return Launch::Command;
    }
    let path = PathBuf::from(first);
    if path.exists() {
        return Launch::Window(Some(path));
    }
    let commands: Vec<&str> = commands::names().collect();
    let nearest = commands
        .iter()
        .map(|c| (edit_distance(&text.to_lowercase(), c), *c))
        .min()
        .filter(|(d, _)| *d <= 2)
        .map(|(_, c)| format!(" Did you mean \"{c}\"?"))
        .unwrap_or_default();
    Launch::Unknown(format!(
        "kitle: \"{text}\" is neither a command nor a file that exists.{nearest}\nCommands: {}\nkitle help shows how to use them; kitle FILE opens a workspace or spreadsheet in the window.",
        commands.join(", ")
    ))
}

/// Levenshtein distance between two short words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_typo_is_named_and_the_nearest_command_offered() {
        let Launch::Unknown(message) = launch(&args(&["audiense", "x.kitle"])) else { panic!("not unknown") };
        assert!(message.contains("\"audiense\" is neither a command nor a file"), "{message}");
        assert!(message.contains("Did you mean \"audience\"?"), "{message}");
        assert!(message.contains("import, summary"), "{message}");
        let Launch::Unknown(far) = launch(&args(&["zzzzzzzz"])) else { panic!("not unknown") };
        assert!(!far.contains("Did you mean"), "{far}");
    }

    #[test]
    fn commands_files_and_the_version_are_told_apart() {
        assert_eq!(launch(&args(&["import"])), Launch::Command);
        assert_eq!(launch(&args(&[])), Launch::Window(None));
        assert_eq!(launch(&args(&["--version"])), Launch::Version);
        let here = std::env::current_dir().unwrap();
        assert_eq!(launch(&[here.clone().into_os_string()]), Launch::Window(Some(here)));
        assert_eq!(edit_distance("audiense", "audience"), 1);
        assert!(crate::version().starts_with(&format!("kitle {}", env!("CARGO_PKG_VERSION"))));
    }
}
