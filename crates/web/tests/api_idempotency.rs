//! `Idempotency-Key` on every POST of the API, on both backends: the loop below takes the
//! operations from the OpenAPI document, so a POST added without an entry here fails it.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_app::concerns::{ConcernInput, StepInput};
use coproduce_app::Actor;
use coproduce_domain::concerns::Step;
use coproduce_testkit::{each_app, forum_group, ward_walk, TestApp};
use serde_json::{json, Value};
use std::sync::Arc;

async fn send(
    t: &TestApp,
    token: &str,
    path: &str,
    key: &str,
    body: &Value,
) -> coproduce_testkit::Response {
    let auth = format!("Bearer {token}");
    t.request(
        Method::POST,
        path,
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ],
        Body::from(body.to_string()),
    )
    .await
}

fn json_of(r: &coproduce_testkit::Response) -> Value {
    serde_json::from_str(&r.body).unwrap_or(Value::Null)
}

/// The things the bodies refer to, and an admin's token.
struct Fixture {
    token: String,
    service: i64,
    person: i64,
    group: i64,
    meeting: i64,
    opportunity: i64,
    review: i64,
    /// For each step's action, a concern waiting for it: its id and version.
    concerns: std::collections::HashMap<&'static str, (i64, i64)>,
    /// The admin behind the token (whom a concern is escalated to).
    staff: i64,
}

/// A concern raised by the group, with `steps` taken: its id and version.
async fn concern_after(
    t: &TestApp,
    service: i64,
    group: i64,
    staff: i64,
    steps: &[Step],
) -> (i64, i64) {
    let raise = ConcernInput {
        service_id: service.to_string(),
        raised_by: format!("group:{group}"),
        words: "Too loud".into(),
        severity: "low".into(),
    };
    let id = t
        .app
        .raise_concern(&Actor::Cli, &raise)
        .await
        .expect("raise");
    let version = || async {
        t.app
            .concern(&Actor::Cli, id)
            .await
            .expect("read")
            .concern
            .version
    };
    for step in steps {
        let input = StepInput {
            version: version().await,
            owner_id: staff.to_string(),
            response: "Answered".into(),
            fed_back_way: "phone".into(),
            fed_back_on: "2026-01-05".into(),
            fed_back_by: "Sam".into(),
            not_changed_because: "It was already changed".into(),
            ..StepInput::default()
        };
        t.app
            .take_concern_step(&Actor::Cli, id, *step, &input)
            .await
            .expect("step");
    }
    (id.0, version().await)
}

async fn fixture(t: &TestApp) -> Fixture {
    let (token, service) = t.admin_token_and_service("Therapy").await;
    let post = |path: &'static str, body: Value| {
        let token = token.clone();
        async move {
            let r = t.api_post(path, &token, body).await;
            assert!(r.status.is_success(), "{path}: {}", r.body);
            json_of(&r)["id"].as_i64().expect("an id")
        }
    };
    let person = post(
        "/api/v1/people",
        json!({"name": "Ana Lane", "service_id": service}),
    )
    .await;
    let group = post("/api/v1/groups", forum_group(service)).await;
    let meeting = post(
        "/api/v1/meetings",
        json!({"group_id": group, "starts_at_local": "2030-03-01T10:00", "minutes": 60}),
    )
    .await;
    let opportunity = post("/api/v1/opportunities", ward_walk(service)).await;
    let review = post("/api/v1/reviews", review_of(group)).await;
    let staff = json_of(&t.api_get("/api/v1/me", &token).await)["id"]
        .as_i64()
        .expect("me");
    use Step::*;
    let walks: [(&str, &[Step]); 6] = [
        ("escalate", &[]),
        ("respond", &[Escalate]),
        ("feed-back", &[Escalate, Respond]),
        ("close", &[Escalate, Respond, FeedBack]),
        ("reopen", &[Escalate, Respond, FeedBack, Close]),
        ("redirect", &[Escalate]),
    ];
    let mut concerns = std::collections::HashMap::new();
    for (action, steps) in walks {
        concerns.insert(action, concern_after(t, service, group, staff, steps).await);
    }
    Fixture {
        token,
        service,
        person,
        group,
        meeting,
        opportunity,
        review,
        concerns,
        staff,
    }
}

