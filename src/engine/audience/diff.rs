//! What an audience sent last time, so the next send can be a diff: who entered
//! (adds), who left (removes) and who stayed. The membership is kept beside the
//! workspace, not in it (it can be large), as a header naming the identifiers and
//! one line per member: the customer's key and the identifiers sent (hashes, or
//! the value for what goes in clear). The file holds personal data and is written
//! readable by the user only. Files written and API pushes keep separate
//! memberships: a file written is not proof that anything reached the platform.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{AudienceRows, Identifier};

/// The first word of a membership file's header line.
const HEADER: &str = "kitle-membership";

/// The members sent: key → what was sent for them, one value per identifier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    /// Where it was sent (`google:ACCOUNT/LIST`, `meta:AUDIENCE`), empty for files:
    /// a membership recorded for one list says nothing about another.
    pub destination: String,
    /// What each member's values are, in order.
    pub identifiers: Vec<Identifier>,
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

/// One member to add or remove: the key and the values sent (or to send).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub values: Vec<String>,
}

/// The members to remove (with the values sent before) and to add (with the
/// values to send now), each sorted by key so a resumed send goes in the same order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The identifiers of `removes`' values (the membership sent before).
    pub removed_identifiers: Vec<Identifier>,
    pub removes: Vec<Change>,
    /// The identifiers of `adds`' values (the membership now).
    pub identifiers: Vec<Identifier>,
    pub adds: Vec<Change>,
}

/// Whether a membership records files written or pushes a platform accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentBy {
    File,
    Api,
}

impl Membership {
    /// The members of built rows that a file or push would send.
    pub fn of(rows: &AudienceRows) -> Self {
        let members = rows
            .rows
            .iter()
            .filter(|m| m.matchable(&rows.identifiers, rows.platform))
            .map(|m| {
                let sent: Vec<String> = m
                    .values
                    .iter()
                    .map(|v| {
                        v.as_ref()
                            .map_or_else(String::new, |v| v.sha256.map_or_else(|| v.normalized.clone(), |h| h.hex()))
                    })
                    .collect();
                let key = m
                    .customer_id
                    .clone()
                    .unwrap_or_else(|| sent.iter().find(|s| !s.is_empty()).cloned().unwrap_or_default());
                (key, sent)
            })
            .collect();
        Self { destination: String::new(), identifiers: rows.identifiers.clone(), members }
    }

    /// What sending `self` after `previous` changes.
    pub fn diff_from(&self, previous: &Membership) -> Diff {
        let changes = self.changes_from(previous);
        Diff {
            adds: changes.adds.len(),
            removes: changes.removes.len(),
            unchanged: self.members.len() - changes.adds.len(),
        }
    }

    /// The members to remove and add to go from `previous` to `self`. A member
    /// whose values changed (or whose identifiers differ) is removed with the old
    /// values and added with the new.
    pub fn changes_from(&self, previous: &Membership) -> Changes {
        let same_columns = self.identifiers == previous.identifiers;
        let mut changes = Changes {
            removed_identifiers: previous.identifiers.clone(),
            identifiers: self.identifiers.clone(),
            ..Changes::default()
        };
        for (key, values) in &self.members {
            match previous.members.get(key) {
                Some(before) if same_columns && before == values => {}
                Some(before) => {
                    changes.removes.push(Change { key: key.clone(), values: before.clone() });
                    changes.adds.push(Change { key: key.clone(), values: values.clone() });
                }
                None => changes.adds.push(Change { key: key.clone(), values: values.clone() }),
            }
        }
        for (key, before) in &previous.members {
            if !self.members.contains_key(key) {
                changes.removes.push(Change { key: key.clone(), values: before.clone() });
            }
        }
        changes.removes.sort_by(|a, b| a.key.cmp(&b.key));
        changes.adds.sort_by(|a, b| a.key.cmp(&b.key));
        changes
    }

    /// Records removes the platform accepted.
    pub fn record_removed(&mut self, removed: &[Change]) {
        for change in removed {
            if self.members.get(&change.key) == Some(&change.values) {
                self.members.remove(&change.key);
            }
        }
    }

    /// Records adds the platform accepted. A membership of other identifiers is
    /// emptied first only once every old member has been removed from it.
    pub fn record_added(&mut self, identifiers: &[Identifier], added: &[Change]) {
        if self.identifiers != identifiers {
            if !self.members.is_empty() {
                // Old-column members still here were not removed; keep them
                // recorded under the old columns (the next send removes them).
                return self.record_added_mixed(identifiers, added);
            }
            self.identifiers = identifiers.to_vec();
        }
        for change in added {
            self.members.insert(change.key.clone(), change.values.clone());
        }
    }

