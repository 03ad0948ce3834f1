//! The groups API on both backends: set up a weekly group, read it back with its next meetings,
//! change it with a version, add members, and clear refusals.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_app::Actor;
use coproduce_testkit::{each_app, Response, TestApp};
use serde_json::{json, Value};

async fn call(
    t: &TestApp,
    auth: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    let headers = [
        ("authorization", auth),
        ("content-type", "application/json"),
    ];
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    t.request(method, path, &headers, body).await
}

fn json_of(r: &Response) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

#[tokio::test]
async fn a_weekly_group_is_set_up_changed_and_joined_through_the_api() {
    each_app(|t| async move {
        let service = t
            .app
            .create_service(&Actor::Cli, "Child and Family Therapy", "")
            .await
            .unwrap();
        let staff = t
            .add_staff_in("megan@example.org", "staff", &[&service.to_string()])
            .await;
        let token = t
            .app
            .create_api_token(&Actor::Cli, staff, "test", None)
            .await
            .unwrap();
        let auth = format!("Bearer {}", token.expose());

        let new = json!({
            "name": "Parent carer forum and therapy service",
            "service_id": service,
            "meeting_rrule": "FREQ=WEEKLY;BYDAY=WE",
            "first_meeting": "2026-01-07T19:00",
            "video_link": "https://zoom.us/j/987654321",
        });
        let created = call(&t, &auth, Method::POST, "/api/v1/groups", Some(new)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let group = json_of(&created);
        let id = group["id"].as_i64().unwrap();
        assert_eq!(group["meeting_rrule"], "FREQ=WEEKLY;BYDAY=WE");
        assert_eq!(group["meeting_pattern"], "Every week on Wednesday");
        assert_eq!(group["first_meeting"], "2026-01-07T19:00");
        assert_eq!(group["next_meetings"].as_array().unwrap().len(), 6);

        let hourly = call(
            &t,
            &auth,
            Method::POST,
            "/api/v1/groups",
            Some(json!({
                "name": "Too often", "service_id": service, "meeting_rrule": "FREQ=HOURLY",
                "first_meeting": "2026-01-07T19:00", "video_link": "http://zoom.us/j/1"
            })),
        )
        .await;
        assert_eq!(hourly.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = json_of(&hourly);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["meeting_rrule", "video_link"]);

        let version = group["version"].as_i64().unwrap();
        let path = format!("/api/v1/groups/{id}");
        let changed = call(
            &t,
            &auth,
            Method::PATCH,
            &path,
            Some(json!({"version": version, "venue": "Harbour Room"})),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(json_of(&changed)["venue"], "Harbour Room");
        assert_eq!(
            json_of(&changed)["meeting_rrule"],
            "FREQ=WEEKLY;BYDAY=WE",
            "what was not sent is kept"
        );
        let stale = call(
            &t,
            &auth,
            Method::PATCH,
            &path,
            Some(json!({"version": version, "venue": "Elsewhere"})),
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let unversioned = call(
            &t,
            &auth,
            Method::PATCH,
            &path,
            Some(json!({"venue": "Elsewhere"})),
        )
        .await;
        assert_eq!(unversioned.status, StatusCode::UNPROCESSABLE_ENTITY);

        let members = format!("/api/v1/groups/{id}/members");
        let lead = call(
            &t,
            &auth,
            Method::POST,
            &members,
            Some(json!({"staff_id": staff.0, "role": "staff_lead"})),
        )
        .await;
        assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.body);
        assert_eq!(json_of(&lead)["role"], "staff_lead");
        let nobody = call(
            &t,
            &auth,
            Method::POST,
            &members,
            Some(json!({"person_id": 999_999, "role": "member"})),
        )
        .await;
        assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
        let listed = json_of(&call(&t, &auth, Method::GET, &members, None).await);
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);

        let all = json_of(&call(&t, &auth, Method::GET, "/api/v1/groups", None).await);
        assert_eq!(
            all["items"][0]["name"],
            "Parent carer forum and therapy service"
        );
    })
    .await;
}
