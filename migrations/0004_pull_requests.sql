-- The triage data model: pull requests at their current head, their files and
-- channels, analysis runs (one per head and engine version), the candidate-retrieval
-- index, and candidate edges (one row per unordered pair, so reads are symmetric).

ALTER TABLE repositories
    ADD COLUMN html_url        TEXT,
    ADD COLUMN installation_id BIGINT,
    ADD COLUMN is_active       BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE pull_requests (
    id                  BIGSERIAL PRIMARY KEY,
    repo_id             BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    github_id           BIGINT NOT NULL,
    number              INTEGER NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('open', 'closed', 'merged')),
    draft               BOOLEAN NOT NULL DEFAULT false,
    title               TEXT NOT NULL DEFAULT '',
    body                TEXT,
    author_login        TEXT,
    html_url            TEXT,
    head_sha            TEXT NOT NULL,
    head_ref            TEXT,
    base_ref            TEXT,
    base_sha            TEXT,
    gh_created_at       TIMESTAMPTZ,
    gh_updated_at       TIMESTAMPTZ,
    closed_at           TIMESTAMPTZ,
    merged_at           TIMESTAMPTZ,
    additions           INTEGER,
    deletions           INTEGER,
    changed_files       INTEGER,
    -- Analysis of the current head: PENDING until an ingest finishes.
    analysis_status     TEXT NOT NULL DEFAULT 'PENDING'
                        CHECK (analysis_status IN ('PENDING', 'ANALYSED', 'DEGRADED', 'FAILED')),
    analysis_error      TEXT,
    analysed_head_sha   TEXT,
    first_seen_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repo_id, number)
);

CREATE INDEX pull_requests_repo_state ON pull_requests (repo_id, state);

CREATE TABLE pr_files (
    pr_id         BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha      TEXT NOT NULL,
    path          TEXT NOT NULL,
    previous_path TEXT,
    status        TEXT NOT NULL,
    additions     INTEGER NOT NULL DEFAULT 0,
    deletions     INTEGER NOT NULL DEFAULT 0,
    channel       TEXT NOT NULL,
    patch_state   TEXT NOT NULL DEFAULT 'present' CHECK (patch_state IN ('present', 'truncated', 'binary')),
    PRIMARY KEY (pr_id, path)
);

-- Engine versions and rule content an analysis was made with; `config_version` is a
-- content hash, so the text that produced it is kept too.
CREATE TABLE config_snapshots (
    config_version        TEXT PRIMARY KEY,
    classification_rules  TEXT NOT NULL,
    thresholds            TEXT NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE analysis_runs (
    id                 BIGSERIAL PRIMARY KEY,
    pr_id              BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha           TEXT NOT NULL,
    signature_version  INTEGER NOT NULL,
    algorithm_version  INTEGER NOT NULL,
    config_version     TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('ANALYSED', 'DEGRADED', 'FAILED')),
    degraded_reasons   TEXT[] NOT NULL DEFAULT '{}',
    error              TEXT,
    fingerprint        JSONB,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (pr_id, head_sha, signature_version, algorithm_version, config_version)
);

-- Candidate retrieval: every key of every current fingerprint (LSH bands, diff hash,
-- paths, prefixes, symbols, test intent, issue references), hashed to 64 bits.
CREATE TABLE pr_index_keys (
    repo_id  BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    key      BIGINT NOT NULL,
    pr_id    BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    PRIMARY KEY (repo_id, key, pr_id)
);

CREATE INDEX pr_index_keys_pr ON pr_index_keys (pr_id);

CREATE TABLE candidate_edges (
    repo_id         BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    pr_low          BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    pr_high         BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_low        TEXT NOT NULL,
    head_high       TEXT NOT NULL,
    category        TEXT NOT NULL,
    final_score     DOUBLE PRECISION NOT NULL,
    scores          JSONB NOT NULL,
    evidence        JSONB NOT NULL,
    config_version  TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (pr_low, pr_high),
    CHECK (pr_low < pr_high)
);

CREATE INDEX candidate_edges_high ON candidate_edges (pr_high);
CREATE INDEX candidate_edges_repo_score ON candidate_edges (repo_id, final_score DESC);

-- What each scan enqueued, so its progress is read from the PRs' analysis state and
-- a scan whose ingest was deduplicated against another scan's still completes.
CREATE TABLE scan_items (
    scan_id   UUID NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    pr_id     BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha  TEXT NOT NULL,
    PRIMARY KEY (scan_id, pr_id)
);

CREATE INDEX scan_items_pr ON scan_items (pr_id, head_sha);

CREATE TABLE feedback (
    id                  UUID PRIMARY KEY,
    repo_id             BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    pr_id               BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha            TEXT NOT NULL,
    candidate_pr_id     BIGINT REFERENCES pull_requests (id) ON DELETE CASCADE,
    candidate_head_sha  TEXT,
    decision            TEXT NOT NULL,
    base_pr_id          BIGINT REFERENCES pull_requests (id) ON DELETE SET NULL,
    notes               TEXT,
    actor               TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX feedback_pr ON feedback (pr_id);
CREATE INDEX feedback_candidate ON feedback (candidate_pr_id);

CREATE TABLE webhook_deliveries (
    delivery_id   TEXT PRIMARY KEY,
    event         TEXT NOT NULL,
    action        TEXT,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at  TIMESTAMPTZ
);

-- Set once the scan has listed every PR and enqueued its ingests; until then the scan
-- cannot be done however many ingests have finished.
ALTER TABLE scans ADD COLUMN listing_complete BOOLEAN NOT NULL DEFAULT false;
