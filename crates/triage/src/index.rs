//! Candidate-retrieval keys (SPEC 5.7): a PR is compared only with PRs sharing at least
//! one key, never with the whole repository. Each key kind is hashed with its own tag,
//! so a path can never collide with a symbol of the same spelling.

use crate::channel::Channel;
use crate::fingerprint::Fingerprint;
use crate::hash::{key, mix64};

/// Key kinds (the tag hashed into every key).
pub mod kind {
    pub const LSH_BAND: u64 = 1;
    pub const DIFF_HASH: u64 = 2;
    pub const PATH: u64 = 3;
    pub const DIR: u64 = 4;
    pub const SYMBOL: u64 = 5;
    pub const TEST_INTENT: u64 = 6;
    pub const ISSUE_REF: u64 = 7;
}

/// Names too generic to retrieve anything useful.
const MIN_NAME_LEN: usize = 4;
const MAX_NAME_KEYS: usize = 48;

pub(crate) fn index_keys(fp: &Fingerprint, rows: usize, max_paths: usize) -> Vec<i64> {
    let mut keys = Vec::new();
    // The primary channel is part of every content key: a docs-only PR must not
    // retrieve code PRs through shared content (they can never be duplicates).
    let ch = match fp.primary {
        Some(c) => c.as_str(),
        None => "",
    };
    if fp.primary.is_some() {
        for (i, band) in crate::minhash::band_hashes(&fp.minhash, rows)
            .into_iter()
            .enumerate()
        {
            let tag = mix64(kind::LSH_BAND ^ (i as u64) << 8) ^ key(kind::LSH_BAND, ch) as u64;
            keys.push(mix64(band ^ tag) as i64);
        }
        if let Some(h) = &fp.diff_hash {
            keys.push(key(kind::DIFF_HASH, h));
        }
        for p in fp.paths.iter().take(max_paths) {
            keys.push(key(kind::PATH, &format!("{ch}:{p}")));
        }
        let mut dirs: Vec<&str> = fp
            .paths
            .iter()
            .filter_map(|p| p.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs.into_iter().take(max_paths) {
            keys.push(key(kind::DIR, &format!("{ch}:{d}")));
        }
        if fp.primary == Some(Channel::Production) {
            let names = fp
                .exports
                .iter()
                .chain(&fp.symbols)
                .filter(|n| !n.starts_with('-') && n.len() >= MIN_NAME_LEN)
                .take(MAX_NAME_KEYS);
            for n in names {
                keys.push(key(kind::SYMBOL, n));
            }
        }
    }
    for n in fp
        .tests
        .suites
        .iter()
        .chain(&fp.tests.names)
        .take(MAX_NAME_KEYS)
    {
        keys.push(key(kind::TEST_INTENT, n));
    }
    for r in &fp.issue_refs {
        keys.push(key(kind::ISSUE_REF, r));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}
