//! Reading a subcommand's arguments, the one way every subcommand does: each
//! declares its flags ([`Flag`]) in the command table ([`super::commands`]) and
//! gets back [`Args`] to ask for them by name. lexopt does the splitting
//! (`--flag value`, `--flag=value`, `-o value`); this is the one loop over it.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use lexopt::prelude::*;

/// How a flag is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// `--json`: on or off.
    Nothing,
    /// `--as-of 2026-01-01`: one value (the last one given wins).
    Value,
    /// `--map A=b --map C=d`: any number of values, in order.
    Values,
}

/// A flag a subcommand takes: its long name, an optional short letter, and what follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes: Takes,
}

/// `--name` alone.
pub const fn switch(long: &'static str) -> Flag {
    Flag { long, short: None, takes: Takes::Nothing }
}

/// `--name VALUE`.
pub const fn value(long: &'static str) -> Flag {
    Flag { long, short: None, takes: Takes::Value }
}

/// `--name VALUE`, repeatable.
pub const fn values(long: &'static str) -> Flag {
    Flag { long, short: None, takes: Takes::Values }
}

/// `-o FILE` / `--out FILE`.
pub const OUT: Flag = Flag { long: "out", short: Some('o'), takes: Takes::Value };

/// The arguments given to a subcommand.
#[derive(Debug, Default)]
pub struct Args {
    /// Words that are not flags, in order (the workspace, a directory, a sub-action).
    positional: Vec<OsString>,
    /// Each flag given, with its values in order (none for a switch).
    given: Vec<(&'static str, Vec<OsString>)>,
}

impl Args {
    /// Reads `args` against the flags a subcommand declares; anything else is an error
    /// that names it. At most `max_positional` plain words are taken.
    pub fn parse(args: Vec<OsString>, flags: &[Flag], max_positional: usize) -> Result<Self> {
        let mut out = Self::default();
        let mut parser = lexopt::Parser::from_args(args);
        while let Some(arg) = parser.next()? {
            let flag = match arg {
                Value(v) if out.positional.len() < max_positional => {
                    out.positional.push(v);
                    continue;
                }
                Long(name) => flags.iter().find(|f| f.long == name).ok_or_else(|| Long(name).unexpected())?,
                Short(c) => flags.iter().find(|f| f.short == Some(c)).ok_or_else(|| Short(c).unexpected())?,
                other @ Value(_) => return Err(other.unexpected().into()),
            };
            let value = match flag.takes {
                Takes::Nothing => None,
                Takes::Value | Takes::Values => Some(parser.value()?),
            };
            match out.given.iter_mut().find(|(name, _)| *name == flag.long) {
                Some((_, values)) if flag.takes == Takes::Values => values.extend(value),
                Some((_, values)) => *values = value.into_iter().collect(),
                None => out.given.push((flag.long, value.into_iter().collect())),
            }
        }
        Ok(out)
    }

    /// Refuses flags that belong to another form of the command (`why` names it).
    pub fn refuse(&self, flags: &[&str], why: &str) -> Result<()> {
        match flags.iter().find(|f| self.has(f)) {
            Some(flag) => bail!("--{flag} {why}."),
            None => Ok(()),
        }
    }

    /// The `i`-th plain word, if given.
    pub fn positional(&self, i: usize) -> Option<&OsString> {
        self.positional.get(i)
    }

    /// The `i`-th plain word as a path.
    pub fn path(&self, i: usize) -> Option<PathBuf> {
        self.positional(i).map(PathBuf::from)
    }

    /// The `i`-th plain word as a path, or the error `missing` when it was not given.
    pub fn required_path(&self, i: usize, missing: &str) -> Result<PathBuf> {
        self.path(i).ok_or_else(|| anyhow!("{missing}"))
    }

    /// Whether the flag was given.
    pub fn has(&self, long: &str) -> bool {
        self.given.iter().any(|(name, _)| *name == long)
    }

    fn raw(&self, long: &str) -> Option<&OsString> {
        self.given.iter().find(|(name, _)| *name == long).and_then(|(_, v)| v.last())
    }

    /// The flag's value as text.
    pub fn text(&self, long: &str) -> Result<Option<String>> {
        self.raw(long)
            .map(|v| {
                v.clone().into_string().map_err(|v| anyhow!("--{long} is not valid text: {}", v.to_string_lossy()))
            })
            .transpose()
    }

    /// Every value a repeatable flag was given, as text.
    pub fn texts(&self, long: &str) -> Result<Vec<String>> {
        let values = self.given.iter().filter(|(name, _)| *name == long).flat_map(|(_, v)| v);
        values
            .map(|v| {
                v.clone().into_string().map_err(|v| anyhow!("--{long} is not valid text: {}", v.to_string_lossy()))
            })
            .collect()
    }

    /// The flag's value as a path.
    pub fn file(&self, long: &str) -> Option<PathBuf> {
        self.raw(long).map(PathBuf::from)
    }

    /// The flag's value as a date (YYYY-MM-DD).
    pub fn date(&self, long: &str) -> Result<Option<NaiveDate>> {
        self.raw(long).cloned().map(parse_date).transpose()
    }

    /// The flag's value read as `T` (a number …); `what` says what it should look like.
    pub fn number<T: std::str::FromStr>(&self, long: &str, what: &str) -> Result<Option<T>> {
        match self.text(long)? {
            None => Ok(None),
            Some(text) => match text.trim().parse() {
                Ok(v) => Ok(Some(v)),
                Err(_) => bail!("--{long} takes {what}, not \"{text}\"."),
            },
        }
    }
}

/// A date as the command line takes it: YYYY-MM-DD.
pub(crate) fn parse_date(value: OsString) -> Result<NaiveDate> {
    let s = value.string()?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").with_context(|| format!("\"{s}\" is not a date like 2026-04-05"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn flags_are_read_by_their_declaration() {
        let flags = [switch("json"), value("as-of"), values("map"), OUT];
        let a = Args::parse(
            args(&["ws.kitle", "--json", "--map", "A=b", "--as-of=2026-01-02", "-o", "x.kitle", "--map", "C=d"]),
            &flags,
            1,
        )
        .unwrap();
        assert_eq!(a.path(0), Some(PathBuf::from("ws.kitle")));
        assert!(a.has("json") && !a.has("as-of-not"));
        assert_eq!(a.texts("map").unwrap(), ["A=b", "C=d"]);
        assert_eq!(a.date("as-of").unwrap(), NaiveDate::from_ymd_opt(2026, 1, 2));
        assert_eq!(a.file("out"), Some(PathBuf::from("x.kitle")));
        assert_eq!(a.file("absent"), None);
    }

    #[test]
    fn anything_undeclared_is_named_in_the_error() {
        let flags = [switch("json")];
        let err = Args::parse(args(&["ws", "--jsno"]), &flags, 1).unwrap_err().to_string();
        assert!(err.contains("--jsno"), "{err}");
        let err = Args::parse(args(&["ws", "extra"]), &flags, 1).unwrap_err().to_string();
        assert!(err.contains("extra"), "{err}");
        let err = Args::parse(args(&["--as-of", "x"]), &[value("as-of")], 0).unwrap().date("as-of").unwrap_err();
        assert!(err.to_string().contains("not a date"), "{err}");
        let n: Result<Option<usize>> =
            Args::parse(args(&["--k", "four"]), &[value("k")], 0).unwrap().number("k", "a whole number");
        assert!(n.unwrap_err().to_string().contains("--k takes a whole number"));
    }
}
