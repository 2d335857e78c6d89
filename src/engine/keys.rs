//! Dictionary codes for key columns (order ids, customer ids, emails): every
//! distinct key gets a small number, in order of first appearance, so that folding
//! millions of order lines works on numbers instead of strings.
//!
//! Keys are mostly numeric ids. When every key is a plain decimal number they are
//! hashed as integers, and when the numbers are also dense (sequential ids) they
//! index an array directly, with no hashing at all. Anything else (emails,
//! `#1001`, ids with leading zeros) is hashed as text.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

/// The code of a row without a key.
pub const NO_KEY: u32 = u32::MAX;

/// Codes of every row of every column given, and how many distinct codes exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCodes {
    pub columns: Vec<Vec<u32>>,
    pub distinct: u32,
}

/// A column of keys, read row by row: encoding reads it once (as numbers, when
/// every key is one) or twice (to hash text keys), so the keys are never gathered
/// into a vector of text (24 bytes a row: 120 MB at 5M order lines).
pub trait KeyColumn<'a> {
    /// How many rows (room for their codes is made at once).
    fn rows(&self) -> usize;

    /// Calls `f` with every row's key, in order.
    fn each(&self, f: impl FnMut(Option<Cow<'a, str>>));

    /// When the column holds its keys as numbers (ids read as numbers, see
    /// `import::columns::read_keys`): calls `f` with every row's key, in order, and
    /// returns true. Each number is the key [`as_number`] reads from its text.
    fn each_number(&self, _f: impl FnMut(Option<u64>)) -> bool {
        false
    }
}

impl<'a, S: AsRef<str>> KeyColumn<'a> for &'a [Option<S>] {
    fn rows(&self) -> usize {
        self.len()
    }

    fn each(&self, mut f: impl FnMut(Option<Cow<'a, str>>)) {
        self.iter().for_each(|k| f(k.as_ref().map(|s| Cow::Borrowed(s.as_ref()))));
    }
}

/// Encodes the keys of several columns into one dictionary (the same key gets the
/// same code in every column). A row without a key gets [`NO_KEY`], or, with
/// `missing_is_unique`, a code of its own.
pub fn encode<'a, K: KeyColumn<'a>>(columns: &[K], missing_is_unique: bool) -> KeyCodes {
    let mut next = 0u32;
    let columns = match read_numbers(columns) {
        Some(numbers) => encode_numbers(columns, numbers, missing_is_unique, &mut next),
        None => encode_text(columns, missing_is_unique, &mut next),
    };
    KeyCodes { columns, distinct: next }
}

/// The first reading: every column's keys as numbers, while every key is one.
/// Columns holding numbers are read again when codes are given; text is parsed
/// once, its numbers kept here.
struct ReadNumbers {
    /// Per column: its numbers when parsed from text.
    stored: Vec<Option<Vec<u64>>>,
    min: u64,
    max: u64,
    rows: usize,
}

fn read_numbers<'a, K: KeyColumn<'a>>(columns: &[K]) -> Option<ReadNumbers> {
    let (mut stored, mut rows) = (Vec::with_capacity(columns.len()), 0);
    let (mut min, mut max) = (u64::MAX, 0u64);
    let mut span_of = |v: u64| {
        if v != MISSING {
            (min, max) = (min.min(v), max.max(v));
        }
    };
    for column in columns {
        rows += column.rows();
        if column.each_number(|k| span_of(k.unwrap_or(MISSING))) {
            stored.push(None);
            continue;
        }
        let mut these = Vec::with_capacity(column.rows());
        let mut plain = true;
        column.each(|k| {
            if plain {
                match k.map_or(Some(MISSING), |k| as_number(&k)) {
                    Some(v) => {
                        span_of(v);
                        these.push(v);
                    }
                    None => plain = false,
                }
            }
        });
        if !plain {
            return None;
        }
        stored.push(Some(these));
    }
    // With no key at all, an empty span.
    Some(ReadNumbers { stored, min: min.min(max), max, rows })
}

/// Codes for numeric keys: dense numbers index an array, others are hashed.
fn encode_numbers<'a, K: KeyColumn<'a>>(
    columns: &[K],
    read: ReadNumbers,
    missing_is_unique: bool,
    next: &mut u32,
) -> Vec<Vec<u32>> {
    let ReadNumbers { stored, min, max, rows } = read;
    let numbers: Vec<NumberKeys<'_, K>> = columns
        .iter()
        .zip(stored)
        .map(|(column, stored)| match stored {
            Some(stored) => NumberKeys::Stored(stored),
            None => NumberKeys::Column(column),
        })
        .collect();
    let span = usize::try_from(max - min).unwrap_or(usize::MAX);
    if span <= rows.saturating_mul(4).saturating_add(1024) {
        // Dense numbers index an array: no hashing at all.
        let mut slots = vec![NO_KEY; span + 1];
        assign(&numbers, missing_is_unique, next, |v, candidate| {
            let slot = &mut slots[usize::try_from(v - min).unwrap_or(0)];
            if *slot == NO_KEY {
                *slot = candidate;
            }
            *slot
        })
    } else {
        // Keys repeat (an order's lines, a customer's orders): the map grows
        // to the distinct keys rather than being sized for every row.
        let mut map: HashMap<u64, u32> = HashMap::with_capacity(rows.min(1 << 20));
        assign(&numbers, missing_is_unique, next, |v, candidate| *map.entry(v).or_insert(candidate))
    }
}

/// Codes for keys hashed as text.
fn encode_text<'a, K: KeyColumn<'a>>(columns: &[K], missing_is_unique: bool, next: &mut u32) -> Vec<Vec<u32>> {
    let mut map: HashMap<Cow<'a, str>, u32> = HashMap::with_capacity(1 << 16);
    columns
        .iter()
        .map(|column| {
            let mut codes = Vec::with_capacity(column.rows());
            column.each(|k| {
                codes.push(match k {
                    None if !missing_is_unique => NO_KEY,
                    None => {
                        *next += 1;
                        *next - 1
                    }
                    Some(k) => {
                        let code = *map.entry(k).or_insert(*next);
                        *next += u32::from(code == *next);
                        code
                    }
                })
            });
            codes
        })
        .collect()
}

/// A column's numeric keys: parsed from its text and kept, or read from the column.
enum NumberKeys<'c, K> {
    Stored(Vec<u64>),
    Column(&'c K),
}

impl<'a, K: KeyColumn<'a>> NumberKeys<'_, K> {
    fn rows(&self) -> usize {
        match self {
            Self::Stored(keys) => keys.len(),
            Self::Column(column) => column.rows(),
        }
    }

    /// Calls `f` with every row's number ([`MISSING`] for no key).
    fn each(&self, mut f: impl FnMut(u64)) {
        match self {
            Self::Stored(keys) => keys.iter().for_each(|&k| f(k)),
            Self::Column(column) => {
                column.each_number(|k| f(k.unwrap_or(MISSING)));
            }
        }
    }
}

