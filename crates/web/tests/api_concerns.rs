//! Concerns and improvements through the API, on both backends: a concern goes through every
//! step as POST actions to closed with an improvement, which is then published; a step out of
//! turn names `step`, a response by someone who is not the owner is a 403, and a retried POST
//! with the same `Idempotency-Key` takes its step once.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_domain::Role;
use coproduce_testkit::{each_app, json_of};
use serde_json::json;

#[tokio::test]
async fn a_concern_goes_through_its_steps_to_closed_with_a_published_improvement() {
    each_app(|t| async move {
        let (admin, service) = t.admin_token_and_service("Learning Disabilities").await;
        let ours = [service];
        let (lead_id, _) = t.staff_actor("lead@example.org", Role::Staff, &ours).await;
        let (colleague_id, _) = t.staff_actor("nurse@example.org", Role::Staff, &ours).await;
        let lead = t.api_token(lead_id).await;
        let colleague = t.api_token(colleague_id).await;
        let forum = coproduce_testkit::forum_group(service);
        let group = t.api_post("/api/v1/groups", &admin, forum).await;
        assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
        let group_id = json_of(&group)["id"].as_i64().unwrap();

        let raised = t
            .api_post(
                "/api/v1/concerns",
                &colleague,
                json!({"service_id": service, "raised_by": format!("group:{group_id}"),
                       "words": "The waiting area is too loud.", "severity": "medium"}),
            )
            .await;
        assert_eq!(raised.status, StatusCode::CREATED, "{}", raised.body);
        let c = json_of(&raised);
        assert_eq!(c["status"], "raised");
        assert_eq!(c["next_steps"], json!(["escalate", "redirect"]));
        let id = c["id"].as_i64().unwrap();
        let path = |step: &str| format!("/api/v1/concerns/{id}/{step}");
        let version = |r: &coproduce_testkit::Response| json_of(r)["version"].as_i64().unwrap();

        let soon = json!({"version": version(&raised), "response": "Soon"});
        let early = t.api_post(&path("respond"), &admin, soon).await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.body
        );
        assert_eq!(json_of(&early)["errors"][0]["field"], "step");

        let to_lead = json!({"version": version(&raised), "owner_id": lead_id.0});
        let escalated = t.api_post(&path("escalate"), &colleague, to_lead).await;
        assert_eq!(escalated.status, StatusCode::OK, "{}", escalated.body);
        let ours = json!({"version": version(&escalated), "response": "Ours"});
        let not_theirs = t.api_post(&path("respond"), &colleague, ours).await;
        assert_eq!(
            not_theirs.status,
            StatusCode::FORBIDDEN,
            "{}",
            not_theirs.body
        );
        let response = "A quiet corner, with softer light.";
        let body = json!({"version": version(&escalated), "response": response});
        let once = |body: serde_json::Value| {
            let (t, auth, path) = (&t, format!("Bearer {lead}"), path("respond"));
            async move {
                let headers = [
                    ("authorization", auth.as_str()),
                    ("content-type", "application/json"),
                    ("idempotency-key", "respond-once"),
                ];
                t.request(Method::POST, &path, &headers, Body::from(body.to_string()))
                    .await
            }
        };
        let answered = once(body.clone()).await;
        assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
        let again = once(body).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        let fed = t
            .api_post(
                &path("feed-back"),
                &colleague,
                json!({"version": version(&answered), "fed_back_way": "meeting",
                "fed_back_on": "2026-12-01", "fed_back_by": "Sam"}),
            )
            .await;
        assert_eq!(fed.status, StatusCode::OK, "{}", fed.body);

        let recorded = t
            .api_post(
                "/api/v1/improvements",
                &lead,
                json!({"service_id": service, "you_said": "The waiting area was too loud.",
                       "we_did": "We made a quiet corner.", "changed_on": "2026-11-30",
                       "led_by": [format!("concern:{id}")]}),
            )
            .await;
        assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
        let improvement = json_of(&recorded);
        let improvement_id = improvement["id"].as_i64().unwrap();
        let closed = t
            .api_post(
                &path("close"),
                &lead,
                json!({"version": version(&fed), "improvement_id": improvement_id}),
            )
            .await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        assert_eq!(json_of(&closed)["status"], "closed");
        assert_eq!(json_of(&closed)["improvement_id"], improvement_id);
        let history: Vec<String> = json_of(&closed)["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["step"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            history,
            ["raise", "escalate", "respond", "feed_back", "close"]
        );

        let imp_path = format!("/api/v1/improvements/{improvement_id}");
        let unversioned = t
            .api_patch(&imp_path, &lead, json!({"publish": true}))
            .await;
        assert_eq!(json_of(&unversioned)["errors"][0]["field"], "version");
        let no_easy_read = t
            .api_patch(
                &imp_path,
                &lead,
                json!({"version": improvement["version"], "publish": true}),
            )
            .await;
        assert_eq!(no_easy_read.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            json_of(&no_easy_read)["errors"][0]["field"],
            "you_said_easy"
        );
        let published = t
            .api_patch(
                &imp_path,
                &lead,
                json!({"version": improvement["version"], "publish": true,
                "you_said_easy": "It was too loud.", "we_did_easy": "We made a quiet corner."}),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        assert_eq!(
            json_of(&published)["led_by"],
            json!([format!("concern:{id}")])
        );
        t.get("/you-said-we-did")
            .await
            .assert_contains(&["We made a quiet corner.", "Learning Disabilities"]);
        t.get("/you-said-we-did/easy-read")
            .await
            .assert_contains(&["It was too loud."]);
        let listed = t.api_get("/api/v1/concerns?all=true", &lead).await;
        assert_eq!(json_of(&listed)["items"][0]["id"], id);
        for far in [
            "/api/v1/concerns?cursor=9223372036854775807",
            "/api/v1/improvements?cursor=9223372036854775807",
        ] {
            let beyond = t.api_get(far, &lead).await;
            assert_eq!(beyond.status, StatusCode::OK, "{far}: {}", beyond.body);
            assert_eq!(json_of(&beyond)["items"], json!([]), "{far}");
        }
        let improvements = t.api_get("/api/v1/improvements", &lead).await;
        assert_eq!(json_of(&improvements)["items"][0]["publish"], true);
    })
    .await;
}