    fn record_added_mixed(&mut self, identifiers: &[Identifier], added: &[Change]) {
        // Old values are re-expressed in the new columns so one file holds both.
        let old = std::mem::take(&mut self.identifiers);
        for values in self.members.values_mut() {
            *values = identifiers
                .iter()
                .map(|id| old.iter().position(|o| o == id).map_or_else(String::new, |i| values[i].clone()))
                .collect();
        }
        self.identifiers = identifiers.to_vec();
        self.record_added(identifiers, added);
    }

    /// Reads a membership file, with the batches a push interrupted by a crash had
    /// recorded in its journal since; a missing file is an empty membership.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let mut membership = Self::load_file(path)?;
        Journal::replay(path, &mut membership)?;
        Ok(membership)
    }

    fn load_file(path: &Path) -> std::io::Result<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(e),
        };
        let mut lines = text.lines().peekable();
        let (mut identifiers, mut destination) = (Vec::new(), String::new());
        if let Some(header) = lines.next_if(|l| l.starts_with(HEADER)) {
            for field in header.split('\t').skip(1) {
                match field.strip_prefix("to=") {
                    Some(to) => to.clone_into(&mut destination),
                    None => identifiers.extend(Identifier::from_id(field)),
                }
            }
        }
        let members = lines
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let key = fields.next()?.to_owned();
                let mut values: Vec<String> = fields.map(str::to_owned).collect();
                // A damaged line still has one value per identifier (empty: not sent).
                if !identifiers.is_empty() {
                    values.resize(identifiers.len(), String::new());
                }
                Some((key, values))
            })
            .collect();
        Ok(Self { destination, identifiers, members })
    }

    /// Writes the membership file atomically, readable by the user only.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut keys: Vec<&String> = self.members.keys().collect();
        keys.sort();
        let mut text = String::from(HEADER);
        if !self.destination.is_empty() {
            text.push_str("\tto=");
            text.push_str(&self.destination.replace(['\t', '\n'], " "));
        }
        for id in &self.identifiers {
            text.push('\t');
            text.push_str(id.id());
        }
        text.push('\n');
        for key in keys {
            text.push_str(&key.replace(['\t', '\n'], " "));
            for sent in &self.members[key] {
                text.push('\t');
                text.push_str(sent);
            }
            text.push('\n');
        }
        crate::engine::files::write_private(path, text.as_bytes())
    }
}

/// The journal of a push in progress, beside its membership file (`….tsv.journal`):
/// each batch the platform accepted is appended and synced before the next is sent,
/// so a push killed mid-way (`kill -9`, a power cut) resumes with what is left.
/// A batch is a line `batch\t+|-\tIDENTIFIERS`, its members (`KEY\tVALUES…`) and
/// `end`; one cut short by the crash was not recorded as accepted and is sent again
/// (adds de-duplicate on both platforms, removes of non-members are ignored). The
/// journal goes once the membership file is saved at the end of the push.
pub struct Journal {
    path: PathBuf,
    file: std::fs::File,
}

impl Journal {
    fn path_for(membership: &Path) -> PathBuf {
        let mut name = membership.as_os_str().to_owned();
        name.push(".journal");
        PathBuf::from(name)
    }

    /// Opens (or continues) the journal of the membership at `membership`, noting
    /// where this push goes.
    pub fn open(membership: &Path, destination: &str) -> std::io::Result<Self> {
        use std::io::Write;
        let path = Self::path_for(membership);
        let mut file = crate::engine::files::open_private_append(&path)?;
        // A line cut short by a crash is ended first.
        file.write_all(format!("\nto\t{}\n", destination.replace(['\t', '\n'], " ")).as_bytes())?;
        file.sync_all()?;
        Ok(Self { path, file })
    }

    /// Records a batch the platform accepted (synced before returning).
    pub fn record(&mut self, added: bool, identifiers: &[Identifier], batch: &[Change]) -> std::io::Result<()> {
        use std::io::Write;
        let ids: Vec<&str> = identifiers.iter().map(|i| i.id()).collect();
        let mut text = format!("batch\t{}\t{}\n", if added { "+" } else { "-" }, ids.join(","));
        for change in batch {
            text.push_str(&change.key.replace(['\t', '\n'], " "));
            for value in &change.values {
                text.push('\t');
                text.push_str(value);
            }
            text.push('\n');
        }
        text.push_str("end\n");
        self.file.write_all(text.as_bytes())?;
        self.file.sync_all()
    }

    /// The push ended and its membership is saved: the journal is no longer needed.
    pub fn finish(self) -> std::io::Result<()> {
        drop(self.file);
        std::fs::remove_file(&self.path)
    }

