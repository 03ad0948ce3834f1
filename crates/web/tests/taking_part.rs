//! Opening coproduce to the public, on both backends: the "get involved" form with its spam
//! defences and its thank-you page, the team's enquiry queue through to a person, and
//! opportunities published, shown to the public and filled.

use coproduce_app::enquiries::EnquiryInput;
use coproduce_app::opportunities::OpportunityInput;
use coproduce_app::Actor;
use coproduce_domain::easy_read::Line;
use coproduce_testkit::{each_app, Response, TestApp};

/// A hidden field's value on a page.
fn hidden(page: &Response, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} field"));
    page.body[at + marker.len()..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Shows the form, lets a person take a minute over it, and sends it with these answers.
async fn ask(t: &TestApp, fields: &[(&str, &str)]) -> Response {
    let form = t.get("/get-involved/ask").await;
    assert_eq!(form.status, 200);
    t.app.clock().advance_minutes(1);
    send(t, &form, fields).await
}

/// Sends the form shown on `form` with these answers.
async fn send(t: &TestApp, form: &Response, fields: &[(&str, &str)]) -> Response {
    let token = form.form_token().expect("form token");
    let key = hidden(form, "form_key");
    let mut all = vec![("csrf_token", token.as_str()), ("form_key", key.as_str())];
    all.extend_from_slice(fields);
    t.post_form_raw("/get-involved/ask", &all).await
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    let mut tx = t.app.db().read().await.expect("tx");
    let n = coproduce_store::on!(&mut tx, c => sqlx::query_scalar::<_, i64>(sql).fetch_one(c).await.expect("count"));
    tx.commit().await.expect("commit");
    n
}

async fn service(t: &TestApp) -> i64 {
    t.app
        .create_service(&Actor::Cli, "Learning Disabilities", "")
        .await
        .expect("service")
}

fn opportunity(service: i64, visibility: &str) -> OpportunityInput {
    let in_days = |d: i64| {
        (chrono::Utc::now().date_naive() + chrono::Duration::days(d))
            .format("%d/%m/%Y")
            .to_string()
    };
    OpportunityInput {
        title: format!("Interview panel ({visibility})"),
        kind: "recruitment_panel".into(),
        service_id: service.to_string(),
        starts_on: in_days(20),
        start_time: "10:00".into(),
        end_time: "12:00".into(),
        place: "online".into(),
        places: "1".into(),
        closes_on: in_days(10),
        description: "Help us choose a nurse.".into(),
        easy_read: vec![Line {
            picture: "money".into(),
            text: "We pay you.".into(),
        }],
        visibility: visibility.into(),
        hours: "2".into(),
        ..OpportunityInput::default()
    }
}

#[tokio::test]
async fn the_public_page_and_its_easy_read_version_need_no_sign_in() {
    each_app(|t| async move {
        let page = t.get("/get-involved").await;
        page.assert_shows(200, &["How we pay you", "href=\"/get-involved/easy-read\""]);
        let easy = t.get("/get-involved/easy-read").await;
        easy.assert_shows(
            200,
            &[
                "class=\"coproduce-easy-read\"",
                "/assets/pictures/money.svg",
            ],
        );
        assert!(
            easy.body.contains("OpenMoji"),
            "the picture set is credited"
        );
        let picture = t.get("/assets/pictures/money.svg").await;
        assert_eq!(picture.status, 200);
        assert_eq!(picture.header("content-type"), Some("image/svg+xml"));
    })
    .await;
}

#[tokio::test]
async fn the_easy_read_page_asks_with_an_easy_read_form_that_stays_easy_read() {
    each_app(|t| async move {
        let easy = t.get("/get-involved/easy-read").await;
        assert!(easy.body.contains("href=\"/get-involved/ask/easy-read\""));
        let form = t.get("/get-involved/ask/easy-read").await;
        form.assert_shows(
            200,
            &[
                "class=\"coproduce-easy-read\"",
                "What is your name?",
                "How should we contact you?",
                "value=\"easy_read\" checked",
                "Yes, you can keep my details",
                "coproduce-big-button",
            ],
        );
        t.app.clock().advance_minutes(3);
        let fields = [
            ("easy_read", "yes"),
            ("name", "Jo Rahman"),
            ("phone", "07700 900321"),
            ("needs", "easy_read"),
        ];
        let refused = send(&t, &form, &fields).await;
        refused.assert_shows(
            400,
            &[
                "class=\"coproduce-easy-read\"",
                "What is your name?",
                "value=\"Jo Rahman\"",
                "href=\"#consent\"",
            ],
        );
        let mut agreed = fields.to_vec();
        agreed.push(("consent", "yes"));
        let sent = send(&t, &form, &agreed).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        let thanks = sent.location().expect("thank-you page").to_owned();
        assert!(thanks.ends_with("&easy_read=1"), "{thanks}");
        let page = t.get(&thanks).await;
        page.assert_shows(
            200,
            &[
                "class=\"coproduce-easy-read\"",
                "We will call or write to you by",
            ],
        );
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM enquiries WHERE needs = 'easy_read'"
            )
            .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn an_enquiry_is_stored_once_confirmed_by_email_and_the_thank_you_page_says_by_when() {
    each_app(|t| async move {
        let form = t.get("/get-involved/ask").await;
        t.app.clock().advance_minutes(2);
        let fields = [
            ("name", "Grace <b>Obi</b>"),
            ("email", "grace@example.org"),
            ("channels", "phone"),
            ("channels", "email"),
            ("needs", "easy_read"),
            ("interests", "=HYPERLINK(\"http://x\")"),
            ("consent", "yes"),
        ];
        let sent = send(&t, &form, &fields).await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        let thanks = sent.location().expect("thank-you page").to_owned();
        assert!(thanks.starts_with("/get-involved/thank-you?by="));
        // The back button and a second press: the same form again is the same enquiry.
        let again = send(&t, &form, &fields).await;
        assert_eq!(again.status, 303);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM enquiries").await, 1);
        assert_eq!(
            count(&t, "SELECT COUNT(*) FROM outbox WHERE kind = 'enquiry_received' AND easy_read = (1 = 1)").await,
            1,
            "one Easy Read confirmation, as they need Easy Read"
        );
        let page = t.get(&thanks).await;
        page.assert_shows(200, &["What happens next", "We have sent a confirmation"]);

        // The team sees what was typed as text.
        t.add_staff("priya@example.org", "admin").await;
        t.sign_in_enrolled("priya@example.org").await;
        let list = t.get("/enquiries").await;
        list.assert_shows(200, &["Grace &#60;b&#62;Obi&#60;/b&#62;"]);
        assert!(!list.body.contains("<b>Obi</b>"));
    })
    .await;
}

#[tokio::test]
async fn a_form_sent_very_quickly_is_held_for_review_and_machines_are_refused() {
    each_app(|t| async move {
        // Sent the moment it was shown, as autofill does: kept, held for the team, never blamed.
        let form = t.get("/get-involved/ask").await;
        let quick = send(
            &t,
            &form,
            &[
                ("name", "Ann Quick"),
                ("email", "ann@example.org"),
                ("consent", "yes"),
            ],
        )
        .await;
        assert_eq!(quick.status, 303, "{}", quick.body);
        assert!(!quick.body.contains("program"));
        assert_eq!(
            count(&t, "SELECT COUNT(*) FROM outbox").await,
            0,
            "no confirmation until the team has looked"
        );
        t.add_staff("priya@example.org", "admin").await;
        t.sign_in_enrolled("priya@example.org").await;
        t.get("/enquiries")
            .await
            .assert_shows(200, &["Ann Quick", "Sent very quickly"]);
        t.get("/enquiries/1")
            .await
            .assert_shows(200, &["Sent very quickly"]);
        t.clear_cookies();
        // The hidden field filled in.
        let trap = ask(
            &t,
            &[
                ("name", "Bot"),
                ("email", "bot@example.org"),
                ("consent", "yes"),
                ("website", "http://spam"),
            ],
        )
        .await;
        assert_eq!(trap.status, 400);
        // A key the server never made.
        let forged = t.get("/get-involved/ask").await;
        let token = forged.form_token().expect("token");
        let fake = t
            .post_form_raw(
                "/get-involved/ask",
                &[
                    ("csrf_token", &token),
                    ("form_key", "1.abc"),
                    ("name", "X"),
                    ("email", "x@example.org"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(fake.status, 400);
        // No consent, no way to reply.
        let missing = ask(&t, &[("name", "Cal")]).await;
        missing.assert_shows(400, &["href=\"#email\"", "href=\"#consent\""]);
        assert_eq!(
            count(&t, "SELECT COUNT(*) FROM enquiries").await,
            1,
            "only the one sent quickly"
        );
    })
    .await;
}

#[tokio::test]
async fn form_keys_cannot_be_made_up_altered_or_used_again_for_other_answers() {
    each_app(|t| async move {
        let answers = [
            ("name", "Ria Das"),
            ("email", "ria@example.org"),
            ("consent", "yes"),
        ];
        let form = t.get("/get-involved/ask").await;
        let real = hidden(&form, "form_key");
        let token = form.form_token().expect("token");
        t.app.clock().advance_minutes(1);
        let parts: Vec<&str> = real.split('.').collect();
        let (secret_id, shown): (&str, i64) = (parts[0], parts[1].parse().expect("its time"));
        let random = "abcdefghijklmnopqrstuvwxyz123456";
        let forgeries = [
            // The shape keys had before they were signed, which anyone could make.
            format!("{}.{random}", shown - 60_000),
            // The signed shape, with a made-up signature.
            format!(
                "{secret_id}.{}.{random}.{}",
                shown - 60_000,
                "ab".repeat(32)
            ),
            // A real key with its time moved back, to skip the wait.
            real.replacen(&shown.to_string(), &(shown - 60_000).to_string(), 1),
            // A secret that does not exist.
            real.replacen(secret_id, "999", 1),
        ];
        for forged in &forgeries {
            let mut fields = vec![
                ("csrf_token", token.as_str()),
                ("form_key", forged.as_str()),
            ];
            fields.extend_from_slice(&answers);
            let r = t.post_form_raw("/get-involved/ask", &fields).await;
            assert_eq!(r.status, 400, "{forged}");
            assert!(r.body.contains("This form has expired"), "{forged}");
            assert!(
                !r.body.contains(forged.as_str()),
                "a forged key is replaced"
            );
        }
        assert_eq!(count(&t, "SELECT COUNT(*) FROM enquiries").await, 0);

        // A real key works once; again with the same answers it is the same enquiry, and
        // with other answers it is refused, keeping them, with a fresh key to send them.
        let sent = send(&t, &form, &answers).await;
        assert_eq!(sent.status, 303);
        let again = send(&t, &form, &answers).await;
        assert_eq!(again.status, 303);
        let other = send(
            &t,
            &form,
            &[
                ("name", "Ria Das"),
                ("email", "ria@example.org"),
                ("consent", "yes"),
                ("interests", "panels"),
            ],
        )
        .await;
        other.assert_shows(400, &["You sent this form already"]);
        assert!(other.body.contains("panels"), "what was typed is kept");
        assert_ne!(hidden(&other, "form_key"), real);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM enquiries").await, 1);
        assert_eq!(
            count(&t, "SELECT COUNT(*) FROM outbox").await,
            1,
            "one confirmation"
        );

        // A new secret signs new forms; forms already open keep working.
        let open = t.get("/get-involved/ask").await;
        let rotated = t.app.rotate_secrets(&Actor::Cli).await.expect("rotate");
        let fresh = t.get("/get-involved/ask").await;
        assert!(hidden(&fresh, "form_key").starts_with(&format!("{rotated}.")));
        t.app.clock().advance_minutes(1);
        let late = send(
            &t,
            &open,
            &[
                ("name", "Ola"),
                ("phone", "07700900555"),
                ("consent", "yes"),
            ],
        )
        .await;
        assert_eq!(late.status, 303, "{}", late.body);
        let admin = Actor::Staff(coproduce_app::StaffMember {
            id: coproduce_domain::StaffId(1),
            name: "Ada".into(),
            email: "ada@example.org".into(),
            role: coproduce_domain::Role::Admin,
            service_ids: vec![],
        });
        assert!(
            t.app.rotate_secrets(&admin).await.is_err(),
            "only the command line rotates"
        );
    })
    .await;
}

#[tokio::test]
async fn a_burst_from_one_address_is_throttled_while_others_still_get_through() {
    each_app(|t| async move {
        t.app.set_enquiry_limit(3);
        for n in 0..3 {
            let name = format!("Person {n}");
            let r = ask(
                &t,
                &[
                    ("name", &name),
                    ("phone", "07700900123"),
                    ("consent", "yes"),
                ],
            )
            .await;
            assert_eq!(r.status, 303, "{n}");
        }
        let refused = ask(
            &t,
            &[
                ("name", "Person 4"),
                ("phone", "07700900123"),
                ("consent", "yes"),
            ],
        )
        .await;
        refused.assert_shows(429, &["a lot of requests", "value=\"Person 4\""]);
        // Someone else, elsewhere, is not held up.
        let form_key = t.app.new_form_key().await.expect("a form key");
        t.app.clock().advance_minutes(1);
        let other = t
            .app
            .submit_enquiry(
                &EnquiryInput {
                    name: "Elsewhere".into(),
                    email: "else@example.org".into(),
                    consent: "yes".into(),
                    form_key,
                    ..EnquiryInput::default()
                },
                "203.0.113.9",
            )
            .await;
        assert!(other.is_ok(), "{other:?}");
        assert_eq!(count(&t, "SELECT COUNT(*) FROM enquiries").await, 4);
    })
    .await;
}

#[tokio::test]
async fn the_team_calls_then_turns_an_enquiry_into_a_person_or_closes_it_with_a_reason() {
    each_app(|t| async move {
        let service = service(&t).await;
        let public = t
            .app
            .create_opportunity(&Actor::Cli, &opportunity(service, "public"))
            .await
            .expect("opportunity");
        let asked = ask(
            &t,
            &[
                ("name", "Grace Obi"),
                ("email", "grace@example.org"),
                ("phone", "07700 900123"),
                ("channels", "phone"),
                ("needs", "step_free"),
                ("opportunity_id", &public.to_string()),
                ("interests", "Training, panels, helping redesign the waiting room so it feels calmer for teenagers"),
                ("consent", "yes"),
            ],
        )
        .await;
        assert_eq!(asked.status, 303);
        let second = ask(&t, &[("name", "Sam Lee"), ("phone", "07700900124"), ("consent", "yes")]).await;
        assert_eq!(second.status, 303);

        // Someone already on record with the same phone number is offered, not duplicated.
        let sam = t
            .app
            .create_person(
                &Actor::Cli,
                &coproduce_app::people::PersonInput {
                    name: "Samuel Lee".into(),
                    phone: "07700900124".into(),
                    ..Default::default()
                },
                &service.to_string(),
            )
            .await
            .expect("existing person");

        // Service staff do not work the queue.
        t.add_staff_in("megan@example.org", "staff", &[&service.to_string()]).await;
        t.sign_in("megan@example.org").await;
        assert_eq!(t.get("/enquiries").await.status, 403);
        t.clear_cookies();

        t.add_staff("priya@example.org", "admin").await;
        t.sign_in_enrolled("priya@example.org").await;
        // Staff signed in can fill the public form in for someone on the phone.
        let by_phone = ask(&t, &[("name", "Caller By Phone"), ("phone", "07700900199"), ("consent", "yes")]).await;
        assert_eq!(by_phone.status, 303, "{}", by_phone.body);
        let page = t.get("/enquiries/1").await;
        page.assert_shows(200, &["Reply by", "<a href=\"tel:07700900123\">07700 900123</a>"]);
        let version = hidden(&page, "version");
        // A welcome call needs notes.
        let empty = t
            .submit("/enquiries/1", "/enquiries/1/welcome-call", &[("version", &version), ("notes", "")])
            .await;
        assert_eq!(empty.status, 400);
        let called = t
            .submit("/enquiries/1", "/enquiries/1/welcome-call", &[("version", &version), ("notes", "Keen on panels; needs step-free access")])
            .await;
        assert_eq!(called.status, 303);
        // A stale page is refused, keeping what was chosen.
        let stale = t
            .submit("/enquiries/1", "/enquiries/1/close", &[("version", &version), ("reason", "Old page")])
            .await;
        stale.assert_shows(400, &["Someone else changed this enquiry"]);

        let page = t.get("/enquiries/1").await;
        let version = hidden(&page, "version");
        let converted = t
            .submit("/enquiries/1", "/enquiries/1/convert", &[("version", &version), ("service_id", &service.to_string())])
            .await;
        assert_eq!(converted.status, 303, "{}", converted.body);
        let person_page = converted.location().expect("person").to_owned();
        assert_ne!(person_page, format!("/people/{sam}?saved=1"));
        let person = t.get(&person_page).await;
        // The kind of opportunity asked about and the short interests become tags; a sentence
        // is never cut down to make one, but kept whole as a note in their history.
        person.assert_contains(&[
            "Grace Obi",
            "Onboarding",
            "Welcome call: Keen on panels",
            "Recruitment panel",
            "Training",
            "panels",
            "in their words: Training, panels, helping redesign the waiting room so it feels calmer for teenagers",
        ]);
        assert_eq!(person.body.matches("helping redesign").count(), 1, "no cut tag");
        t.get("/enquiries/1").await.assert_contains(&["helping redesign the waiting room so it feels calmer for teenagers"]);
        let grace: i64 = person_page
            .trim_start_matches("/people/")
            .split('?')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("person id");
        assert_eq!(count(&t, &format!("SELECT COUNT(*) FROM consents WHERE kind = 'hold_data' AND person_id = {grace}")).await, 1);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM opportunity_people WHERE status = 'interested'").await, 1);
        // Their needs travel with them to the opportunity's list of people.
        let people = t.get(&format!("/manage/opportunities/{public}")).await;
        people.assert_shows(200, &["Grace Obi</a><br><strong class=\"nhsuk-body-s\">Needs: Step-free access</strong>"]);
        // Converting twice makes no second person.
        let twice = t
            .submit("/enquiries/1", "/enquiries/1/convert", &[("version", &version), ("service_id", &service.to_string())])
            .await;
        twice.assert_shows(400, &["Someone else changed this enquiry", "Became a person"]);
        assert_eq!(count(&t, "SELECT COUNT(*) FROM people").await, 2, "Samuel and Grace");

        // The second enquiry matches someone on record: adding them again is refused until
        // staff say so; linking it to them converts it without a new person.
        let page = t.get("/enquiries/2").await;
        page.assert_contains(&["Already on record?", "Samuel Lee"]);
        let version = hidden(&page, "version");
        let again = t
            .submit("/enquiries/2", "/enquiries/2/convert", &[("version", &version), ("service_id", &service.to_string())])
            .await;
        again.assert_shows(400, &["already on record"]);
        let linked = t
            .submit("/enquiries/2", "/enquiries/2/convert", &[("version", &version), ("person_id", &sam.to_string())])
            .await;
        assert_eq!(linked.status, 303, "{}", linked.body);
        assert_eq!(linked.location(), Some(format!("/people/{sam}?saved=1").as_str()));
        assert_eq!(count(&t, "SELECT COUNT(*) FROM people").await, 2);

        // Closing needs a reason, and then it leaves the queue but is never lost.
        let page = t.get("/enquiries/3").await;
        let version = hidden(&page, "version");
        let no_reason = t
            .submit("/enquiries/3", "/enquiries/3/close", &[("version", &version), ("reason", " ")])
            .await;
        no_reason.assert_shows(400, &["Enter why it is being closed"]);
        let closed = t
            .submit("/enquiries/3", "/enquiries/3/close", &[("version", &version), ("reason", "Could not reach them after three calls")])
            .await;
        assert_eq!(closed.status, 303);
        let queue = t.get("/enquiries").await;
        assert!(queue.body.contains("There are none."));
        let closed_list = t.get("/enquiries?status=closed").await;
        assert!(closed_list.body.contains("Could not reach them after three calls"));
        assert_eq!(
            count(&t, "SELECT COUNT(*) FROM enquiries WHERE status = 'new' OR (status = 'closed' AND closed_reason = '') OR (status = 'converted' AND person_id IS NULL)").await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn opportunities_show_to_the_public_only_when_public_and_fill_up_to_their_places() {
    each_app(|t| async move {
        let service = service(&t).await;
        t.add_staff_in("megan@example.org", "staff", &[&service.to_string()])
            .await;
        t.sign_in("megan@example.org").await;
        // Written on the page, with an Easy Read sentence and its picture.
        let mut fields: Vec<(&str, String)> = vec![
            ("title", "Read our letters".into()),
            ("kind", "reading_panel".into()),
            ("service_id", service.to_string()),
            ("starts_on", "1/1/2099".into()),
            ("place", "phone".into()),
            ("places", "1".into()),
            ("closes_on", "1/12/2098".into()),
            ("description", "Tell us <what> is unclear.".into()),
            ("sentence-0", "Read our letters.".into()),
            ("picture-0", "letter".into()),
            ("visibility", "public".into()),
        ];
        let missing = t
            .submit(
                "/manage/opportunities/new",
                "/manage/opportunities",
                &[("title", "")],
            )
            .await;
        missing.assert_shows(400, &["Choose what kind of role it is"]);
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let made = t
            .submit(
                "/manage/opportunities/new",
                "/manage/opportunities",
                &borrowed,
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
        fields.clear();
        let draft = t
            .app
            .create_opportunity(&Actor::Cli, &opportunity(service, "draft"))
            .await
            .expect("draft");
        let involved = t
            .app
            .create_opportunity(&Actor::Cli, &opportunity(service, "involved"))
            .await
            .expect("involved");
        t.clear_cookies();

        let list = t.get("/opportunities").await;
        list.assert_shows(200, &["Read our letters"]);
        assert!(!list.body.contains("Interview panel (draft)"));
        assert!(!list.body.contains("Interview panel (involved)"));
        let one = t.get("/opportunities/1").await;
        one.assert_shows(
            200,
            &[
                "Tell us &#60;what&#62; is unclear.",
                "/assets/pictures/letter.svg",
                "href=\"/get-involved/ask?opportunity=1\"",
            ],
        );
        assert_eq!(t.get(&format!("/opportunities/{draft}")).await.status, 404);
        assert_eq!(
            t.get(&format!("/opportunities/{involved}")).await.status,
            404
        );

        // One place: the first confirmed gets their involvement recorded; the second is told.
        let mut people = Vec::new();
        for name in ["Amara Ashdown", "Ben Okoro"] {
            people.push(
                t.app
                    .create_person(
                        &Actor::Cli,
                        &coproduce_app::people::PersonInput {
                            name: name.into(),
                            email: format!("{}@example.org", name.split(' ').next().unwrap_or("x")),
                            ..Default::default()
                        },
                        &service.to_string(),
                    )
                    .await
                    .expect("person"),
            );
        }
        t.sign_in("megan@example.org").await;
        // Nobody is invited to a draft: they could not reply to it.
        let drafted = t
            .submit(
                &format!("/manage/opportunities/{draft}"),
                &format!("/manage/opportunities/{draft}/people"),
                &[("person_id", &people[0].to_string()), ("stage", "invited")],
            )
            .await;
        drafted.assert_shows(400, &["Publish the opportunity"]);
        let search = t.get("/manage/opportunities/1?q=Amara").await;
        assert!(search.body.contains("Amara Ashdown"));
        // Moves someone to a stage of opportunity 1, from its page.
        let stage = |person: i64, stage: &'static str| {
            let t = &t;
            async move {
                let person = person.to_string();
                t.submit(
                    "/manage/opportunities/1",
                    "/manage/opportunities/1/people",
                    &[("person_id", &person), ("stage", stage)],
                )
                .await
            }
        };
        let involvements = || {
            count(
                &t,
                "SELECT COUNT(*) FROM involvements WHERE opportunity_id = 1",
            )
        };
        let invited = stage(people[0].0, "invited").await;
        assert_eq!(invited.status, 303);
        assert_eq!(
            count(
                &t,
                "SELECT COUNT(*) FROM outbox WHERE kind = 'opportunity_invitation'"
            )
            .await,
            1
        );
        let confirmed = stage(people[0].0, "confirmed").await;
        assert_eq!(confirmed.status, 303);
        assert_eq!(involvements().await, 1);
        let full = stage(people[1].0, "confirmed").await;
        full.assert_shows(400, &["All 1 places are filled"]);
        let waiting = stage(people[1].0, "waiting").await;
        assert_eq!(waiting.status, 303);
        // Moving the first off confirmed frees the place and removes their involvement.
        let withdrawn = stage(people[0].0, "withdrawn").await;
        assert_eq!(withdrawn.status, 303);
        assert_eq!(involvements().await, 0);
        let page = t.get("/manage/opportunities/1").await;
        page.assert_contains(&["Waiting list", "0 of 1 places confirmed"]);
    })
    .await;
}

#[tokio::test]
async fn opportunities_interest_and_enquiries_through_the_api() {
    use axum::http::Method;
    use serde_json::{json, Value};
    each_app(|t| async move {
        let service = service(&t).await;
        let admin = t.add_staff("priya@example.org", "admin").await;
        let token = &t.api_token(admin).await;
        let json_of = |r: &Response| -> Value { serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body)) };

        let bad = t
            .api_post("/api/v1/opportunities", token, json!({"title": "No kind", "service_id": service}))
            .await;
        assert_eq!(bad.status, 422);
        assert!(json_of(&bad)["errors"].as_array().expect("errors").iter().any(|e| e["field"] == "kind"));
        let body = json!({
            "title": "Walk round the ward", "kind": "environment_review", "service_id": service,
            "starts_on": "2099-03-01", "place": "venue", "venue": "Ward 4", "places": 3,
            "closes_on": "2099-02-20", "description": "Tell us how to make it better.",
            "easy_read": [{"picture": "hospital", "text": "Look round the ward."}],
            "visibility": "public", "hours": 2.5
        });
        let made = t.api_post("/api/v1/opportunities", token, body).await;
        assert_eq!(made.status, 201, "{}", made.body);
        let o = json_of(&made);
        assert_eq!(o["easy_read"][0]["picture"], "hospital");
        assert_eq!(o["hours"], 2.5);
        let list = json_of(&t.api_send(Method::GET, "/api/v1/opportunities", token, None).await);
        assert_eq!(list["items"].as_array().expect("items").len(), 1);

        let person = t
            .app
            .create_person(&Actor::Cli, &coproduce_app::people::PersonInput { name: "Dee Rao".into(), ..Default::default() }, &service.to_string())
            .await
            .expect("person");
        let path = format!("/api/v1/opportunities/{}/interest", o["id"]);
        let interested = t.api_post(&path, token, json!({"person_id": person})).await;
        assert_eq!(interested.status, 200, "{}", interested.body);
        assert_eq!(json_of(&interested)["items"][0]["stage"], "interested");
        let confirmed = t.api_post(&path, token, json!({"person_id": person, "stage": "confirmed"})).await;
        assert_eq!(json_of(&confirmed)["items"][0]["stage"], "confirmed");
        assert_eq!(count(&t, "SELECT COUNT(*) FROM involvements WHERE minutes = 150").await, 1);

        let enquiry = json!({"name": "Phone caller", "phone": "07700900555", "consent": true, "idempotency_key": "call-1"});
        let recorded = t.api_post("/api/v1/enquiries", token, enquiry.clone()).await;
        assert_eq!(recorded.status, 201, "{}", recorded.body);
        t.api_post("/api/v1/enquiries", token, enquiry).await;
        let waiting = json_of(&t.api_send(Method::GET, "/api/v1/enquiries", token, None).await);
        assert_eq!(waiting["items"].as_array().expect("items").len(), 1, "the same key records one enquiry");
        assert_eq!(waiting["items"][0]["status"], "new");
        let no_consent = t
            .api_post("/api/v1/enquiries", token, json!({"name": "X", "phone": "07700900556", "idempotency_key": "call-2"}))
            .await;
        assert_eq!(no_consent.status, 422);
        assert_eq!(json_of(&no_consent)["errors"][0]["field"], "consent");
    })
    .await;
}

#[tokio::test]
async fn staff_add_their_own_pictures_and_only_pictures_are_taken() {
    each_app(|t| async move {
        t.add_staff("priya@example.org", "admin").await;
        t.sign_in_enrolled("priya@example.org").await;
        let page = t.get("/manage/pictures").await;
        assert_eq!(page.status, 200);
        let token = page.form_token().expect("token");
        let upload = |bytes: Vec<u8>, alt: &'static str, token: String| {
            let t = &t;
            async move {
                let fields = [("csrf_token", token.as_str()), ("alt", alt)];
                t.upload_form("/manage/pictures", &fields, Some(("file", "p", &bytes)))
                    .await
            }
        };
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 64]].concat();
        let added = upload(png.clone(), "The front door", token.clone()).await;
        assert_eq!(added.status, 303, "{}", added.body);
        let svg =
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
        let refused = upload(svg, "Sneaky", token.clone()).await;
        refused.assert_shows(400, &["must be a PNG or a JPEG", "value=\"Sneaky\""]);
        let forged = upload(png.clone(), "Forged", "not-the-token".into()).await;
        assert_eq!(forged.status, 403);

        let list = t.get("/manage/pictures").await;
        assert!(list.body.contains("The front door"));
        let form = t.get("/manage/opportunities/new").await;
        assert!(form.body.contains("value=\"upload:1\""));
        t.clear_cookies();
        let served = t.get("/pictures/1").await;
        assert_eq!(served.status, 200);
        assert_eq!(served.header("content-type"), Some("image/png"));
        assert!(served
            .header("content-security-policy")
            .is_some_and(|c| c.contains("sandbox")));
        assert_eq!(t.get("/pictures/2").await.status, 404);
    })
    .await;
}
