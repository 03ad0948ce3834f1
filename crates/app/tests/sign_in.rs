//! Signing in, on both backends: passwords, throttling, expiry, second factor, audit.

use coproduce_app::audit::ChainReport;
use coproduce_app::sign_in::{SessionLookup, Stage, Started, MAX_FAILURES_PER_ACCOUNT};
use coproduce_app::{Actor, App, AppError};
use coproduce_domain::totp::TotpSecret;
use coproduce_domain::Timestamp;
use coproduce_store::Db;
use coproduce_testkit::{each_db, TestApp, PASSWORD};

async fn app_with(db: Db, email: &str, role: &str) -> TestApp {
    let t = TestApp::new(db).await;
    t.add_staff(email, role).await;
    t
}

/// Signs in with the test password from `from`, expecting it to work.
async fn signed_in(app: &App, email: &str, from: &str) -> Started {
    let started = app.sign_in(email, PASSWORD, from).await;
    started.expect("signed in")
}

async fn live(app: &App, token: &str) -> coproduce_app::sign_in::Session {
    match app.session(token).await.expect("session lookup") {
        SessionLookup::Live(s) => s,
        other => panic!("expected a live session, got {other:?}"),
    }
}

#[tokio::test]
async fn a_right_password_starts_a_session_and_a_wrong_one_does_not() {
    each_db(|db| async move {
        let t = app_with(db, "sam@example.org", "staff").await;
        let started = signed_in(&t.app, "Sam@Example.org ", "10.0.0.1").await;
        assert_eq!(started.stage, Stage::Full);
        let s = live(&t.app, started.token.expose()).await;
        assert_eq!(s.staff.email, "sam@example.org");

        let wrong = t
            .app
            .sign_in("sam@example.org", "not the password", "10.0.0.1")
            .await;
        assert!(matches!(wrong, Err(AppError::BadCredentials)));
        let unknown = t
            .app
            .sign_in("nobody@example.org", PASSWORD, "10.0.0.1")
            .await;
        assert!(
            matches!(unknown, Err(AppError::BadCredentials)),
            "an unknown email gets the same answer"
        );
        assert!(matches!(
            t.app.session("cps_forged").await.unwrap(),
            SessionLookup::Missing
        ));
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_everyone_even_with_the_right_password() {
    each_db(|db| async move {
        let t = app_with(db, "sam@example.org", "staff").await;
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            let r = t
                .app
                .sign_in("sam@example.org", "wrong wrong wrong", "10.0.0.2")
                .await;
            assert!(matches!(r, Err(AppError::BadCredentials)));
        }
        let r = t.app.sign_in("sam@example.org", PASSWORD, "10.0.0.3").await;
        assert!(matches!(r, Err(AppError::Throttled)), "{r:?}");
        // An address that does not exist is throttled the same way: no account enumeration.
        for _ in 0..MAX_FAILURES_PER_ACCOUNT {
            t.app
                .sign_in("ghost@example.org", "wrong wrong wrong", "10.0.0.4")
                .await
                .ok();
        }
        let r = t
            .app
            .sign_in("ghost@example.org", "wrong wrong wrong", "10.0.0.5")
            .await;
        assert!(matches!(r, Err(AppError::Throttled)));
        // After the window, the right password works again.
        t.app.clock().advance_minutes(16);
        assert!(t
            .app
            .sign_in("sam@example.org", PASSWORD, "10.0.0.3")
            .await
            .is_ok());
    })
    .await;
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_or_12_hours() {
    each_db(|db| async move {
        let t = app_with(db, "sam@example.org", "staff").await;
        let token = signed_in(&t.app, "sam@example.org", "a").await.token;
        t.app.clock().advance_minutes(29);
        live(&t.app, token.expose()).await;
        t.app.clock().advance_minutes(29);
        live(&t.app, token.expose()).await;
        t.app.clock().advance_minutes(31);
        assert!(matches!(
            t.app.session(token.expose()).await.unwrap(),
            SessionLookup::Expired
        ));

        let token = signed_in(&t.app, "sam@example.org", "a").await.token;
        for _ in 0..(12 * 60 / 25) {
            t.app.clock().advance_minutes(25);
            if !matches!(
                t.app.session(token.expose()).await.unwrap(),
                SessionLookup::Live(_)
            ) {
                break;
            }
        }
        t.app.clock().advance_minutes(25);
        assert!(matches!(
            t.app.session(token.expose()).await.unwrap(),
            SessionLookup::Expired
        ));
    })
    .await;
}

#[tokio::test]
async fn admins_must_enrol_a_second_factor_and_then_use_it() {
    each_db(|db| async move {
        let t = app_with(db, "ada@example.org", "admin").await;
        let first = signed_in(&t.app, "ada@example.org", "a").await;
        assert_eq!(first.stage, Stage::Enrol);
        let session = live(&t.app, first.token.expose()).await;
        let secret = TotpSecret::generate();
        let wrong = t
            .app
            .enrol_second_factor(&session, &secret.to_base32(), "000000")
            .await;
        assert!(matches!(wrong, Err(AppError::Invalid(_))));
        let now = t.app.clock().now().seconds();
        let code = secret.code_at_step(now / 30);
        let (codes, token) = t
            .app
            .enrol_second_factor(&session, &secret.to_base32(), &code)
            .await
            .unwrap();
        assert_eq!(codes.len(), 10);
        let token = token.expect("a new token once signed in fully");
        assert_eq!(live(&t.app, token.expose()).await.stage, Stage::Full);
        assert!(
            matches!(
                t.app.session(first.token.expose()).await.unwrap(),
                SessionLookup::Missing
            ),
            "the old token is dead"
        );

        // Next time: password, then a code. The code just used cannot be used again.
        let second = signed_in(&t.app, "ada@example.org", "a").await;
        assert_eq!(second.stage, Stage::SecondFactor);
        let pending = live(&t.app, second.token.expose()).await;
        let replay = t.app.second_factor(&pending, &code, "a").await;
        assert!(matches!(replay, Err(AppError::BadCredentials)));
        // A recovery code works once.
        let full = t
            .app
            .second_factor(&pending, &codes[0].to_uppercase(), "a")
            .await
            .unwrap();
        assert_eq!(live(&t.app, full.expose()).await.stage, Stage::Full);
        let third = signed_in(&t.app, "ada@example.org", "a").await;
        let pending = live(&t.app, third.token.expose()).await;
        assert!(matches!(
            t.app.second_factor(&pending, &codes[0], "a").await,
            Err(AppError::BadCredentials)
        ));
        t.app.clock().advance_minutes(1);
        let later = secret.code_at_step(t.app.clock().now().seconds() / 30);
        assert!(t.app.second_factor(&pending, &later, "a").await.is_ok());
        assert_eq!(
            t.app.recovery_codes_left(session.staff.id).await.unwrap(),
            9
        );
    })
    .await;
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_stops_sign_in() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        let id = t.add_staff("sam@example.org", "staff").await;
        let token = signed_in(&t.app, "sam@example.org", "a").await.token;
        t.app
            .set_staff_disabled(&Actor::Cli, id, true)
            .await
            .unwrap();
        assert!(matches!(
            t.app.session(token.expose()).await.unwrap(),
            SessionLookup::Missing
        ));
        let again = t.app.sign_in("sam@example.org", PASSWORD, "a").await;
        assert!(matches!(again, Err(AppError::BadCredentials)));
        t.app
            .set_staff_disabled(&Actor::Cli, id, false)
            .await
            .unwrap();
        assert!(t
            .app
            .sign_in("sam@example.org", PASSWORD, "a")
            .await
            .is_ok());
    })
    .await;
}

#[tokio::test]
async fn sign_ins_failures_sign_outs_and_token_use_are_audited_in_an_intact_chain() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        let id = t.add_staff("sam@example.org", "staff").await;
        t.app
            .sign_in("sam@example.org", "wrong wrong wrong", "10.1.1.1")
            .await
            .ok();
        let token = signed_in(&t.app, "sam@example.org", "10.1.1.1").await.token;
        let s = live(&t.app, token.expose()).await;
        t.app.sign_out(&s).await.unwrap();
        assert!(matches!(
            t.app.session(token.expose()).await.unwrap(),
            SessionLookup::Missing
        ));
        let api = t
            .app
            .create_api_token(&Actor::Cli, id, "reports", Some(30))
            .await
            .unwrap();
        assert!(t
            .app
            .api_actor(api.expose(), "GET /api/v1/me")
            .await
            .unwrap()
            .is_some());
        assert!(t
            .app
            .api_actor("cpt_forged", "GET /api/v1/me")
            .await
            .unwrap()
            .is_none());

        let page = t.app.audit_page(&Actor::Cli, None).await.unwrap();
        let actions: Vec<&str> = page.rows.iter().rev().map(|r| r.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                // The entry that keyed the chain, made when the app started.
                "audit_keyed",
                "staff_add",
                "sign_in_failed",
                "sign_in",
                "sign_out",
                "token_create",
                "token_use"
            ]
        );
        assert!(page
            .rows
            .iter()
            .all(|r| !r.detail.contains(PASSWORD) && !r.detail.contains(api.expose())));
        assert_eq!(
            t.app.verify_audit_chain(&Actor::Cli).await.unwrap(),
            ChainReport::Intact { entries: 7 }
        );
        assert!(page.rows.iter().all(|r| r.at <= Timestamp::now().millis()));
    })
    .await;
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        let id = t.add_staff("sam@example.org", "staff").await;
        let api = t
            .app
            .create_api_token(&Actor::Cli, id, "short", Some(1))
            .await
            .unwrap();
        assert!(t.app.api_actor(api.expose(), "x").await.unwrap().is_some());
        t.app.clock().advance_minutes(24 * 60 + 1);
        assert!(t.app.api_actor(api.expose(), "x").await.unwrap().is_none());
        let bad = t.app.create_api_token(&Actor::Cli, id, "x", Some(0)).await;
        assert!(matches!(bad, Err(AppError::Invalid(_))));
    })
    .await;
}

