//! The organisation's details on both backends: an admin names the organisation and its
//! participation team's contacts, every message then ends with them, and a logo is cleaned
//! before it is kept.

use coproduce_app::organisation::OrganisationInput;
use coproduce_app::{Actor, AppError};
use coproduce_testkit::{each_db, TestApp};

fn details() -> OrganisationInput {
    OrganisationInput {
        name: "Harbourside Trust".into(),
        contact_email: "involve@harbourside.example".into(),
        contact_phone: "023 9200 0333".into(),
        public_address: "https://www.harbourside.example".into(),
        remove_logo: String::new(),
    }
}

#[tokio::test]
async fn the_organisation_named_by_an_admin_signs_every_message() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        assert_eq!(t.app.organisation().name, "coproduce", "until it is named");
        t.app
            .save_organisation(&Actor::Cli, &details(), None)
            .await
            .expect("saved");
        let org = t.app.organisation();
        assert_eq!(org.name, "Harbourside Trust");
        assert_eq!(org.phone_text().as_deref(), Some("023 9200 0333"));
        t.app
            .record_enquiry(
                &Actor::Cli,
                &coproduce_app::enquiries::EnquiryInput {
                    name: "Ana Lane".into(),
                    email: "ana@example.org".into(),
                    consent: "yes".into(),
                    form_key: "phone-call-1".into(),
                    ..Default::default()
                },
            )
            .await
            .expect("recorded");
        let mut tx = t.app.db().read().await.expect("tx");
        let body: String = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT body FROM outbox WHERE kind = 'enquiry_received'",
        )
        .fetch_one(c)
        .await
        .expect("the confirmation"));
        assert!(body.contains("get involved with Harbourside Trust"), "{body}");
        assert!(
            body.ends_with("The participation team, Harbourside Trust\nPhone: 023 9200 0333\nEmail: involve@harbourside.example\nhttps://www.harbourside.example\n"),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn bad_details_and_an_unsafe_logo_are_refused_by_field() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        let mut input = details();
        input.contact_email = "not an address".into();
        input.public_address = "http://insecure.example".into();
        let svg = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>"#;
        match t.app.save_organisation(&Actor::Cli, &input, Some(svg)).await {
            Err(AppError::Invalid(list)) => {
                let fields: Vec<&str> = list.iter().map(|f| f.field).collect();
                assert_eq!(fields, ["contact_email", "public_address", "logo"]);
            }
            other => panic!("expected problems, got {other:?}"),
        }
        assert_eq!(t.app.organisation().name, "coproduce", "nothing was saved");
        let logo = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><script>alert(1)</script><rect width="4" height="4"/></svg>"#;
        t.app
            .save_organisation(&Actor::Cli, &details(), Some(logo))
            .await
            .expect("saved with a logo");
        let (_, tag) = t.app.organisation().logo.clone().expect("a logo");
        let kept = t.app.logo(&tag).await.expect("read").expect("the logo");
        let text = String::from_utf8(kept.bytes).expect("svg text");
        assert!(text.contains("<rect") && !text.contains("script"), "{text}");
        assert!(t.app.logo("old").await.expect("read").is_none());
        let mut remove = details();
        remove.remove_logo = "yes".into();
        t.app
            .save_organisation(&Actor::Cli, &remove, None)
            .await
            .expect("logo removed");
        assert!(t.app.organisation().logo.is_none());
    })
    .await;
}
