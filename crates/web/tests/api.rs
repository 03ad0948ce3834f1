//! The JSON API, the OpenAPI document and the health check, on both backends.

use axum::http::StatusCode;
use coproduce_app::Actor;
use coproduce_testkit::each_app;

#[tokio::test]
async fn me_answers_with_the_tokens_staff_member() {
    each_app(|t| async move {
        let id = t.add_staff("sam@example.org", "staff").await;
        let token = t.api_token(id).await;
        let r = t.api_get("/api/v1/me", &token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let me: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(me["email"], "sam@example.org");
        assert_eq!(me["role"], "staff");
        assert_eq!(me["id"], id.0);
    })
    .await;
}

#[tokio::test]
async fn missing_forged_and_expired_tokens_get_a_401_problem() {
    each_app(|t| async move {
        let id = t.add_staff("sam@example.org", "staff").await;
        let token = t
            .app
            .create_api_token(&Actor::Cli, id, "test", Some(1))
            .await
            .unwrap();
        t.app.clock().advance_minutes(24 * 60 + 1);
        for r in [
            t.get("/api/v1/me").await,
            t.api_get("/api/v1/me", "cpt_forged").await,
            t.api_get("/api/v1/me", token.expose()).await,
        ] {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert_eq!(r.header("content-type"), Some("application/problem+json"));
            assert_eq!(r.header("www-authenticate"), Some("Bearer"));
            let p: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(p["status"], 401);
            assert!(p["detail"].as_str().unwrap().contains("Bearer"));
        }
        let unknown = t.get("/api/v1/nothing-here").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(
            unknown.header("content-type"),
            Some("application/problem+json")
        );
    })
    .await;
}

#[tokio::test]
async fn health_is_ok_while_the_database_answers() {
    each_app(|t| async move {
        let r = t.get("/healthz").await;
        assert_eq!(r.status, StatusCode::OK);
        t.app.db().close().await;
        assert_eq!(
            t.get("/healthz").await.status,
            StatusCode::SERVICE_UNAVAILABLE
        );
    })
    .await;
}

/// The OpenAPI document is generated from the handlers; this snapshot shows every change to the
/// API in review. Run with `UPDATE_SNAPSHOTS=1` to accept a deliberate change.
#[test]
fn the_openapi_document_matches_its_snapshot() {
    let doc = coproduce_web::api::openapi();
    let json = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    assert!(json.contains("\"openapi\": \"3.1.0\""));
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        json, expected,
        "the OpenAPI document changed; run with UPDATE_SNAPSHOTS=1 if that was intended"
    );
}

#[test]
fn the_document_lists_every_answer_each_operation_can_give_and_what_each_body_requires() {
    let doc = coproduce_web::api::openapi();
    let mut ids = std::collections::HashSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/") {
            continue;
        }
        for (method, op) in ops.as_object().unwrap() {
            let answers = op["responses"].as_object().unwrap();
            let has = |code: &str| answers.contains_key(code);
            assert!(has("401") && has("403"), "{method} {path}");
            assert_eq!(
                answers["401"]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem"
            );
            if path.contains('{') {
                assert!(has("404"), "{method} {path}");
            }
            if op.get("requestBody").is_some() {
                assert!(has("413") && has("415") && has("422"), "{method} {path}");
            }
            if method == "post" {
                assert!(has("409"), "{method} {path}");
                let params = op["parameters"].as_array().unwrap();
                assert_eq!(
                    params
                        .iter()
                        .filter(|p| p["name"] == "Idempotency-Key")
                        .count(),
                    1,
                    "{path}"
                );
            }
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_owned()),
                "{method} {path}: its own id"
            );
        }
    }
    // Every required field is one the body has.
    for ops in doc["paths"].as_object().unwrap().values() {
        for op in ops.as_object().unwrap().values() {
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            let Some(required) = schema["required"].as_array() else {
                continue;
            };
            let name = schema["allOf"][0]["$ref"]
                .as_str()
                .unwrap()
                .trim_start_matches("#/components/schemas/");
            for field in required {
                let field = field.as_str().unwrap();
                assert!(
                    doc["components"]["schemas"][name]["properties"]
                        .get(field)
                        .is_some(),
                    "{name}.{field}"
                );
            }
        }
    }
    let people = &doc["paths"]["/api/v1/people"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_eq!(
        people["required"],
        serde_json::json!(["name", "service_id"])
    );
    let name = &doc["components"]["schemas"]["NewPerson"]["properties"]["name"];
    assert!(
        name["pattern"].as_str().unwrap().contains("\\u0000"),
        "text holds no control characters"
    );
    assert_eq!(
        doc["components"]["schemas"]["NewPerson"]["additionalProperties"],
        false
    );
}

