//! The groups API on both backends: set up a weekly group, read it back with its next meetings,
//! change it with a version, add members, and clear refusals.

use axum::http::{Method, StatusCode};
use coproduce_app::Actor;
use coproduce_testkit::{calendar, each_app, forum_group, json_of, ward_walk, TestApp};
use serde_json::{json, Value};

/// A therapy service and a member of its staff, signed in; returns the service's id.
async fn signed_in_therapy_staff(t: &TestApp) -> String {
    let service = t
        .add_service("Child and Family Therapy", "")
        .await
        .to_string();
    t.add_staff_in("megan@example.org", "staff", &[&service])
        .await;
    t.sign_in("megan@example.org").await;
    service
}

/// A therapy service and a member of its staff with an API token: the service, the staff
/// member and the token.
async fn therapy_staff_with_a_token(t: &TestApp) -> (i64, coproduce_domain::StaffId, String) {
    let service = t.add_service("Child and Family Therapy", "").await;
    let staff = t
        .add_staff_in("megan@example.org", "staff", &[&service.to_string()])
        .await;
    (service, staff, t.api_token(staff).await)
}

/// A group of the service that meets on Wednesdays at 19:00 from 7 January 2026.
fn wednesdays(name: &str, service: &str) -> coproduce_app::groups::GroupInput {
    coproduce_app::groups::GroupInput {
        name: name.into(),
        service_id: service.into(),
        meeting_rrule: "FREQ=WEEKLY;BYDAY=WE".into(),
        first_meeting_date: "2026-01-07".into(),
        first_meeting_time: "19:00".into(),
        ..Default::default()
    }
}

