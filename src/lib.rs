//! claimcheck: numbers in the news, checked across sources.
#![warn(clippy::print_stdout, clippy::print_stderr)]
pub mod error;
pub mod lang;
pub mod number;
pub mod sentence;
