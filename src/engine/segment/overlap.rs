//! How saved segments overlap: for every pair, the customers in both, taken from
//! each rule's mask (one bit per customer) with a bitwise AND and a count. A cell's
//! share is read along its row: the part of the row segment that is also in the
//! column segment. The customers of a cell are found again by the rule
//! [`intersection_rule`] writes. Two or three segments also make a Venn diagram
//! ([`Overlap::venn`]), whose regions are found again by [`region_rule`].

use polars::prelude::PolarsResult;
use polars_arrow::bitmap::Bitmap;
use rayon::prelude::*;
use serde::Serialize;

use super::evaluate::SegmentFrame;
use super::{Rule, parse};

/// The overlap of saved segments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    pub names: Vec<String>,
    /// Members of each segment (`None` where its rule can't be read).
    pub sizes: Vec<Option<usize>>,
    /// `counts[i][j]`: customers in both segment i and segment j (the diagonal is the size).
    pub counts: Vec<Vec<Option<usize>>>,
    /// Each segment's members, one bit per customer (for Venn regions).
    #[serde(skip)]
    pub masks: Vec<Option<Bitmap>>,
}

/// A Venn diagram of two or three saved segments: the customers of each region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Venn {
    /// The segments, as indexes into [`Overlap::names`].
    pub segments: Vec<usize>,
    /// Per region: which segments it is inside (bit k: `segments[k]`) and how
    /// many customers are in exactly those. Regions inside none are left out.
    pub regions: Vec<(u8, usize)>,
}

impl Venn {
    /// The customers of a region.
    pub fn count(&self, inside: u8) -> usize {
        self.regions.iter().find(|(r, _)| *r == inside).map_or(0, |(_, n)| *n)
    }
}

impl Overlap {
    /// The part of segment `row` that is also in segment `col` (0–1).
    pub fn share(&self, row: usize, col: usize) -> Option<f64> {
        let size = self.sizes.get(row).copied().flatten()?;
        let both = self.counts.get(row)?.get(col).copied().flatten()?;
        (size > 0).then(|| both as f64 / size as f64)
    }
}

/// The overlap of `segments` (name, rule text) on the frame's customers.
pub fn overlap(frame: &SegmentFrame, segments: &[(String, String)]) -> PolarsResult<Overlap> {
    let masks: Vec<Option<Bitmap>> = segments
        .par_iter()
        .map(|(_, rule)| match parse(rule) {
            Ok(group) => frame.mask(&frame.compile(&group)).map(Some),
            Err(_) => Ok(None),
        })
        .collect::<PolarsResult<_>>()?;
    let n = masks.len();
    let mut counts = vec![vec![None; n]; n];
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i..n).map(move |j| (i, j))).collect();
    let found: Vec<((usize, usize), Option<usize>)> = pairs
        .into_par_iter()
        .map(|(i, j)| {
            let both = match (&masks[i], &masks[j]) {
                (Some(a), Some(_)) if i == j => Some(a.set_bits()),
                (Some(a), Some(b)) => Some((a & b).set_bits()),
                _ => None,
            };
            ((i, j), both)
        })
        .collect();
    for ((i, j), both) in found {
        counts[i][j] = both;
        counts[j][i] = both;
    }
    Ok(Overlap {
        names: segments.iter().map(|(name, _)| name.clone()).collect(),
        sizes: (0..n).map(|i| counts[i][i]).collect(),
        counts,
        masks,
    })
}

impl Overlap {
    /// The Venn regions of two or three of the segments (indexes); `None` for
    /// another number of segments, a repeated one, or one whose rule can't be read.
    pub fn venn(&self, segments: &[usize]) -> Option<Venn> {
        if !(2..=3).contains(&segments.len()) || (1..segments.len()).any(|i| segments[..i].contains(&segments[i])) {
            return None;
        }
        let masks: Vec<&Bitmap> = segments.iter().map(|&i| self.masks.get(i)?.as_ref()).collect::<Option<_>>()?;
        let regions = (1u8..1 << masks.len())
            .map(|inside| {
                let mut region = Bitmap::new_with_value(true, masks[0].len());
                for (k, mask) in masks.iter().enumerate() {
                    region = if inside >> k & 1 == 1 { &region & *mask } else { &region & &!*mask };
                }
                (inside, region.set_bits())
            })
            .collect();
        Some(Venn { segments: segments.to_vec(), regions })
    }
}

/// The rule of a Venn region: in the segments it is inside, not in the others
/// (by reference, so it follows the saved segments).
pub fn region_rule(names: &[&str], inside: u8) -> Rule {
    Rule::all(names.iter().enumerate().map(|(k, name)| {
        let reference = Rule::in_segment(name);
        if inside >> k & 1 == 0 { !reference } else { reference }
    }))
}

/// The rule of the customers in both saved segments (their rules as saved);
/// `None` when either rule can't be read.
pub fn intersection_rule(a: &str, b: &str) -> Option<Rule> {
    let (a, b) = (parse(a).ok()?, parse(b).ok()?);
    Some(if a == b { a } else { a.and(b) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::segment::to_text;

    #[test]
    fn region_rules_name_the_segments_inside_and_outside() {
        assert_eq!(to_text(&region_rule(&["A", "B"], 0b01)), "in segment \"A\" and not in segment \"B\"");
        assert_eq!(
            to_text(&region_rule(&["A", "B", "C"], 0b110)),
            "not in segment \"A\" and in segment \"B\" and in segment \"C\""
        );
    }

    #[test]
    fn an_intersection_keeps_each_rule_whole() {
        let text = |a: &str, b: &str| intersection_rule(a, b).map(|r| to_text(&r));
        let rule = text("ltv > 5000 or orders >= 3", "channel = \"Meta\"").unwrap();
        assert_eq!(rule, "(ltv > 5000 or orders >= 3) and channel = \"Meta\"");
        assert_eq!(parse(&rule).unwrap().items.len(), 2);
        assert_eq!(
            text("channel = \"Meta\"", "ltv > 5000 or orders >= 3").unwrap(),
            "channel = \"Meta\" and (ltv > 5000 or orders >= 3)"
        );
        assert_eq!(text("ltv > 1", "ltv > 1").unwrap(), "ltv > 1");
        assert!(text("ltv >", "ltv > 1").is_none());
        assert_eq!(text("", "ltv > 1").unwrap(), "ltv > 1");
        assert_eq!(text("ltv > 1", "").unwrap(), "ltv > 1");
    }
}
