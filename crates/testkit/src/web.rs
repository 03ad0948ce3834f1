//! The real router on a fresh database, with a cookie jar, for tests that act as a browser or an
//! API client would.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use coproduce_app::groups::MemberInput;
use coproduce_app::people::PersonInput;
use coproduce_app::staff::NewStaffInput;
use coproduce_app::{Actor, App, StaffMember};
use coproduce_domain::{GroupId, PersonId};
use coproduce_domain::{Role, ServiceId, StaffId};
use coproduce_store::Db;
use std::collections::HashMap;
use std::sync::Mutex;
use tower::ServiceExt;

/// A response's body as JSON (a test fails with the body when it is not).
pub fn json_of(r: &Response) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

/// The password test accounts get.
pub const PASSWORD: &str = "kettle lantern orchard velvet";

/// The web application on a test database, with one browser's cookies.
pub struct TestApp {
    /// The use cases, for arranging data.
    pub app: App,
    router: Router,
    cookies: Mutex<HashMap<String, String>>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// Where a redirect points.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The value of the first `csrf_token` hidden field on the page.
    pub fn form_token(&self) -> Option<String> {
        let at = self.body.find("name=\"csrf_token\" value=\"")?;
        let rest = &self.body[at + "name=\"csrf_token\" value=\"".len()..];
        rest.split('"').next().map(str::to_owned)
    }

    /// Asserts the body holds each of `texts`, naming the one it lacks.
    pub fn assert_contains(&self, texts: &[&str]) {
        for text in texts {
            assert!(self.body.contains(text), "no {text:?} in: {}", self.body);
        }
    }

    /// Asserts the status, then that the body holds each of `texts`.
    pub fn assert_shows<S>(&self, status: S, texts: &[&str])
    where
        StatusCode: PartialEq<S>,
        S: std::fmt::Debug,
    {
        assert!(
            self.status == status,
            "{} where {status:?} was expected: {}",
            self.status,
            self.body
        );
        self.assert_contains(texts);
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The audit key every test app writes with.
pub fn test_audit_key() -> coproduce_domain::audit::AuditKey {
    coproduce_domain::audit::AuditKey::parse(&"7a".repeat(32)).expect("a test key")
}

impl TestApp {
    /// The application on `db`, served at `http://127.0.0.1:8080`.
    pub async fn new(db: Db) -> TestApp {
        let app = App::new(db, test_audit_key()).await.expect("app");
        app.key_audit_chain().await.expect("the audit chain keyed");
        app.set_public_origin("http://127.0.0.1:8080");
        let config = coproduce_web::WebConfig {
            public_origin: "http://127.0.0.1:8080".to_owned(),
        };
        let router = coproduce_web::router(app.clone(), config);
        TestApp {
            app,
            router,
            cookies: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets every cookie, like a new browser.
    pub fn clear_cookies(&self) {
        self.cookies.lock().expect("cookie jar").clear();
    }

    /// A cookie's current value.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().expect("cookie jar").get(name).cloned()
    }

    /// Sets a cookie by hand (to replay an old one, say).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .expect("cookie jar")
            .insert(name.to_owned(), value.to_owned());
    }

    /// Sends a request with the jar's cookies and any extra headers; keeps the cookies it sets.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Response {
        let mut builder = Request::builder().method(method).uri(path);
        let jar = self
            .cookies
            .lock()
            .expect("cookie jar")
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        if !jar.is_empty() {
            builder = builder.header(header::COOKIE, jar);
        }
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let response = self
            .router
            .clone()
            .oneshot(builder.body(body).expect("request"))
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let text = set.to_str().unwrap_or("");
            let Some((name, rest)) = text.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("");
            let mut jar = self.cookies.lock().expect("cookie jar");
            if text.contains("Max-Age=0") {
                jar.remove(name);
            } else {
                jar.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("body");
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// GET a page.
    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path, &[], Body::empty()).await
    }

    /// POST a form exactly as given (no form token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded_body(fields);
        self.request(
            Method::POST,
            path,
            &[("content-type", "application/x-www-form-urlencoded")],
            Body::from(body),
        )
        .await
    }

    /// POST a form with a file, as a browser sends one: `fields` first, in order, then the file
    /// (its field name, file name and bytes) when one is given.
    pub async fn upload_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Response {
        const BOUNDARY: &str = "coproduce-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        if let Some((name, filename, bytes)) = file {
            body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        let headers = [("content-type", content_type.as_str())];
        self.request(Method::POST, path, &headers, Body::from(body))
            .await
    }

