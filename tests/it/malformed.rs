//! A corpus of broken files: each must give a clear report or a clear error, never
//! a panic.

use kitle::engine::fields::SourceKind;
use kitle::engine::import::ImportError;

use crate::helpers::*;

fn corpus() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(fixture("malformed")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn error_of(file: &str, kind: SourceKind) -> String {
    let rel = format!("malformed/{file}");
    let result = match kind {
        SourceKind::Orders => import(None, Some(&rel), None, date(2026, 1, 1)),
        _ => import(Some(&rel), None, None, date(2026, 1, 1)),
    };
    match result {
        Err(e) => e.to_string(),
        Ok(d) => panic!("{file} imported {} customers instead of failing", d.len()),
    }
}

#[test]
fn corpus_has_at_least_forty_files_and_none_panics() {
    let files = corpus();
    assert!(files.len() >= 40);
    for path in files {
        let rel = format!("malformed/{}", path.file_name().unwrap().to_string_lossy());
        for kind in [SourceKind::Customers, SourceKind::Orders] {
            let outcome = std::panic::catch_unwind(|| match kind {
                SourceKind::Orders => import(None, Some(&rel), None, date(2026, 1, 1)),
                _ => import(Some(&rel), None, None, date(2026, 1, 1)),
            });
            let result = outcome.unwrap_or_else(|_| panic!("{rel} panicked as {kind:?}"));
            match result {
                Err(ImportError::Cancelled) => panic!("{rel}: not cancelled"),
                Err(e) => {
                    let msg = e.to_string();
                    assert!(msg.len() > 15 && msg.ends_with('.'), "{rel}: unclear error \"{msg}\"");
                }
                Ok(data) => {
                    let report = &data.report.sources[0];
                    assert_eq!(report.rows_read, report.rows_read.max(1), "{rel}: no rows but no error");
                }
            }
        }
    }
}

#[test]
fn each_broken_file_says_what_is_wrong() {
    let c = SourceKind::Customers;
    assert!(error_of("01_empty.csv", c).contains("empty"));
    assert!(error_of("02_whitespace_only.csv", c).contains("empty"));
    assert!(error_of("03_header_only.csv", c).contains("no data rows"));
    assert!(error_of("04_png_named_csv.csv", c).contains("PNG image"));
    // Found by fuzzing: a few kilobytes of .xls with a broken container made
    // calamine's reader grow to gigabytes, or panic; they are refused before it opens them.
    for file in [
        "46_broken_container_1.xls",
        "47_broken_container_2.xls",
        "48_broken_container_3.xls",
        "49_broken_container_4.xls", // made calamine fail an assertion (a panic)
        "50_broken_container_5.xls",
        // A sound container whose defined-name record is cut short: calamine panics
        // reading it, and the panic is contained as a damaged file.
        "51_cut_short_name_record.xls",
        // A sheet whose dimensions record claims trillions of cells: calamine would
        // reserve room for them, and a failed allocation aborts (no panic to contain).
        "52_sheet_claims_trillions_of_cells.xls",
    ] {
        let error = error_of(file, c);
        assert!(error.contains("may be damaged"), "{file}: {error}");
    }
    // Refused before calamine opens it (its reservation would abort a release build).
    let claim = error_of("52_sheet_claims_trillions_of_cells.xls", c);
    assert!(claim.contains("a sheet says it holds") && claim.contains("cells"), "{claim}");
    // A few kilobytes whose cell records reach 16,387 rows by 2,052 columns: 2 GB laid out.
    let spread = error_of("54_cells_spread_far_apart.xls", c);
    assert!(spread.contains("cells span 16387 rows and 2052 columns"), "{spread}");
    assert!(error_of("05_pdf_named_xlsx.xlsx", c).contains("PDF"));
    assert!(error_of("06_random_bytes.csv", c).contains("binary"));
    assert!(error_of("07_truncated.xlsx", c).contains("may be damaged"));
    assert!(error_of("08_zip_not_workbook.xlsx", c).contains("may be damaged"));
    assert!(error_of("09_html_saved_as_xls.xls", c).contains("web page"));
    assert!(error_of("10_json.csv", c).contains("JSON"));
    assert!(error_of("11_single_column_no_header.csv", c).contains("no header row"));
    assert!(error_of("19_no_key_orders.csv", SourceKind::Orders).contains("no customer id or email"));
    assert!(error_of("20_orders_without_amount.csv", SourceKind::Orders).contains("no order total"));
    assert!(error_of("21_title_rows_only.csv", c).contains("No column of the customers file was recognised"));
    assert!(error_of("24_only_delimiters.csv", c).contains("no header row"));
    assert!(error_of("25_bom_only.csv", c).contains("empty"));
}

#[test]
fn damaged_but_readable_files_are_reported() {
    let ragged = import(Some("malformed/12_ragged_rows.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(ragged.len(), 3);
    let notes = &ragged.report.sources[0].notes;
    assert!(has_note(notes, "1 rows had fewer cells"), "{notes:?}");
    assert!(has_note(notes, "1 rows had more cells"), "{notes:?}");

    let quote = import(Some("malformed/13_unbalanced_quote.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert!(has_note(&quote.report.sources[0].notes, "unmatched quote"));

    let utf16 = import(Some("malformed/14_utf16_no_bom.csv"), None, None, date(2026, 1, 1)).unwrap();
    approx(num(&utf16, "ltv", row_where(&utf16, "email", "a@example.com")), 10.0);

    let mixed = import(Some("malformed/15_mixed_encoding.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert!(has_note(&mixed.report.sources[0].notes, "Windows-1254"));
    assert_eq!(text(&mixed, "city", 0).as_deref(), Some("İzmir"));

    let garbage = import(Some("malformed/17_garbage_numbers_and_dates.csv"), None, None, date(2026, 1, 1)).unwrap();
    let unparsed = &garbage.report.sources[0].unparsed;
    let ltv = unparsed.iter().find(|u| u.column == "Total Spent").unwrap();
    assert_eq!(ltv.count, 2);
    assert!(ltv.examples.contains(&"on bin".to_owned()));
    assert!(unparsed.iter().any(|u| u.column == "Signup Date" && u.count == 2));

    let dup = import(Some("malformed/18_duplicate_headers.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(text(&dup, "email", 0).as_deref(), Some("a@example.com"));
    assert_eq!(text(&dup, "Email (2)", 0).as_deref(), Some("b@example.com"));

    let blank = import(Some("malformed/23_blank_headers.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(text(&blank, "Column 2", 0).as_deref(), Some("Ali"));
    let long = import(Some("malformed/22_very_long_line.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(text(&long, "Note", 0).map(|s| s.len()), Some(200_000));
}

#[test]
fn report_shaped_spreadsheets_keep_only_their_customers() {
    // A summary table below the customers (after blank rows) is left out, and said.
    for (file, customers) in [("27_second_table_below.csv", 10), ("28_second_table_below.xlsx", 15)] {
        let data = import(Some(&format!("malformed/{file}")), None, None, date(2026, 1, 1)).unwrap();
        assert_eq!(data.len(), customers, "{file}");
        let notes = &data.report.sources[0].notes;
        assert!(has_note(notes, "A second table starts at data row"), "{file}: {notes:?}");
    }
    // Excel's error values (#DIV/0!, #N/A …) are empty cells, counted in the report.
    let errors = import(Some("malformed/29_formula_errors.xlsx"), None, None, date(2026, 1, 1)).unwrap();
    assert!(has_note(&errors.report.sources[0].notes, "4 cells hold spreadsheet errors (e.g. #DIV/0!)"));
    assert_eq!(errors.customers.column("ltv").unwrap().null_count(), 2);
    // Merged cells over the header and notes above it: the real header row is found.
    let merged = import(Some("malformed/26_merged_header_cells.xlsx"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!((merged.len(), merged.field("email").is_some()), (20, true));
    let notes = import(Some("malformed/36_header_below_notes.xlsx"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!((notes.len(), notes.field("city").is_some()), (10, true));
    // Dates as text in part of a column and as Excel serial numbers in the rest.
    let dates = import(Some("malformed/30_dates_text_and_serials.xlsx"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(dates.customers.column("signup_date").unwrap().null_count(), 0);
    // Thousands of columns, a UTF-8 mark over Windows-1254 lines.
    let wide = import(Some("malformed/31_thousands_of_columns.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!((wide.len(), wide.customers.width() > 3000), (5, true));
    let pasted = import(Some("malformed/45_bom_then_cp1254_bytes.csv"), None, None, date(2026, 1, 1)).unwrap();
    assert_eq!(text(&pasted, "city", 1).as_deref(), Some("Şanlıurfa"));
}

/// A table in A1 and one stray value in the sheet's last cell (XFD1048576): calamine
/// would lay the sheet out as 17 billion cells and abort on the allocation. Refused
/// with a sentence instead.
#[test]
fn a_stray_value_in_the_last_cell_of_an_xlsx_is_refused_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stray.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["Email", "City"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    sheet.write_string(1, 0, "a@example.com").unwrap();
    sheet.write_string(1, 1, "İzmir").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    book.save(&path).unwrap();

    let spec = kitle::engine::import::SourceSpec::new(SourceKind::Customers, &path);
    let error = kitle::engine::import::load_source(&spec, &Default::default()).unwrap_err().to_string();
    assert!(error.contains("1048576 rows and 16384 columns"), "{error}");

    // Nearer: 20 million cells to lay out for five filled ones (a table fills its grid).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Email").unwrap();
    sheet.write_string(1, 0, "a@example.com").unwrap();
    sheet.write_string(20_000, 1_000, "x").unwrap();
    book.save(&path).unwrap();
    let error = kitle::engine::import::load_source(&spec, &Default::default()).unwrap_err().to_string();
    assert!(error.contains("20001 rows and 1001 columns"), "{error}");
}

/// Found by fuzzing: an .xls row whose cells reach column 16,387 (a sheet ends at
/// 255) made 16,000 custom fields, added one at a time (each rebuilding the table's
/// schema: 35 s). Now read like any wide sheet.
#[test]
fn a_sheet_sixteen_thousand_columns_wide_is_read() {
    let wide = import(Some("malformed/53_cells_sixteen_thousand_columns_wide.xls"), None, None, date(2026, 1, 1));
    let wide = wide.unwrap();
    assert!(wide.customers.width() > 16_000, "{}", wide.customers.width());
}
