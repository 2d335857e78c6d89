//! Totals rows: spreadsheets often end with a row that adds up the rows above
//! (`TOPLAM`, `Genel Toplam`, `Total`). Read as data it would be one more customer
//! with the sum of everyone's LTV, so it is recognised and left out, and the report
//! says so. A row counts as a totals row only when all of these hold: it is the
//! last row, it has no customer or order id, one of its text cells says total, and
//! every number in it equals the sum of its column above it.

use polars::prelude::*;

use crate::engine::text::fold;

/// Words that mark a totals row (folded).
const TOTAL_WORDS: &[&str] =
    &["toplam", "toplamlar", "genel toplam", "ara toplam", "total", "totals", "grand total", "subtotal", "sum", "sums"];

/// Id columns a totals row leaves empty.
const ID_COLUMNS: &[&str] = &["customer_id", "order_id", "email"];

/// If the table's last row is a totals row, the word it was marked with.
pub fn totals_row(df: &DataFrame) -> Option<String> {
    let n = df.height();
    if n < 3 {
        return None;
    }
    let last = n - 1;
    if ID_COLUMNS.iter().any(|id| df.column(id).is_ok_and(|c| !c.get(last).is_ok_and(|v| v.is_null()))) {
        return None;
    }
    let word = marked_total(df, last)?;
    let mut numbers = 0usize;
    for column in df.columns().iter().filter(|c| c.dtype().is_primitive_numeric()) {
        let values = column.cast(&DataType::Float64).ok()?;
        let values = values.f64().ok()?;
        let Some(total) = values.get(last) else { continue };
        let above: f64 = values.slice(0, last).iter().flatten().sum();
        let tolerance = 0.005_f64.max(above.abs() * 1e-9);
        if (total - above).abs() > tolerance {
            return None;
        }
        numbers += 1;
    }
    (numbers > 0).then_some(word)
}

/// The text cell of row `row` that says total, if any.
fn marked_total(df: &DataFrame, row: usize) -> Option<String> {
    df.columns().iter().find_map(|c| {
        let value = c.get(row).ok()?;
        let text = value.get_str()?;
        let key = fold(text.trim().trim_end_matches(':')).split_whitespace().collect::<Vec<_>>().join(" ");
        TOTAL_WORDS.contains(&key.as_str()).then(|| text.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: [Option<&str>; 4], ltv: [Option<f64>; 4], ids: [Option<&str>; 4]) -> DataFrame {
        let columns = vec![
            Series::new("customer_id".into(), ids).into_column(),
            Series::new("name".into(), names).into_column(),
            Series::new("ltv".into(), ltv).into_column(),
        ];
        DataFrame::new(4, columns).unwrap()
    }

    #[test]
    fn a_sum_marked_total_is_a_totals_row_and_nothing_else_is() {
        let ids = [Some("1"), Some("2"), Some("3"), None];
        let sums = [Some(100.0), Some(250.5), Some(49.5), Some(400.0)];
        assert_eq!(
            totals_row(&table([Some("Ali"), Some("Ayşe"), Some("Can"), Some("TOPLAM")], sums, ids)).as_deref(),
            Some("TOPLAM")
        );
        assert_eq!(
            totals_row(&table([Some("Ali"), Some("Ayşe"), Some("Can"), Some("Genel Toplam:")], sums, ids)).as_deref(),
            Some("Genel Toplam:")
        );
        // Not the sum: a customer called "Total" who spent 10.
        let not_sum = [Some(100.0), Some(250.5), Some(49.5), Some(10.0)];
        assert_eq!(totals_row(&table([Some("Ali"), Some("Ayşe"), Some("Can"), Some("Total")], not_sum, ids)), None);
        // An id: a real customer.
        let with_id = [Some("1"), Some("2"), Some("3"), Some("4")];
        assert_eq!(totals_row(&table([Some("Ali"), Some("Ayşe"), Some("Can"), Some("Toplam")], sums, with_id)), None);
        // No word saying total.
        assert_eq!(totals_row(&table([Some("Ali"), Some("Ayşe"), Some("Can"), None], sums, ids)), None);
    }
}
