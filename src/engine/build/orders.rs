//! Folding order lines into orders: a file may have one row per order line
//! (Shopify repeats the order on each line with the total on the first; retail
//! exports have quantity × unit price per line and no total). Cancelled, voided,
//! failed and unpaid orders don't count (WooCommerce's pending payment and
//! checkout drafts, as its Analytics leaves them out); refunds and negative lines
//! reduce revenue.

use foldhash::{HashMap, HashMapExt};
use polars::prelude::*;

use super::join::IdColumn;
use super::{JoinKey, NO_ROW};
use crate::engine::data::{ImportReport, InPlace};
use crate::engine::fields::ORDER_LINE_TEXT;
use crate::engine::import::{ImportError, LoadedSource};
use crate::engine::keys::{self, NO_KEY};
use crate::engine::message::Message;
use crate::engine::text::fold;

/// Order statuses that mean the order did not happen (folded).
const CANCELLED: &[&str] = &[
    "cancelled",
    "canceled",
    "voided",
    "void",
    "failed",
    "iptal",
    "iptal edildi",
    "basarisiz",
    "reddedildi",
    "declined",
    "expired",
    // A payment that did not go through (iyzico's `paymentStatus`).
    "failure",
    // Never paid (WooCommerce's "Pending payment", its block checkout's drafts, its
    // bin; as slugs, labels and the Turkish labels). Shopify's bare "pending" (a
    // payment on its way, e.g. bank transfer) still counts.
    "pending payment",
    "wc-pending",
    "odeme bekleniyor",
    "checkout-draft",
    "wc-checkout-draft",
    "draft",
    "taslak",
    "trash",
    "wc-trash",
    "wc-failed",
    "wc-cancelled",
];
/// Statuses that mean the whole order was refunded.
const REFUNDED: &[&str] = &["refunded", "wc-refunded", "iade", "iade edildi", "returned"];

/// One order after folding its lines.
pub(super) struct FoldedOrder {
    /// Dictionary code of the customer's key.
    pub(super) customer: u32,
    /// The customer's row in the customer table ([`NO_ROW`] until folding into
    /// customers gives it, see `fold_into_customers`).
    pub(super) row: u32,
    /// The row whose key names the customer.
    pub(super) customer_row: u32,
    pub(super) first_row: u32,
    /// Days since 1970-01-01.
    pub(super) date: Option<i32>,
    pub(super) net: f64,
    pub(super) cancelled: bool,
    /// Refunded in full (by its status, or a refund as large as the order).
    pub(super) fully_refunded: bool,
    /// The orders-file line whose channel is the order's (its first with one).
    pub(super) channel: Option<u32>,
}

impl FoldedOrder {
    /// Whether this is a purchase that counts for the order count, the first and
    /// last order date and frequency: not cancelled, voided, failed or unpaid, not fully
    /// refunded, and not a return (a negative total). An order of 0 (a free sample,
    /// a 100% discount) counts; only its revenue is 0.
    pub(super) fn counts(&self) -> bool {
        !self.cancelled && !self.fully_refunded && self.net >= 0.0
    }
}

/// Per-customer sums; dates in days since 1970-01-01.
#[derive(Default, Clone, Copy)]
pub(super) struct CustomerOrders {
    pub(super) revenue: f64,
    pub(super) orders: i64,
    pub(super) first: Option<i32>,
    pub(super) last: Option<i32>,
    /// The orders-file line whose channel is the customer's first.
    pub(super) first_channel: Option<u32>,
    pub(super) first_channel_date: Option<i32>,
}

impl CustomerOrders {
    pub(super) fn add(&mut self, order: &FoldedOrder) {
        if order.cancelled {
            return;
        }
        self.revenue += order.net;
        if !order.counts() {
            return;
        }
        self.orders += 1;
        let date = order.date;
        if let Some(d) = date {
            self.first = Some(self.first.map_or(d, |f| f.min(d)));
            self.last = Some(self.last.map_or(d, |l| l.max(d)));
        }
        let earlier = match (date, self.first_channel_date) {
            (Some(d), Some(f)) => d < f,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if order.channel.is_some() && (self.first_channel.is_none() || earlier) {
            self.first_channel = order.channel;
            self.first_channel_date = date;
        }
    }
}

/// The counted orders, column by column.
#[derive(Default)]
pub(super) struct CountedOrders {
    pub(super) customer: Vec<u32>,
    pub(super) first_row: Vec<u32>,
    pub(super) date: Vec<Option<i32>>,
    pub(super) net: Vec<f64>,
}

impl CountedOrders {
    pub(super) fn with_capacity(orders: usize) -> Self {
        Self {
            customer: Vec::with_capacity(orders),
            first_row: Vec::with_capacity(orders),
            date: Vec::with_capacity(orders),
            net: Vec::with_capacity(orders),
        }
    }

