//! Improvements' pages through the real router, on both backends: evidence uploaded from the
//! improvement's page is told by its content and served back only as a sandboxed download; a
//! file that is not a PDF or a picture is refused on the page.

use axum::http::StatusCode;
use coproduce_app::improvements::ImprovementInput;
use coproduce_app::Actor;
use coproduce_testkit::each_app;

#[tokio::test]
async fn evidence_is_uploaded_from_the_page_and_comes_back_only_as_a_sandboxed_download() {
    each_app(|t| async move {
        let service = t.add_service("Learning Disabilities", "").await;
        t.add_staff_in("lead@example.org", "staff", &[&service.to_string()])
            .await;
        let input = ImprovementInput {
            service_id: service.to_string(),
            you_said: "Too loud".into(),
            we_did: "A quiet corner".into(),
            changed_on: "2026-01-05".into(),
            ..ImprovementInput::default()
        };
        let id = t
            .app
            .record_improvement(&Actor::Cli, &input)
            .await
            .expect("record");
        t.sign_in("lead@example.org").await;
        let page = format!("/improvements/{id}");
        let token = t.get(&page).await.form_token().expect("a form token");
        let fields = [("csrf_token", token.as_str())];
        let photo: &[u8] = b"\xff\xd8\xff\xe0 the quiet corner";
        let sent = t
            .upload_form(
                &format!("{page}/files"),
                &fields,
                Some(("file", "corner.pdf", photo)),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let shown = t.get(&format!("{page}?done=file")).await;
        shown.assert_shows(StatusCode::OK, &["The file is kept with it.", "corner.pdf"]);
        let href = shown
            .body
            .split("href=\"/improvements/files/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the file");
        let file = t.get(&format!("/improvements/files/{href}")).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(
            file.header("content-type"),
            Some("image/jpeg"),
            "its content, not its name"
        );
        assert_eq!(
            file.header("content-disposition"),
            Some("attachment; filename=\"corner.pdf\"")
        );
        assert_eq!(
            file.header("content-security-policy"),
            Some("default-src 'none'; sandbox")
        );
        assert_eq!(file.header("x-content-type-options"), Some("nosniff"));

        let script: &[u8] = b"<svg onload=alert(1)>";
        let refused = t
            .upload_form(
                &format!("{page}/files"),
                &fields,
                Some(("file", "corner.png", script)),
            )
            .await;
        refused.assert_shows(
            StatusCode::BAD_REQUEST,
            &["There is a problem", "must be a PDF, or a photo"],
        );
    })
    .await;
}

#[tokio::test]
async fn the_public_page_shows_each_services_newest_few_and_a_service_page_all_of_them() {
    each_app(|t| async move {
        let service = t.add_service("Learning Disabilities", "").await;
        let mut ids = Vec::new();
        for day in 1..=7 {
            let input = ImprovementInput {
                service_id: service.to_string(),
                you_said: format!("Said on day {day}"),
                we_did: format!("Done on day {day}"),
                changed_on: format!("2026-01-{day:02}"),
                you_said_easy: "It was loud.".into(),
                we_did_easy: format!("We fixed it on day {day}."),
                publish: true,
                ..ImprovementInput::default()
            };
            ids.push(
                t.app
                    .record_improvement(&Actor::Cli, &input)
                    .await
                    .expect("record"),
            );
        }
        let page = t.get("/you-said-we-did").await;
        page.assert_shows(
            StatusCode::OK,
            &[
                "Done on day 7",
                "Done on day 3",
                "See all 7 changes at Learning Disabilities",
            ],
        );
        assert!(!page.body.contains("Done on day 2"), "only the newest five");
        let all = t.get(&format!("/you-said-we-did?service={service}")).await;
        all.assert_shows(
            StatusCode::OK,
            &[
                "You said, we did: Learning Disabilities",
                "Done on day 1",
                "Done on day 7",
            ],
        );
        let easy = t
            .get(&format!("/you-said-we-did/easy-read?service={service}"))
            .await;
        easy.assert_shows(
            StatusCode::OK,
            &["We fixed it on day 1.", "We fixed it on day 7."],
        );

        // A change shows at once, though the page is kept between changes.
        let newest = t.app.improvement(&Actor::Cli, ids[6]).await.expect("read");
        let hidden = ImprovementInput {
            publish: false,
            ..ImprovementInput::of(&newest)
        };
        t.app
            .change_improvement(&Actor::Cli, ids[6], &hidden)
            .await
            .expect("unpublish");
        let page = t.get("/you-said-we-did").await;
        page.assert_shows(StatusCode::OK, &["Done on day 2", "See all 6 changes"]);
        assert!(!page.body.contains("Done on day 7"));
        assert_eq!(
            t.get("/you-said-we-did?service=999").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.get("/you-said-we-did?service=x").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