/// A group's review, every standard rated.
fn review_of(group: i64) -> Value {
    json!({"of": format!("group:{group}"), "held_on": "2026-01-05", "principles": "mostly",
        "purpose": "fully", "presence": "partly", "process": "mostly", "impact": "partly"})
}

/// A body each POST answers with success, at the path with its ids filled in.
fn request_for(f: &Fixture, path: &str, n: usize) -> (String, Value) {
    let name = format!("Made {n}");
    let body = match path {
        "/api/v1/people" => json!({"name": name, "service_id": f.service}),
        "/api/v1/people/{id}/contacts" => {
            json!({"channel": "phone", "direction": "outbound", "summary": name})
        }
        "/api/v1/people/{id}/consents" => {
            json!({"kind": "contact", "given": n.is_multiple_of(2), "note": name})
        }
        "/api/v1/groups" => {
            json!({"name": name, "service_id": f.service, "meeting_rrule": "FREQ=WEEKLY;BYDAY=MO", "first_meeting": "2030-01-07T10:00", "video_link": "https://zoom.us/j/2"})
        }
        "/api/v1/groups/{id}/members" => {
            json!({"person_id": f.person, "role": if n.is_multiple_of(2) { "member" } else { "chair" }})
        }
        "/api/v1/meetings" => {
            json!({"group_id": f.group, "starts_at_local": format!("2031-01-{:02}T10:00", 1 + n % 28), "minutes": 60, "title": name})
        }
        "/api/v1/meetings/{id}/actions" => {
            json!({"description": name, "owner_person_id": f.person})
        }
        "/api/v1/projects" => {
            json!({"name": name, "service_id": f.service, "starts_on": "2030-01-05", "ladder": "consultation"})
        }
        "/api/v1/opportunities" => {
            json!({"title": name, "kind": "reading_panel", "service_id": f.service, "starts_on": "2099-03-01", "place": "online", "places": 2, "closes_on": "2099-02-20", "description": "Read a leaflet.", "visibility": "draft", "hours": 1})
        }
        "/api/v1/opportunities/{id}/interest" => {
            json!({"person_id": f.person, "stage": if n.is_multiple_of(2) { "interested" } else { "selected" }})
        }
        "/api/v1/enquiries" => {
            json!({"name": name, "phone": "07700900555", "consent": true, "idempotency_key": format!("call-{n}")})
        }
        "/api/v1/services" => json!({"name": name, "default_cadence_days": 14}),
        "/api/v1/partners" => json!({"name": name}),
        "/api/v1/concerns" => {
            json!({"service_id": f.service, "raised_by": format!("group:{}", f.group), "words": name, "severity": "low"})
        }
        "/api/v1/improvements" => {
            json!({"service_id": f.service, "you_said": name, "we_did": "Changed", "changed_on": "2026-01-05"})
        }
        "/api/v1/reviews" => {
            let mut body = review_of(f.group);
            body["views"] = json!(name);
            body
        }
        "/api/v1/reviews/{id}/actions" => json!({"description": name}),
        step if step.starts_with("/api/v1/concerns/{id}/") => {
            let (_, version) = f.concerns[step.rsplit('/').next().unwrap_or_default()];
            json!({"version": version, "owner_id": f.staff, "response": name, "fed_back_way": "phone",
                "fed_back_on": "2026-01-05", "fed_back_by": name, "not_changed_because": name,
                "reason": name, "redirect_to": "complaint"})
        }
        other => panic!("no body for POST {other}: add one here"),
    };
    let id = if let Some(step) = path.strip_prefix("/api/v1/concerns/{id}/") {
        f.concerns[step].0
    } else if path.starts_with("/api/v1/people/") {
        f.person
    } else if path.starts_with("/api/v1/groups/") {
        f.group
    } else if path.starts_with("/api/v1/meetings/") {
        f.meeting
    } else if path.starts_with("/api/v1/reviews/") {
        f.review
    } else {
        f.opportunity
    };
    (path.replace("{id}", &id.to_string()), body)
}

