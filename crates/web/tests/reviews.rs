//! Reviews through the real router, on both backends: a 4Pi review recorded on its form shows on
//! the group's page with what it agreed to adjust; a standard left unrated re-renders the form
//! with what was typed; the API lists what is due before a day, names a bad field, and records
//! a review and its adjustment.

use axum::http::StatusCode;
use coproduce_testkit::{each_app, forum_group, json_of};
use serde_json::json;

#[tokio::test]
async fn a_review_recorded_on_its_form_shows_on_the_groups_page_with_its_adjustment() {
    each_app(|t| async move {
        let (admin, service) = t.admin_token_and_service("Learning Disabilities").await;
        let group = t
            .api_post("/api/v1/groups", &admin, forum_group(service))
            .await;
        let group = json_of(&group)["id"].as_i64().unwrap();
        t.add_staff_in("lead@example.org", "staff", &[&service.to_string()])
            .await;
        t.sign_in("lead@example.org").await;
        let form = format!("/reviews/new?of=group:{group}");
        let shown = t.get(&form).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(shown
            .body
            .contains("How well is the standard for Presence met?"));

        let mut fields = vec![
            ("of", format!("group:{group}")),
            ("held_on", "1/12/2026".to_owned()),
            ("principles", "mostly".to_owned()),
            ("purpose", "fully".to_owned()),
            ("process", "mostly".to_owned()),
            ("impact", "partly".to_owned()),
            ("views", "Meet in the evening sometimes.".to_owned()),
        ];
        let typed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = t.submit(&form, "/reviews", &typed).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused
            .body
            .contains("Choose how well the standard for Presence is met"));
        assert!(
            refused.body.contains("Meet in the evening sometimes."),
            "what was typed is kept"
        );

        fields.push(("presence", "partly".to_owned()));
        let typed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let recorded = t.submit(&form, "/reviews", &typed).await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let review = recorded
            .location()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let adjust = [("description", "Hold every third meeting in the evening")];
        let added = t
            .submit(&review, &format!("{review}/actions"), &adjust)
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let page = t.get(&review).await;
        assert!(page
            .body
            .contains("Hold every third meeting in the evening"));
        assert!(page.body.contains("1 Jun 2027"), "next due six months on");

        let group_page = t.get(&format!("/groups/{group}")).await;
        assert!(group_page.body.contains("Review on 1 Dec 2026"));
        assert!(group_page.body.contains("Presence partly"));
        assert!(group_page
            .body
            .contains("The next review is due on 1 Jun 2027"));
    })
    .await;
}

#[tokio::test]
async fn the_api_lists_reviews_due_before_a_day_and_records_one_with_an_adjustment() {
    each_app(|t| async move {
        let (admin, service) = t.admin_token_and_service("Learning Disabilities").await;
        let mut forum = forum_group(service);
        forum["next_review_on"] = json!("2026-01-10");
        let group = t.api_post("/api/v1/groups", &admin, forum).await;
        assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
        let group = json_of(&group)["id"].as_i64().unwrap();

        let due = t
            .api_get("/api/v1/reviews?due_before=2026-02-01", &admin)
            .await;
        assert_eq!(due.status, StatusCode::OK, "{}", due.body);
        let items = json_of(&due)["items"].clone();
        assert_eq!(items[0]["of"], format!("group:{group}"));
        assert_eq!(items[0]["due_on"], "2026-01-10");
        assert_eq!(items[0]["overdue"], true);
        let bad = t.api_get("/api/v1/reviews?due_before=soon", &admin).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&bad)["errors"][0]["field"], "due_before");

        let review = json!({"of": format!("group:{group}"), "held_on": "2026-01-05",
            "principles": "mostly", "purpose": "fully", "presence": "partly",
            "process": "mostly", "impact": "not_yet", "next_review_on": "2026-04-01"});
        let made = t.api_post("/api/v1/reviews", &admin, review).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let made = json_of(&made);
        assert_eq!(made["assessments"][4]["rating"], "not_yet");
        let id = made["id"].as_i64().unwrap();
        let path = format!("/api/v1/reviews/{id}/actions");
        let adjust = json!({"description": "Ask the members who stopped coming why"});
        let added = t.api_post(&path, &admin, adjust).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        assert_eq!(json_of(&added)["review_id"], id);
        let shown = t.api_get(&format!("/api/v1/reviews/{id}"), &admin).await;
        assert_eq!(json_of(&shown)["adjustments"][0]["meeting_id"], json!(null));

        let after = t
            .api_get("/api/v1/reviews?due_before=2026-02-01", &admin)
            .await;
        let items = json_of(&after)["items"].clone();
        assert!(
            items
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["of"] != format!("group:{group}")),
            "reviewed, it is next due in April: {items}"
        );
        let unrated = json!({"of": format!("group:{group}"), "held_on": "2026-01-05"});
        let refused = t.api_post("/api/v1/reviews", &admin, unrated).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&refused)["errors"][0]["field"], "principles");
    })
    .await;
}
