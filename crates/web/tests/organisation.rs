//! The organisation named on every page, through the real router on both backends: its name in
//! the header, the title and the footer, how to reach its participation team, its logo served
//! safely, and the product named only in the "powered by" line.

use axum::http::StatusCode;
use coproduce_app::organisation::OrganisationInput;
use coproduce_app::Actor;
use coproduce_testkit::{each_app, TestApp};

async fn named(t: &TestApp, logo: Option<&[u8]>) {
    let input = OrganisationInput {
        name: "Harbourside Trust".into(),
        contact_email: "involve@harbourside.example".into(),
        contact_phone: "02392000333".into(),
        public_address: "https://www.harbourside.example".into(),
        remove_logo: String::new(),
    };
    t.app
        .save_organisation(&Actor::Cli, &input, logo)
        .await
        .expect("the organisation named");
}

#[tokio::test]
async fn every_page_names_the_organisation_and_how_to_reach_its_team() {
    each_app(|t| async move {
        named(&t, None).await;
        let page = t.get("/get-involved").await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        assert!(
            body.contains("<title>Get involved – Harbourside Trust</title>"),
            "{body}"
        );
        assert!(body.contains("nhsuk-header__service-name\">Harbourside Trust"));
        assert!(body.contains("href=\"tel:02392000333\">023 9200 0333</a>"));
        assert!(body.contains("href=\"mailto:involve@harbourside.example\""));
        assert!(body.contains("href=\"https://www.harbourside.example\""));
        assert!(body.contains("Powered by coproduce"));
        assert!(
            !body.contains(">coproduce<") && !body.contains("– coproduce"),
            "the product is named only where it powers the page"
        );
        let sign_in = t.get("/sign-in").await;
        assert!(sign_in.body.contains("Participation team:"));
    })
    .await;
}

#[tokio::test]
async fn the_logo_is_served_cleaned_as_its_own_type_and_runs_nothing() {
    each_app(|t| async move {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)"><rect width="4" height="4"/></svg>"#;
        named(&t, Some(svg)).await;
        let (_, tag) = t.app.organisation().logo.clone().expect("a logo");
        let home = t.get("/get-involved").await;
        assert!(home.body.contains(&format!("src=\"/logo/{tag}\"")));
        let logo = t.get(&format!("/logo/{tag}")).await;
        assert_eq!(logo.status, StatusCode::OK);
        assert_eq!(logo.header("content-type"), Some("image/svg+xml"));
        assert!(logo
            .header("content-security-policy")
            .is_some_and(|p| p.contains("sandbox")));
        assert!(logo.body.contains("<rect") && !logo.body.contains("onload"));
        assert_eq!(t.get("/logo/another").await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

const LOGO: &[u8] =
    br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><circle r="2"/></svg>"#;

async fn admin_on_settings(t: &TestApp) -> String {
    t.add_staff("priya@example.org", "admin").await;
    t.sign_in_enrolled("priya@example.org").await;
    let page = t.get("/organisation").await;
    assert_eq!(page.status, StatusCode::OK);
    page.form_token().expect("a form token")
}

#[tokio::test]
async fn an_admin_names_the_organisation_and_gives_its_logo_on_one_page() {
    each_app(|t| async move {
        let token = admin_on_settings(&t).await;
        let fields = [
            ("csrf_token", token.as_str()),
            ("name", "Harbourside Trust"),
            ("contact_email", "involve@harbourside.example"),
            ("contact_phone", "023 9200 0333"),
            ("public_address", "https://www.harbourside.example"),
        ];
        let saved = t
            .upload_form("/organisation", &fields, Some(("logo", "logo.svg", LOGO)))
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), Some("/organisation?done=saved"));
        let page = t.get("/organisation?done=saved").await;
        page.assert_contains(&[
            "Saved. Every page and every message now shows these details.",
            "nhsuk-header__service-name\">Harbourside Trust",
            "value=\"involve@harbourside.example\"",
            "value=\"023 9200 0333\"",
            "href=\"/organisation\"",
            "Remove the logo",
        ]);
        let (_, tag) = t.app.organisation().logo.clone().expect("a logo");
        assert!(page.body.contains(&format!("src=\"/logo/{tag}\"")));

        let fields = [
            ("csrf_token", token.as_str()),
            ("name", "Harbourside Trust"),
            ("remove_logo", "yes"),
        ];
        let removed = t.upload_form("/organisation", &fields, None).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
        let page = t.get("/get-involved").await;
        assert!(!page.body.contains("/logo/"), "the logo is gone");
        assert!(
            !page.body.contains("mailto:"),
            "the email left blank is gone"
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_settings_form_names_each_field_and_keeps_what_was_typed() {
    each_app(|t| async move {
        let token = admin_on_settings(&t).await;
        let fields = [
            ("csrf_token", token.as_str()),
            ("name", ""),
            ("contact_email", "involve at harbourside"),
            ("contact_phone", "12345"),
            ("public_address", "http://www.harbourside.example"),
        ];
        let refused = t
            .upload_form(
                "/organisation",
                &fields,
                Some(("logo", "logo.gif", b"GIF89a")),
            )
            .await;
        refused.assert_shows(
            StatusCode::BAD_REQUEST,
            &[
                "<title>Error: Your organisation",
                "autofocus",
                "href=\"#name\">Enter the organisation&#39;s name",
                "href=\"#contact_email\"",
                "href=\"#contact_phone\"",
                "href=\"#public_address\">Enter the website&#39;s address starting with https://",
                "href=\"#logo\">The logo must be a PNG or an SVG image",
                "value=\"involve at harbourside\"",
                "value=\"12345\"",
                "value=\"http://www.harbourside.example\"",
            ],
        );
        assert_eq!(t.app.organisation().name, "coproduce", "nothing was saved");

        let forged = [("csrf_token", "not-the-token"), ("name", "Forged")];
        let forged = t.upload_form("/organisation", &forged, None).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_logo_too_large_is_refused_and_nothing_is_saved() {
    each_app(|t| async move {
        let token = admin_on_settings(&t).await;
        let fields = [
            ("csrf_token", token.as_str()),
            ("name", "Harbourside Trust"),
        ];
        let huge = vec![b' '; 2 * 1024 * 1024];
        let refused = t
            .upload_form("/organisation", &fields, Some(("logo", "big.svg", &huge)))
            .await;
        refused.assert_shows(
            StatusCode::BAD_REQUEST,
            &[
                "href=\"#logo\">The logo must be 512 KB or smaller",
                "value=\"coproduce\"",
            ],
        );
        assert!(t.app.organisation().logo.is_none(), "nothing saved");
    })
    .await;
}

#[tokio::test]
async fn only_admins_see_or_change_the_organisation() {
    each_app(|t| async move {
        t.add_staff("sam@example.org", "staff").await;
        t.sign_in("sam@example.org").await;
        assert_eq!(t.get("/organisation").await.status, StatusCode::FORBIDDEN);
        assert!(!t.get("/").await.body.contains("href=\"/organisation\""));
    })
    .await;
}
