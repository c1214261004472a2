//! The scan pipeline: triggers create scans, the `public-pr-scan` job lists a
//! repository's PRs and enqueues `ingest-pr` jobs, which analyse one PR each.

pub mod trigger;
