//! ETag memory: for every repeatable GET, the last ETag GitHub gave and the body it stands
//! for. The client sends the ETag as `If-None-Match`; a 304 (which costs no rate-limit
//! budget) is then answered from the stored body.
//!
//! Postgres (`http_cache`, migration 0005) makes the memory survive restarts and shared
//! between the API and worker processes; a small byte-bounded LRU in front saves the round
//! trip for hot pages. Without a pool the memory lives only in the process.
//!
//! The SQL lives here rather than in `storage/` because this table is private to the
//! client: nothing else reads it, and no other module should.
//!
//! A failing Postgres never fails a GitHub call: the cache is an optimisation, so errors
//! are logged (without keys' bodies) and the request goes out unconditionally.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::PgPool;

/// One remembered answer. Its `Debug` shows sizes, not the body (which may hold patches).
#[derive(Clone, PartialEq, Eq)]
pub struct CachedAnswer {
    /// The `ETag` header, verbatim (weak or strong).
    pub etag: String,
    /// The body, verbatim.
    pub body: String,
    /// The `Link` header, for pagination after a 304.
    pub link: Option<String>,
}

impl std::fmt::Debug for CachedAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedAnswer")
            .field("etag", &self.etag)
            .field("body_bytes", &self.body.len())
            .field("link", &self.link.is_some())
            .finish()
    }
}

impl CachedAnswer {
    fn size(&self) -> usize {
        self.etag.len() + self.body.len() + self.link.as_ref().map_or(0, String::len)
    }
}

/// The ETag memory: in-process LRU, optionally backed by Postgres.
pub struct EtagCache {
    memory: Mutex<Lru>,
    db: Option<PgPool>,
}

impl std::fmt::Debug for EtagCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let memory = self.lock();
        f.debug_struct("EtagCache")
            .field("entries", &memory.entries.len())
            .field("bytes", &memory.bytes)
            .field("durable", &self.db.is_some())
            .finish()
    }
}

impl EtagCache {
    /// A cache holding at most `memory_bytes` of bodies in memory, backed by `db` if given.
    pub fn new(db: Option<PgPool>, memory_bytes: usize) -> Self {
        Self {
            memory: Mutex::new(Lru::new(memory_bytes)),
            db,
        }
    }

    /// The remembered answer of `key`, from memory or else from Postgres.
    pub async fn get(&self, key: &str) -> Option<Arc<CachedAnswer>> {
        if let Some(hit) = self.lock().get(key) {
            return Some(hit);
        }
        let db = self.db.as_ref()?;
        let row: Result<Option<(String, String, Option<String>)>, _> =
            sqlx::query_as("SELECT etag, body, link FROM http_cache WHERE cache_key = $1")
                .bind(key)
                .fetch_optional(db)
                .await;
        match row {
            Ok(Some((etag, body, link))) => {
                let answer = Arc::new(CachedAnswer { etag, body, link });
                self.lock().put(key.to_owned(), answer.clone());
                Some(answer)
            }
            Ok(None) => None,
            Err(err) => {
                tracing::warn!(error = %err, "Cannot read the GitHub ETag cache; sending an unconditional request");
                None
            }
        }
    }

    /// Remembers `answer` for `key`, replacing what was there.
    pub async fn put(&self, key: &str, answer: CachedAnswer) {
        let answer = Arc::new(answer);
        self.lock().put(key.to_owned(), answer.clone());
        let Some(db) = &self.db else { return };
        let result = sqlx::query(
            "INSERT INTO http_cache (cache_key, etag, body, link, stored_at)
             VALUES ($1, $2, $3, $4, now())
             ON CONFLICT (cache_key) DO UPDATE
               SET etag = EXCLUDED.etag, body = EXCLUDED.body, link = EXCLUDED.link,
                   stored_at = EXCLUDED.stored_at",
        )
        .bind(key)
        .bind(&answer.etag)
        .bind(&answer.body)
        .bind(&answer.link)
        .execute(db)
        .await;
        if let Err(err) = result {
            tracing::warn!(error = %err, "Cannot store a GitHub ETag; the next request will be unconditional");
        }
    }

    /// Forgets `key` (a 304 arrived for an ETag whose body is gone).
    pub async fn forget(&self, key: &str) {
        self.lock().remove(key);
        if let Some(db) = &self.db {
            let _ = sqlx::query("DELETE FROM http_cache WHERE cache_key = $1")
                .bind(key)
                .execute(db)
                .await;
        }
    }

    /// Empties the in-memory part only (tests use it to simulate a restart).
    pub fn clear_memory(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        // A panic while holding this lock leaves a consistent map (every mutation is a
        // single call), so a poisoned lock is safe to keep using.
        self.memory.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Deletes entries not refreshed since `older_than`; returns how many.
pub async fn prune(
    db: &PgPool,
    older_than: chrono::DateTime<chrono::Utc>,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM http_cache WHERE stored_at < $1")
        .bind(older_than)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}

/// Least-recently-used map bounded by the total size of its values. Eviction scans for
/// the oldest entry; with at most a few thousand pages that is cheaper than it sounds and
/// keeps the code obvious.
struct Lru {
    entries: HashMap<String, (Arc<CachedAnswer>, u64)>,
    clock: u64,
    bytes: usize,
    max_bytes: usize,
}

impl Lru {
    fn new(max_bytes: usize) -> Self {
        Self {
            entries: HashMap::new(),
            clock: 0,
            bytes: 0,
            max_bytes,
        }
    }

    fn get(&mut self, key: &str) -> Option<Arc<CachedAnswer>> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(answer, used)| {
            *used = clock;
            answer.clone()
        })
    }

    fn put(&mut self, key: String, answer: Arc<CachedAnswer>) {
        self.remove(&key);
        let size = answer.size() + key.len();
        if size > self.max_bytes {
            return;
        }
        while self.bytes + size > self.max_bytes {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.remove(&k),
                None => break,
            }
        }
        self.clock += 1;
        self.bytes += size;
        self.entries.insert(key, (answer, self.clock));
    }

    fn remove(&mut self, key: &str) {
        if let Some((answer, _)) = self.entries.remove(key) {
            self.bytes = self.bytes.saturating_sub(answer.size() + key.len());
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Arc<CachedAnswer> {
        Arc::new(CachedAnswer {
            etag: "e".into(),
            body: body.into(),
            link: None,
        })
    }

    #[test]
    fn lru_evicts_the_least_recently_used_within_its_byte_budget() {
        let mut lru = Lru::new(30);
        lru.put("a".into(), answer("0123456789"));
        lru.put("b".into(), answer("0123456789"));
        assert!(lru.get("a").is_some());
        lru.put("c".into(), answer("0123456789"));
        assert!(lru.get("a").is_some(), "recently used survives");
        assert!(lru.get("b").is_none(), "oldest evicted");
        assert!(lru.get("c").is_some());
        assert!(lru.bytes <= 30);
        lru.put("huge".into(), answer(&"x".repeat(100)));
        assert!(
            lru.get("huge").is_none(),
            "larger than the budget: not kept"
        );
        assert!(lru.get("a").is_some(), "and nothing evicted for it");
    }
}
