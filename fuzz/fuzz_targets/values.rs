//! Cell text as numbers, dates, yes/no and tags, in every convention Kitle
//! accepts (decimal point or comma, day-month or month-day, Excel serials).
#![no_main]

use kitle::engine::import::parse::{
    DateStyle, DayMonthOrder, DecimalSeparator, NumberStyle, clean_identifier, excel_serial_to_date, parse_bool,
    parse_compact_date, parse_date, parse_number, parse_tags,
};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for decimal in [DecimalSeparator::Point, DecimalSeparator::Comma] {
        if let Some(n) = parse_number(text, decimal) {
            let _ = excel_serial_to_date(n);
        }
    }
    for order in [DayMonthOrder::DayFirst, DayMonthOrder::MonthFirst] {
        let _ = parse_date(text, order);
    }
    // A column's style from its values (here: the text cut at semicolons), then each value read that way.
    let numbers = NumberStyle::detect(text.split(';'), DecimalSeparator::Point);
    let dates = DateStyle::detect(text.split(';'), DayMonthOrder::DayFirst);
    for value in text.split(';') {
        let _ = numbers.parse(value);
        let _ = dates.parse(value);
    }
    let _ = parse_compact_date(text);
    let _ = parse_bool(text);
    let _ = parse_tags(text);
    let _ = clean_identifier(text);
});
