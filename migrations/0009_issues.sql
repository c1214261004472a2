-- Issues of a repository (GitHub's issues endpoint lists PRs too; those are dropped by
-- the client and live in pull_requests). `content_hash` is SHA-256 of title, body and
-- labels: an issue is re-analysed only when it changes, and `analysed_hash` records
-- which text the current analysis status is about.
CREATE TABLE issues (
    id               BIGSERIAL PRIMARY KEY,
    repo_id          BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    github_id        BIGINT NOT NULL,
    number           INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    state_reason     TEXT,
    title            TEXT NOT NULL DEFAULT '',
    body             TEXT,
    author_login     TEXT,
    labels           TEXT[] NOT NULL DEFAULT '{}',
    html_url         TEXT,
    comments         INTEGER NOT NULL DEFAULT 0,
    gh_created_at    TIMESTAMPTZ,
    gh_updated_at    TIMESTAMPTZ,
    closed_at        TIMESTAMPTZ,
    content_hash     TEXT NOT NULL,
    analysis_status  TEXT NOT NULL DEFAULT 'PENDING'
                     CHECK (analysis_status IN ('PENDING', 'ANALYSED', 'DEGRADED', 'FAILED')),
    analysed_hash    TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (repo_id, number)
);

-- Open issues of a repository by number (listings, close_missing).
CREATE INDEX issues_repo_state_number ON issues (repo_id, state, number);
-- What is left to analyse.
CREATE INDEX issues_pending ON issues (repo_id) WHERE analysis_status = 'PENDING';

-- Repository documents read from GitHub's contents API (VISION.md).
CREATE TABLE repo_documents (
    repo_id     BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    content     TEXT NOT NULL,
    sha         TEXT,
    fetched_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (repo_id, path)
);