#[tokio::test]
async fn the_participation_team_adds_and_changes_services_and_partners_through_the_api() {
    use serde_json::{json, Value};
    each_app(|t| async move {
        let admin = t
            .api_token(t.add_staff("priya@example.org", "admin").await)
            .await;
        let staff = t
            .api_token(t.add_staff("tom@example.org", "staff").await)
            .await;
        let json_of = |r: &coproduce_testkit::Response| -> Value {
            serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
        };

        let added = t
            .api_post(
                "/api/v1/services",
                &admin,
                json!({"name": "Memory Clinic", "default_cadence_days": 14}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let service = json_of(&added);
        assert_eq!(service["name"], "Memory Clinic");
        assert_eq!(service["default_cadence_days"], 14);
        let id = service["id"].as_i64().unwrap();
        let path = format!("/api/v1/services/{id}");
        let renamed = t
            .api_patch(&path, &admin, json!({"name": "Memory Assessment Service"}))
            .await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(json_of(&renamed)["name"], "Memory Assessment Service");
        assert_eq!(
            json_of(&renamed)["default_cadence_days"],
            14,
            "what was not sent is kept"
        );
        let too_often = t
            .api_patch(&path, &admin, json!({"default_cadence_days": 0}))
            .await;
        assert_eq!(too_often.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            json_of(&too_often)["errors"][0]["field"],
            "default_cadence_days"
        );
        let nameless = t.api_post("/api/v1/services", &admin, json!({})).await;
        assert_eq!(json_of(&nameless)["errors"][0]["field"], "name");

        let partner = t
            .api_post("/api/v1/partners", &admin, json!({"name": "Carers' Voice"}))
            .await;
        assert_eq!(partner.status, StatusCode::CREATED, "{}", partner.body);
        let partner_id = json_of(&partner)["id"].as_i64().unwrap();
        let blank = t
            .api_post("/api/v1/partners", &admin, json!({"name": " "}))
            .await;
        assert_eq!(
            json_of(&blank)["errors"][0]["field"],
            "name",
            "the field the body named"
        );
        let moved = t
            .api_patch(
                &format!("/api/v1/partners/{partner_id}"),
                &admin,
                json!({"name": "Carers Voice Portsmouth"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        let listed = json_of(&t.api_get("/api/v1/partners", &staff).await);
        assert_eq!(listed["items"][0]["name"], "Carers Voice Portsmouth");

        let refused = t
            .api_post("/api/v1/services", &staff, json!({"name": "Mine"}))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let services = json_of(&t.api_get("/api/v1/services", &staff).await);
        assert_eq!(
            services["items"].as_array().unwrap().len(),
            1,
            "nothing added by staff"
        );
        t.app
            .archive(
                &Actor::Cli,
                coproduce_domain::services::Archivable::Service,
                id,
            )
            .await
            .unwrap();
        let archived = t
            .api_patch(&path, &admin, json!({"name": "Back again"}))
            .await;
        assert_eq!(
            archived.status,
            StatusCode::NOT_FOUND,
            "an archived service is not changed"
        );
    })
    .await;
}