/// The new-group form for "Forum and therapy", weekly on Wednesdays at 19:00 from 7 January
/// 2026, with `changes` made: a field named again takes the new value, others are added.
fn group_form<'a>(service: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Forum and therapy"),
        ("service_id", service),
        ("repeat", "weekly"),
        ("weekday", "WE"),
        ("first_meeting_date", "7/1/2026"),
        ("first_meeting_time", "19:00"),
    ];
    for &(name, value) in changes {
        match form.iter_mut().find(|(field, _)| *field == name) {
            Some(field) => field.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

#[tokio::test]
async fn a_weekly_group_is_set_up_changed_and_joined_through_the_api() {
    each_app(|t| async move {
        let (service, staff, auth) = therapy_staff_with_a_token(&t).await;

        let new = json!({
            "name": "Parent carer forum and therapy service",
            "service_id": service,
            "meeting_rrule": "FREQ=WEEKLY;BYDAY=WE",
            "first_meeting": "2026-01-07T19:00",
            "video_link": "https://zoom.us/j/987654321",
        });
        let created = t.api_post("/api/v1/groups", &auth, new).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let group = json_of(&created);
        let id = group["id"].as_i64().unwrap();
        assert_eq!(group["meeting_rrule"], "FREQ=WEEKLY;BYDAY=WE");
        assert_eq!(group["meeting_pattern"], "Every week on Wednesday");
        assert_eq!(group["first_meeting"], "2026-01-07T19:00");
        assert_eq!(group["next_meetings"].as_array().unwrap().len(), 6);

        let hourly = t
            .api_post(
                "/api/v1/groups",
                &auth,
                json!({
                    "name": "Too often", "service_id": service, "meeting_rrule": "FREQ=HOURLY",
                    "first_meeting": "2026-01-07T19:00", "video_link": "http://zoom.us/j/1"
                }),
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
        let changed = t
            .api_patch(
                &path,
                &auth,
                json!({"version": version, "venue": "Harbour Room"}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(json_of(&changed)["venue"], "Harbour Room");
        assert_eq!(
            json_of(&changed)["meeting_rrule"],
            "FREQ=WEEKLY;BYDAY=WE",
            "what was not sent is kept"
        );
        let stale = t
            .api_patch(
                &path,
                &auth,
                json!({"version": version, "venue": "Elsewhere"}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let unversioned = t
            .api_patch(&path, &auth, json!({"venue": "Elsewhere"}))
            .await;
        assert_eq!(unversioned.status, StatusCode::UNPROCESSABLE_ENTITY);

        let members = format!("/api/v1/groups/{id}/members");
        let lead = t
            .api_post(
                &members,
                &auth,
                json!({"staff_id": staff.0, "role": "staff_lead"}),
            )
            .await;
        assert_eq!(lead.status, StatusCode::CREATED, "{}", lead.body);
        assert_eq!(json_of(&lead)["role"], "staff_lead");
        let nobody = t
            .api_post(
                &members,
                &auth,
                json!({"person_id": 999_999, "role": "member"}),
            )
            .await;
        assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
        let listed = json_of(&t.api_send(Method::GET, &members, &auth, None).await);
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);

        let meetings = json_of(
            &t.api_send(
                Method::GET,
                &format!("/api/v1/meetings?group_id={id}&from=2020-01-01&to=2100-01-01"),
                &auth,
                None,
            )
            .await,
        );
        let items = meetings["items"].as_array().unwrap();
        assert!(
            (52..=53).contains(&items.len()),
            "a year of Wednesdays: {}",
            items.len()
        );
        assert_eq!(items[0]["status"], "scheduled");
        let first = items[0]["id"].as_i64().unwrap();
        let moved = t
            .api_patch(
                &format!("/api/v1/meetings/{first}"),
                &auth,
                json!({"version": 1, "starts_at_local": "2030-03-05T18:30", "status": "cancelled"}),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(json_of(&moved)["starts_at"], "2030-03-05T18:30:00Z");
        assert_eq!(json_of(&moved)["status"], "cancelled");
        assert_eq!(json_of(&moved)["sequence"], 1);
        let stale = t
            .api_patch(
                &format!("/api/v1/meetings/{first}"),
                &auth,
                json!({"version": 1, "agenda": "x"}),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let bad_from = t
            .api_send(
                Method::GET,
                &format!("/api/v1/meetings?group_id={id}&from=soon"),
                &auth,
                None,
            )
            .await;
        assert_eq!(bad_from.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&bad_from)["errors"][0]["field"], "from");

        let all = json_of(&t.api_send(Method::GET, "/api/v1/groups", &auth, None).await);
        assert_eq!(
            all["items"][0]["name"],
            "Parent carer forum and therapy service"
        );
    })
    .await;
}

#[tokio::test]
async fn staff_set_up_a_weekly_group_in_the_pages_and_add_a_member_found_by_name() {
    each_app(|t| async move {
        let service = signed_in_therapy_staff(&t).await;
        let ana = coproduce_app::people::PersonInput {
            name: "Ana Lane".into(),
            ..Default::default()
        };
        t.app
            .create_person(&Actor::Cli, &ana, &service)
            .await
            .unwrap();

        let form = t.get("/groups/new").await;
        form.assert_shows(StatusCode::OK, &["Set up a group"]);

        let new_group = |changes: &'static [(&'static str, &'static str)]| {
            let (t, form) = (&t, group_form(&service, changes));
            async move { t.submit("/groups/new", "/groups", &form).await }
        };
        let monthly_without_week = new_group(&[
            ("name", "Forum <and> therapy"),
            ("repeat", "monthly"),
            ("week", ""),
        ])
        .await;
        assert_eq!(monthly_without_week.status, StatusCode::BAD_REQUEST);
        monthly_without_week
            .assert_contains(&["Choose which week of the month", "nhsuk-error-summary"]);
        assert!(
            monthly_without_week
                .body
                .contains("value=\"Forum &#60;and&#62; therapy\"")
                || monthly_without_week
                    .body
                    .contains("value=\"Forum &lt;and&gt; therapy\""),
            "what was typed is kept, as text"
        );

        let bad_link = new_group(&[("video_link", "http://zoom.us/j/1")]).await;
        bad_link.assert_shows(StatusCode::BAD_REQUEST, &["starts with https://"]);

        let made = new_group(&[
            ("video_link", "https://zoom.us/j/1234"),
            ("meeting_minutes", "60"),
            ("reminder_lead_hours", "24"),
        ])
        .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let page_path = made
            .location()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let page = t.get(&page_path).await;
        assert!(
            page.body.contains("Every week on Wednesday"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Nobody yet."));

        let edit = t.get(&format!("{page_path}/edit")).await;
        assert!(
            edit.body.contains(
                "id=\"repeat-weekly\" name=\"repeat\" type=\"radio\" value=\"weekly\" checked"
            ),
            "the choices read back"
        );

        let found = t.get(&format!("{page_path}/members?q=ana")).await;
        assert!(found.body.contains("Ana Lane"));
        let person = t
            .app
            .search_people(&Actor::Cli, &Default::default())
            .await
            .unwrap()
            .people[0]
            .id
            .to_string();
        let joined = t
            .submit(
                &format!("{page_path}/members?q=ana"),
                &format!("{page_path}/members"),
                &[("person_id", &person), ("role", "chair"), ("q", "ana")],
            )
            .await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
        let page = t.get(&page_path).await;
        assert!(page.body.contains("Ana Lane") && page.body.contains("Chair"));
        let again = t
            .submit(
                &format!("{page_path}/members?q=ana"),
                &format!("{page_path}/members"),
                &[("person_id", &person), ("role", "member"), ("q", "ana")],
            )
            .await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST, "already a member");
        again.assert_contains(&[
            "nhsuk-error-summary",
            "They are already a member of this group",
        ]);
    })
    .await;
}

#[tokio::test]
async fn a_groups_calendar_feed_parses_with_a_standard_parser_and_shows_cancellations() {
    each_app(|t| async move {
        let service = signed_in_therapy_staff(&t).await;
        let input = coproduce_app::groups::GroupInput {
            video_link: "https://zoom.us/j/987654321".into(),
            ..wednesdays("Forum, with the therapy team", &service)
        };
        let id = t.app.create_group(&Actor::Cli, &input).await.unwrap();
        let version = t
            .app
            .view_group(&Actor::Cli, id)
            .await
            .unwrap()
            .group
            .version;
        let thursdays = coproduce_app::groups::GroupInput {
            meeting_rrule: "FREQ=WEEKLY;BYDAY=TH".into(),
            version,
            ..input
        };
        t.app
            .update_group(&Actor::Cli, id, &thursdays)
            .await
            .unwrap();

        let feed = t.get(&format!("/calendar/groups/{id}.ics")).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
        let unfolded = calendar::unfolded(&feed);
        let parsed =
            icalendar::parser::read_calendar(&unfolded).expect("a standard parser reads the feed");
        let events = calendar::events(&parsed);
        assert!(
            events.len() >= 104,
            "a year of Wednesdays (cancelled) and Thursdays: {}",
            events.len()
        );
        let prop = |e: &icalendar::parser::Component, name: &str| {
            e.properties
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.val.to_string())
        };
        let cancelled = events
            .iter()
            .filter(|e| prop(e, "STATUS").as_deref() == Some("CANCELLED"))
            .count();
        assert!(
            cancelled >= 52,
            "the Wednesdays say they are cancelled: {cancelled}"
        );
        assert!(events
            .iter()
            .all(|e| prop(e, "UID").is_some_and(|u| u.starts_with("meeting-"))));
        assert!(events
            .iter()
            .any(|e| prop(e, "SEQUENCE").as_deref() == Some("1")));
        assert_eq!(
            prop(events[0], "SUMMARY").as_deref(),
            Some("Forum, with the therapy team")
        );
        assert!(parsed.components.iter().any(|c| c.name == "VTIMEZONE"));
        let start = events[0]
            .properties
            .iter()
            .find(|p| p.name == "DTSTART")
            .unwrap();
        assert!(start.params.iter().any(
            |p| p.key == "TZID" && p.val.as_ref().map(|v| v.as_str()) == Some("Europe/London")
        ));
        assert!(
            start.val.as_str().ends_with("T190000"),
            "19:00 UK time: {}",
            start.val
        );

        t.add_staff_in("tom@example.org", "staff", &[]).await;
        t.clear_cookies();
        t.sign_in("tom@example.org").await;
        assert_eq!(
            t.get(&format!("/calendar/groups/{id}.ics")).await.status,
            StatusCode::NOT_FOUND,
            "another service's staff"
        );
    })
    .await;
}

#[tokio::test]
async fn a_meeting_page_moves_one_meeting_and_keeps_what_was_typed_on_an_error() {
    each_app(|t| async move {
        let service = signed_in_therapy_staff(&t).await;
        let input = wednesdays("Forum", &service);
        let id = t.app.create_group(&Actor::Cli, &input).await.unwrap();
        let group_page = t.get(&format!("/groups/{id}")).await;
        let link = group_page
            .body
            .split("href=\"/meetings/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a link to the next meeting")
            .to_owned();
        let path = format!("/meetings/{link}/edit");
        let page = t.get(&path).await;
        page.assert_shows(StatusCode::OK, &["The rest of the group"]);

        let bad = t
            .submit(
                &path,
                &path,
                &[
                    ("date", "someday"),
                    ("time", "19:00"),
                    ("minutes", "60"),
                    ("status", "scheduled"),
                    ("agenda", "Keep <this>"),
                ],
            )
            .await;
        bad.assert_shows(StatusCode::BAD_REQUEST, &["nhsuk-error-summary"]);
        assert!(
            bad.body.contains("Keep &#60;this&#62;") || bad.body.contains("Keep &lt;this&gt;"),
            "the agenda typed is kept, as text"
        );

        let version = t
            .app
            .view_meeting(&Actor::Cli, link.parse().unwrap())
            .await
            .unwrap()
            .meeting
            .version
            .to_string();
        let moved_and_cancelled = [
            ("version", version.as_str()),
            ("date", "1/12/2030"),
            ("time", "18:00"),
            ("minutes", "60"),
            ("status", "cancelled"),
            ("agenda", ""),
        ];
        // Cancelling asks first, and sends what was typed again with the answer.
        let ask = t.submit(&path, &path, &moved_and_cancelled).await;
        ask.assert_shows(
            StatusCode::OK,
            &["Cancel the meeting on", "name=\"date\" value=\"1/12/2030\""],
        );
        let confirmed = format!("{path}?confirmed=yes");
        let ok = t.submit(&path, &confirmed, &moved_and_cancelled).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let after = t.get(&format!("/meetings/{link}")).await;
        assert!(
            after.body.contains("(cancelled)") && after.body.contains("1 Dec 2030, 18:00"),
            "{}",
            after.body
        );
    })
    .await;
}

#[tokio::test]
async fn a_meeting_and_an_opportunity_are_read_by_their_id_and_a_membership_ended_through_the_api()
{
    each_app(|t| async move {
        let (service, staff, auth) = therapy_staff_with_a_token(&t).await;
        let made = |path: &'static str, body: Value| {
            let (t, auth) = (&t, auth.clone());
            async move {
                let r = t.api_post(path, &auth, body).await;
                assert_eq!(r.status, StatusCode::CREATED, "{path}: {}", r.body);
                json_of(&r)["id"].as_i64().unwrap()
            }
        };
        let opportunity = made("/api/v1/opportunities", ward_walk(service)).await;
        let group = made("/api/v1/groups", forum_group(service)).await;
        let meeting = made(
            "/api/v1/meetings",
            json!({"group_id": group, "starts_at_local": "2030-03-01T10:00", "minutes": 90}),
        )
        .await;

        let one = t
            .api_send(
                Method::GET,
                &format!("/api/v1/meetings/{meeting}"),
                &auth,
                None,
            )
            .await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.body);
        assert_eq!(json_of(&one)["starts_at"], "2030-03-01T10:00:00Z");
        assert_eq!(json_of(&one)["ends_at"], "2030-03-01T11:30:00Z");
        assert_eq!(json_of(&one)["group_id"], group);
        let missing = t
            .api_send(Method::GET, "/api/v1/meetings/999999", &auth, None)
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let read = t
            .api_send(
                Method::GET,
                &format!("/api/v1/opportunities/{opportunity}"),
                &auth,
                None,
            )
            .await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(json_of(&read)["title"], "Walk round the ward");
        assert_eq!(json_of(&read)["places"], 3);

        let members = format!("/api/v1/groups/{group}/members");
        let lead = made_member(&t, &auth, &members, staff.0).await;
        let ended = t
            .api_send(Method::DELETE, &format!("{members}/{lead}"), &auth, None)
            .await;
        assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.body);
        let listed = json_of(&t.api_send(Method::GET, &members, &auth, None).await);
        assert_eq!(
            listed["items"].as_array().unwrap().len(),
            0,
            "no current members"
        );
        let again = t
            .api_send(Method::DELETE, &format!("{members}/{lead}"), &auth, None)
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
    })
    .await;
}

async fn made_member(t: &TestApp, auth: &str, members: &str, staff: i64) -> i64 {
    let r = t
        .api_post(
            members,
            auth,
            json!({"staff_id": staff, "role": "staff_lead"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    json_of(&r)["id"].as_i64().expect("a membership id")
}

#[tokio::test]
async fn removing_a_member_ending_a_relationship_and_cancelling_a_meeting_each_ask_first_and_say_what_will_happen(
) {
    use coproduce_app::meetings::MeetingInput;
    use coproduce_domain::groups::Team;
    use coproduce_domain::meetings::MeetingStatus;
    each_app(|t| async move {
        let service = signed_in_therapy_staff(&t).await;
        let group = t
            .app
            .create_group(&Actor::Cli, &wednesdays("Forum and therapy", &service))
            .await
            .unwrap();
        let person = |name: &str| coproduce_app::people::PersonInput {
            name: name.into(),
            ..Default::default()
        };
        let service_id: i64 = service.parse().unwrap();
        let ana = t.add_person(&person("Ana Lane"), service_id).await;
        let ben = t.add_person(&person("Ben Hill"), service_id).await;
        let ana_member = t.add_person_to_group(group, ana, "member").await;
        t.add_person_to_group(group, ben, "member").await;
        let to_come = t
            .app
            .team_meetings(
                &Actor::Cli,
                Team::Group(group),
                Some(t.app.now_for_display()),
                None,
            )
            .await
            .unwrap();
        let next = to_come[0].clone();

        // Removing a member: the group's page links to a page that asks.
        let end = format!("/groups/{group}/members/{ana_member}/end");
        let page = t.get(&format!("/groups/{group}")).await;
        assert!(
            page.body.contains(&format!("href=\"{end}\"")),
            "{}",
            page.body
        );
        let ask = t.get(&end).await;
        ask.assert_shows(
            StatusCode::OK,
            &[
                "Remove Ana Lane from Forum and therapy?",
                &format!(
                    "Ana Lane will not be invited to the {} meetings still to come.",
                    to_come.len()
                ),
                "Yes, remove Ana Lane",
            ],
        );
        assert!(
            t.get(&format!("/groups/{group}"))
                .await
                .body
                .contains("Ana Lane"),
            "asking changes nothing"
        );
        let removed = t.submit(&end, &end, &[]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        assert!(!t
            .get(&format!("/groups/{group}"))
            .await
            .body
            .contains("Ana Lane"));

        // Ending a relationship asks before it is saved, and sends back what was typed.
        let view = t.app.view_person(&Actor::Cli, ben).await.unwrap();
        let r = view
            .relationships
            .iter()
            .find(|r| r.group_id.is_none())
            .unwrap();
        let path = format!("/people/{ben}/relationships/{}", r.id);
        let version = r.version.to_string();
        let ended = [
            ("version", version.as_str()),
            ("status", "ended"),
            ("staff_contact_id", ""),
            ("cadence_days", "42"),
            ("next_review_on", ""),
        ];
        let ask = t.submit(&path, &path, &ended).await;
        ask.assert_shows(
            StatusCode::OK,
            &[
                "End Ben Hill&#39;s relationship with Child and Family Therapy?",
                "comes off the keep-in-touch queue",
                "name=\"cadence_days\" value=\"42\"",
                &format!("action=\"{path}?confirmed=yes\""),
            ],
        );
        let still = t.app.view_person(&Actor::Cli, ben).await.unwrap();
        let r = still.relationships.iter().find(|x| x.id == r.id).unwrap();
        assert_eq!(r.status.code(), "active", "asking changes nothing");
        let done = t
            .submit(&path, &format!("{path}?confirmed=yes"), &ended)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let after = t.app.view_person(&Actor::Cli, ben).await.unwrap();
        let r = after.relationships.iter().find(|x| x.id == r.id).unwrap();
        assert_eq!((r.status.code(), r.cadence_days), ("ended", 42));

        // Cancelling a meeting says who will be told.
        let edit = format!("/meetings/{}/edit", next.id);
        let typed = MeetingInput {
            status: "cancelled".into(),
            ..MeetingInput::from_meeting(&next)
        };
        let version = typed.version.to_string();
        let fields = [
            ("date", typed.date.as_str()),
            ("time", typed.time.as_str()),
            ("minutes", typed.minutes.as_str()),
            ("status", "cancelled"),
            ("version", version.as_str()),
        ];
        let ask = t.submit(&edit, &edit, &fields).await;
        ask.assert_shows(
            StatusCode::OK,
            &[
                "Cancel the meeting on",
                "We will tell the one person invited that it is cancelled",
                "Yes, cancel the meeting",
            ],
        );
        let m = t.app.view_meeting(&Actor::Cli, next.id).await.unwrap();
        assert_eq!(
            m.meeting.status,
            MeetingStatus::Scheduled,
            "asking changes nothing"
        );
        let done = t
            .submit(&edit, &format!("{edit}?confirmed=yes"), &fields)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let m = t.app.view_meeting(&Actor::Cli, next.id).await.unwrap();
        assert_eq!(m.meeting.status, MeetingStatus::Cancelled);
    })
    .await;
}
