//! The staff pages through the real router, on both backends.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_app::Actor;
use coproduce_domain::totp::TotpSecret;
use coproduce_testkit::{each_app, TestApp, PASSWORD};

async fn signed_in_as(t: &TestApp, email: &str, role: &str) {
    t.add_staff(email, role).await;
    let r = t.sign_in(email).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn visitors_are_sent_to_sign_in_and_see_an_accessible_form() {
    each_app(|t| async move {
        let home = t.get("/").await;
        assert_eq!(home.status, StatusCode::SEE_OTHER);
        assert_eq!(home.location(), Some("/sign-in"));
        let page = t.get("/sign-in").await;
        page.assert_shows(
            StatusCode::OK,
            &["<label class=\"nhsuk-label\" for=\"email\">Email address</label>"],
        );
        assert!(page.body.contains("href=\"#maincontent\""), "skip link");
        assert!(
            page.body.contains("/assets/nhsuk-frontend-"),
            "NHS.UK stylesheet"
        );
        assert!(page.form_token().is_some());
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    each_app(|t| async move {
        for path in ["/sign-in", "/healthz", "/no-such-page", "/api/v1/me"] {
            let r = t.get(path).await;
            let csp = r.header("content-security-policy").unwrap_or_default();
            for directive in [
                "frame-ancestors 'none'",
                "object-src 'none'",
                "base-uri 'none'",
                "script-src 'self'",
            ] {
                assert!(csp.contains(directive), "{path}: {csp}");
            }
            assert!(!csp.contains("unsafe-inline"), "{path}");
            assert_eq!(
                r.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert!(r.header("referrer-policy").is_some(), "{path}");
            assert!(
                r.header("strict-transport-security").is_none(),
                "no HSTS over plain http: {path}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_summary_and_keeps_the_email() {
    each_app(|t| async move {
        t.add_staff("sam@example.org", "staff").await;
        let r = t
            .submit(
                "/sign-in",
                "/sign-in",
                &[("email", "sam@example.org"), ("password", "nope nope nope")],
            )
            .await;
        r.assert_shows(
            StatusCode::UNAUTHORIZED,
            &[
                "nhsuk-error-summary",
                "<a href=\"#email\">The email address or password is not right",
                "value=\"sam@example.org\"",
                "<title>Error: Sign in",
            ],
        );
        let empty = t
            .submit("/sign-in", "/sign-in", &[("email", ""), ("password", "")])
            .await;
        empty.assert_shows(
            StatusCode::BAD_REQUEST,
            &["Enter your email address", "Enter your password"],
        );
    })
    .await;
}

#[tokio::test]
async fn forms_without_the_token_or_from_another_site_are_refused() {
    each_app(|t| async move {
        t.add_staff("sam@example.org", "staff").await;
        t.get("/sign-in").await;
        let missing = t
            .post_form_raw(
                "/sign-in",
                &[("email", "sam@example.org"), ("password", PASSWORD)],
            )
            .await;
        missing.assert_shows(StatusCode::FORBIDDEN, &["This form has expired"]);
        let wrong = t
            .post_form_raw(
                "/sign-in",
                &[
                    ("csrf_token", "0".repeat(64).as_str()),
                    ("email", "sam@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let token = t.get("/sign-in").await.form_token().unwrap();
        let body = format!("csrf_token={token}&email=sam%40example.org&password=x");
        let cross = t
            .request(
                Method::POST,
                "/sign-in",
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("origin", "https://evil.example"),
                    ("sec-fetch-site", "cross-site"),
                ],
                Body::from(body),
            )
            .await;
        cross.assert_shows(StatusCode::FORBIDDEN, &["another website"]);
        assert!(
            t.cookie("coproduce_session").is_none(),
            "no session was started"
        );
    })
    .await;
}

#[tokio::test]
async fn finance_sign_in_see_their_home_page_and_sign_out() {
    each_app(|t| async move {
        t.add_staff("sam@example.org", "finance").await;
        // Finance must use a second factor; one is set up on the way in.
        t.sign_in_enrolled("sam@example.org").await;
        let cookie = t.cookie("coproduce_session").expect("session cookie");
        let home = t.get("/").await;
        home.assert_shows(
            StatusCode::OK,
            &["Hello, Test finance", "aria-label=\"Menu\""],
        );
        assert!(
            !home.body.contains("href=\"/audit\""),
            "finance do not see the audit trail"
        );
        let out = t.submit("/", "/sign-out", &[]).await;
        assert_eq!(out.location(), Some("/sign-in?signed_out=1"));
        assert!(t.cookie("coproduce_session").is_none());
        assert!(t
            .get("/sign-in?signed_out=1")
            .await
            .body
            .contains("You have signed out"));
        t.set_cookie("coproduce_session", &cookie);
        assert_eq!(
            t.get("/").await.location(),
            Some("/sign-in"),
            "the old cookie is worthless"
        );
    })
    .await;
}

#[tokio::test]
async fn staff_start_at_the_keep_in_touch_queue() {
    each_app(|t| async move {
        signed_in_as(&t, "sam@example.org", "staff").await;
        assert_eq!(t.get("/").await.location(), Some("/keep-in-touch"));
        let queue = t.get("/keep-in-touch").await;
        queue.assert_shows(StatusCode::OK, &["aria-current=\"page\""]);
        assert!(
            !queue.body.contains("href=\"/audit\""),
            "staff do not see the audit trail"
        );
    })
    .await;
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    each_app(|t| async move {
        t.add_staff("sam@example.org", "staff").await;
        let r = t.sign_in("sam@example.org").await;
        let set = r
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("coproduce_session="))
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
            "{set}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_expired_session_is_told_so_with_a_401() {
    each_app(|t| async move {
        signed_in_as(&t, "sam@example.org", "staff").await;
        t.app.clock().advance_minutes(31);
        let r = t.get("/").await;
        r.assert_shows(
            StatusCode::UNAUTHORIZED,
            &[
                "You were signed out because you had not used coproduce for 30 minutes",
                "Sign in to coproduce",
            ],
        );
    })
    .await;
}

#[tokio::test]
async fn pages_are_authorised_by_role() {
    each_app(|t| async move {
        signed_in_as(&t, "sam@example.org", "staff").await;
        for path in ["/staff", "/audit"] {
            let r = t.get(path).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
            assert!(r.body.contains("You do not have permission"), "{path}");
            assert!(
                r.body.contains("aria-label=\"Menu\""),
                "the error page keeps the navigation"
            );
        }
        let missing = t.get("/no-such-page").await;
        missing.assert_shows(StatusCode::NOT_FOUND, &["Page not found"]);
    })
    .await;
}

#[tokio::test]
async fn admins_enrol_a_second_factor_then_manage_staff() {
    each_app(|t| async move {
        t.add_staff("ada@example.org", "admin").await;
        let r = t.sign_in("ada@example.org").await;
        assert_eq!(r.location(), Some("/account/two-factor"));
        assert_eq!(
            t.get("/").await.location(),
            Some("/account/two-factor"),
            "no way round enrolment"
        );
        let setup = t.get("/account/two-factor").await;
        assert!(setup.body.contains("<svg role=\"img\""), "QR code");
        let secret_at =
            setup.body.find("name=\"secret\" value=\"").unwrap() + "name=\"secret\" value=\"".len();
        let secret: String = setup.body[secret_at..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        let bad = t
            .submit(
                "/account/two-factor",
                "/account/two-factor",
                &[("secret", &secret), ("code", "123")],
            )
            .await;
        bad.assert_shows(StatusCode::BAD_REQUEST, &["Enter the 6-digit code"]);
        let code = TotpSecret::from_base32(&secret)
            .unwrap()
            .code_at_step(t.app.clock().now().seconds() / 30);
        let token = t.get("/account/two-factor").await.form_token().unwrap();
        let done = t
            .post_form_raw(
                "/account/two-factor",
                &[("csrf_token", &token), ("secret", &secret), ("code", &code)],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains("Save your recovery codes"));

        let target = t.add_staff("sam@example.org", "staff").await;
        let list = t.get("/staff").await;
        list.assert_shows(StatusCode::OK, &["sam@example.org"]);
        let path = format!("/staff/{target}/second-factor");
        let r = t.submit("/staff", &path, &[("required", "true")]).await;
        assert_eq!(r.location(), Some("/staff?saved=1"));
        let path = format!("/staff/{target}/disable");
        t.submit("/staff", &path, &[]).await;
        assert!(t.get("/staff?saved=1").await.body.contains("Disabled"));
        let audit = t.get("/audit").await;
        assert!(
            audit.body.contains("staff disable")
                && audit.body.contains("second factor requirement")
        );
        assert!(t.get("/audit?verify=1").await.body.contains("Chain intact"));
    })
    .await;
}

#[tokio::test]
async fn staff_required_to_use_a_second_factor_must_enrol() {
    each_app(|t| async move {
        let id = t.add_staff("sam@example.org", "staff").await;
        t.app
            .set_second_factor_required(&Actor::Cli, id, Some(true))
            .await
            .unwrap();
        let r = t.sign_in("sam@example.org").await;
        assert_eq!(r.location(), Some("/account/two-factor"));
    })
    .await;
}

#[tokio::test]
async fn a_set_password_link_works_once() {
    each_app(|t| async move {
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
        let path = format!("/set-password/{}", added.password_link.unwrap().expose());
        let weak = t
            .submit(&path, &path, &[("password", "short"), ("confirm", "short")])
            .await;
        weak.assert_shows(
            StatusCode::BAD_REQUEST,
            &["Password must be 12 characters or more"],
        );
        let ok = t
            .submit(
                &path,
                &path,
                &[("password", PASSWORD), ("confirm", PASSWORD)],
            )
            .await;
        assert_eq!(ok.location(), Some("/sign-in?password_set=1"));
        let again = t.get(&path).await;
        again.assert_shows(
            StatusCode::GONE,
            &["This link has expired or has been used"],
        );
    })
    .await;
}
