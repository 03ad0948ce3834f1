//! Meetings through the pages and the API on both backends: the register taken on its page,
//! actions added once, a person's secret calendar link read by a standard parser and then
//! revoked, and attendance, actions and projects through the API.

use axum::http::{Method, StatusCode};
use coproduce_app::groups::GroupInput;
use coproduce_app::meetings::MeetingInput;
use coproduce_app::people::PersonInput;
use coproduce_app::Actor;
use coproduce_domain::groups::Team;
use coproduce_domain::{GroupId, MeetingId};
use coproduce_testkit::{calendar, each_app, json_of, TestApp};
use serde_json::json;

struct Setup {
    service: i64,
    group: i64,
    person: i64,
    past: i64,
    staff: coproduce_domain::StaffId,
}

/// Adds a one-off meeting to a group, `days` from today (negative: in the past), at `time`.
async fn one_off(
    t: &TestApp,
    group: GroupId,
    title: &str,
    days: i64,
    time: &str,
    minutes: &str,
) -> MeetingId {
    let date = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    let input = MeetingInput {
        title: title.into(),
        date: date.to_string(),
        time: time.into(),
        minutes: minutes.into(),
        ..MeetingInput::default()
    };
    t.app
        .add_meeting(&Actor::Cli, Team::Group(group), &input)
        .await
        .expect("meeting")
}

/// A signed-in member of the therapy staff, a weekly group with one member, and a meeting last
/// week the member was invited to.
async fn setup(t: &TestApp) -> Setup {
    let service = t.add_service("Child and Family Therapy", "").await;
    let staff = t
        .add_staff_in("megan@example.org", "staff", &[&service.to_string()])
        .await;
    t.sign_in("megan@example.org").await;
    let group = t
        .app
        .create_group(
            &Actor::Cli,
            &GroupInput {
                name: "Parent carer forum".into(),
                service_id: service.to_string(),
                meeting_rrule: "FREQ=WEEKLY;BYDAY=WE".into(),
                first_meeting_date: "2026-01-07".into(),
                first_meeting_time: "19:00".into(),
                video_link: "https://zoom.us/j/222".into(),
                ..GroupInput::default()
            },
        )
        .await
        .expect("group");
    let amara = PersonInput {
        name: "Amara Ashdown".into(),
        email: "amara@example.org".into(),
        ..PersonInput::default()
    };
    let person = t.add_person(&amara, service).await;
    t.add_person_to_group(group, person, "chair").await;
    let past = one_off(t, group, "Leaflet workshop", -7, "14:00", "90").await;
    t.app
        .set_invitation(&Actor::Cli, past, &format!("person:{person}"), true)
        .await
        .expect("invited");
    Setup {
        service,
        group: group.0,
        person: person.0,
        past: past.0,
        staff,
    }
}

#[tokio::test]
async fn the_register_and_actions_are_recorded_on_the_meeting_pages() {
    each_app(|t| async move {
        let s = setup(&t).await;
        let page = format!("/meetings/{}", s.past);
        let shown = t.get(&page).await;
        shown.assert_shows(StatusCode::OK, &["Amara Ashdown", "https://zoom.us/j/222"]);

        let register = format!("{page}/register");
        let form = t.get(&register).await;
        assert!(form.body.contains("name=\"who-0\""), "{}", form.body);
        let who = format!("person:{}", s.person);
        // The register's one line, as a presenter who attended for `minutes`.
        let presenter = |minutes: &'static str| {
            let (t, register, who) = (&t, register.clone(), who.clone());
            async move {
                let line = [
                    ("version", "1"),
                    ("who-0", who.as_str()),
                    ("attendance-0", "attended"),
                    ("minutes-0", minutes),
                    ("role-0", "presenter"),
                ];
                t.submit(&register, &register, &line).await
            }
        };
        let bad = presenter("lots").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body.contains("nhsuk-error-summary") && bad.body.contains("value=\"lots\""),
            "what was typed is kept"
        );
        let ok = presenter("80").await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let involvement = t.get(&format!("/people/{}/meetings", s.person)).await;
        assert!(
            involvement.body.contains("Leaflet workshop meeting")
                && involvement.body.contains("Presenter")
        );

        let key = "one-key";
        let fields = [
            ("description", "Share the leaflet with the forum"),
            ("owner", who.as_str()),
            ("due_on", ""),
            ("submission_key", key),
        ];
        let added = t.submit(&page, &format!("{page}/actions"), &fields).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        t.submit(&page, &format!("{page}/actions"), &fields).await;
        let after = t.get(&page).await;
        assert!(after.body.contains("Share the leaflet with the forum"));
        assert_eq!(
            after.body.matches("action=\"/actions/").count(),
            1,
            "a double submit adds one action"
        );
    })
    .await;
}

