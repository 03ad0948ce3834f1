//! People pages and API through the real router, on both backends.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_app::people::PersonInput;
use coproduce_app::Actor;
use coproduce_domain::PersonId;
use coproduce_testkit::{each_app, TestApp};

/// A service, a staff member of it signed in, and one person they work with.
async fn arrange(t: &TestApp) -> PersonId {
    let service = t
        .app
        .create_service(&Actor::Cli, "Learning Disabilities", "14")
        .await
        .expect("arrange");
    t.add_staff_in("tom@example.org", "staff", &[&service.to_string()])
        .await;
    let r = t.sign_in("tom@example.org").await;
    assert_eq!(r.location(), Some("/"));
    let input = PersonInput {
        name: "Wren Northcote".into(),
        phone: "07700900119".into(),
        channels: vec!["phone".into()],
        needs: vec!["interpreter".into(), "easy_read".into()],
        interpreter_language: "Polish".into(),
        best_times: "Tuesdays".into(),
        ..PersonInput::default()
    };
    t.app
        .create_person(&Actor::Cli, &input, &service.to_string())
        .await
        .expect("arrange")
}

#[tokio::test]
async fn staff_start_at_the_queue_and_see_the_needs_before_they_call() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        assert_eq!(t.get("/").await.location(), Some("/keep-in-touch"));
        // A minute after they were added, they are due today, not a day overdue.
        t.app.clock().advance_minutes(1);
        let queue = t.get("/keep-in-touch").await;
        queue.assert_shows(StatusCode::OK, &["Wren Northcote", "Due today"]);
        assert!(
            !queue.body.contains("Overdue"),
            "added a minute ago is not overdue"
        );
        assert!(
            queue.body.contains("Polish interpreter"),
            "the needs flag is on the queue"
        );
        assert!(
            queue
                .body
                .contains("href=\"tel:07700900119\">07700 900119</a>"),
            "the number is shown in its groups, and dials"
        );
        let page = t.get(&format!("/people/{id}")).await;
        page.assert_shows(StatusCode::OK, &["Before you contact Wren Northcote"]);
        assert!(page
            .body
            .contains("<a href=\"tel:07700900119\">07700 900119</a>"));
        assert!(
            page.body.contains("Polish interpreter, Easy Read")
                || page.body.contains("Easy Read, Polish interpreter")
        );
    })
    .await;
}

#[tokio::test]
async fn logging_a_call_from_the_person_page_takes_one_short_form_and_a_double_submit_logs_one() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        let page = t.get(&format!("/people/{id}")).await;
        let token = page.form_token().unwrap();
        let key_at = page.body.find("name=\"submission_key\" value=\"").unwrap()
            + "name=\"submission_key\" value=\"".len();
        let key: String = page.body[key_at..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        let path = format!("/people/{id}/contacts");
        let fields = [
            ("csrf_token", token.as_str()),
            ("submission_key", key.as_str()),
            ("channel", "phone"),
            ("direction", "outbound"),
            ("summary", "Talked about the training day"),
        ];
        let first = t.post_form_raw(&path, &fields).await;
        assert_eq!(
            first.location(),
            Some(format!("/people/{id}?logged=1").as_str())
        );
        t.post_form_raw(&path, &fields).await;
        let after = t.get(&format!("/people/{id}?logged=1")).await;
        assert!(after.body.contains("Contact logged"));
        // A minute after a call on the service's 14-day cadence, the next is due in 14 days.
        t.app.clock().advance_minutes(1);
        let later = t.get(&format!("/people/{id}")).await;
        assert!(
            later.body.contains("Due in 14 days"),
            "counted in whole days"
        );
        assert_eq!(
            after.body.matches("Talked about the training day").count(),
            1
        );
        assert!(
            !t.get("/keep-in-touch")
                .await
                .body
                .contains("Wren Northcote"),
            "no longer due"
        );

        let empty = t
            .submit(&format!("/people/{id}"), &path, &[("channel", "phone")])
            .await;
        empty.assert_shows(
            StatusCode::BAD_REQUEST,
            &["nhsuk-error-summary", "Enter a short summary"],
        );
    })
    .await;
}