    /// Applies the whole batches a journal holds to `membership`.
    fn replay(membership_path: &Path, membership: &mut Membership) -> std::io::Result<()> {
        let text = match std::fs::read_to_string(Self::path_for(membership_path)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut batch: Option<(bool, Vec<Identifier>, Vec<Change>)> = None;
        for line in text.lines() {
            let mut fields = line.split('\t');
            match (fields.next(), &mut batch) {
                (Some("to"), _) => {
                    let to = fields.next().unwrap_or_default();
                    if membership.destination != to {
                        // A push to another list starts from nobody there.
                        *membership = Membership { destination: to.to_owned(), ..Membership::default() };
                    }
                    batch = None;
                }
                (Some("batch"), _) => {
                    let added = fields.next() == Some("+");
                    let ids = fields.next().unwrap_or_default().split(',').filter_map(Identifier::from_id).collect();
                    batch = Some((added, ids, Vec::new()));
                }
                (Some("end"), Some(_)) => {
                    if let Some((added, ids, changes)) = batch.take() {
                        if added {
                            membership.record_added(&ids, &changes);
                        } else {
                            membership.record_removed(&changes);
                        }
                    }
                }
                (Some(key), Some((_, ids, changes))) if !key.is_empty() => {
                    let mut values: Vec<String> = fields.map(str::to_owned).collect();
                    values.resize(ids.len(), String::new());
                    changes.push(Change { key: key.to_owned(), values });
                }
                // A batch cut short, or an empty line: not recorded as accepted.
                _ => batch = None,
            }
        }
        Ok(())
    }
}

/// The folder beside a workspace that holds what its audiences sent (`shop.kitle` →
/// `shop.audiences/`): memberships, push journals and the export record.
pub fn audiences_dir(workspace: &Path) -> PathBuf {
    let stem = workspace.file_stem().map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned());
    crate::engine::files::parent_dir(workspace).join(format!("{stem}.audiences"))
}

/// Where an audience's last membership for a platform is kept: a folder beside the
/// workspace (`shop.kitle` → `shop.audiences/`), one file for files written and
/// one for what the platform's API accepted.
pub fn membership_path(workspace: &Path, audience: &str, platform: super::Platform, by: SentBy) -> PathBuf {
    let safe: String =
        audience.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    audiences_dir(workspace).join(match by {
        SentBy::File => format!("{safe}-{}.tsv", platform.id()),
        SentBy::Api => format!("{safe}-{}-api.tsv", platform.id()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(members: &[(&str, &str)]) -> Membership {
        Membership {
            destination: "google:1/2".into(),
            identifiers: vec![Identifier::Email],
            members: members.iter().map(|(k, h)| ((*k).to_owned(), vec![(*h).to_owned()])).collect(),
        }
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
        let path =
            membership_path(&dir.path().join("shop.kitle"), "VIP / Özel", super::super::Platform::Google, SentBy::File);
        assert!(path.ends_with("shop.audiences/VIP___Özel-google.tsv"), "{}", path.display());
        let m = membership(&[("1", "a"), ("2", "b")]);
        m.save(&path).unwrap();
        assert_eq!(Membership::load(&path).unwrap(), m);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(Membership::load(&dir.path().join("none.tsv")).unwrap(), Membership::default());
    }

    #[test]
    fn changes_list_what_to_remove_and_add_and_record_only_what_was_accepted() {
        let before = membership(&[("1", "a"), ("2", "b"), ("3", "c")]);
        let after = membership(&[("2", "b"), ("3", "c2"), ("4", "d")]);
        let changes = after.changes_from(&before);
        let keys = |c: &[Change]| c.iter().map(|c| format!("{}={}", c.key, c.values[0])).collect::<Vec<_>>();
        assert_eq!(keys(&changes.removes), ["1=a", "3=c"]);
        assert_eq!(keys(&changes.adds), ["3=c2", "4=d"]);

        // Only the first remove and the first add were accepted.
        let mut sent = before.clone();
        sent.record_removed(&changes.removes[..1]);
        sent.record_added(&changes.identifiers, &changes.adds[..1]);
        let rest = after.changes_from(&sent);
        assert_eq!(keys(&rest.removes), Vec::<String>::new(), "3's old value was replaced by the accepted add");
        assert_eq!(keys(&rest.adds), ["4=d"]);
        sent.record_added(&rest.identifiers, &rest.adds);
        assert_eq!(sent, after);
    }

    #[test]
    fn a_change_of_identifiers_removes_and_re_adds_everyone() {
        let before = membership(&[("1", "a")]);
        let mut after = membership(&[("1", "a")]);
        after.identifiers = vec![Identifier::Phone];
        let changes = after.changes_from(&before);
        assert_eq!((changes.removes.len(), changes.adds.len()), (1, 1));
        assert_eq!(changes.removed_identifiers, [Identifier::Email]);
    }
}