#[tokio::test]
async fn a_meeting_page_leads_with_its_main_action_and_offers_the_register_only_once_it_has_begun()
{
    each_app(|t| async move {
        let s = setup(&t).await;
        // Two people with needs are invited: the page names each one's and sums them up.
        for (name, needs) in [("Bea Marsh", vec!["bsl_interpreter", "supporter"]), ("Cal Reyes", vec!["bsl_interpreter"])] {
            let input = PersonInput {
                name: name.into(),
                needs: needs.into_iter().map(String::from).collect(),
                ..PersonInput::default()
            };
            let person = t.add_person(&input, s.service).await;
            t.app
                .set_invitation(&Actor::Cli, MeetingId(s.past), &format!("person:{person}"), true)
                .await
                .expect("invited");
        }
        let held = t.get(&format!("/meetings/{}", s.past)).await;
        held.assert_shows(
            StatusCode::OK,
            &[
                "Take the register",
                "Write the minutes",
                "To arrange before the day: 2 need a BSL interpreter, 1 comes with a supporter.",
                "Needs: BSL interpreter, A supporter attends",
            ],
        );
        let register = t.get(&format!("/meetings/{}/register", s.past)).await;
        register.assert_shows(StatusCode::OK, &["Bea Marsh<span class=\"nhsuk-body-s\">, needs: BSL interpreter, A supporter attends</span>"]);
        let at = |page: &str, text: &str| page.find(text).unwrap_or(usize::MAX);
        assert!(
            at(&held.body, "Take the register") < at(&held.body, "id=\"papers\""),
            "the register comes before the agenda, papers and the long lists"
        );

        let coming = one_off(&t, GroupId(s.group), "Planning", 7, "14:00", "60").await;
        // Staff can own an action, and their open ones are on their start page.
        let me = format!("staff:{}", s.staff);
        assert!(
            held.body.contains(&format!("<option value=\"{me}\">Test staff (staff)</option>")),
            "the signed-in staff member is offered as an owner, though not invited"
        );
        let owned = t
            .submit(
                &format!("/meetings/{}", s.past),
                &format!("/meetings/{}/actions", s.past),
                &[("description", "Book the room for March"), ("owner", &me), ("due_on", ""), ("submission_key", "k1")],
            )
            .await;
        assert_eq!(owned.status, StatusCode::SEE_OTHER);
        // Staff of another service are not offered, and a hand-made form naming one is refused.
        let elsewhere = t.add_service("Adult Mental Health", "").await;
        let stranger = t
            .add_staff_in("sam@example.org", "staff", &[&elsewhere.to_string()])
            .await;
        let offered = t.get(&format!("/meetings/{}", s.past)).await;
        assert!(!offered.body.contains(&format!("value=\"staff:{stranger}\"")));
        let refused = t
            .submit(
                &format!("/meetings/{}", s.past),
                &format!("/meetings/{}/actions", s.past),
                &[("description", "Not theirs"), ("owner", &format!("staff:{stranger}")), ("due_on", ""), ("submission_key", "k2")],
            )
            .await;
        refused.assert_shows(StatusCode::BAD_REQUEST, &["Choose who will do it"]);
        let start = t.get("/keep-in-touch").await;
        start.assert_shows(StatusCode::OK, &["Your open actions", "Book the room for March"]);
        assert!(start.body.contains(&format!("/meetings/{}#actions", s.past)));

        let ahead = t.get(&format!("/meetings/{coming}")).await;
        ahead.assert_shows(StatusCode::OK, &["Invitations and replies"]);
        assert!(
            !ahead.body.contains("Take the register"),
            "no register for a meeting that has not started"
        );
    })
    .await;
}

