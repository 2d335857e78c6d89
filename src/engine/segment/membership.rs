//! Membership over time: each time a workspace's data is imported again (or its
//! store refreshed), every saved segment's members (customer keys: id, else
//! normalised email) are recorded in a private sidecar folder beside the workspace
//! (`NAME-members/`), never in the workspace document. From the last two records
//! come who entered and who left; `history.ron` keeps each segment's size over time.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use polars::prelude::{IdxSize, PolarsResult};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::evaluate::SegmentFrame;
use super::parse;
use super::split::{CustomerKeys, with_customer_keys};
use crate::engine::data::CustomerData;
use crate::engine::files::{parent_dir, write_private};
use crate::engine::segment::Segment;

const HISTORY_FILE: &str = "history.ron";

/// One segment's record at one import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub segment: String,
    /// When it was recorded (local time, `YYYY-MM-DD HH:MM`).
    pub at: String,
    /// Which data it was recorded for (the sources' stamp): one record per import.
    pub stamp: String,
    pub size: usize,
    pub entered: usize,
    pub left: usize,
}

/// A segment's changes: its history, and who entered and left at the last import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub history: Vec<Snapshot>,
    pub entered: Vec<String>,
    pub left: Vec<String>,
}

/// The sidecar folder of a workspace saved at `workspace` (`shop.kitle` → `shop-members`).
pub fn members_dir_for(workspace: &Path) -> PathBuf {
    let stem = workspace.file_stem().map_or_else(|| "kitle".into(), |s| s.to_string_lossy().into_owned());
    parent_dir(workspace).join(format!("{stem}-members"))
}

/// A segment's files, named by a hash of its name (names may hold any character).
fn keys_file(dir: &Path, segment: &str, previous: bool) -> PathBuf {
    let id = super::split::fnv1a(segment.trim().to_lowercase().bytes());
    dir.join(format!("{id:016x}{}.keys", if previous { ".prev" } else { "" }))
}

fn read_keys(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path).map(|t| t.lines().map(str::to_owned).collect()).unwrap_or_default()
}

fn read_history(dir: &Path) -> Vec<Snapshot> {
    std::fs::read_to_string(dir.join(HISTORY_FILE)).ok().and_then(|t| ron::from_str(&t).ok()).unwrap_or_default()
}

/// Records every saved segment's members for the data with this `stamp` (nothing
/// when this data was recorded already). Returns the new records.
pub fn record(
    dir: &Path,
    segments: &[Segment],
    data: std::sync::Arc<CustomerData>,
    stamp: &str,
) -> std::io::Result<Vec<Snapshot>> {
    let mut history = read_history(dir);
    // Only members' keys are read (holding every customer's as text took 0.5 GB at
    // 10M customers).
    let keys = CustomerKeys::of(&data).map_err(std::io::Error::other)?;
    let frame = SegmentFrame::new(data).with_saved_segments(segments);
    let at = crate::engine::segment::now_text();
    let mut added = Vec::new();
    for segment in segments {
        let already = history.iter().rev().find(|s| s.segment == segment.name).is_some_and(|s| s.stamp == stamp);
        let Ok(group) = parse(&segment.rule) else { continue };
        if already {
            continue;
        }
        let compiled = frame.compile(&group);
        let Ok(rows) = frame.members(&compiled) else { continue };
        // Sorted and without repeats, as a set of text would list them: borrowed
        // from the key column and sorted on every core.
        let mut now: Vec<Cow<'_, str>> = rows.iter().filter_map(|&r| keys.key_at(r as usize)).collect();
        now.par_sort_unstable();
        now.dedup();
        let current = keys_file(dir, &segment.name, false);
        let first = !current.exists();
        // A set's keys come sorted.
        let before: Vec<String> = read_keys(&current).into_iter().collect();
        crate::engine::files::make_private_dir(dir)?;
        write_private(&keys_file(dir, &segment.name, true), before.join("\n").as_bytes())?;
        write_private(&current, now.join("\n").as_bytes())?;
        let snapshot = Snapshot {
            segment: segment.name.clone(),
            at: at.clone(),
            stamp: stamp.to_owned(),
            size: now.len(),
            entered: if first { 0 } else { not_in(&now, &before) },
            left: if first { 0 } else { not_in(&before, &now) },
        };
        history.push(snapshot.clone());
        added.push(snapshot);
    }
    if !added.is_empty() {
        let text =
            ron::ser::to_string_pretty(&history, ron::ser::PrettyConfig::default()).map_err(std::io::Error::other)?;
        write_private(&dir.join(HISTORY_FILE), text.as_bytes())?;
    }
    Ok(added)
}

