//! The people's portal on both backends: signing in with a code or a link (and every way that
//! can go wrong), replying to a meeting, changing how they are contacted, consents, Easy Read
//! that sticks, interest in an opportunity, and staff signing someone in on their behalf.

use coproduce_app::groups::GroupInput;
use coproduce_app::opportunities::OpportunityInput;
use coproduce_app::people::PersonInput;
use coproduce_app::Actor;
use coproduce_domain::{MeetingId, OpportunityId, PersonId};
use coproduce_testkit::{each_app, Response, TestApp};

async fn scalar(t: &TestApp, sql: &str) -> String {
    let mut tx = t.app.db().read().await.expect("tx");
    let v: String = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(sql).fetch_one(c).await.expect("query"));
    tx.commit().await.expect("commit");
    v
}

/// A person in a weekly group whose next meeting is tomorrow, and an opportunity open to people
/// involved. Returns the person's id.
async fn setup(t: &TestApp) -> i64 {
    let service = t.add_service("Learning Disabilities", "").await;
    let amara = PersonInput {
        name: "Amara Ashdown".into(),
        email: "Amara@Example.org".into(),
        phone: "07700 900123".into(),
        channels: vec!["email".into()],
        ..PersonInput::default()
    };
    let person = t.add_person(&amara, service).await;
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let group = t
        .app
        .create_group(
            &Actor::Cli,
            &GroupInput {
                name: "Training planning group".into(),
                service_id: service.to_string(),
                meeting_rrule: "FREQ=WEEKLY".into(),
                first_meeting_date: tomorrow.format("%Y-%m-%d").to_string(),
                first_meeting_time: "14:00".into(),
                video_link: "https://zoom.us/j/1".into(),
                ..GroupInput::default()
            },
        )
        .await
        .expect("group");
    t.add_person_to_group(group, person, "member").await;
    let in_days =
        |d: i64| (chrono::Utc::now().date_naive() + chrono::Duration::days(d)).to_string();
    t.app
        .create_opportunity(
            &Actor::Cli,
            &OpportunityInput {
                title: "Design the waiting room".into(),
                kind: "co_design_workshop".into(),
                service_id: service.to_string(),
                starts_on: in_days(20),
                place: "online".into(),
                places: "4".into(),
                closes_on: in_days(10),
                description: "Help design it.".into(),
                visibility: "involved".into(),
                ..OpportunityInput::default()
            },
        )
        .await
        .expect("opportunity");
    person.0
}

/// Amara signs in to her page with the code sent to her.
async fn amara_signs_in(t: &TestApp) {
    let request = request_of(&ask_for_code(t, "amara@example.org").await);
    let code = latest_code(t).await;
    assert_eq!(enter(t, &request, &code).await.status, 303);
}

/// Asks for a code for `address`; returns the code page's address.
async fn ask_for_code(t: &TestApp, address: &str) -> Response {
    t.submit("/my/sign-in", "/my/sign-in", &[("address", address)])
        .await
}

fn request_of(r: &Response) -> String {
    r.location()
        .and_then(|l| l.split("request=").nth(1))
        .expect("request token")
        .to_owned()
}

async fn latest_code(t: &TestApp) -> String {
    let body = scalar(
        t,
        "SELECT body FROM outbox WHERE kind = 'sign_in_code' ORDER BY id DESC LIMIT 1",
    )
    .await;
    body.split("is ")
        .nth(1)
        .map(|rest| rest.chars().take(6).collect())
        .expect("a code in the message")
}

async fn enter(t: &TestApp, request: &str, code: &str) -> Response {
    t.submit(
        &format!("/my/sign-in/code?request={request}"),
        "/my/sign-in/code",
        &[("request", request), ("code", code)],
    )
    .await
}

