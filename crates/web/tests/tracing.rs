//! Every answer carries its request's reference: in the `X-Request-Id` header, on error pages
//! ("quote this reference") and in problem documents, the same one a client sent when it was
//! a plain one.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use coproduce_testkit::{each_app, TestApp};

async fn get_with_id(t: &TestApp, path: &str, id: &str) -> coproduce_testkit::Response {
    t.request(Method::GET, path, &[("x-request-id", id)], Body::empty())
        .await
}

#[tokio::test]
async fn an_error_page_and_a_problem_quote_the_reference_in_their_header() {
    each_app(|t| async move {
        let page = t.get("/no-such-page").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        let id = page.header("x-request-id").expect("a reference").to_owned();
        assert_eq!(id.len(), 16);
        assert!(
            page.body.contains(&format!(
                "quote this reference: <strong class=\"coproduce-reference\">{id}</strong>"
            )),
            "{}",
            page.body
        );
        let problem = t.api_get("/api/v1/people/1", "not-a-token").await;
        assert_eq!(problem.status, StatusCode::UNAUTHORIZED);
        let id = problem.header("x-request-id").expect("a reference");
        let body: serde_json::Value = serde_json::from_str(&problem.body).expect("json");
        assert_eq!(body["request_id"], id, "{}", problem.body);
        let other = t.get("/no-such-page").await;
        assert_ne!(other.header("x-request-id"), page.header("x-request-id"));
    })
    .await;
}

#[tokio::test]
async fn a_plain_reference_sent_is_kept_and_anything_else_is_replaced() {
    each_app(|t| async move {
        let kept = get_with_id(&t, "/healthz", "proxy-7f3a-0001").await;
        assert_eq!(kept.header("x-request-id"), Some("proxy-7f3a-0001"));
        let forged = get_with_id(&t, "/no-such-page", "x\" injected=\"1").await;
        let id = forged.header("x-request-id").expect("a reference");
        assert_ne!(id, "x\" injected=\"1");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
        assert!(forged.body.contains(id));
    })
    .await;
}
