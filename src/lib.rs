//! clawtriage: keeps a busy GitHub repository's pull-request queue triaged.
//!
//! The crate is a list of modules; `main.rs` only parses the command line and calls
//! [`cli::run`].

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod fake_github;
pub mod github;
pub mod scan;
pub mod scheduler;
pub mod secret;
pub mod storage;
pub mod supervisor;
pub mod telemetry;
pub mod testing;
pub mod webhooks;
pub mod worker;