#[tokio::test]
async fn set_password_links_work_once_and_enforce_the_password_rules() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        let added = t
            .app
            .add_staff(
                &Actor::Cli,
                coproduce_app::staff::NewStaffInput {
                    email: "new@example.org".into(),
                    name: "New Person".into(),
                    role: "staff".into(),
                    services: vec![],
                    password: None,
                },
            )
            .await
            .unwrap();
        let link = added
            .password_link
            .expect("a link when no password is given");
        assert!(t.app.password_link_usable(link.expose()).await.unwrap());
        let weak = t
            .app
            .set_password_with_link(link.expose(), "password1234", "password1234")
            .await;
        assert!(
            matches!(weak, Err(AppError::Invalid(ref f)) if f[0].field == "password"),
            "{weak:?}"
        );
        let mismatch = t
            .app
            .set_password_with_link(link.expose(), PASSWORD, "something else")
            .await;
        assert!(matches!(mismatch, Err(AppError::Invalid(ref f)) if f[0].field == "confirm"));
        t.app
            .set_password_with_link(link.expose(), PASSWORD, PASSWORD)
            .await
            .unwrap();
        assert!(!t.app.password_link_usable(link.expose()).await.unwrap());
        assert!(matches!(
            t.app
                .set_password_with_link(link.expose(), PASSWORD, PASSWORD)
                .await,
            Err(AppError::Expired)
        ));
        assert!(t
            .app
            .sign_in("new@example.org", PASSWORD, "a")
            .await
            .is_ok());
    })
    .await;
}

#[tokio::test]
async fn staff_input_problems_are_reported_per_field() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        let r = t
            .app
            .add_staff(
                &Actor::Cli,
                coproduce_app::staff::NewStaffInput {
                    email: "not-an-email".into(),
                    name: " ".into(),
                    role: "root".into(),
                    services: vec!["No Such Service".into()],
                    password: None,
                },
            )
            .await;
        let Err(AppError::Invalid(fields)) = r else {
            panic!("{r:?}")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["email", "name", "role", "service"]);
        t.add_staff("dup@example.org", "staff").await;
        let dup = t
            .app
            .add_staff(
                &Actor::Cli,
                coproduce_app::staff::NewStaffInput {
                    email: "DUP@example.org".into(),
                    name: "Dup".into(),
                    role: "staff".into(),
                    services: vec![],
                    password: None,
                },
            )
            .await;
        assert!(matches!(dup, Err(AppError::Invalid(ref f)) if f[0].field == "email"));
    })
    .await;
}
