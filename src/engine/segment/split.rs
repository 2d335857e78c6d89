//! Splits and holdouts: a segment cut into groups by percentage (90/10, 50/50 …),
//! each customer placed by a hash of their key (customer id, else normalised
//! email) and the split's seed into one of 100 buckets. The same customer lands in
//! the same bucket on every import and refresh, whatever the row order or who else
//! is in the data, so a holdout stays a holdout. A group is an ordinary saved
//! segment: `in segment "VIP" and in split "7f3a" 0 to 90`.

use std::borrow::Cow;

use polars::prelude::*;

use super::text::field_text;
use crate::engine::data::CustomerData;
use crate::engine::text::normalise_email;

/// The bucket (0–99) of a customer key under a seed: FNV-1a over the seed, a
/// separator and the key (a fixed algorithm, so buckets never move between versions).
pub fn split_bucket(seed: &str, key: &str) -> u8 {
    u8::try_from(fnv1a(seed.bytes().chain([0x1f]).chain(key.trim().bytes())) % 100).unwrap_or(0)
}

/// 64-bit FNV-1a: a small hash whose values never change between versions.
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Every customer's stable key handed to `each`, row by row: the customer id, else
/// the normalised email (`None` without either). Splits and membership records
/// follow customers by it.
pub(crate) fn with_customer_keys<T>(
    data: &CustomerData,
    mut each: impl FnMut(Option<&str>) -> T,
) -> PolarsResult<Vec<T>> {
    let keys = CustomerKeys::of(data)?;
    Ok(keys.column.iter().map(|k| each(keys.key(k).as_deref())).collect())
}

/// The column that keys customers, read one customer at a time (for a few rows of
/// many: a segment's members).
pub(crate) struct CustomerKeys {
    column: StringChunked,
    is_email: bool,
}

impl CustomerKeys {
    pub(crate) fn of(data: &CustomerData) -> PolarsResult<Self> {
        let (column, is_email) =
            if data.field("customer_id").is_some() { ("customer_id", false) } else { ("email", true) };
        let column = data.customers.column(column)?.cast(&DataType::String)?.str()?.clone();
        Ok(Self { column, is_email })
    }

    /// Row `row`'s key, as [`with_customer_keys`] gives it: borrowed from the
    /// column unless an e-mail needs normalising.
    pub(crate) fn key_at(&self, row: usize) -> Option<Cow<'_, str>> {
        self.key(self.column.get(row))
    }

    /// A cell's key: trimmed, `None` when empty; an e-mail normalised.
    fn key<'k>(&self, cell: Option<&'k str>) -> Option<Cow<'k, str>> {
        let k = cell.map(str::trim).filter(|k| !k.is_empty())?;
        Some(if self.is_email { Cow::Owned(normalise_email(k)) } else { Cow::Borrowed(k) })
    }
}

/// Every customer's bucket under `seed` (empty where a customer has no key).
pub fn split_buckets(data: &CustomerData, seed: &str) -> PolarsResult<Series> {
    // u32, not u8: polars here is built without the small integer types.
    let buckets: UInt32Chunked =
        with_customer_keys(data, |k| k.map(|k| u32::from(split_bucket(seed, k))))?.into_iter().collect();
    Ok(buckets.into_series())
}

/// Why typed percentages can't make a split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharesProblem {
    /// This part is not a number in the language.
    NotNumber(String),
    /// This part has decimals: groups are whole percentages.
    NotWhole(String),
    /// Fewer than two groups.
    TooFew,
    /// A group of 0%.
    Empty,
    /// They add up to this, not 100.
    Sum(u32),
}

/// Percentages typed the language's way, one per group: `90/10`, `50 50`,
/// `34; 33; 33`, `%50 / %50` (the Turkish sign first) or `50% / 50%`. Groups are
/// separated by `/`, `;`, spaces, or a comma that is not a Turkish decimal comma
/// (`33,5` is a number in Turkish, refused as not whole).
pub fn read_shares(text: &str, lang: crate::format::Lang) -> Result<Vec<u32>, SharesProblem> {
    let comma_separates = lang == crate::format::Lang::En;
    let parts = text
        .split(|c: char| c == '/' || c == ';' || c.is_whitespace() || (comma_separates && c == ','))
        .flat_map(|p| {
            // "34,33" in Turkish could be a decimal; "34, 33" (comma then space) has
            // already been split by the space, leaving "34," here.
            let p = p.trim_end_matches(',');
            Some(p).filter(|p| !p.trim_matches('%').is_empty())
        });
    let mut shares = Vec::new();
    for part in parts {
        let number = crate::engine::typed::read_number(part.trim_matches('%'), lang)
            .ok_or_else(|| SharesProblem::NotNumber(part.to_owned()))?
            .value;
        if number.fract() != 0.0 || !(0.0..=100.0).contains(&number) {
            return Err(SharesProblem::NotWhole(part.to_owned()));
        }
        shares.push(number as u32);
    }
    if shares.len() < 2 {
        return Err(SharesProblem::TooFew);
    }
    if shares.contains(&0) {
        return Err(SharesProblem::Empty);
    }
    match shares.iter().sum::<u32>() {
        100 => Ok(shares),
        total => Err(SharesProblem::Sum(total)),
    }
}