#[tokio::test]
async fn every_post_answers_a_retry_with_the_first_answer_and_refuses_a_key_sent_with_another_body()
{
    let doc = serde_json::to_value(coproduce_web::api::openapi()).unwrap();
    let posts: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| ops.get("post").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    assert!(posts.len() >= 11, "{posts:?}");
    each_app(|t| {
        let posts = posts.clone();
        async move {
            let f = fixture(&t).await;
            for (n, template) in posts.iter().enumerate() {
                let (path, body) = request_for(&f, template, n);
                let key = format!("key-{n}");
                let first = send(&t, &f.token, &path, &key, &body).await;
                assert!(first.status.is_success(), "POST {path}: {}", first.body);
                let again = send(&t, &f.token, &path, &key, &body).await;
                assert_eq!(again.status, first.status, "POST {path}");
                assert_eq!(again.body, first.body, "POST {path}: the stored answer");
                assert_eq!(
                    again.header("idempotent-replayed"),
                    Some("true"),
                    "POST {path}"
                );
                assert_eq!(again.header("content-type"), first.header("content-type"));
                let (_, other) = request_for(&f, template, n + 1);
                let refused = send(&t, &f.token, &path, &key, &other).await;
                assert_eq!(
                    refused.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "POST {path}: {}",
                    refused.body
                );
                assert_eq!(json_of(&refused)["errors"][0]["field"], "Idempotency-Key");
                // Keys belong to their token: another token's same key is its own request.
            }
            let mine = t.add_staff("bo@example.org", "admin").await;
            let other_token = t.api_token(mine).await;
            let (path, body) = request_for(&f, "/api/v1/people", 0);
            let theirs = send(
                &t,
                &other_token,
                &path,
                "key-0",
                &json!({"name": "Someone else", "service_id": body["service_id"]}),
            )
            .await;
            assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.body);
            let bad = send(&t, &f.token, &path, &"k".repeat(256), &body).await;
            assert_eq!(bad.status, StatusCode::BAD_REQUEST);
            // Kept for a day: after it, the key is forgotten and the request is new again.
            t.app.clock().advance_minutes(24 * 60 + 1);
            assert!(t.app.forget_idempotency_keys().await.unwrap() >= posts.len() as u64);
            let later = send(&t, &f.token, &path, "key-0", &body).await;
            assert_eq!(later.status, StatusCode::CREATED);
            assert_eq!(later.header("idempotent-replayed"), None);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_copies_of_one_post_at_once_make_one_person() {
    each_app(|t| async move {
        let f = fixture(&t).await;
        let t = Arc::new(t);
        let body = json!({"name": "Only Once", "service_id": f.service});
        let mut all = tokio::task::JoinSet::new();
        for _ in 0..100 {
            let (t, token, body) = (t.clone(), f.token.clone(), body.clone());
            all.spawn(async move { send(&t, &token, "/api/v1/people", "one-person", &body).await });
        }
        let mut created = Vec::new();
        while let Some(r) = all.join_next().await {
            let r = r.unwrap();
            match r.status {
                StatusCode::CREATED => created.push(r.body),
                StatusCode::CONFLICT => {
                    assert_eq!(json_of(&r)["errors"][0]["field"], "Idempotency-Key")
                }
                other => panic!("{other}: {}", r.body),
            }
        }
        assert!(!created.is_empty());
        assert!(
            created.iter().all(|b| *b == created[0]),
            "every answer is the first one"
        );
        let people = t
            .app
            .search_people(&Actor::Cli, &Default::default())
            .await
            .unwrap();
        let named = people
            .people
            .iter()
            .filter(|p| p.name == "Only Once")
            .count();
        assert_eq!(named, 1);
    })
    .await;
}
