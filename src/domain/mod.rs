//! The rules of the purchase API document: what can be bought, what a valid
//! order is, and what it costs. Pure: no I/O, no async, no terminal.

pub mod catalog;
pub mod order;
pub mod pricing;
pub mod summary;
