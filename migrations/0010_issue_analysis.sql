-- What the issue engine derives (issue 10): issue fingerprints, the term tables that
-- give candidate retrieval and document frequencies, duplicate-issue edges, PR ↔ issue
-- links and the scope assist's verdicts. All of it is derived data: rebuildable from
-- the issues, the PRs and the configuration.

CREATE TABLE issue_fingerprints (
    issue_id           BIGINT PRIMARY KEY REFERENCES issues (id) ON DELETE CASCADE,
    content_hash       TEXT NOT NULL,
    signature_version  TEXT NOT NULL,
    algorithm_version  TEXT NOT NULL,
    config_version     TEXT NOT NULL,
    fingerprint        JSONB NOT NULL,
    analysed_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every term key of every analysed issue: document frequencies for idf weighting.
CREATE TABLE issue_terms (
    repo_id   BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    key       BIGINT NOT NULL,
    issue_id  BIGINT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    PRIMARY KEY (repo_id, key, issue_id)
);
CREATE INDEX issue_terms_issue ON issue_terms (issue_id);

-- The capped retrieval keys (strongest terms) of each issue: candidate lookup.
CREATE TABLE issue_index_keys (
    repo_id   BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    key       BIGINT NOT NULL,
    issue_id  BIGINT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    PRIMARY KEY (repo_id, key, issue_id)
);
CREATE INDEX issue_index_keys_issue ON issue_index_keys (issue_id);

CREATE TABLE issue_edges (
    repo_id         BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    issue_low       BIGINT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    issue_high      BIGINT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    -- DUPLICATE or RELATED.
    category        TEXT NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    scores          JSONB NOT NULL,
    evidence        JSONB NOT NULL,
    config_version  TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_low, issue_high),
    CHECK (issue_low < issue_high)
);
CREATE INDEX issue_edges_high ON issue_edges (issue_high);

-- What a PR's links and scope are computed from (its text, changed symbols and paths),
-- so both can be recomputed when issues or the vision change, without GitHub.
CREATE TABLE pr_text_inputs (
    pr_id        BIGINT PRIMARY KEY REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha     TEXT NOT NULL,
    link_input   JSONB NOT NULL,
    scope_input  JSONB NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE pr_issue_links (
    pr_id        BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    issue_id     BIGINT NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    -- EXPLICIT, BRANCH, MENTIONED or SUGGESTED.
    kind         TEXT NOT NULL,
    score        DOUBLE PRECISION NOT NULL,
    evidence     JSONB NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (pr_id, issue_id)
);
CREATE INDEX pr_issue_links_issue ON pr_issue_links (issue_id);

-- The scope assist's advisory verdict per PR (never acted on automatically).
CREATE TABLE pr_scope (
    pr_id        BIGINT PRIMARY KEY REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha     TEXT NOT NULL,
    verdict      TEXT NOT NULL CHECK (verdict IN ('IN_SCOPE', 'OUT_OF_SCOPE', 'UNCERTAIN')),
    confidence   DOUBLE PRECISION NOT NULL,
    reasons      JSONB NOT NULL,
    -- Content hash of the vision document it was judged by (NULL: none).
    vision_hash  TEXT,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pr_scope_verdict ON pr_scope (verdict);