#[tokio::test]
async fn a_code_signs_in_once_within_ten_minutes_and_never_says_whether_an_address_is_known() {
    each_app(|t| async move {
        setup(&t).await;
        let unknown = ask_for_code(&t, "nobody@example.org").await;
        let known = ask_for_code(&t, "amara@example.org").await;
        assert_eq!(unknown.status, 303);
        assert_eq!(known.status, 303);
        assert_eq!(
            scalar(
                &t,
                "SELECT CAST(COUNT(*) AS TEXT) FROM outbox WHERE kind = 'sign_in_code'"
            )
            .await,
            "1",
            "a message goes only to a known address"
        );
        let page = t.get(known.location().expect("code page")).await;
        let unknown_page = t.get(unknown.location().expect("code page")).await;
        assert_eq!(page.status, 200);
        assert_eq!(
            page.body.replace(&request_of(&known), ""),
            unknown_page.body.replace(&request_of(&unknown), ""),
            "the two code pages are the same"
        );
        // Any code for an unknown address is simply wrong.
        let guess = enter(&t, &request_of(&unknown), "123456").await;
        guess.assert_shows(400, &["That code is not right"]);

        let code = latest_code(&t).await;
        let request = request_of(&known);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let bad = enter(&t, &request, wrong).await;
        bad.assert_shows(400, &["That code is not right"]);
        let good = enter(&t, &request, &code).await;
        assert_eq!(good.status, 303);
        assert_eq!(good.location(), Some("/my"));
        let home = t.get("/my").await;
        home.assert_shows(200, &["Hello, Amara Ashdown", "Training planning group"]);
        // Used once: the same code again is refused, and a new one can be asked for.
        let again = enter(&t, &request, &code).await;
        again.assert_shows(
            400,
            &["expired or has been used", "href=\"/my/sign-in?again=1\""],
        );
    })
    .await;
}

#[tokio::test]
async fn codes_expire_stop_after_five_wrong_tries_and_are_throttled_per_address() {
    each_app(|t| async move {
        setup(&t).await;
        let first = request_of(&ask_for_code(&t, "07700900123").await);
        let code = latest_code(&t).await;
        t.app.clock().advance_minutes(11);
        let late = enter(&t, &first, &code).await;
        late.assert_shows(400, &["expired"]);

        let second = request_of(&ask_for_code(&t, "07700 900123").await);
        let code = latest_code(&t).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            assert_eq!(enter(&t, &second, wrong).await.status, 400);
        }
        let locked = enter(&t, &second, &code).await;
        locked.assert_shows(400, &["too many times"]);

        assert_eq!(ask_for_code(&t, "07700900123").await.status, 303);
        let throttled = ask_for_code(&t, "07700900123").await;
        throttled.assert_shows(429, &["Wait 15 minutes"]);
        let nonsense = ask_for_code(&t, "not an address").await;
        nonsense.assert_shows(400, &["href=\"#address\""]);
    })
    .await;
}

#[tokio::test]
async fn the_link_shows_a_button_and_works_once() {
    each_app(|t| async move {
        setup(&t).await;
        ask_for_code(&t, "amara@example.org").await;
        let body = scalar(&t, "SELECT body FROM outbox WHERE kind = 'sign_in_code'").await;
        let link = body
            .split("http://127.0.0.1:8080")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("link")
            .to_owned();
        let token = link.rsplit('/').next().expect("token").to_owned();
        // Opening it (as an email program checking links would) does not use it up.
        assert_eq!(t.get(&link).await.status, 200);
        let used = t
            .submit(&link, "/my/sign-in/link", &[("token", &token)])
            .await;
        assert_eq!(used.status, 303);
        assert_eq!(t.get("/my").await.status, 200);
        t.clear_cookies();
        let twice = t
            .submit(&link, "/my/sign-in/link", &[("token", &token)])
            .await;
        twice.assert_shows(400, &["That link has stopped working"]);
        assert_eq!(t.get("/my").await.location(), Some("/my/sign-in"));
        // A link that is not one of ours shows no form at all.
        let odd = t.get("/my/sign-in/link/..%2F..%2Fmy%2Fcontact").await;
        assert_eq!(odd.status, 400);
        assert!(!odd.body.contains("name=\"token\""));
    })
    .await;
}

