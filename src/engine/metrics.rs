//! Numbers about the whole customer universe, computed from the customer table.

use polars::prelude::*;
use serde::Serialize;

use super::build::CustomerData;

/// Customers and their average LTV in one acquisition channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelSummary {
    pub channel: String,
    pub customers: usize,
    pub revenue: f64,
}

/// The headline numbers; `None` where the data can't tell (no LTV column).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub customers: usize,
    pub total_revenue: Option<f64>,
    pub avg_ltv: Option<f64>,
    pub channels: Vec<ChannelSummary>,
    pub as_of: chrono::NaiveDate,
}

/// Label for customers whose channel is unknown.
pub const UNKNOWN_CHANNEL: &str = "(unknown)";

pub fn summary(data: &CustomerData) -> PolarsResult<Summary> {
    let df = &data.customers;
    let ltv: Option<Float64Chunked> = match df.column("ltv") {
        Ok(c) => Some(c.cast(&DataType::Float64)?.f64()?.clone()),
        Err(_) => None,
    };
    let total_revenue = ltv.as_ref().map(|l| l.sum().unwrap_or(0.0));
    let avg_ltv = ltv.as_ref().and_then(ChunkAgg::mean);
    let mut channels: Vec<ChannelSummary> = Vec::new();
    if let Ok(c) = df.column("channel") {
        let names = c.cast(&DataType::String)?;
        let names = names.str()?;
        let mut by_name: std::collections::HashMap<&str, (usize, f64)> = std::collections::HashMap::new();
        for (i, name) in names.iter().enumerate() {
            let entry = by_name.entry(name.unwrap_or(UNKNOWN_CHANNEL)).or_default();
            entry.0 += 1;
            entry.1 += ltv.as_ref().and_then(|l| l.get(i)).unwrap_or(0.0);
        }
        channels = by_name
            .into_iter()
            .map(|(channel, (customers, revenue))| ChannelSummary { channel: channel.to_owned(), customers, revenue })
            .collect();
        channels.sort_by(|a, b| b.customers.cmp(&a.customers).then_with(|| a.channel.cmp(&b.channel)));
    }
    Ok(Summary { customers: df.height(), total_revenue, avg_ltv, channels, as_of: data.as_of })
}
