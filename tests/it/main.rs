//! The one integration-test binary: end-to-end tests of `claimcheck`, one module per area.

mod support;

mod articles;
mod check;
mod cli;
mod compare;
mod facts;
mod numbers;
mod rules;
mod seeds;
mod store;
mod updates;