#[tokio::test]
async fn a_second_editor_is_told_what_changed_and_keeps_what_they_typed() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        let edit = format!("/people/{id}/edit");
        let form = t.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK);
        let token = form.form_token().unwrap();
        // Someone else saves first.
        let view = t
            .app
            .view_person(&Actor::Cli, PersonId(id.0))
            .await
            .unwrap();
        let mut theirs = PersonInput {
            name: "Wren Northcote".into(),
            phone: "07700900555".into(),
            ..PersonInput::default()
        };
        theirs.needs = vec!["easy_read".into()];
        t.app
            .update_person(&Actor::Cli, PersonId(id.0), view.person.version, &theirs)
            .await
            .unwrap();
        let mine = t
            .post_form_raw(
                &edit,
                &[
                    ("csrf_token", &token),
                    ("version", &view.person.version.to_string()),
                    ("name", "Wren Northcote-Ellis"),
                    ("pronouns", "she/her"),
                ],
            )
            .await;
        mine.assert_shows(
            StatusCode::CONFLICT,
            &["Someone else saved this record while you were editing"],
        );
        assert!(mine.body.contains("phone number"), "says what they changed");
        assert!(
            mine.body.contains("value=\"Wren Northcote-Ellis\""),
            "what I typed is kept"
        );
        assert!(mine.body.contains("value=\"she/her\""));
        let version_now = (view.person.version + 1).to_string();
        assert!(mine
            .body
            .contains(&format!("name=\"version\" value=\"{version_now}\"")));
    })
    .await;
}

#[tokio::test]
async fn a_date_of_birth_is_offered_for_editing_as_the_form_asks_and_saves_unchanged() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        let view = t
            .app
            .view_person(&Actor::Cli, PersonId(id.0))
            .await
            .unwrap();
        let mut input = view.input();
        input.date_of_birth = "1985-03-27".into();
        t.app
            .update_person(&Actor::Cli, PersonId(id.0), view.person.version, &input)
            .await
            .unwrap();
        let edit = format!("/people/{id}/edit");
        let form = t.get(&edit).await;
        assert!(form.body.contains("value=\"27/3/1985\""), "{}", form.body);
        let version = (view.person.version + 1).to_string();
        let saved = t
            .submit(
                &edit,
                &edit,
                &[
                    ("version", &version),
                    ("name", "Wren Northcote"),
                    ("date_of_birth", "27/3/1985"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let after = t
            .app
            .view_person(&Actor::Cli, PersonId(id.0))
            .await
            .unwrap();
        assert_eq!(after.input().date_of_birth, "1985-03-27");
    })
    .await;
}