    pub(super) fn push(&mut self, customer: u32, first_row: u32, date: Option<i32>, net: f64) {
        self.customer.push(customer);
        self.first_row.push(first_row);
        self.date.push(date);
        self.net.push(net);
    }

    pub(super) fn len(&self) -> usize {
        self.customer.len()
    }
}

pub(super) fn str_col<'a>(o: &'a LoadedSource, name: &str) -> PolarsResult<Option<&'a StringChunked>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(o.df.column(name)?.str()?))
}

pub(super) fn f64_col(o: &LoadedSource, name: &str) -> PolarsResult<Option<Vec<Option<f64>>>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(o.df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect()))
}

/// An amount column (`None` where empty or not a number).
fn numbers<'a>(o: &'a LoadedSource, name: &str) -> PolarsResult<Option<InPlace<'a, f64>>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(InPlace::of_column::<Float64Type>(o.df.column(name)?)?))
}

/// A date column, in days since 1970-01-01.
fn dates<'a>(o: &'a LoadedSource, name: &str) -> PolarsResult<Option<InPlace<'a, i32>>> {
    if !o.has(name) {
        return Ok(None);
    }
    Ok(Some(InPlace::days(o.df.column(name)?)?))
}

/// The columns of an orders file that folding reads, one value per line.
struct OrderLines<'a> {
    /// The customer key's dictionary code per line.
    customer: &'a [u32],
    totals: Option<InPlace<'a, f64>>,
    qty: Option<InPlace<'a, f64>>,
    price: Option<InPlace<'a, f64>>,
    refunded: Option<InPlace<'a, f64>>,
    dates: Option<InPlace<'a, i32>>,
    cancelled_at: Option<InPlace<'a, i32>>,
    /// Per line: [`STATUS_CANCELLED`] and [`STATUS_REFUNDED`] bits.
    statuses: Option<Vec<u8>>,
    /// Per line: whether it names a channel.
    channels: Option<Vec<bool>>,
}

const STATUS_CANCELLED: u8 = 1;
const STATUS_REFUNDED: u8 = 2;

/// What a status says: cancelled (or voided, failed…) and refunded in full.
fn flags_of(status: &str) -> u8 {
    let s = fold(status.trim()).replace('_', " ");
    // A store connector marks statuses it can't vouch for as `unpaid: …`.
    let unpaid = s.starts_with("unpaid:");
    u8::from(unpaid || CANCELLED.contains(&s.as_str())) * STATUS_CANCELLED
        + u8::from(REFUNDED.contains(&s.as_str())) * STATUS_REFUNDED
}

/// What each line's status says (see [`flags_of`]). Statuses repeat, so each
/// distinct one is decided once: by its category code when the column was read as
/// categories, else by its text.
fn status_flags(statuses: &Column) -> PolarsResult<Vec<u8>> {
    if let Ok(categories) = statuses.cat32() {
        let mapping = categories.get_mapping();
        let mut known: HashMap<u32, u8> = HashMap::new();
        return Ok(categories
            .physical()
            .iter()
            .map(|code| {
                let code = code?;
                Some(*known.entry(code).or_insert_with(|| mapping.cat_to_str(code).map_or(0, flags_of)))
            })
            .map(|f| f.unwrap_or(0))
            .collect());
    }
    let mut known: HashMap<&str, u8> = HashMap::new();
    Ok(statuses.str()?.iter().map(|s| s.map_or(0, |s| *known.entry(s).or_insert_with(|| flags_of(s)))).collect())
}

