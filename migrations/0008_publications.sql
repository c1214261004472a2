-- What app mode wrote on a PR besides its Check Run: the possible-duplicate label and
-- the one comment. The row is claimed before the write, so a PR never gets either twice,
-- across re-analyses, new heads, workers and crashes (a lost answer errs on the quiet
-- side: the claim stays and nothing is written again).
CREATE TABLE pr_publications (
    pr_id        BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('label', 'comment')),
    other_pr_id  BIGINT REFERENCES pull_requests (id) ON DELETE SET NULL,
    head_sha     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'claimed' CHECK (status IN ('claimed', 'done')),
    github_id    BIGINT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (pr_id, kind)
);
