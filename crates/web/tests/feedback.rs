//! Feedback through the real router, on both backends: the link in the outbox opens an Easy
//! Read questionnaire with faces without signing in; a missing answer re-renders it with what
//! was typed; the answer is taken once and the link then thanks them; an old link offers another
//! way; staff record someone's answers on the meeting's feedback page; the group's results and
//! the API say "too few answers to report" below five.

use axum::http::StatusCode;
use coproduce_app::groups::GroupInput;
use coproduce_app::meetings::{MeetingInput, RegisterInput, RegisterLineInput};
use coproduce_app::people::PersonInput;
use coproduce_domain::groups::Team;
use coproduce_domain::{GroupId, MeetingId, PersonId, Role};
use coproduce_testkit::{each_app, json_of, TestApp};

/// A group with two members, Easy Read Zoë and Ade, at yesterday's meeting; its id, the
/// meeting's, the people's, and the feedback links sent to each.
async fn attended(t: &TestApp) -> (GroupId, MeetingId, Vec<PersonId>, Vec<String>) {
    let service = t.add_service("Learning Disabilities", "").await;
    let (_, staff) = t
        .staff_actor("lead@example.org", Role::Staff, &[service])
        .await;
    let input = GroupInput {
        name: "Learning disabilities forum".into(),
        service_id: service.to_string(),
        ..GroupInput::default()
    };
    let group = t
        .app
        .create_group(&staff, &input)
        .await
        .expect("the set-up");
    let mut people = Vec::new();
    for (name, needs) in [
        ("Zoë Ní Bhriain", vec!["easy_read".to_owned()]),
        ("Ade Okafor", vec![]),
    ] {
        let first = name.split(' ').next().expect("the set-up").to_lowercase();
        let input = PersonInput {
            name: name.into(),
            email: format!("{first}@example.org"),
            channels: vec!["email".into()],
            needs,
            ..PersonInput::default()
        };
        people.push(t.add_person(&input, service).await);
    }
    let yesterday = coproduce_domain::time::uk_day(t.app.clock().now().plus_days(-1));
    let input = MeetingInput {
        date: yesterday.to_string(),
        time: "10:00".into(),
        minutes: "60".into(),
        ..MeetingInput::default()
    };
    let m = t
        .app
        .add_meeting(&staff, Team::Group(group), &input)
        .await
        .expect("the set-up");
    let mut lines = Vec::new();
    for p in &people {
        let who = format!("person:{p}");
        t.app
            .set_invitation(&staff, m, &who, true)
            .await
            .expect("the set-up");
        lines.push(RegisterLineInput {
            who,
            attendance: "attended".into(),
            minutes_attended: String::new(),
            role: String::new(),
        });
    }
    let version = t
        .app
        .view_meeting(&staff, m)
        .await
        .expect("the set-up")
        .meeting
        .register_version;
    let register = RegisterInput { lines, version };
    t.app
        .save_register(&staff, m, &register)
        .await
        .expect("the set-up");
    let mut tx = t.app.db().read().await.expect("the set-up");
    let bodies: Vec<String> = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
        "SELECT body FROM outbox WHERE kind = 'feedback' ORDER BY id",
    )
    .fetch_all(c)
    .await
    .expect("the set-up"));
    tx.commit().await.expect("the set-up");
    let links = bodies
        .iter()
        .map(|b| {
            let at = b
                .find("http://127.0.0.1:8080/my/feedback/")
                .expect("a full link")
                + 21;
            b[at..at + "/my/feedback/".len() + 64].to_owned()
        })
        .collect();
    (group, m, people, links)
}