#[tokio::test]
async fn staff_cannot_reach_people_outside_their_services() {
    each_app(|t| async move {
        arrange(&t).await;
        let other = t
            .app
            .create_service(&Actor::Cli, "Other", "")
            .await
            .unwrap();
        let hidden = t
            .app
            .create_person(
                &Actor::Cli,
                &PersonInput {
                    name: "Hidden Person".into(),
                    ..PersonInput::default()
                },
                &other.to_string(),
            )
            .await
            .unwrap();
        assert_eq!(
            t.get(&format!("/people/{hidden}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!t.get("/people").await.body.contains("Hidden Person"));
        assert!(!t
            .get("/people?q=hidden")
            .await
            .body
            .contains("Hidden Person"));
        assert_eq!(t.get("/services").await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn adding_a_person_keeps_what_was_typed_when_something_is_wrong() {
    each_app(|t| async move {
        arrange(&t).await;
        let bad = t
            .submit(
                "/people/new",
                "/people",
                &[
                    ("name", "Sol Reyes"),
                    ("email", "sol@"),
                    ("channels", "email"),
                ],
            )
            .await;
        bad.assert_shows(
            StatusCode::BAD_REQUEST,
            &[
                "<a href=\"#email\">Enter an email address in the correct format",
                "value=\"Sol Reyes\"",
                "id=\"channel-email\" name=\"channels\" type=\"checkbox\" value=\"email\" checked",
            ],
        );
        let service = t.app.services().await.unwrap()[0].id.to_string();
        let fields = [
            ("name", "Sol Reyes"),
            ("email", "sol@example.org"),
            ("service_id", service.as_str()),
        ];
        let ok = t.submit("/people/new", "/people", &fields).await;
        let to = ok.location().unwrap().to_owned();
        assert!(to.starts_with("/people/"), "{to}");
        assert!(t.get(&to).await.body.contains("Sol Reyes"));
    })
    .await;
}

#[tokio::test]
async fn an_interest_too_long_for_a_tag_is_refused_naming_the_field_never_cut() {
    each_app(|t| async move {
        arrange(&t).await;
        let service = t.app.services().await.unwrap()[0].id.to_string();
        let long =
            "Helping design the new waiting room so it feels calmer for autistic young people";
        let interests = format!("leaflets, {long}");
        let fields = [
            ("name", "Sol Reyes"),
            ("service_id", service.as_str()),
            ("interests", interests.as_str()),
        ];
        let refused = t.submit("/people/new", "/people", &fields).await;
        refused.assert_shows(
            StatusCode::BAD_REQUEST,
            &[
                "<a href=\"#interests\">Keep each one to 60 characters",
                &format!("has {}", long.chars().count()),
                &format!("value=\"leaflets, {long}\""),
                "up to 60 characters each",
            ],
        );
        let found = t
            .app
            .search_people(&Actor::Cli, &Default::default())
            .await
            .unwrap();
        assert!(
            found.people.iter().all(|p| p.name != "Sol Reyes"),
            "nothing is saved"
        );
    })
    .await;
}

#[tokio::test]
async fn the_people_api_lists_reads_changes_and_logs_contacts() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        let staff = t.app.staff_id_by_email(&Actor::Cli, "tom@example.org").await.unwrap();
        let token = t.app.create_api_token(&Actor::Cli, staff, "test", None).await.unwrap();
        let auth = format!("Bearer {}", token.expose());
        let call = |method: Method, path: String, body: Option<serde_json::Value>, extra: Option<(&'static str, &'static str)>| {
            let auth = auth.clone();
            let t = &t;
            async move {
                let mut headers = vec![("authorization", auth.as_str()), ("content-type", "application/json")];
                if let Some(h) = extra {
                    headers.push(h);
                }
                let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
                t.request(method, &path, &headers, body).await
            }
        };
        let list = call(Method::GET, "/api/v1/people?q=wren".into(), None, None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let list: serde_json::Value = serde_json::from_str(&list.body).unwrap();
        assert_eq!(list["items"][0]["name"], "Wren Northcote");
        assert_eq!(list["items"][0]["needs"], serde_json::json!(["interpreter", "easy_read"]));
        assert!(list["next_cursor"].is_null());

        let one: serde_json::Value = serde_json::from_str(&call(Method::GET, format!("/api/v1/people/{id}"), None, None).await.body).unwrap();
        let version = one["version"].as_i64().unwrap();
        let patched = call(Method::PATCH, format!("/api/v1/people/{id}"), Some(serde_json::json!({"version": version, "pronouns": "she/her"})), None).await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        let stale = call(Method::PATCH, format!("/api/v1/people/{id}"), Some(serde_json::json!({"version": version, "name": "X"})), None).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.header("content-type"), Some("application/problem+json"));

        let bad = call(Method::POST, "/api/v1/people".into(), Some(serde_json::json!({"name": "", "email": "x", "service_id": 0})), None).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
        let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["name", "email", "service_id"]);
        let broken = t
            .request(Method::POST, "/api/v1/people", &[("authorization", auth.as_str()), ("content-type", "application/json")], Body::from("{not json"))
            .await;
        assert_eq!(broken.status, StatusCode::BAD_REQUEST);
        assert_eq!(broken.header("content-type"), Some("application/problem+json"));

        let contact = serde_json::json!({"channel": "video_call", "direction": "meeting", "summary": "Zoom group"});
        let key = Some(("idempotency-key", "retry-1"));
        let first = call(Method::POST, format!("/api/v1/people/{id}/contacts"), Some(contact.clone()), key).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let second = call(Method::POST, format!("/api/v1/people/{id}/contacts"), Some(contact), key).await;
        let (a, b): (serde_json::Value, serde_json::Value) = (serde_json::from_str(&first.body).unwrap(), serde_json::from_str(&second.body).unwrap());
        assert_eq!(a["id"], b["id"], "a retry with the same key logs one contact");
        let contacts: serde_json::Value = serde_json::from_str(&call(Method::GET, format!("/api/v1/people/{id}/contacts"), None, None).await.body).unwrap();
        assert_eq!(contacts["items"].as_array().unwrap().len(), 1);
        assert_eq!(contacts["items"][0]["channel"], "video_call");
        let queue: serde_json::Value = serde_json::from_str(&call(Method::GET, "/api/v1/keep-in-touch".into(), None, None).await.body).unwrap();
        assert!(queue["items"].as_array().unwrap().is_empty(), "just contacted");
    })
    .await;
}

#[tokio::test]
async fn the_add_form_warns_of_the_same_phone_before_saving_and_saves_when_told() {
    each_app(|t| async move {
        let wren = arrange(&t).await;
        let service = t.app.services().await.unwrap()[0].id.to_string();
        let fields = [
            ("name", "Ola Northcote"),
            ("phone", "07700 900119"),
            ("status", "active"),
            ("service_id", service.as_str()),
        ];
        let warned = t.submit("/people/new", "/people", &fields).await;
        warned.assert_shows(
            StatusCode::OK,
            &[
                "Already on record?",
                &format!("<a href=\"/people/{wren}\">Wren Northcote</a> (Active)"),
                "Nothing is saved yet",
                "value=\"Ola Northcote\"",
                "name=\"same_address\" value=\"yes\"",
            ],
        );
        let people = t.get("/people?q=Ola").await;
        assert!(!people.body.contains("Ola Northcote"), "nothing saved yet");

        let mut confirmed = fields.to_vec();
        confirmed.push(("same_address", "yes"));
        // A problem after saying so keeps the answer: the form does not warn again.
        let mut refused = confirmed.clone();
        refused.push(("email", "ola at example"));
        let again = t.submit("/people/new", "/people", &refused).await;
        again.assert_shows(
            StatusCode::BAD_REQUEST,
            &["<input type=\"hidden\" name=\"same_address\" value=\"yes\">"],
        );
        assert!(!again.body.contains("Already on record?"));
        let saved = t.submit("/people/new", "/people", &confirmed).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(t.get("/people?q=Ola").await.body.contains("Ola Northcote"));
    })
    .await;
}

#[tokio::test]
async fn a_likely_duplicate_is_offered_for_merging_and_merged_after_confirmation() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        let service = t.app.services().await.unwrap()[0].id.to_string();
        let twin = PersonInput {
            name: "W. Northcote".into(),
            phone: "07700 900 119".into(),
            ..PersonInput::default()
        };
        let other = t
            .app
            .create_person(&Actor::Cli, &twin, &service)
            .await
            .unwrap();
        let page = t.get(&format!("/people/{id}")).await;
        assert!(page
            .body
            .contains("Another record looks like the same person"));
        let merge = format!("/people/{id}/merge/{other}");
        assert!(page.body.contains(&merge));
        let confirm = t.get(&merge).await;
        confirm.assert_shows(StatusCode::OK, &["This cannot be undone"]);
        let done = t.submit(&merge, &merge, &[]).await;
        assert_eq!(
            done.location(),
            Some(format!("/people/{id}?merged=1").as_str())
        );
        assert_eq!(
            t.get(&format!("/people/{other}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!t
            .get(&format!("/people/{id}"))
            .await
            .body
            .contains("looks like the same person"));
    })
    .await;
}

#[tokio::test]
async fn consent_and_partners_are_in_the_api() {
    each_app(|t| async move {
        let id = arrange(&t).await;
        t.app
            .create_partner(&Actor::Cli, "Harbour Parent Carer Forum")
            .await
            .unwrap();
        let staff = t
            .app
            .staff_id_by_email(&Actor::Cli, "tom@example.org")
            .await
            .unwrap();
        let token = t
            .app
            .create_api_token(&Actor::Cli, staff, "test", None)
            .await
            .unwrap();
        let auth = format!("Bearer {}", token.expose());
        let headers = [
            ("authorization", auth.as_str()),
            ("content-type", "application/json"),
        ];
        let partners = t
            .request(Method::GET, "/api/v1/partners", &headers, Body::empty())
            .await;
        let partners: serde_json::Value = serde_json::from_str(&partners.body).unwrap();
        assert_eq!(partners["items"][0]["name"], "Harbour Parent Carer Forum");
        let path = format!("/api/v1/people/{id}/consents");
        let given = t
            .request(
                Method::POST,
                &path,
                &headers,
                Body::from(r#"{"kind":"photos","given":true}"#),
            )
            .await;
        assert_eq!(given.status, StatusCode::CREATED, "{}", given.body);
        t.request(
            Method::POST,
            &path,
            &headers,
            Body::from(r#"{"kind":"photos","given":false,"note":"changed mind"}"#),
        )
        .await;
        let list: serde_json::Value = serde_json::from_str(
            &t.request(Method::GET, &path, &headers, Body::empty())
                .await
                .body,
        )
        .unwrap();
        let given: Vec<bool> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["given"].as_bool().unwrap())
            .collect();
        assert_eq!(given, [true, false], "withdrawal is a new record");
        let bad = t
            .request(
                Method::POST,
                &path,
                &headers,
                Body::from(r#"{"kind":"cake"}"#),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<String> = serde_json::from_str::<serde_json::Value>(&bad.body).unwrap()
            ["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["kind", "given"]);
    })
    .await;
}

#[tokio::test]
async fn admins_add_services_and_partners() {
    each_app(|t| async move {
        t.add_staff("ada@example.org", "admin").await;
        t.sign_in_enrolled("ada@example.org").await;
        let bad = t
            .submit(
                "/services",
                "/services",
                &[
                    ("name", "Speech and Language"),
                    ("default_cadence_days", "0"),
                ],
            )
            .await;
        bad.assert_shows(
            StatusCode::BAD_REQUEST,
            &[
                "Keep in touch every 1 to 365 days",
                "value=\"Speech and Language\"",
            ],
        );
        let ok = t
            .submit(
                "/services",
                "/services",
                &[
                    ("name", "Speech and Language"),
                    ("default_cadence_days", "21"),
                ],
            )
            .await;
        assert_eq!(ok.location(), Some("/services?saved=1"));
        let partner = t
            .submit(
                "/services",
                "/partners",
                &[("partner_name", "Harbour Parent Carer Forum")],
            )
            .await;
        assert_eq!(partner.location(), Some("/services?saved=1"));
        let page = t.get("/services").await;
        assert!(page.body.contains("Speech and Language") && page.body.contains("21 days"));
        assert!(page.body.contains("Harbour Parent Carer Forum"));
        let twice = t
            .submit(
                "/services",
                "/partners",
                &[("partner_name", "Harbour Parent Carer Forum")],
            )
            .await;
        assert!(twice.body.contains("already in use"));
    })
    .await;
}

#[tokio::test]
async fn admins_change_and_archive_services_and_partners() {
    each_app(|t| async move {
        t.add_staff("ada@example.org", "admin").await;
        t.sign_in_enrolled("ada@example.org").await;
        let service = t
            .app
            .create_service(&Actor::Cli, "Speech Therapy", "")
            .await
            .unwrap();
        let partner = t
            .app
            .create_partner(&Actor::Cli, "Youth Forum")
            .await
            .unwrap();
        let path = format!("/services/{service}");
        let bad = t
            .submit(
                &path,
                &path,
                &[
                    ("name", "Speech and Language Therapy"),
                    ("default_cadence_days", "400"),
                ],
            )
            .await;
        bad.assert_shows(
            StatusCode::BAD_REQUEST,
            &["value=\"Speech and Language Therapy\"", "1 to 365"],
        );
        let ok = t
            .submit(
                &path,
                &path,
                &[
                    ("name", "Speech and Language Therapy"),
                    ("default_cadence_days", "30"),
                ],
            )
            .await;
        assert_eq!(ok.location(), Some("/services?saved=1"));
        assert!(t
            .get("/services")
            .await
            .body
            .contains("Speech and Language Therapy"));
        let ppath = format!("/partners/{partner}");
        t.submit(&ppath, &ppath, &[("name", "Young People's Forum")])
            .await;
        assert!(
            t.get("/services")
                .await
                .body
                .contains("Young People&#39;s Forum")
                || t.get("/services")
                    .await
                    .body
                    .contains("Young People&#x27;s Forum")
        );
        t.submit(&path, &format!("{path}/archive"), &[]).await;
        t.submit(&ppath, &format!("{ppath}/archive"), &[]).await;
        let list = t.get("/services").await.body;
        assert!(!list.contains("Speech and Language Therapy") && !list.contains("Forum"));
        assert_eq!(t.get(&path).await.status, StatusCode::NOT_FOUND);
        let page = t.app.audit_page(&Actor::Cli, None).await.unwrap();
        assert_eq!(
            page.rows.iter().filter(|r| r.action == "archive").count(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn control_characters_pasted_into_a_form_or_a_search_are_dropped_the_same_on_both_databases()
{
    each_app(|t| async move {
        arrange(&t).await;
        let service = t.app.services().await.unwrap()[0].id.to_string();
        let fields = [
            ("name", "Sol\u{0} Reyes\u{b}"),
            ("needs_notes", "Large print\r\nand breaks\u{7f}"),
            ("service_id", service.as_str()),
        ];
        let ok = t.submit("/people/new", "/people", &fields).await;
        let to = ok.location().expect("added").to_owned();
        let id: i64 = to
            .trim_start_matches("/people/")
            .split(['?', '#'])
            .next()
            .unwrap()
            .parse()
            .expect(&to);
        let view = t.app.view_person(&Actor::Cli, PersonId(id)).await.unwrap();
        assert_eq!(view.person.name, "Sol Reyes");
        assert_eq!(view.person.needs_notes, "Large print\r\nand breaks");
        let search = t.get("/people?q=so%00l").await;
        assert_eq!(search.status, StatusCode::OK);
        assert!(search.body.contains("Sol Reyes"), "{}", search.body);
    })
    .await;
}

#[tokio::test]
async fn the_people_filter_offers_service_staff_only_the_services_they_work_in() {
    each_app(|t| async move {
        arrange(&t).await;
        t.app
            .create_service(&Actor::Cli, "Child and Family Therapy", "")
            .await
            .expect("another service");
        let list = t.get("/people").await;
        assert!(
            list.body.contains(">Learning Disabilities</option>"),
            "{}",
            list.body
        );
        assert!(!list.body.contains("Child and Family Therapy"));
    })
    .await;
}