#[tokio::test]
async fn a_groups_page_lists_the_meetings_it_has_held_newest_first_a_page_at_a_time() {
    each_app(|t| async move {
        let s = setup(&t).await;
        let group_page = format!("/groups/{}", s.group);
        let page = t.get(&group_page).await;
        page.assert_shows(
            StatusCode::OK,
            &[
                "Past meetings",
                "Leaflet workshop: ",
                "Not taken",
                "None yet",
                "Next meetings",
            ],
        );
        assert!(
            page.body
                .contains(&format!("href=\"/meetings/{}\"", s.past)),
            "the meeting held is linked"
        );
        assert!(!page.body.contains("Older meetings"));

        for days in 8..=18 {
            one_off(
                &t,
                GroupId(s.group),
                &format!("Day {days} review"),
                -days,
                "10:00",
                "60",
            )
            .await;
        }
        let first = t.get(&group_page).await;
        first.assert_shows(
            StatusCode::OK,
            &["Leaflet workshop: ", "Day 16 review: ", "Older meetings"],
        );
        assert!(!first.body.contains("Day 17 review: "), "ten to a page");
        assert!(
            first.body.find("Leaflet workshop: ") < first.body.find("Day 8 review: "),
            "newest first"
        );
        let older = t.get(&format!("{group_page}?held=10")).await;
        older.assert_shows(
            StatusCode::OK,
            &["Day 17 review: ", "Day 18 review: ", "Newer meetings"],
        );
        assert!(!older.body.contains("Leaflet workshop: "));
        let beyond = t.get(&format!("{group_page}?held=20")).await;
        beyond.assert_shows(StatusCode::OK, &["No older meetings.", "Newer meetings"]);
    })
    .await;
}