/// Stands for "no key" among numeric keys (no 19-digit number reaches it).
const MISSING: u64 = u64::MAX;

/// Walks numeric keys in order; `lookup(key, candidate)` returns the key's code,
/// taking `candidate` (the next unused code) when the key is new.
fn assign<'a, K, L>(
    columns: &[NumberKeys<'_, K>],
    missing_is_unique: bool,
    next: &mut u32,
    mut lookup: L,
) -> Vec<Vec<u32>>
where
    K: KeyColumn<'a>,
    L: FnMut(u64, u32) -> u32,
{
    columns
        .iter()
        .map(|keys| {
            let mut codes = Vec::with_capacity(keys.rows());
            keys.each(|k| {
                codes.push(if k == MISSING {
                    if missing_is_unique {
                        *next += 1;
                        *next - 1
                    } else {
                        NO_KEY
                    }
                } else {
                    let code = lookup(k, *next);
                    if code == *next {
                        *next += 1;
                    }
                    code
                })
            });
            codes
        })
        .collect()
}

/// A key that is a plain decimal number: digits only, no leading zero (`007` and
/// `7` are different ids), at most 19 digits.
pub fn as_number(key: &str) -> Option<u64> {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    let mut v = 0u64;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::Just;

    use super::*;

    fn codes(columns: &[&[Option<&str>]], unique: bool) -> (Vec<Vec<u32>>, u32) {
        let k = encode(columns, unique);
        (k.columns, k.distinct)
    }

    #[test]
    fn same_key_same_code_in_order_of_first_appearance() {
        // Dense numbers, sparse numbers, text and mixed keys all give the same codes.
        for keys in [
            ["10", "11", "10", "12"],
            ["10", "900000000000", "10", "5"],
            ["a@x.com", "b@x.com", "a@x.com", "c@x.com"],
            ["10", "007", "10", "7"],
        ] {
            let col: Vec<Option<&str>> = keys.iter().map(|k| Some(*k)).collect();
            assert_eq!(codes(&[&col], false), (vec![vec![0, 1, 0, 2]], 3), "{keys:?}");
        }
    }

    #[test]
    fn columns_share_one_dictionary_and_missing_keys_are_handled() {
        let customers = [Some("5"), None, Some("6")];
        let orders = [Some("6"), Some("9"), None, Some("5")];
        assert_eq!(codes(&[&customers, &orders], false), (vec![vec![0, NO_KEY, 1], vec![1, 2, NO_KEY, 0]], 3));
        assert_eq!(codes(&[&customers, &orders], true), (vec![vec![0, 1, 2], vec![2, 3, 4, 0]], 5));
        assert_eq!(codes(&[&[]], false), (vec![vec![]], 0));
    }

    /// Ids read as numbers (an orders file's, see `import::columns::read_keys`).
    struct Numbers<'n>(&'n [Option<u64>]);

    impl<'a> KeyColumn<'a> for Numbers<'_> {
        fn rows(&self) -> usize {
            self.0.len()
        }

        fn each(&self, mut f: impl FnMut(Option<Cow<'a, str>>)) {
            self.0.iter().for_each(|v| f(v.map(|v| Cow::Owned(v.to_string()))));
        }

        fn each_number(&self, mut f: impl FnMut(Option<u64>)) -> bool {
            self.0.iter().for_each(|&v| f(v));
            true
        }
    }

    /// A column of either kind, as `encode` takes one kind of column at a time.
    enum Either<'c> {
        Text(&'c [Option<String>]),
        Numbers(Numbers<'c>),
    }

    impl<'a> KeyColumn<'a> for Either<'a> {
        fn rows(&self) -> usize {
            match self {
                Either::Text(t) => t.rows(),
                Either::Numbers(n) => n.rows(),
            }
        }

        fn each(&self, f: impl FnMut(Option<Cow<'a, str>>)) {
            match self {
                Either::Text(t) => t.each(f),
                Either::Numbers(n) => n.each(f),
            }
        }

        fn each_number(&self, f: impl FnMut(Option<u64>)) -> bool {
            match self {
                Either::Text(_) => false,
                Either::Numbers(n) => n.each_number(f),
            }
        }
    }

    proptest::proptest! {
        /// Customers' ids as text and orders' ids read as numbers get the codes the
        /// same ids get as text, dense or sparse, with or without text among them.
        #[test]
        fn ids_read_as_numbers_get_the_codes_their_text_gets(
            customers in proptest::collection::vec(proptest::option::of("(1[0-9]{0,2}|9{15}|[a-b]{1,2}|0)"), 0..30),
            orders in proptest::collection::vec(proptest::option::of(proptest::prop_oneof![0u64..200, Just(999_999_999_999_999u64)]), 0..60),
            unique: bool,
        ) {
            let order_text: Vec<Option<String>> = orders.iter().map(|v| v.map(|v| v.to_string())).collect();
            let as_text = encode(&[Either::Text(&customers), Either::Text(&order_text)], unique);
            let as_numbers = encode(&[Either::Text(&customers), Either::Numbers(Numbers(&orders))], unique);
            proptest::prop_assert_eq!(as_numbers, as_text);
        }
    }

    #[test]
    fn numbers_that_are_not_plain_stay_text() {
        assert_eq!(as_number("0"), Some(0));
        assert_eq!(as_number("1234567890123456789"), Some(1_234_567_890_123_456_789));
        assert_eq!(as_number("12345678901234567890"), None);
        assert_eq!(as_number("012"), None);
        assert_eq!(as_number("#1001"), None);
        assert_eq!(as_number(""), None);
    }
}
