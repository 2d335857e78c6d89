//! A second table below the first: report sheets often put a summary (per channel,
//! per month) under the customer list, after a blank row. Read as data, its rows
//! would become customers. A row right after blank rows starts a second table when
//! it reads like a header: at least two cells, all words (no numbers), and a word
//! in a column whose cells above are numbers. The table is cut there and the report
//! says so.

use super::table::{CellRef, RawTable};

/// Rows above a candidate looked at to decide which columns hold numbers.
const SAMPLE: usize = 50;

fn is_number(text: &str) -> bool {
    let t = text.trim().replace(['.', ' '], "").replace(',', ".");
    !t.is_empty() && t.parse::<f64>().is_ok()
}

fn is_word(cell: CellRef<'_>) -> bool {
    matches!(cell, CellRef::Text(t) if !is_number(t) && t.chars().any(char::is_alphabetic))
}

fn is_numeric(cell: CellRef<'_>) -> bool {
    match cell {
        CellRef::Number(_) => true,
        CellRef::Text(t) => is_number(t),
        _ => false,
    }
}

/// Where a second table starts (a data row index) and its header row as text.
pub fn second_table(raw: &RawTable) -> Option<(usize, String)> {
    raw.rows_after_blank.iter().copied().filter(|&r| r > 0 && r < raw.height()).find_map(|r| {
        let cells: Vec<CellRef<'_>> = raw.columns.iter().map(|c| c.get(r)).collect();
        let filled: Vec<&CellRef<'_>> = cells.iter().filter(|c| !c.is_empty()).collect();
        if filled.len() < 2 || !filled.iter().all(|c| is_word(**c)) {
            return None;
        }
        let numbers_above = |column: usize| {
            let above: Vec<CellRef<'_>> =
                (r.saturating_sub(SAMPLE)..r).map(|i| raw.columns[column].get(i)).filter(|c| !c.is_empty()).collect();
            !above.is_empty() && above.iter().filter(|c| is_numeric(**c)).count() * 5 >= above.len() * 4
        };
        let breaks_a_number_column = (0..cells.len()).any(|c| is_word(cells[c]) && numbers_above(c));
        breaks_a_number_column
            .then(|| filled.iter().filter_map(|c| c.as_text()).collect::<Vec<_>>().join(", "))
            .map(|text| (r, text))
    })
}

/// Cuts the table where a second table starts; returns that row and the rows left out.
pub fn cut_second_table(raw: &mut RawTable) -> Option<(usize, String, usize)> {
    let (row, text) = second_table(raw)?;
    let dropped = raw.height() - row;
    for column in &mut raw.columns {
        column.truncate(row);
    }
    Some((row, text, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::import::table::{Cell, RawColumn};

    fn table(rows: &[[&str; 3]], after_blank: Vec<usize>) -> RawTable {
        let columns =
            (0..3).map(|c| RawColumn::Cells(rows.iter().map(|r| Cell::Text(r[c].to_owned())).collect())).collect();
        RawTable {
            headers: vec!["id".into(), "email".into(), "spent".into()],
            columns,
            rows_after_blank: after_blank,
            ..RawTable::default()
        }
    }

    #[test]
    fn a_header_like_row_after_a_blank_cuts_the_table_and_a_data_row_does_not() {
        let rows =
            [["1", "a@x.com", "10,5"], ["2", "b@x.com", "20"], ["Kanal", "", "Gelir"], ["Instagram", "", "1200"]];
        let mut raw = table(&rows, vec![2]);
        assert_eq!(cut_second_table(&mut raw), Some((2, "Kanal, Gelir".to_owned(), 2)));
        assert_eq!(raw.height(), 2);
        // A customer after a blank row is just a customer.
        let rows = [["1", "a@x.com", "10"], ["2", "b@x.com", "20"], ["3", "c@x.com", "30"]];
        assert_eq!(second_table(&table(&rows, vec![2])), None);
        // Words under columns of words are rows like the others.
        let rows = [["a", "Ali", "x"], ["b", "Ayşe", "y"], ["c", "Deniz", "z"]];
        assert_eq!(second_table(&table(&rows, vec![2])), None);
    }
}
