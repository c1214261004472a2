-- One row per scan trigger. The idempotency key makes "the same trigger twice" one
-- scan even when two API processes race; the id is the jobId clients poll.
CREATE TABLE scans (
    id                    UUID PRIMARY KEY,
    idempotency_key       TEXT NOT NULL UNIQUE,
    owner                 TEXT NOT NULL,
    repo                  TEXT NOT NULL,
    snapshot              TEXT NOT NULL,
    max_open_prs          INTEGER,
    repo_id               BIGINT REFERENCES repositories (id) ON DELETE SET NULL,
    status                TEXT NOT NULL DEFAULT 'queued'
                          CHECK (status IN ('queued', 'running', 'done', 'partial', 'failed')),
    prs_listed            INTEGER NOT NULL DEFAULT 0,
    enqueued              INTEGER NOT NULL DEFAULT 0,
    skipped_unchanged     INTEGER NOT NULL DEFAULT 0,
    analysed              INTEGER NOT NULL DEFAULT 0,
    failed                INTEGER NOT NULL DEFAULT 0,
    github_requests       INTEGER NOT NULL DEFAULT 0,
    github_not_modified   INTEGER NOT NULL DEFAULT 0,
    rate_limit_remaining  INTEGER,
    rate_limit_reset_at   TIMESTAMPTZ,
    error                 TEXT,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at            TIMESTAMPTZ,
    finished_at           TIMESTAMPTZ
);

CREATE INDEX scans_recent ON scans (created_at DESC);
