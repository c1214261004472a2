-- Duplicate sets derived from the current heads' edges when a scan settles. A set
-- keeps its id across scans while its membership overlaps; a set whose members were
-- all closed, merged or split off stays as history (active = false).

CREATE TABLE duplicate_sets (
    id           BIGSERIAL PRIMARY KEY,
    repo_id      BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    active       BOOLEAN NOT NULL DEFAULT true,
    base_pr_id   BIGINT REFERENCES pull_requests (id) ON DELETE SET NULL,
    base_reason  TEXT,
    -- Strongest first: SAME_CHANGE, SAME_FEATURE, COMPETING_IMPLEMENTATION.
    categories   TEXT[] NOT NULL DEFAULT '{}',
    max_score    DOUBLE PRECISION NOT NULL,
    member_count INTEGER NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX duplicate_sets_page ON duplicate_sets (repo_id, active, max_score DESC, id);

CREATE TABLE duplicate_set_members (
    set_id  BIGINT NOT NULL REFERENCES duplicate_sets (id) ON DELETE CASCADE,
    pr_id   BIGINT NOT NULL REFERENCES pull_requests (id) ON DELETE CASCADE,
    PRIMARY KEY (set_id, pr_id)
);

CREATE INDEX duplicate_set_members_pr ON duplicate_set_members (pr_id);