/// How many keys of `a` are not in `b` (both sorted, without repeats).
fn not_in(a: &[impl AsRef<str>], b: &[impl AsRef<str>]) -> usize {
    let mut at = 0;
    a.iter()
        .filter(|k| {
            let k = k.as_ref();
            while b.get(at).is_some_and(|x| x.as_ref() < k) {
                at += 1;
            }
            b.get(at).is_none_or(|x| x.as_ref() != k)
        })
        .count()
}

/// A segment's history, and who entered and left at its last record.
pub fn changes(dir: &Path, segment: &str) -> Changes {
    let history: Vec<Snapshot> = read_history(dir).into_iter().filter(|s| s.segment == segment).collect();
    let (now, before) = (read_keys(&keys_file(dir, segment, false)), read_keys(&keys_file(dir, segment, true)));
    let first = history.len() < 2;
    Changes {
        entered: if first { Vec::new() } else { now.difference(&before).cloned().collect() },
        left: if first { Vec::new() } else { before.difference(&now).cloned().collect() },
        history,
    }
}

/// A segment's changes, with the customers of the current data they name.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberChanges {
    pub changes: Changes,
    /// Rows of the customer table of those who entered at the last import.
    pub entered_rows: Vec<IdxSize>,
    /// Rows of those who left and are still customers (the others are gone from the data).
    pub left_rows: Vec<IdxSize>,
}

/// A segment's changes, and where its entered and left customers are in `data`.
pub fn member_changes(dir: &Path, segment: &str, data: &CustomerData) -> PolarsResult<MemberChanges> {
    let changes = changes(dir, segment);
    let entered: BTreeSet<&str> = changes.entered.iter().map(String::as_str).collect();
    let left: BTreeSet<&str> = changes.left.iter().map(String::as_str).collect();
    let (mut entered_rows, mut left_rows) = (Vec::new(), Vec::new());
    let mut row: IdxSize = 0;
    with_customer_keys(data, |key| {
        if let Some(key) = key {
            if entered.contains(key) {
                entered_rows.push(row);
            } else if left.contains(key) {
                left_rows.push(row);
            }
        }
        row += 1;
    })?;
    Ok(MemberChanges { changes, entered_rows, left_rows })
}

/// The latest record of every segment (for the saved list).
pub fn latest(dir: &Path) -> Vec<Snapshot> {
    let mut latest: Vec<Snapshot> = Vec::new();
    for s in read_history(dir) {
        match latest.iter_mut().find(|l| l.segment == s.segment) {
            Some(l) => *l = s,
            None => latest.push(s),
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Counted on sorted lists, who entered and who left are the sets' differences.
        #[test]
        fn keys_not_in_another_list_are_the_set_difference(
            a in proptest::collection::btree_set("[a-c]{0,3}", 0..20),
            b in proptest::collection::btree_set("[a-c]{0,3}", 0..20),
        ) {
            let (list_a, list_b): (Vec<&String>, Vec<&String>) = (a.iter().collect(), b.iter().collect());
            proptest::prop_assert_eq!(not_in(&list_a, &list_b), a.difference(&b).count());
            proptest::prop_assert_eq!(not_in(&list_b, &list_a), b.difference(&a).count());
        }
    }
}