#[tokio::test]
async fn a_projects_page_lists_its_next_meetings_beside_those_it_has_held() {
    each_app(|t| async move {
        let s = setup(&t).await;
        let project = coproduce_app::projects::ProjectInput {
            name: "Waiting list leaflet".into(),
            service_id: s.service.to_string(),
            starts_on: "2026-01-05".into(),
            stage: "planning".into(),
            ladder: "co_production".into(),
            ..Default::default()
        };
        let id = t
            .app
            .create_project(&Actor::Cli, &project)
            .await
            .expect("project");
        let at = |days: i64, title: &str| MeetingInput {
            title: title.into(),
            date: (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string(),
            time: "10:00".into(),
            minutes: "60".into(),
            ..MeetingInput::default()
        };
        let mut held = Vec::new();
        for (days, title) in [
            (-3, "Design session"),
            (-30, "First look"),
            (9, "Print check"),
        ] {
            let m = t
                .app
                .add_meeting(&Actor::Cli, Team::Project(id), &at(days, title))
                .await
                .expect("meeting");
            held.push(m);
        }
        let page = t.get(&format!("/projects/{id}")).await;
        page.assert_shows(
            StatusCode::OK,
            &[
                "Next meetings",
                "Print check: ",
                "Past meetings",
                "Design session: ",
                "First look: ",
                "Not taken",
                "None yet",
            ],
        );
        assert!(
            page.body
                .contains(&format!("href=\"/meetings/{}\"", held[0])),
            "the meeting held is linked"
        );
        let past = &page.body[page.body.find("Past meetings").expect("past")..];
        assert!(
            past.find("Design session: ") < past.find("First look: "),
            "newest first"
        );
        assert!(
            !past.contains("Print check: "),
            "a meeting to come is not past"
        );
    })
    .await;
}

#[tokio::test]
async fn a_persons_secret_calendar_link_imports_cleanly_and_can_be_revoked() {
    each_app(|t| async move {
        let s = setup(&t).await;
        let page = format!("/people/{}/meetings", s.person);
        assert!(
            t.get(&page)
                .await
                .body
                .contains("the participation team makes and stops these links"),
            "service staff see the person's meetings but not the link"
        );
        t.add_staff("ada@example.org", "admin").await;
        t.sign_in_enrolled("ada@example.org").await;
        let made = t.submit(&page, &page, &[("link", "new")]).await;
        assert_eq!(made.status, StatusCode::OK);
        let url = made
            .body
            .split("/calendar/feed/")
            .nth(1)
            .and_then(|r| r.split(".ics").next())
            .map(|token| format!("/calendar/feed/{token}.ics"))
            .expect("the new link is shown");
        t.clear_cookies();
        let feed = t.get(&url).await;
        assert_eq!(
            feed.status,
            StatusCode::OK,
            "no sign-in needed: the link is the key"
        );
        let unfolded = calendar::unfolded(&feed);
        let parsed =
            icalendar::parser::read_calendar(&unfolded).expect("a standard parser reads it");
        let events = calendar::events(&parsed);
        assert!(
            events.len() > 50,
            "last week's workshop and a year of Wednesdays: {}",
            events.len()
        );
        assert!(
            feed.body.contains("SUMMARY:Leaflet workshop") && feed.body.contains("BEGIN:VTIMEZONE")
        );

        t.sign_in_enrolled("ada@example.org").await;
        t.submit(&page, &page, &[("link", "revoke")]).await;
        t.clear_cookies();
        assert_eq!(t.get(&url).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            t.get("/calendar/feed/guess.ics").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn attendance_actions_and_projects_through_the_api() {
    each_app(|t| async move {
        let s = setup(&t).await;
        let auth = t.api_token(s.staff).await;
        let path = format!("/api/v1/meetings/{}/attendance", s.past);
        let register = json_of(&t.api_send(Method::GET, &path, &auth, None).await);
        assert_eq!(register["lines"][0]["name"], "Amara Ashdown");
        let version = register["version"].as_i64().unwrap();
        let save = json!({"version": version, "lines": [{"person_id": s.person, "attendance": "attended"}]});
        let saved = t.api_send(Method::PUT, &path, &auth, Some(save.clone())).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(json_of(&saved)["lines"][0]["minutes_attended"], 90, "the whole meeting by default");
        let stale = t.api_send(Method::PUT, &path, &auth, Some(save)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let bad = json!({"version": version + 1, "lines": [{"person_id": s.person, "attendance": "sort of"}]});
        let refused = t.api_send(Method::PUT, &path, &auth, Some(bad)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(&refused)["errors"][0]["field"], "register");

        let actions = format!("/api/v1/meetings/{}/actions", s.past);
        let new = json!({"description": "Book the room", "owner_person_id": s.person, "due_on": "2030-02-01", "idempotency_key": "a1"});
        let made = t.api_post(&actions, &auth, new.clone()).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        t.api_post(&actions, &auth, new).await;
        let list = json_of(&t.api_send(Method::GET, &actions, &auth, None).await);
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "the same key adds one action");

        let mine = json_of(&t.api_send(Method::GET, &format!("/api/v1/meetings?person_id={}&from=2020-01-01", s.person), &auth, None).await);
        assert!(mine["items"].as_array().unwrap().iter().any(|m| m["id"] == s.past));
        let both = t.api_send(Method::GET, &format!("/api/v1/meetings?person_id={}&group_id={}", s.person, s.group), &auth, None).await;
        assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);

        let project = json!({"name": "Waiting list leaflet", "service_id": s.service, "starts_on": "2026-01-05", "ladder": "consultation"});
        let created = t.api_post("/api/v1/projects", &auth, project).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let p = json_of(&created);
        let changed = t.api_patch(&format!("/api/v1/projects/{}", p["id"]), &auth, json!({"version": p["version"], "ladder": "co_design"})).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let history: Vec<String> = json_of(&changed)["ladder_history"].as_array().unwrap().iter().map(|l| l["ladder"].as_str().unwrap().to_owned()).collect();
        assert_eq!(history, ["consultation", "co_design"]);
        let bad = t.api_post("/api/v1/projects", &auth, json!({"name": "", "ladder": "nope"})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn cancelling_a_meeting_shows_the_notice_waiting_to_send_on_its_page() {
    each_app(|t| async move {
        let s = setup(&t).await;
        let next = t
            .app
            .team_meetings(
                &Actor::Cli,
                Team::Group(GroupId(s.group)),
                Some(t.app.now_for_display()),
                None,
            )
            .await
            .unwrap()[0]
            .clone();
        let edit = format!("/meetings/{}/edit", next.id);
        let form = MeetingInput::from_meeting(&next);
        let version = form.version.to_string();
        // Said yes on the page that asks first.
        let done = t
            .submit(
                &edit,
                &format!("{edit}?confirmed=yes"),
                &[
                    ("version", &version),
                    ("date", &form.date),
                    ("time", &form.time),
                    ("minutes", &form.minutes),
                    ("status", "cancelled"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = t.get(&format!("/meetings/{}", next.id)).await;
        assert!(page.body.contains("Reminders and notices"));
        assert!(
            page.body.contains("Change notice") && page.body.contains("Waiting to send"),
            "{}",
            page.body
        );
    })
    .await;
}
