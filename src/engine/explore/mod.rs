//! Explore: audiences found in the raw data. [`rfm`] scores every customer with
//! orders on recency, frequency and money and names the usual groups.

pub mod rfm;