/// What folding one order's lines gives.
pub(super) struct OrderFold {
    pub(super) order: FoldedOrder,
    /// Whether the order names a customer (else it is left out).
    pub(super) has_customer: bool,
    lines: usize,
    first_line_has_amount: bool,
}

impl<'a> OrderLines<'a> {
    fn read(o: &'a LoadedSource, customer: &'a [u32]) -> PolarsResult<Self> {
        Ok(Self {
            customer,
            totals: numbers(o, "total")?,
            qty: numbers(o, "quantity")?,
            price: numbers(o, "unit_price")?,
            refunded: numbers(o, "refunded")?,
            dates: dates(o, "order_date")?,
            cancelled_at: dates(o, "cancelled_at")?,
            statuses: if o.has("status") { Some(status_flags(o.df.column("status")?)?) } else { None },
            channels: str_col(o, "channel")?
                .map(|c| c.iter().map(|v| v.is_some_and(|v| !v.trim().is_empty())).collect()),
        })
    }

    /// Folds the lines of one order (given in file order).
    fn fold(&self, lines: impl Iterator<Item = usize>) -> OrderFold {
        let value =
            |col: &Option<InPlace<'_, f64>>, row: usize| col.as_ref().and_then(|c| c.get(row)).filter(|v| !v.is_nan());
        let mut first_row = None;
        let mut customer_row = None;
        let mut date: Option<i32> = None;
        let (mut total_first, mut totals_all_equal, mut total_sum, mut total_count) = (None::<f64>, true, 0.0, 0usize);
        let (mut lines_sum, mut lines_count) = (0.0, 0usize);
        let (mut refunded, mut cancelled, mut fully_refunded) = (0.0f64, false, false);
        let mut channel = None;
        let mut first_line_has_amount = false;
        for row in lines {
            if customer_row.is_none() && self.customer[row] != NO_KEY {
                customer_row = Some(row);
            }
            if let Some(d) = self.dates.as_ref().and_then(|d| d.get(row)) {
                date = Some(date.map_or(d, |x| x.min(d)));
            }
            let total = value(&self.totals, row);
            if let Some(t) = total {
                match total_first {
                    Some(first) => totals_all_equal &= (first - t).abs() < 1e-9,
                    None => total_first = Some(t),
                }
                total_sum += t;
                total_count += 1;
            }
            let unit = value(&self.price, row);
            if let Some(p) = unit {
                lines_sum += p * value(&self.qty, row).unwrap_or(1.0);
                lines_count += 1;
            }
            if first_row.is_none() {
                first_row = Some(row);
                first_line_has_amount = total.is_some() || unit.is_some();
            }
            if let Some(r) = value(&self.refunded, row) {
                refunded = refunded.max(r.abs());
            }
            if self.cancelled_at.as_ref().is_some_and(|c| c.get(row).is_some()) {
                cancelled = true;
            }
            if let Some(flags) = self.statuses.as_ref().map(|s| s[row]) {
                cancelled |= flags & STATUS_CANCELLED != 0;
                fully_refunded |= flags & STATUS_REFUNDED != 0;
            }
            if channel.is_none() && self.channels.as_ref().is_some_and(|c| c[row]) {
                channel = u32::try_from(row).ok();
            }
        }
        let gross = if total_count == 1 || (total_count > 1 && totals_all_equal) {
            total_first.unwrap_or(0.0)
        } else if total_count > 1 {
            total_sum
        } else {
            lines_sum
        };
        // A refunded status without an amount refunds the whole (positive) order.
        let net = if fully_refunded && refunded == 0.0 && gross > 0.0 { 0.0 } else { gross - refunded };
        let fully_refunded = fully_refunded || (refunded > 0.0 && net <= 0.0);
        let first_row = first_row.unwrap_or(0);
        let customer_row = customer_row.unwrap_or(first_row);
        OrderFold {
            order: FoldedOrder {
                customer: self.customer[customer_row],
                row: NO_ROW,
                customer_row: u32::try_from(customer_row).unwrap_or(NO_ROW),
                first_row: u32::try_from(first_row).unwrap_or(NO_ROW),
                date,
                net,
                cancelled,
                fully_refunded,
                channel,
            },
            has_customer: self.customer[customer_row] != NO_KEY,
            lines: total_count.max(lines_count).max(1),
            first_line_has_amount,
        }
    }
}

