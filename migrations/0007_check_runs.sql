-- The Check Run published for each analysed PR head (app and hybrid modes), so a
-- re-analysis updates it instead of adding another one to the PR.
CREATE TABLE check_runs (
    pr_id         BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    head_sha      TEXT NOT NULL,
    check_run_id  BIGINT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (pr_id, head_sha)
);
