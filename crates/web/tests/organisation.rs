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