#[tokio::test]
async fn a_change_to_an_improvement_can_take_its_quotes_person_away_with_null() {
    each_app(|t| async move {
        let (admin, service) = t.admin_token_and_service("Learning Disabilities").await;
        let person = t
            .api_post("/api/v1/people", &admin, json!({"name": "Ana Lane", "service_id": service}))
            .await;
        let person_id = json_of(&person)["id"].as_i64().unwrap();
        let recorded = t
            .api_post(
                "/api/v1/improvements",
                &admin,
                json!({"service_id": service, "you_said": "Too loud.", "we_did": "A quiet corner.",
                       "changed_on": "2026-11-30", "quote": "It is calmer now.",
                       "quote_person_id": person_id}),
            )
            .await;
        assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
        let made = json_of(&recorded);
        assert_eq!(made["quote_person_id"], person_id);
        let path = format!("/api/v1/improvements/{}", made["id"]);
        let untouched = t
            .api_patch(&path, &admin, json!({"version": made["version"], "evidence": "Photos"}))
            .await;
        assert_eq!(untouched.status, StatusCode::OK, "{}", untouched.body);
        assert_eq!(json_of(&untouched)["quote_person_id"], person_id, "left alone when not sent");
        let cleared = t
            .api_patch(
                &path,
                &admin,
                json!({"version": json_of(&untouched)["version"], "quote": "", "quote_person_id": null}),
            )
            .await;
        assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
        assert_eq!(json_of(&cleared)["quote_person_id"], serde_json::Value::Null);
    })
    .await;
}