#[tokio::test]
async fn an_easy_read_link_from_the_outbox_takes_one_answer_without_signing_in() {
    each_app(|t| async move {
        let (_, _, _, links) = attended(&t).await;
        let zoe = &links[0];
        let page = t.get(zoe).await;
        page.assert_shows(
            StatusCode::OK,
            &[
                "Tell us about the meeting",
                "Did people listen to you?",
                "/assets/pictures/face_5.svg",
                "Do not put my name on my answers",
            ],
        );
        let asset = t.get("/assets/pictures/face_1.svg").await;
        assert_eq!(asset.status, StatusCode::OK, "the faces are served");

        let typed = [("listened", "5"), ("to_change", "A longer break")];
        let refused = t.submit(zoe, zoe, &typed).await;
        refused.assert_shows(
            StatusCode::BAD_REQUEST,
            &[
                "There is a problem",
                "Choose an answer to \u{201c}Could you join in the way you wanted?\u{201d}",
                "A longer break",
            ],
        );
        let typed = [
            ("listened", "5"),
            ("took_part", "4"),
            ("belong", "5"),
            ("anonymous", "yes"),
        ];
        let sent = t.submit(zoe, zoe, &typed).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let thanks = t.get(zoe).await;
        thanks.assert_shows(StatusCode::OK, &["Thank you, we have your answer"]);
        assert!(!thanks.body.contains("Send my answers"), "no second form");

        t.app.clock().advance_minutes(15 * 24 * 60);
        let old = t.get(&links[1]).await;
        old.assert_shows(
            StatusCode::GONE,
            &[
                "This feedback link has stopped working",
                "they can record your answers for you",
            ],
        );
        let made_up = t.get(&format!("/my/feedback/{}", "a".repeat(64))).await;
        assert_eq!(made_up.status, StatusCode::GONE);
    })
    .await;
}

#[tokio::test]
async fn staff_record_answers_for_someone_and_results_say_too_few_to_report() {
    each_app(|t| async move {
        let (group, m, people, _) = attended(&t).await;
        t.sign_in("lead@example.org").await;
        let page = format!("/meetings/{m}/feedback");
        let form = t.get(&page).await;
        form.assert_shows(
            StatusCode::OK,
            &["Record someone's feedback for them", "Ade Okafor"],
        );
        let who = format!("person:{}", people[1]);
        let refused = t
            .submit(&page, &page, &[("who", &who), ("listened", "4")])
            .await;
        refused.assert_shows(
            StatusCode::BAD_REQUEST,
            &["Choose an answer to \u{201c}Could you take part the way you wanted?\u{201d}"],
        );
        let typed = [
            ("who", who.as_str()),
            ("listened", "4"),
            ("took_part", "4"),
            ("belong", "3"),
        ];
        let recorded = t.submit(&page, &page, &typed).await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let after = t.get(&format!("{page}?done=1")).await;
        after.assert_shows(
            StatusCode::OK,
            &["Their feedback is recorded", "1 person has given feedback"],
        );
        assert!(!after.body.contains("Ade Okafor"), "Ade has answered");

        let results = t.get(&format!("/groups/{group}/feedback")).await;
        results.assert_shows(
            StatusCode::OK,
            &["Too few answers to report", "Did you feel listened to?"],
        );
        let group_page = t.get(&format!("/groups/{group}")).await;
        assert!(group_page
            .body
            .contains(&format!("/groups/{group}/feedback")));
        let review = t.get(&format!("/reviews/new?of=group:{group}")).await;
        review.assert_shows(
            StatusCode::OK,
            &["All its feedback", "Too few answers to report"],
        );

        let staff = t.add_staff("api@example.org", "admin").await;
        let token = t.api_token(staff).await;
        let api = t
            .api_get(&format!("/api/v1/feedback?group_id={group}"), &token)
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let body = json_of(&api);
        assert_eq!(body["periods"][0]["answers"], 1);
        assert_eq!(body["periods"][0]["suppressed"], true);
        assert_eq!(body["periods"][0]["results"], serde_json::json!([]));
        let missing = t.api_get("/api/v1/feedback", &token).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("group_id"), "{}", missing.body);
    })
    .await;
}