/// Folds order lines into orders and hands them to `emit` a wave at a time, in
/// order of first appearance (orders without a customer are among them, to be left
/// out); returns the number of rows skipped and each line's order code (lines of
/// one order share a code).
pub(super) fn fold_orders<'a>(
    o: &'a LoadedSource,
    customer_codes: &'a [u32],
    join: JoinKey,
    report: &mut ImportReport,
    mut emit: impl FnMut(&mut [OrderFold]) + Send,
) -> Result<(usize, Vec<u32>), ImportError> {
    if !o.has("total") && !o.has("unit_price") {
        return Err(ImportError::MissingColumn(Message::new("msg.err_orders_no_amount", Vec::<String>::new())));
    }
    // Lines of one order share a code; a line without an order id is an order.
    let slot_codes = || -> PolarsResult<keys::KeyCodes> {
        let ids = o.has("order_id").then(|| IdColumn::of(o, "order_id")).transpose()?;
        Ok(keys::encode(&[OrderIds(ids, o.df.height())], true))
    };
    let (slot_codes, lines) = rayon::join(slot_codes, || OrderLines::read(o, customer_codes));
    let (slot_codes, lines) = (slot_codes?, lines?);
    let distinct = slot_codes.distinct as usize;
    let slot_codes = slot_codes.columns.into_iter().next().unwrap_or_default();
    let (mut no_customer, mut skipped_rows, mut no_amount, mut cancelled, mut returns) = (0, 0, 0, 0, 0);
    let mut take = |wave: &mut Vec<OrderFold>| {
        for fold in wave.iter() {
            no_amount += usize::from(!fold.first_line_has_amount);
            if !fold.has_customer {
                no_customer += 1;
                skipped_rows += fold.lines;
                continue;
            }
            cancelled += usize::from(fold.order.cancelled);
            returns += usize::from(!fold.order.cancelled && fold.order.net < 0.0);
        }
        emit(wave);
        wave.clear();
    };
    let orders = OrderRows::of(&slot_codes, distinct);
    fold_in_waves(&lines, &orders, &mut take);
    if no_customer > 0 {
        let id = if join == JoinKey::Email { "msg.orders_no_email" } else { "msg.orders_no_id" };
        report.notes.push(Message::new(id, [no_customer]));
    }
    if cancelled > 0 {
        report.notes.push(Message::new("msg.cancelled", [cancelled]));
    }
    if no_amount > 0 {
        report.notes.push(Message::new("msg.no_amount", [no_amount]));
    }
    if returns > 0 {
        report.notes.push(Message::new("msg.returns", [returns]));
    }
    Ok((skipped_rows, slot_codes))
}

/// Each line's order id, trimmed (`None` when empty); with no order id column, as
/// many lines without one.
struct OrderIds<'a>(Option<IdColumn<'a>>, usize);

impl<'a> keys::KeyColumn<'a> for OrderIds<'a> {
    fn rows(&self) -> usize {
        self.1
    }

    fn each(&self, mut f: impl FnMut(Option<std::borrow::Cow<'a, str>>)) {
        match &self.0 {
            Some(ids) => ids.each_text(f),
            None => (0..self.1).for_each(|_| f(None)),
        }
    }

    fn each_number(&self, f: impl FnMut(Option<u64>)) -> bool {
        self.0.as_ref().is_some_and(|ids| ids.each_number(f))
    }
}

/// Which lines make each order. Exports list an order's lines together: then each
/// run of equal codes is an order. Otherwise the lines are first grouped by code (a
/// counting sort).
struct OrderRows {
    /// Order `k`'s lines are `starts[k]..starts[k + 1]` (of `lines`, when grouped).
    starts: Vec<u32>,
    lines: Option<Vec<u32>>,
}

