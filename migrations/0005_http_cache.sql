-- ETag memory of the GitHub client. A conditional request answered 304 costs no
-- rate-limit budget, but only if we still have the body the ETag stands for; keeping it
-- here makes an hourly re-scan of an unchanged repository cheap across restarts and
-- across processes. One row per request (method and full URL with its query).
CREATE TABLE http_cache (
    cache_key   TEXT PRIMARY KEY,
    etag        TEXT NOT NULL,
    -- The response body exactly as received (JSON text), served again on a 304.
    body        TEXT NOT NULL,
    -- The `Link` header of the response, so pagination can continue from a 304.
    link        TEXT,
    stored_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- For pruning entries that have not been refreshed for a long time.
CREATE INDEX http_cache_stored_at ON http_cache (stored_at);