/// The saved segments of a split of `segment`: a name and a rule per group
/// (A, B, C …), buckets given out in order.
pub fn split_segments(
    segment: &str,
    shares: &[u32],
    seed: &str,
    lang: crate::format::Lang,
) -> Vec<(String, super::Rule)> {
    let mut from = 0;
    shares
        .iter()
        .enumerate()
        .map(|(i, share)| {
            let to = from + share;
            let letter = char::from(b'A' + u8::try_from(i % 26).unwrap_or(0));
            let share = match lang {
                crate::format::Lang::Tr => format!("%{share}"),
                crate::format::Lang::En => format!("{share}%"),
            };
            let name = format!("{segment} · {letter} ({share})");
            let rule = super::Rule::in_segment(segment).and(super::Rule::in_split(seed, from, to));
            from = to;
            (name, rule)
        })
        .collect()
}

/// A new split's seed: short and different each time (from the clock).
pub fn new_seed() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{:06x}", fnv1a(nanos.to_string().bytes()) & 0xff_ffff)
}

/// The name of the split column a seed needs (kept beside the lowered text columns).
pub(crate) fn bucket_column(seed: &str) -> String {
    format!("__split__{}", field_text(seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_fixed_and_spread() {
        // Fixed values: buckets must never move between versions of Kitle.
        assert_eq!(split_bucket("7f3a", "10042"), split_bucket("7f3a", " 10042 "));
        let mut counts = [0usize; 100];
        for i in 0..100_000 {
            counts[usize::from(split_bucket("seed", &i.to_string()))] += 1;
        }
        assert!(counts.iter().all(|c| (800..1200).contains(c)), "{counts:?}");
        // Another seed places customers anew: about 1 in 100 keep their bucket.
        let same =
            (0..10_000).filter(|i| split_bucket("a", &i.to_string()) == split_bucket("b", &i.to_string())).count();
        assert!(same < 300, "{same}");
    }

    #[test]
    fn shares_and_rules() {
        use crate::format::Lang::{En, Tr};
        assert_eq!(read_shares("90/10", Tr), Ok(vec![90, 10]));
        assert_eq!(read_shares("34, 33, 33", En), Ok(vec![34, 33, 33]));
        assert_eq!(read_shares("34, 33, 33", Tr), Ok(vec![34, 33, 33]));
        assert_eq!(read_shares("34,33,33", En), Ok(vec![34, 33, 33]));
        assert_eq!(read_shares("50%/50%", En), Ok(vec![50, 50]));
        assert_eq!(read_shares("%50 / %50", Tr), Ok(vec![50, 50]));
        assert_eq!(read_shares("34; 33; 33", Tr), Ok(vec![34, 33, 33]));
        assert_eq!(read_shares("33,5 / 66,5", Tr), Err(SharesProblem::NotWhole("33,5".into())));
        assert_eq!(read_shares("33.5 / 66.5", En), Err(SharesProblem::NotWhole("33.5".into())));
        assert_eq!(read_shares("100", Tr), Err(SharesProblem::TooFew));
        assert_eq!(read_shares("", Tr), Err(SharesProblem::TooFew));
        assert_eq!(read_shares("60/30", Tr), Err(SharesProblem::Sum(90)));
        assert_eq!(read_shares("0/100", Tr), Err(SharesProblem::Empty));
        assert_eq!(read_shares("a/b", Tr), Err(SharesProblem::NotNumber("a".into())));
        let groups = split_segments("VIP", &[90, 10], "7f3a", En);
        assert_eq!(split_segments("VIP", &[90, 10], "7f3a", Tr)[1].0, "VIP · B (%10)");
        let text = |i: usize| super::super::to_text(&groups[i].1);
        assert_eq!(groups[0].0, "VIP · A (90%)");
        assert_eq!(text(0), "in segment \"VIP\" and in split \"7f3a\" 0 to 90");
        assert_eq!(text(1), "in segment \"VIP\" and in split \"7f3a\" 90 to 100");
        for (_, rule) in &groups {
            assert_eq!(&super::super::parse(&super::super::to_text(rule)).unwrap(), rule);
        }
    }
}
