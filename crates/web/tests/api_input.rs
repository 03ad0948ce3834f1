//! What the API answers to input no one could mean, on both backends: every refusal is a
//! problem document naming the parameter or field, and nothing reaches the database.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_app::Actor;
use coproduce_testkit::{each_app, Response, TestApp};
use serde_json::{json, Value};

async fn admin_token(t: &TestApp) -> String {
    let id = t.add_staff("ada@example.org", "admin").await;
    t.api_token(id).await
}

fn problem(r: &Response) -> Value {
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{} {}",
        r.status,
        r.body
    );
    serde_json::from_str(&r.body).expect("a problem document")
}

fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A schema, following a `$ref` into the document's components.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(first) = schema["allOf"].get(0) {
        return resolve(doc, first);
    }
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")],
        None => schema,
    }
}

fn is_type(schema: &Value, name: &str) -> bool {
    schema["type"] == name
        || schema["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == name))
}

/// Every text field of a request schema as `(place, body holding NUL there)`, arrays and
/// objects in arrays included.
fn poisoned_bodies(doc: &Value, schema: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let props = resolve(doc, schema)["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, prop) in props {
        let prop = resolve(doc, &prop);
        if is_type(prop, "string") {
            out.push((name.clone(), json!({ name.clone(): "a\u{0}b" })));
        } else if is_type(prop, "array") {
            let items = resolve(doc, &prop["items"]);
            if is_type(items, "string") {
                out.push((format!("{name}[0]"), json!({ name.clone(): ["a\u{0}b"] })));
            } else {
                for (inner, body) in poisoned_bodies(doc, items) {
                    out.push((
                        format!("{name}[0].{inner}"),
                        json!({ name.clone(): [body] }),
                    ));
                }
            }
        }
    }
    out
}

fn operations(doc: &Value) -> Vec<(Method, String, Value)> {
    let mut out = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            out.push((method, path.replace("{id}", "1"), op.clone()));
        }
    }
    out
}

#[tokio::test]
async fn control_characters_in_any_text_field_or_parameter_are_refused_by_name() {
    let doc = serde_json::to_value(coproduce_web::api::openapi()).expect("document");
    each_app(|t| {
        let doc = doc.clone();
        async move {
            let token = admin_token(&t).await;
            let mut checked = 0;
            for (method, path, op) in operations(&doc) {
                if let Some(schema) = op["requestBody"]["content"]["application/json"].get("schema")
                {
                    for (place, body) in poisoned_bodies(&doc, schema) {
                        let r = t.api_send(method.clone(), &path, &token, Some(body)).await;
                        assert_eq!(
                            r.status,
                            StatusCode::UNPROCESSABLE_ENTITY,
                            "{method} {path} {place}: {}",
                            r.body
                        );
                        let p = problem(&r);
                        assert_eq!(fields(&p), [place], "{method} {path}");
                        assert!(p["errors"][0]["message"]
                            .as_str()
                            .unwrap_or("")
                            .contains("U+0000"));
                        checked += 1;
                    }
                }
                for param in op["parameters"].as_array().cloned().unwrap_or_default() {
                    if param["in"] != "query" || !is_type(resolve(&doc, &param["schema"]), "string")
                    {
                        continue;
                    }
                    let name = param["name"].as_str().expect("name");
                    let url = format!("{path}?{name}=a%00b");
                    let r = t.api_send(method.clone(), &url, &token, None).await;
                    assert_eq!(
                        r.status,
                        StatusCode::BAD_REQUEST,
                        "{method} {url}: {}",
                        r.body
                    );
                    assert_eq!(fields(&problem(&r)), [name], "{method} {url}");
                    checked += 1;
                }
            }
            assert!(checked > 100, "every text field was tried ({checked})");
            // Nothing of it was stored.
            let people = t
                .app
                .search_people(&Actor::Cli, &Default::default())
                .await
                .unwrap();
            assert!(people.people.is_empty());
        }
    })
    .await;
}

#[tokio::test]
async fn bad_paths_queries_and_bodies_are_problems_naming_what_is_wrong() {
    each_app(|t| async move {
        let token = admin_token(&t).await;
        let r = t.api_get("/api/v1/people/abc", &token).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(fields(&problem(&r)), ["id"]);
        let r = t
            .api_get("/api/v1/people?service=9223372036854775808", &token)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(fields(&problem(&r)), ["service"]);
        let r = t.api_get("/api/v1/people?overdue=perhaps", &token).await;
        assert_eq!(fields(&problem(&r)), ["overdue"]);

        // Bodies that are not JSON, or not whole JSON: the content type and the body sent.
        let auth = format!("Bearer {token}");
        for (content_type, body, status) in [
            ("text/plain", "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE),
            ("application/json", "{\"name\": ", StatusCode::BAD_REQUEST),
        ] {
            let headers = [
                ("authorization", auth.as_str()),
                ("content-type", content_type),
            ];
            let r = t
                .request(Method::POST, "/api/v1/people", &headers, Body::from(body))
                .await;
            assert_eq!(r.status, status, "{content_type}: {body}");
            problem(&r);
        }
        let wrong_type = t
            .api_post(
                "/api/v1/people",
                &token,
                json!({"name": 7, "service_id": 1}),
            )
            .await;
        assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem(&wrong_type)), ["name"]);
        let missing = t
            .api_post("/api/v1/people", &token, json!({"name": "Ana Lane"}))
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&problem(&missing)), ["service_id"]);
        let huge = t
            .api_post(
                "/api/v1/people",
                &token,
                json!({"name": "x".repeat(2 << 20)}),
            )
            .await;
        assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
        problem(&huge);
        let not_allowed = t
            .api_send(Method::DELETE, "/api/v1/people", &token, None)
            .await;
        assert_eq!(not_allowed.status, StatusCode::METHOD_NOT_ALLOWED);
        problem(&not_allowed);
    })
    .await;
}
