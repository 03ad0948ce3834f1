//! Values no one could mean are refused with the reason, through the API and the pages, on
//! both backends: negative hours, years before 1900 or after 2200, a London time the clocks
//! skip, and repetition rules thousands of characters long.

use axum::http::{Method, StatusCode};
use coproduce_testkit::{each_app, forum_group, TestApp};
use serde_json::{json, Value};

struct World {
    token: String,
    service: i64,
    group: i64,
}

async fn world(t: &TestApp) -> World {
    let (token, service) = t.admin_token_and_service("Therapy").await;
    let group = forum_group(service);
    let made = t.api_post("/api/v1/groups", &token, group).await;
    let group = serde_json::from_str::<Value>(&made.body).expect("group")["id"]
        .as_i64()
        .expect("id");
    World {
        token,
        service,
        group,
    }
}

/// The fields a refusal names, and its messages.
async fn refused(
    t: &TestApp,
    w: &World,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (Vec<String>, String) {
    let r = t.api_send(method, path, &w.token, body).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{path}: {}",
        r.body
    );
    let p: Value = serde_json::from_str(&r.body).expect("problem");
    let errors = p["errors"].as_array().cloned().unwrap_or_default();
    let fields = errors
        .iter()
        .map(|e| e["field"].as_str().unwrap_or("").to_owned())
        .collect();
    let messages = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" | ");
    (fields, messages)
}

#[tokio::test]
async fn values_no_one_could_mean_are_refused_naming_the_field_and_the_reason() {
    each_app(|t| async move {
        let w = world(&t).await;
        let opportunity = |hours: f64| json!({
            "title": "Panel", "kind": "recruitment_panel", "service_id": w.service, "starts_on": "2099-03-01",
            "place": "online", "places": 2, "closes_on": "2099-02-20", "description": "Choose a nurse.",
            "visibility": "draft", "hours": hours
        });
        let (fields, _) = refused(&t, &w, Method::POST, "/api/v1/opportunities", Some(opportunity(-2.0))).await;
        assert_eq!(fields, ["hours"]);

        for (field, body) in [
            ("date_of_birth", json!({"name": "Old", "service_id": w.service, "date_of_birth": "1850-06-01"})),
            ("date_of_birth", json!({"name": "Far", "service_id": w.service, "date_of_birth": "20260-06-01"})),
        ] {
            let (fields, _) = refused(&t, &w, Method::POST, "/api/v1/people", Some(body)).await;
            assert_eq!(fields, [field]);
        }
        let opp = json!({
            "title": "Panel", "kind": "recruitment_panel", "service_id": w.service, "starts_on": "2299-03-01",
            "place": "online", "places": 2, "closes_on": "2299-02-20", "description": "Choose a nurse.", "visibility": "draft"
        });
        let (fields, messages) = refused(&t, &w, Method::POST, "/api/v1/opportunities", Some(opp)).await;
        assert!(fields.contains(&"starts_on".to_owned()) && fields.contains(&"closes_on".to_owned()), "{fields:?}");
        assert!(messages.contains("from 1900 to 2200"), "{messages}");
        let path = format!("/api/v1/meetings?group_id={}&from=1066-10-14", w.group);
        let r = t.api_send(Method::GET, &path, &w.token, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("\"from\""));
        let rule = format!("FREQ=WEEKLY;BYDAY={}", vec!["MO"; 400].join(","));
        let long = json!({"name": "Long", "service_id": w.service, "meeting_rrule": rule, "first_meeting": "2030-01-06T10:00", "video_link": "https://zoom.us/j/1"});
        let (fields, messages) = refused(&t, &w, Method::POST, "/api/v1/groups", Some(long)).await;
        assert_eq!(fields, ["meeting_rrule"]);
        assert!(messages.contains("the most is 500"), "{messages}");

        // 28 March 2027: the clocks go forward at 1am, so 01:30 never happens.
        let skipped = json!({"group_id": w.group, "starts_at_local": "2027-03-28T01:30", "minutes": 60});
        let (fields, messages) = refused(&t, &w, Method::POST, "/api/v1/meetings", Some(skipped)).await;
        assert_eq!(fields, ["starts_at_local"]);
        assert!(messages.contains("The clocks go forward on 28 March 2027"), "{messages}");
        let fine = json!({"group_id": w.group, "starts_at_local": "2027-03-28T02:30", "minutes": 60});
        let made = t.api_post("/api/v1/meetings", &w.token, fine).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    })
    .await;
}

#[tokio::test]
async fn the_pages_refuse_the_same_values_keeping_what_was_typed() {
    each_app(|t| async move {
        let w = world(&t).await;
        t.add_staff_in("tom@example.org", "staff", &[&w.service.to_string()])
            .await;
        t.sign_in("tom@example.org").await;
        let page = format!("/groups/{}/meetings/new", w.group);
        let fields = [
            ("date", "28/03/2027"),
            ("time", "01:30"),
            ("minutes", "60"),
            ("title", "Leaflet workshop"),
        ];
        let r = t.submit(&page, &page, &fields).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        r.assert_contains(&[
            "The clocks go forward on 28 March 2027",
            "value=\"Leaflet workshop\"",
        ]);
        let service = w.service.to_string();
        let person = [
            ("name", "Sol Reyes"),
            ("date_of_birth", "01/01/1850"),
            ("service_id", service.as_str()),
        ];
        let r = t.submit("/people/new", "/people", &person).await;
        r.assert_shows(StatusCode::BAD_REQUEST, &["Enter a year from 1900 to 2200"]);
    })
    .await;
}
