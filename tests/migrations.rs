//! Migrations apply one by one over data seeded at each step (what a deploy onto an
//! existing volume does), and applying them again is a no-op.

use clawtriage::storage::MIGRATOR;

#[tokio::test]
async fn migrations_apply_one_by_one_over_seeded_data() {
    let db = clawtriage::testing::empty_db().await;
    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations");
    let mut seeded = 0;
    for migration in MIGRATOR.iter() {
        MIGRATOR
            .run_to(migration.version, &db)
            .await
            .unwrap_or_else(|e| panic!("migration {}: {e}", migration.version));
        let fixture = fixtures.join(format!("{:04}.sql", migration.version));
        if let Ok(sql) = std::fs::read_to_string(&fixture) {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&db)
                .await
                .unwrap_or_else(|e| panic!("seed {}: {e}", fixture.display()));
            seeded += 1;
        }
    }
    assert!(
        seeded >= 5,
        "fixtures were not found in {}",
        fixtures.display()
    );
    MIGRATOR.run(&db).await.expect("re-running is a no-op");
    let repos: i64 = sqlx::query_scalar("SELECT count(*) FROM repositories")
        .fetch_one(&db)
        .await
        .expect("count");
    let analyses: i64 = sqlx::query_scalar("SELECT count(*) FROM analysis_runs")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!((repos, analyses), (1, 1));
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM duplicate_set_members")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(members, 1);
    // A column added by a later migration got its default on the seeded row.
    let active: bool = sqlx::query_scalar("SELECT is_active FROM repositories")
        .fetch_one(&db)
        .await
        .expect("active");
    assert!(active);
}