#[tokio::test]
async fn a_person_replies_changes_how_they_are_contacted_and_keeps_easy_read_on() {
    each_app(|t| async move {
        let person = setup(&t).await;
        amara_signs_in(&t).await;

        let page = t.get("/my/meetings").await;
        let meeting = page
            .body
            .split("/my/meetings/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .expect("a meeting to reply to")
            .to_owned();
        let replied = t
            .submit("/my/meetings", &format!("/my/meetings/{meeting}/reply"), &[("rsvp", "yes")])
            .await;
        assert_eq!(replied.status, 303);
        assert!(t.get("/my/meetings").await.body.contains("You said you are coming."));
        let rsvp = scalar(&t, &format!("SELECT rsvp FROM meeting_people WHERE meeting_id = {meeting} AND person_id = {person}")).await;
        assert_eq!(rsvp, "yes");
        // A meeting they are not invited to is not theirs to reply to.
        let other = t.submit("/my/meetings", "/my/meetings/999999/reply", &[("rsvp", "yes")]).await;
        assert_eq!(other.status, 404);

        let saved = t
            .submit("/my/contact", "/my/contact", &[("first_channel", "text"), ("channels", "email"), ("needs", "easy_read"), ("best_times", "Mornings")])
            .await;
        assert_eq!(saved.status, 303);
        assert_eq!(scalar(&t, &format!("SELECT channels FROM people WHERE id = {person}")).await, "text,email");
        assert_eq!(scalar(&t, &format!("SELECT needs FROM people WHERE id = {person}")).await, "easy_read");

        let consent = t.submit("/my/consents", "/my/consents", &[("kind", "photos"), ("given", "no")]).await;
        assert_eq!(consent.status, 303);
        assert!(t.get("/my/consents").await.body.contains("You said no"));
        let involvement = t.get("/my/involvement").await;
        involvement.assert_shows(200, &["What you have done"]);
        assert!(!involvement.body.to_lowercase().contains("payment"), "no placeholder for payments");

        let opportunities = t.get("/my/opportunities").await;
        assert!(opportunities.body.contains("Design the waiting room"));
        let interested = t.submit("/my/opportunities", "/my/opportunities/1/interest", &[("answer", "yes")]).await;
        assert_eq!(interested.status, 303);
        assert!(t.get("/my/opportunities").await.body.contains("Where you are with this: Interested."));
        // Once staff have withdrawn them, saying so again does not undo it.
        t.app
            .set_opportunity_stage(&Actor::Cli, OpportunityId(1), PersonId(person), "withdrawn")
            .await
            .expect("withdrawn");
        t.submit("/my/opportunities", "/my/opportunities/1/interest", &[("answer", "yes")]).await;
        assert!(t.get("/my/opportunities").await.body.contains("Where you are with this: Withdrawn."));

        // A form from any other page (here the public form's token) is refused.
        let public = t.get("/get-involved/ask").await;
        let foreign = t
            .post_form_raw(
                "/my/contact",
                &[("csrf_token", &public.form_token().expect("token")), ("best_times", "")],
            )
            .await;
        assert_eq!(foreign.status, 403);
        assert_eq!(scalar(&t, &format!("SELECT best_times FROM people WHERE id = {person}")).await, "Mornings");

        let on = t.submit("/my/easy-read", "/my/easy-read", &[("easy_read", "on")]).await;
        assert_eq!(on.status, 303);
        assert!(t.get("/my").await.body.contains("class=\"coproduce-easy-read\""));
        // Payments are not made through coproduce yet, so no page promises them, in either mode.
        let involvement = t.get("/my/involvement").await;
        involvement.assert_shows(200, &["What you have done", "coproduce-easy-read"]);
        assert!(!involvement.body.to_lowercase().contains("payment"), "no placeholder for payments");
        // Signing out and in again keeps it on.
        let out = t.submit("/my", "/my/sign-out", &[]).await;
        assert_eq!(out.status, 303);
        assert_eq!(t.get("/my").await.location(), Some("/my/sign-in"));
        t.app.clock().advance_minutes(20);
        amara_signs_in(&t).await;
        let home = t.get("/my").await;
        home.assert_contains(&["class=\"coproduce-easy-read\"", "See your meetings and say if you are coming"]);

        let link = t.submit("/my/calendar", "/my/calendar", &[]).await;
        link.assert_shows(200, &["/calendar/feed/"]);
    })
    .await;
}

#[tokio::test]
async fn a_person_answers_all_of_a_weekly_groups_meetings_at_once_and_can_still_answer_one() {
    each_app(|t| async move {
        let person = setup(&t).await;
        amara_signs_in(&t).await;

        let page = t.get("/my/meetings").await;
        page.assert_shows(
            200,
            &[
                "Training planning group: ",
                " meetings in the next three months",
                "I&#39;ll come to all of them",
                "Tell me each time",
                // The portal's pages are listed after the page, not above its heading.
                "id=\"pages-heading\">Your pages</h2>",
                "aria-current=\"page\"><span class=\"nhsuk-contents-list__current\">Meetings",
            ],
        );
        assert!(
            !page.body.contains("nhsuk-header__navigation"),
            "no menu above the heading"
        );
        assert!(
            page.body.find("<h1>") < page.body.find("Your pages"),
            "the heading comes first"
        );
        let meetings: Vec<String> = page
            .body
            .split("action=\"/my/meetings/")
            .skip(1)
            .filter_map(|r| r.split('/').next().map(str::to_owned))
            .collect();
        assert!(
            meetings.len() > 10,
            "a weekly group has many meetings in three months"
        );
        let group = scalar(&t, "SELECT CAST(id AS TEXT) FROM groups").await;

        // One answered on its own keeps its answer when all the rest are answered at once.
        let second = &meetings[1];
        t.submit(
            "/my/meetings",
            &format!("/my/meetings/{second}/reply"),
            &[("rsvp", "no")],
        )
        .await;
        let all = t
            .submit(
                "/my/meetings",
                &format!("/my/groups/{group}/reply"),
                &[("choice", "all")],
            )
            .await;
        assert_eq!(all.status, 303);
        let page = t.get("/my/meetings").await;
        page.assert_contains(&["You said you are coming to all of them."]);
        assert_eq!(
            page.body.matches("You said you are coming.").count(),
            meetings.len() - 1
        );
        assert_eq!(page.body.matches("You said you are not coming.").count(), 1);
        assert!(
            !page.body.contains("name=\"choice\" value=\"all\""),
            "already said"
        );
        // Staff planning the meeting see the answer too.
        let first = MeetingId(meetings[0].parse().expect("id"));
        let view = t
            .app
            .view_meeting(&Actor::Cli, first)
            .await
            .expect("meeting");
        let amara = view
            .invitees
            .iter()
            .find(|i| i.person_id == Some(PersonId(person)))
            .expect("invited");
        assert!(amara.coming_to_all && amara.rsvp.is_none(), "{amara:?}");

        let each = t
            .submit(
                "/my/meetings",
                &format!("/my/groups/{group}/reply"),
                &[("choice", "each")],
            )
            .await;
        assert_eq!(each.status, 303);
        let page = t.get("/my/meetings").await;
        assert_eq!(
            page.body.matches("You have not said yet.").count(),
            meetings.len() - 1
        );
        assert_eq!(page.body.matches("You said you are not coming.").count(), 1);
        let odd = t
            .submit(
                "/my/meetings",
                &format!("/my/groups/{group}/reply"),
                &[("choice", "maybe")],
            )
            .await;
        assert_eq!(odd.status, 400);
        let not_theirs = t
            .submit(
                "/my/meetings",
                "/my/groups/999999/reply",
                &[("choice", "all")],
            )
            .await;
        assert_eq!(not_theirs.status, 404);
    })
    .await;
}

#[tokio::test]
async fn easy_read_says_meeting_times_as_people_say_them() {
    each_app(|t| async move {
        setup(&t).await;
        amara_signs_in(&t).await;
        t.submit("/my/easy-read", "/my/easy-read", &[("easy_read", "on")])
            .await;
        let home = t.get("/my").await;
        home.assert_contains(&["2 o&#39;clock in the afternoon"]);
        let meetings = t.get("/my/meetings").await;
        meetings.assert_contains(&[
            "2 o&#39;clock in the afternoon",
            "Yes, I will come to all of them",
            "More pages",
        ]);
    })
    .await;
}

#[tokio::test]
async fn consents_ask_the_person_in_their_own_words_and_easy_read_asks_in_its_own() {
    each_app(|t| async move {
        setup(&t).await;
        amara_signs_in(&t).await;
        let standard = t.get("/my/consents").await;
        standard.assert_contains(&["For us to keep your details", "Photographs of you"]);
        assert!(
            !standard.body.contains("their details"),
            "the person is not spoken of as 'them'"
        );
        t.submit("/my/easy-read", "/my/easy-read", &[("easy_read", "on")])
            .await;
        let easy = t.get("/my/consents").await;
        easy.assert_contains(&[
            "Can we keep your name and how to contact you?",
            "Can we take photos of you?",
            "/assets/pictures/look.svg",
        ]);
        assert!(!easy.body.contains("For us to keep your details"));
        // What they have done is a list with pictures in Easy Read, not the standard table.
        let involvement = t.get("/my/involvement").await;
        assert!(
            !involvement.body.contains("<table"),
            "no table where a list will do"
        );
    })
    .await;
}

#[tokio::test]
async fn staff_open_a_persons_page_for_them_for_half_an_hour_and_it_is_audited() {
    each_app(|t| async move {
        let person = setup(&t).await;
        t.add_staff("priya@example.org", "admin").await;
        t.sign_in_enrolled("priya@example.org").await;
        let opened = t
            .submit(
                &format!("/people/{person}"),
                &format!("/people/{person}/portal"),
                &[],
            )
            .await;
        assert_eq!(opened.status, 303);
        let home = t.get("/my").await;
        home.assert_shows(
            200,
            &["Signed in on their behalf", "is signed in to Amara Ashdown"],
        );
        let replied = t
            .submit(
                "/my/consents",
                "/my/consents",
                &[("kind", "quotes"), ("given", "yes")],
            )
            .await;
        assert_eq!(replied.status, 303);
        t.app.flush_audit().await;
        let audited = scalar(
            &t,
            "SELECT actor FROM audit_log WHERE action = 'consent_record' ORDER BY seq DESC LIMIT 1",
        )
        .await;
        assert!(
            audited.starts_with("staff:") && audited.ends_with(&format!("/for/person:{person}")),
            "{audited}"
        );
        assert_eq!(
            scalar(
                &t,
                "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE action = 'portal_on_behalf'"
            )
            .await,
            "1"
        );
        // Ending it goes back to their record.
        let ended = t.submit("/my", "/my/sign-out", &[]).await;
        assert_eq!(ended.location(), Some(format!("/people/{person}").as_str()));
        // And it ends by itself after half an hour.
        t.submit(
            &format!("/people/{person}"),
            &format!("/people/{person}/portal"),
            &[],
        )
        .await;
        assert_eq!(t.get("/my").await.status, 200);
        t.app.clock().advance_minutes(25);
        t.sign_in_enrolled("priya@example.org").await;
        assert_eq!(t.get("/my").await.status, 200);
        t.app.clock().advance_minutes(6);
        assert_eq!(t.get("/my").await.location(), Some("/my/sign-in?ended=1"));
    })
    .await;
}
