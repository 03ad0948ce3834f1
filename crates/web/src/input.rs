//! Text from requests, before any handler sees it. The domain's rule for text
//! (`coproduce_domain::text`) is applied here once for every page: people cannot see the
//! control characters a paste or a crafted link carries, so forms and query strings lose them.
//! The API refuses them instead, naming the field (see `api::ApiJson` and `api::ApiQuery`).

use axum::extract::multipart::Field;
use axum::extract::Request;
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::Response;
use coproduce_domain::text;
use serde::de::DeserializeOwned;

/// A URL-encoded body's fields, each name and value cleaned.
pub(crate) fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (text::clean(&k).into_owned(), text::clean(&v).into_owned()))
        .collect()
}

/// Reads a form's type from its cleaned fields.
pub(crate) fn form_from_pairs<T: DeserializeOwned>(
    pairs: &[(String, String)],
) -> Result<T, serde_urlencoded::de::Error> {
    let encoded = serde_urlencoded::to_string(pairs).unwrap_or_default();
    serde_urlencoded::from_str(&encoded)
}

/// Takes the characters text may not hold out of a page request's query string.
pub(crate) async fn clean_query(mut request: Request, next: Next) -> Response {
    if let Some(cleaned) = request.uri().query().and_then(cleaned_query) {
        let path = request.uri().path();
        let rebuilt = if cleaned.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{cleaned}")
        };
        if let Ok(uri) = rebuilt.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
    next.run(request).await
}

/// The query rebuilt from cleaned pairs, or `None` when it had nothing to take out.
fn cleaned_query(query: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    let dirty = pairs
        .iter()
        .any(|(k, v)| text::first_forbidden(k).is_some() || text::first_forbidden(v).is_some());
    if !dirty {
        return None;
    }
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (text::clean(k).into_owned(), text::clean(v).into_owned()))
        .collect();
    serde_urlencoded::to_string(pairs).ok()
}

/// A multipart field's text, cleaned.
pub(crate) async fn field_text(field: Field<'_>) -> String {
    text::clean(&field.text().await.unwrap_or_default()).into_owned()
}

/// An uploaded file's name, cleaned.
pub(crate) fn file_name(field: &Field<'_>) -> String {
    text::clean(field.file_name().unwrap_or("")).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_queries_lose_control_characters_and_keep_everything_else() {
        let pairs = form_pairs(b"name=Ana%00+Lane&notes=line+one%0D%0Aline+two%0B");
        assert_eq!(
            pairs,
            [
                ("name".to_owned(), "Ana Lane".to_owned()),
                ("notes".to_owned(), "line one\r\nline two".to_owned())
            ]
        );
        assert_eq!(cleaned_query("q=ana"), None);
        assert_eq!(
            cleaned_query("q=an%00a&page=2").as_deref(),
            Some("q=ana&page=2")
        );
    }
}
