//! Network: the only part of Kitle that opens connections, and only when the user
//! asks (a push to an ad platform). Reading this folder answers "what leaves the
//! machine": [`google`] and [`meta`] build the platforms' documented requests from
//! the hashes the engine made, [`push`] sends an audience's changes in batches and
//! records only what was accepted, [`http`] holds the rules every call shares
//! (HTTPS or loopback, the token in a header, retries with backoff) and
//! [`credentials`] finds tokens without ever writing one to a workspace; [`ai`] is
//! the optional narrative of a persona's fit (aggregates only); [`store`] pulls a
//! Shopify or WooCommerce store's customers and orders when the user connects or
//! refreshes it, waiting out their rate limits on a [`clock`].

pub mod ai;
pub mod clock;
pub mod credentials;
pub mod google;
pub mod http;
pub mod meta;
pub mod push;
pub mod store;