    /// POST a form from the page at `page`, with that page's form token, as a browser would.
    pub async fn submit(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let shown = self.get(page).await;
        let token = shown
            .form_token()
            .unwrap_or_else(|| panic!("no form token on {page}: {}", shown.status));
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Adds a staff member with the test password.
    pub async fn add_staff(&self, email: &str, role: &str) -> StaffId {
        self.add_staff_in(email, role, &[]).await
    }

    /// Adds a staff member with the test password, belonging to services (by name or id).
    pub async fn add_staff_in(&self, email: &str, role: &str, services: &[&str]) -> StaffId {
        self.app
            .add_staff(
                &Actor::Cli,
                NewStaffInput {
                    email: email.to_owned(),
                    name: format!("Test {role}"),
                    role: role.to_owned(),
                    services: services.iter().map(|s| (*s).to_owned()).collect(),
                    password: Some(PASSWORD.to_owned()),
                },
            )
            .await
            .expect("add staff")
            .id
    }

    /// Adds a service from the command line (`cadence_days` empty for the usual); its id.
    pub async fn add_service(&self, name: &str, cadence_days: &str) -> i64 {
        self.app
            .create_service(&Actor::Cli, name, cadence_days)
            .await
            .expect("add service")
    }

    /// Adds a person to `service` from the command line; their id.
    pub async fn add_person(&self, person: &PersonInput, service: i64) -> PersonId {
        self.app
            .create_person(&Actor::Cli, person, &service.to_string())
            .await
            .expect("add person")
    }

    /// Adds a person to a group from the command line, in `role` (member, chair and so on).
    pub async fn add_person_to_group(&self, group: GroupId, person: PersonId, role: &str) -> i64 {
        let member = MemberInput {
            person_id: person.to_string(),
            staff_id: String::new(),
            role: role.to_owned(),
        };
        self.app
            .add_group_member(&Actor::Cli, group, &member)
            .await
            .expect("add group member")
    }

    /// Adds a staff member of `services` with the test password, and the actor the use cases
    /// see when they are signed in.
    pub async fn staff_actor(&self, email: &str, role: Role, services: &[i64]) -> (StaffId, Actor) {
        let names: Vec<String> = services.iter().map(i64::to_string).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let id = self.add_staff_in(email, role.as_str(), &names).await;
        let actor = Actor::Staff(StaffMember {
            id,
            name: format!("Staff {id}"),
            email: format!("s{id}@example.org"),
            role,
            service_ids: services.iter().copied().map(ServiceId).collect(),
        });
        (id, actor)
    }

    /// Signs in with email and the test password (first step only).
    pub async fn sign_in(&self, email: &str) -> Response {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", PASSWORD)],
        )
        .await
    }

    /// Signs in a role that needs a second factor, enrolling one on the way, and keeps the
    /// session cookie: the browser is then fully signed in.
    pub async fn sign_in_enrolled(&self, email: &str) {
        let started = self
            .app
            .sign_in(email, PASSWORD, "127.0.0.1")
            .await
            .expect("sign in");
        let coproduce_app::sign_in::SessionLookup::Live(session) = self
            .app
            .session(started.token.expose())
            .await
            .expect("session")
        else {
            panic!("no live session after signing in");
        };
        let secret = coproduce_domain::totp::TotpSecret::generate();
        let code = secret.code_at_step(self.app.clock().now().seconds() / 30);
        let (_, token) = self
            .app
            .enrol_second_factor(&session, &secret.to_base32(), &code)
            .await
            .expect("enrol");
        self.set_cookie("coproduce_session", token.expect("a full session").expose());
    }

    /// GET an API path with a bearer token.
    pub async fn api_get(&self, path: &str, token: &str) -> Response {
        let auth = format!("Bearer {token}");
        self.request(
            Method::GET,
            path,
            &[("authorization", auth.as_str())],
            Body::empty(),
        )
        .await
    }

    /// A bearer token for `staff`, made from the command line, as its text.
    pub async fn api_token(&self, staff: StaffId) -> String {
        self.app
            .create_api_token(&Actor::Cli, staff, "test", None)
            .await
            .expect("an API token")
            .expose()
            .to_owned()
    }

    /// What API tests start from: an admin's token (ada@example.org) and a service named `name`.
    pub async fn admin_token_and_service(&self, name: &str) -> (String, i64) {
        let admin = self.add_staff("ada@example.org", "admin").await;
        (
            self.api_token(admin).await,
            self.add_service(name, "").await,
        )
    }

    /// POST a JSON body to an API path with a bearer token.
    pub async fn api_post(&self, path: &str, token: &str, body: serde_json::Value) -> Response {
        self.api_send(Method::POST, path, token, Some(body)).await
    }

    /// PATCH a JSON body to an API path with a bearer token.
    pub async fn api_patch(&self, path: &str, token: &str, body: serde_json::Value) -> Response {
        self.api_send(Method::PATCH, path, token, Some(body)).await
    }

    /// Sends a JSON body (or none) to an API path with a bearer token.
    pub async fn api_send(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> Response {
        let auth = format!("Bearer {token}");
        let headers = [
            ("authorization", auth.as_str()),
            ("content-type", "application/json"),
        ];
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        self.request(method, path, &headers, body).await
    }
}

/// The weekly group API tests make in `service`: "Forum", on Wednesdays at 19:00 from
/// 2 January 2030.
pub fn forum_group(service: i64) -> serde_json::Value {
    serde_json::json!({
        "name": "Forum", "service_id": service, "meeting_rrule": "FREQ=WEEKLY;BYDAY=WE",
        "first_meeting": "2030-01-02T19:00", "video_link": "https://zoom.us/j/1"
    })
}

/// The public opportunity API tests make in `service`: a walk round Ward 4 on 1 March 2099,
/// three places of two hours.
pub fn ward_walk(service: i64) -> serde_json::Value {
    serde_json::json!({
        "title": "Walk round the ward", "kind": "environment_review", "service_id": service,
        "starts_on": "2099-03-01", "place": "venue", "venue": "Ward 4", "places": 3,
        "closes_on": "2099-02-20", "description": "Tell us how to make it better.",
        "visibility": "public", "hours": 2
    })
}

fn serde_urlencoded_body(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// Runs `test` on a fresh [`TestApp`] on each backend.
pub async fn each_app<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    crate::each_db(|db| {
        let test = &test;
        async move { test(TestApp::new(db).await).await }
    })
    .await;
}
