-- Repositories the service knows about. More of the data model (pull requests,
-- fingerprints, candidate edges, scans) arrives with the scan pipeline.
CREATE TABLE repositories (
    id            BIGSERIAL PRIMARY KEY,
    github_id     BIGINT UNIQUE,
    owner         TEXT NOT NULL,
    name          TEXT NOT NULL,
    default_branch TEXT NOT NULL DEFAULT 'main',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- owner/name are case-insensitive on GitHub.
CREATE UNIQUE INDEX repositories_owner_name ON repositories (lower(owner), lower(name));
