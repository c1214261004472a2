-- Document frequencies of issue terms per repository, kept up to date as issues are
-- (re-)analysed: idf then costs one index lookup per term instead of counting postings
-- (which grows with the repository).
CREATE TABLE issue_term_df (
    repo_id  BIGINT NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    key      BIGINT NOT NULL,
    df       INTEGER NOT NULL CHECK (df >= 0),
    PRIMARY KEY (repo_id, key)
);

INSERT INTO issue_term_df (repo_id, key, df)
SELECT repo_id, key, count(*) FROM issue_terms GROUP BY repo_id, key;
