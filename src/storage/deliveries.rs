//! Webhook deliveries, remembered by GitHub's delivery id so a redelivery is a no-op.

use sqlx::PgExecutor;

/// Records a delivery; false when it was already recorded (a replay).
pub async fn record(
    db: impl PgExecutor<'_>,
    delivery_id: &str,
    event: &str,
    action: Option<&str>,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (delivery_id, event, action) VALUES ($1, $2, $3)
         ON CONFLICT (delivery_id) DO NOTHING",
    )
    .bind(delivery_id)
    .bind(event)
    .bind(action)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Marks a delivery processed.
pub async fn mark_processed(db: impl PgExecutor<'_>, delivery_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE webhook_deliveries SET processed_at = now() WHERE delivery_id = $1")
        .bind(delivery_id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Forgets a delivery whose processing failed, so GitHub's redelivery is processed.
pub async fn forget(db: impl PgExecutor<'_>, delivery_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM webhook_deliveries WHERE delivery_id = $1 AND processed_at IS NULL")
        .bind(delivery_id)
        .execute(db)
        .await
        .map(|_| ())
}
