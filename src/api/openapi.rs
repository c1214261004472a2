//! `GET /api/openapi.json`: the API description, generated from the handlers'
//! annotations and the typed bodies in [`super::dto`].

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{dto, feedback, health, issues, ops, repos, sets};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "clawtriage API", description = "Pull-request triage: scans, duplicate sets, evidence, feedback; issues with their duplicates and linked PRs; the scope assist."),
    paths(
        health::health,
        ops::public_scan,
        ops::recent_scans,
        ops::scan_status,
        repos::list,
        repos::triage_queue,
        sets::list,
        sets::detail,
        repos::pr_detail,
        repos::pr_files,
        repos::pr_candidates,
        feedback::create,
        feedback::list,
        issues::list,
        issues::detail,
        issues::scope,
    ),
    components(schemas(dto::ErrorBody, dto::ErrorDetail)),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "ops_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("OPS_TRIGGER_TOKEN"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "dashboard_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("DASHBOARD_TOKEN"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "dashboard_admin_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Admin-Token"))),
        );
    }
}

/// Serves the document (public: it describes, it does not disclose).
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
