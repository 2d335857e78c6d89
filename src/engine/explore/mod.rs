//! Explore: audiences found in the raw data. [`rfm`] scores every customer with
//! orders on recency, frequency and money and names the usual groups; [`crosstab`]
//! sets any two fields against each other, each cell a segment rule.

pub mod bgnbd;
pub mod crosstab;
pub mod rfm;
