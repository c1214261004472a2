//! Decoded fingerprints kept in memory: every ingest scores its PR against up to 200
//! candidates, and reading and decoding their stored JSON each time cost more than the
//! scoring. Entries are keyed by PR and head, so a moved head is a miss, never stale.

use std::sync::{Arc, Mutex};

use clawtriage_triage::Fingerprint;
use hashlink::LruCache;
use sqlx::PgPool;

use super::engine::Engine;
use crate::storage::analyses::{self, CurrentHead};

/// Decoded fingerprints at most this many: about 10 KiB each, so ~40 MiB at most.
pub const CAPACITY: usize = 4096;

/// An LRU of decoded fingerprints by (PR id, head).
#[derive(Debug)]
pub struct FingerprintCache {
    entries: Mutex<LruCache<(i64, String), Arc<Fingerprint>>>,
}

impl Default for FingerprintCache {
    fn default() -> Self {
        Self::new(CAPACITY)
    }
}

impl FingerprintCache {
    /// A cache of `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(LruCache::new(capacity.max(1))),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<(i64, String), Arc<Fingerprint>>> {
        // A panic while holding the lock leaves a usable cache (each call is one
        // insert or lookup); keep serving rather than poisoning every later ingest.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers the fingerprint of `pr_id` at `head_sha`.
    pub fn insert(&self, pr_id: i64, head_sha: &str, fingerprint: Arc<Fingerprint>) {
        self.lock()
            .insert((pr_id, head_sha.to_owned()), fingerprint);
    }

    fn get(&self, pr_id: i64, head_sha: &str) -> Option<Arc<Fingerprint>> {
        self.lock().get(&(pr_id, head_sha.to_owned())).cloned()
    }

    /// The current-head fingerprints of `pr_ids` (those that have one): heads from
    /// Postgres, fingerprints from memory where present, the rest read in one query.
    pub async fn load(
        &self,
        db: &PgPool,
        engine: &Engine,
        pr_ids: &[i64],
    ) -> Result<Vec<(CurrentHead, Arc<Fingerprint>)>, sqlx::Error> {
        let heads = analyses::current_heads(db, pr_ids, engine.versions()).await?;
        let mut found = Vec::with_capacity(heads.len());
        let mut missing = Vec::new();
        for head in heads {
            match self.get(head.pr_id, &head.head_sha) {
                Some(fp) => found.push((head, fp)),
                None => missing.push(head.pr_id),
            }
        }
        if !missing.is_empty() {
            for stored in analyses::current_fingerprints(db, &missing, engine.versions()).await? {
                let Some(fp) = engine.decode(&stored.fingerprint) else {
                    continue;
                };
                let fp = Arc::new(fp);
                self.insert(stored.pr_id, &stored.head_sha, Arc::clone(&fp));
                found.push((
                    CurrentHead {
                        pr_id: stored.pr_id,
                        number: stored.number,
                        state: stored.state,
                        head_sha: stored.head_sha,
                    },
                    fp,
                ));
            }
        }
        found.sort_by_key(|(head, _)| head.pr_id);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(engine: &Engine) -> Arc<Fingerprint> {
        let analysed = engine.analyse(1, "t", None, &[]);
        Arc::new(
            engine
                .decode(&analysed.fingerprint.to_string())
                .expect("decode"),
        )
    }

    #[test]
    fn entries_are_per_head_and_the_oldest_goes_first() {
        let engine = Engine::with_defaults().expect("engine");
        let cache = FingerprintCache::new(2);
        cache.insert(1, "a", fingerprint(&engine));
        cache.insert(2, "b", fingerprint(&engine));
        assert!(cache.get(1, "a").is_some());
        assert!(cache.get(1, "other head").is_none());
        cache.insert(3, "c", fingerprint(&engine));
        assert!(
            cache.get(2, "b").is_none(),
            "least recently used is evicted"
        );
        assert!(cache.get(1, "a").is_some());
        assert!(cache.get(3, "c").is_some());
    }
}
