//! What an audience sent last time, so the next send can be a diff: who entered
//! (adds), who left (removes) and who stayed. The membership is kept beside the
//! workspace, not in it (it can be large), as one line per member: the customer's
//! key and the identifiers sent (hashes, or the value for what goes in clear). The
//! file holds personal data and is written readable by the user only.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::AudienceRows;

/// The members sent: key → what was sent for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    pub members: HashMap<String, Vec<String>>,
}

/// How a new membership differs from the last one sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Diff {
    /// New members, and members whose identifiers changed (sent again).
    pub adds: usize,
    /// Members who left, and the old identifiers of members whose identifiers changed.
    pub removes: usize,
    pub unchanged: usize,
}

impl Membership {
    /// The members of built rows that a file or push would send.
    pub fn of(rows: &AudienceRows) -> Self {
        let members = rows
            .rows
            .iter()
            .filter(|m| m.matchable(&rows.identifiers))
            .map(|m| {
                let sent: Vec<String> = m
                    .values
                    .iter()
                    .map(|v| {
                        v.as_ref()
                            .map_or_else(String::new, |v| v.sha256.clone().unwrap_or_else(|| v.normalized.clone()))
                    })
                    .collect();
                let key = m
                    .customer_id
                    .clone()
                    .unwrap_or_else(|| sent.iter().find(|s| !s.is_empty()).cloned().unwrap_or_default());
                (key, sent)
            })
            .collect();
        Self { members }
    }

    /// What sending `self` after `previous` changes.
    pub fn diff_from(&self, previous: &Membership) -> Diff {
        let mut diff = Diff::default();
        for (key, sent) in &self.members {
            match previous.members.get(key) {
                Some(before) if before == sent => diff.unchanged += 1,
                Some(_) => {
                    diff.adds += 1;
                    diff.removes += 1;
                }
                None => diff.adds += 1,
            }
        }
        let current: HashSet<&String> = self.members.keys().collect();
        diff.removes += previous.members.keys().filter(|k| !current.contains(k)).count();
        diff
    }

    /// Reads a membership file; a missing file is an empty membership.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e),
        };
        let members = text
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let key = fields.next()?.to_owned();
                Some((key, fields.map(str::to_owned).collect()))
            })
            .collect();
        Ok(Self { members })
    }

    /// Writes the membership file atomically, readable by the user only.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut keys: Vec<&String> = self.members.keys().collect();
        keys.sort();
        let mut text = String::new();
        for key in keys {
            text.push_str(&key.replace(['\t', '\n'], " "));
            for sent in &self.members[key] {
                text.push('\t');
                text.push_str(sent);
            }
            text.push('\n');
        }
        crate::engine::workspace::write_private(path, text.as_bytes())
    }
}

/// Where an audience's last membership for a platform is kept: a folder beside the
/// workspace (`shop.kitle` → `shop.audiences/`).
pub fn membership_path(workspace: &Path, audience: &str, platform: super::Platform) -> PathBuf {
    let stem = workspace.file_stem().map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned());
    let safe: String =
        audience.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    crate::engine::workspace::parent_dir(workspace)
        .join(format!("{stem}.audiences"))
        .join(format!("{safe}-{}.tsv", platform.id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(members: &[(&str, &str)]) -> Membership {
        Membership { members: members.iter().map(|(k, h)| ((*k).to_owned(), vec![(*h).to_owned()])).collect() }
    }

    #[test]
    fn adds_removes_and_unchanged() {
        let before = membership(&[("1", "a"), ("2", "b"), ("3", "c")]);
        let after = membership(&[("2", "b"), ("3", "c2"), ("4", "d")]);
        // 4 entered; 1 left; 3's email changed (sent again, old one removed); 2 stayed.
        assert_eq!(after.diff_from(&before), Diff { adds: 2, removes: 2, unchanged: 1 });
        assert_eq!(after.diff_from(&Membership::default()), Diff { adds: 3, removes: 0, unchanged: 0 });
    }

    #[test]
    fn a_membership_file_reads_back_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = membership_path(&dir.path().join("shop.kitle"), "VIP / Özel", super::super::Platform::Google);
        assert!(path.ends_with("shop.audiences/VIP___Özel-google.tsv"), "{}", path.display());
        let m = membership(&[("1", "a"), ("2", "b")]);
        m.save(&path).unwrap();
        assert_eq!(Membership::load(&path).unwrap(), m);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(Membership::load(&dir.path().join("none.tsv")).unwrap(), Membership::default());
    }
}