impl OrderRows {
    fn of(slots: &[u32], distinct: usize) -> Self {
        if slots.windows(2).all(|w| w[1] >= w[0]) {
            let mut starts: Vec<u32> = Vec::with_capacity(distinct + 1);
            for (row, w) in slots.windows(2).enumerate() {
                if w[0] != w[1] {
                    starts.push(u32::try_from(row + 1).unwrap_or(NO_ROW));
                }
            }
            if !slots.is_empty() {
                starts.insert(0, 0);
                starts.push(u32::try_from(slots.len()).unwrap_or(NO_ROW));
            }
            Self { starts, lines: None }
        } else {
            let (lines, starts) = group_by_code(slots, distinct);
            Self { starts, lines: Some(lines) }
        }
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn fold(&self, lines: &OrderLines<'_>, order: usize) -> OrderFold {
        let (from, to) = (self.starts[order] as usize, self.starts[order + 1] as usize);
        match &self.lines {
            None => lines.fold(from..to),
            Some(rows) => lines.fold(rows[from..to].iter().map(|&r| r as usize)),
        }
    }
}

/// Orders folded per wave.
const WAVE: usize = 1 << 16;

/// Folds every order on all cores, a wave at a time, and hands each wave to `take`
/// in order (on this thread, while the next wave is folded); `take` empties it. Two
/// wave buffers take turns, so no wave touches fresh memory.
fn fold_in_waves(lines: &OrderLines<'_>, orders: &OrderRows, take: &mut (impl FnMut(&mut Vec<OrderFold>) + Send)) {
    use rayon::prelude::*;
    let fold_wave = |from: usize, out: &mut Vec<OrderFold>| {
        let to = (from + WAVE).min(orders.len());
        out.par_extend((from..to).into_par_iter().with_min_len(2048).map(|k| orders.fold(lines, k)));
    };
    let (mut done, mut next) = (Vec::with_capacity(WAVE.min(orders.len())), Vec::new());
    fold_wave(0, &mut done);
    let mut from = WAVE;
    while from < orders.len() {
        rayon::join(|| fold_wave(from, &mut next), || take(&mut done));
        std::mem::swap(&mut done, &mut next);
        from += WAVE;
    }
    take(&mut done);
}

/// Rows ordered by their code (file order within a code), and where each code's
/// rows start: a counting sort.
fn group_by_code(codes: &[u32], distinct: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; distinct + 1];
    for &c in codes {
        starts[c as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; codes.len()];
    for (row, &c) in codes.iter().enumerate() {
        let at = &mut next[c as usize];
        order[*at as usize] = u32::try_from(row).unwrap_or(NO_ROW);
        *at += 1;
    }
    (order, starts)
}

/// Whether [`orders_frame`] reads this column of the orders file.
fn read_by_frame(name: &str) -> bool {
    matches!(name, "order_id" | "channel" | "quantity") || ORDER_LINE_TEXT.contains(&name)
}

/// Lets go of every column of the orders file but those [`orders_frame`] reads
/// (once folded, amounts, dates, statuses and keys are no longer needed).
pub(super) fn keep_frame_columns(o: &mut LoadedSource) {
    let unread: Vec<PlSmallStr> =
        o.df.get_column_names().into_iter().filter(|c| !read_by_frame(c.as_str())).cloned().collect();
    for name in unread {
        let _ = o.df.drop_in_place(&name);
    }
}

/// The counted orders, grouped by customer and oldest first within a customer,
/// and the lines of those orders that name what was bought (see
/// [`CustomerData::order_lines`](crate::engine::data::CustomerData)). The orders
/// file's columns are taken out of it as they are used: each is let go once copied,
/// so a column and its copy are in memory together, not the whole file and every copy.
pub(super) fn orders_frame(
    o: &mut LoadedSource,
    counted: &CountedOrders,
    slots: &[u32],
    customers: usize,
) -> PolarsResult<(DataFrame, Option<DataFrame>)> {
    let (mut order, starts) = group_by_code(&counted.customer, customers);
    for w in starts.windows(2) {
        order[w[0] as usize..w[1] as usize].sort_by_key(|&i| counted.date[i as usize]);
    }
    let pick = |i: &u32| *i as usize;
    let rows: IdxCa = order.iter().map(|i| counted.first_row[pick(i)] as IdxSize).collect_ca("rows".into());
    let mut take_out = |name: &str| o.has(name).then(|| o.df.drop_in_place(name)).transpose();
    let (ids, channels) = (take_out("order_id")?, take_out("channel")?);
    let named: Vec<Column> =
        ORDER_LINE_TEXT.iter().filter_map(|name| take_out(name).transpose()).collect::<PolarsResult<_>>()?;
    let quantity = take_out("quantity")?;
    // The orders and their lines side by side.
    let (orders, lines) = rayon::join(
        || -> PolarsResult<DataFrame> {
            let customer: Vec<u32> = order.iter().map(|i| counted.customer[pick(i)]).collect();
            let ids = match ids {
                // Ids read as numbers are text in the orders' table.
                // Gathered in the counted orders' order first (their first lines come
                // in file order), then put in customer order: gathered straight in
                // customer order, the reads land all over the file's ids and wait on
                // memory (0.1 s at 2M orders). Each step's input goes before the next
                // (this runs beside the lines' copy).
                Some(ids) => {
                    let in_file_order: IdxCa =
                        counted.first_row.iter().map(|&r| r as IdxSize).collect_ca("rows".into());
                    let ids = ids.take(&in_file_order)?;
                    drop(in_file_order);
                    let by_customer: IdxCa = order.iter().map(|&i| i as IdxSize).collect_ca("order".into());
                    let ids = ids.take(&by_customer)?;
                    drop(by_customer);
                    ids.cast(&DataType::String)?
                }
                None => Column::full_null("order_id".into(), order.len(), &DataType::String),
            };
            let dates: Int32Chunked = order.iter().map(|i| counted.date[pick(i)]).collect();
            let totals: Vec<f64> = order.iter().map(|i| counted.net[pick(i)]).collect();
            let mut columns = vec![
                Series::new("customer".into(), customer).into_column(),
                ids.with_name("order_id".into()),
                dates.with_name("order_date".into()).into_date().into_series().into_column(),
                Series::new("total".into(), totals).into_column(),
            ];
            if let Some(channels) = channels {
                columns.push(channels.take(&rows)?.with_name("channel".into()));
            }
            DataFrame::new(order.len(), columns)
        },
        || order_lines(named, quantity, slots, &rows),
    );
    Ok((orders?, lines?))
}

/// The lines of the counted orders (`first_rows[i]` is the first line of order
/// `i`) that name a product, SKU or category (the `named` columns), in file order.
fn order_lines(
    named: Vec<Column>,
    quantity: Option<Column>,
    slots: &[u32],
    first_rows: &IdxCa,
) -> PolarsResult<Option<DataFrame>> {
    if named.is_empty() || slots.is_empty() {
        return Ok(None);
    }
    let distinct = slots.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut order_of_slot = vec![NO_ROW; distinct];
    for (i, first) in first_rows.iter().enumerate() {
        if let Some(&slot) = first.and_then(|r| slots.get(r as usize)) {
            order_of_slot[slot as usize] = u32::try_from(i).unwrap_or(NO_ROW);
        }
    }
    // A line names something when any of its columns has a value.
    let mut has_text = named[0].is_not_null();
    for column in &named[1..] {
        has_text = &has_text | &column.is_not_null();
    }
    // At most a line a row; capacity never used is never touched.
    let mut line_rows: Vec<IdxSize> = Vec::with_capacity(slots.len());
    let mut line_order: Vec<u32> = Vec::with_capacity(slots.len());
    for (row, (&slot, has)) in slots.iter().zip(has_text.iter()).enumerate() {
        let order = order_of_slot[slot as usize];
        if order != NO_ROW && has == Some(true) {
            line_rows.push(row as IdxSize);
            line_order.push(order);
        }
    }
    drop(order_of_slot);
    let rows: IdxCa = IdxCa::from_vec("rows".into(), line_rows);
    let mut columns = vec![Series::new("order".into(), line_order).into_column()];
    // Read as categories (see `ORDER_LINE_TEXT`); a cast is free for them. Each
    // column of the file goes as soon as its lines are copied.
    let line_type = crate::engine::data::line_text_type();
    for column in named {
        columns.push(column.cast(&line_type)?.take(&rows)?);
    }
    if let Some(q) = quantity {
        columns.push(q.cast(&DataType::Float64)?.take(&rows)?.with_name("quantity".into()));
    }
    Ok(Some(DataFrame::new(rows.len(), columns)?))
}
