//! A person's consents, as they give and withdraw them.

use super::*;
use coproduce_domain::time::{spoken_date, uk_day};
use coproduce_domain::Timestamp;

#[derive(Template)]
#[template(path = "portal/consents.html")]
pub(super) struct ConsentsPage {
    layout: Layout,
    lines: Vec<ConsentLine>,
    saved: bool,
    csrf_token: String,
}

/// One consent as the person sees it.
struct ConsentLine {
    kind: ConsentKind,
    /// What it asks them, in their own words (not staff's "their details").
    asked: &'static str,
    /// The Easy Read picture beside it.
    picture: &'static str,
    given: Option<bool>,
    /// When they last answered, or empty.
    when: String,
}

/// What each consent asks the person, in the page's words, and its Easy Read picture.
fn asked(kind: ConsentKind, easy_read: bool) -> (&'static str, &'static str) {
    use ConsentKind::*;
    match (kind, easy_read) {
        (Contact, false) => ("For us to contact you", "phone"),
        (Contact, true) => ("Can we contact you?", "phone"),
        (HoldData, false) => ("For us to keep your details", "form"),
        (HoldData, true) => ("Can we keep your name and how to contact you?", "form"),
        (Photos, false) => ("Photographs of you", "look"),
        (Photos, true) => ("Can we take photos of you?", "look"),
        (Quotes, false) => ("Publishing what you say", "talk"),
        (Quotes, true) => ("Can we share what you say with other people?", "talk"),
    }
}

pub(super) async fn consents(
    State(state): State<AppState>,
    Seen(s, o): Seen,
    Query(q): Query<Done>,
) -> Response {
    let page = ConsentsPage {
        layout: portal_layout(&state, &s, "Your choices", "/my/consents"),
        lines: ConsentKind::ALL
            .iter()
            .map(|&kind| {
                let found = o.consents.iter().find(|c| c.kind == kind.code());
                let (asked, picture) = asked(kind, s.easy_read);
                let when = |at: i64| match s.easy_read {
                    true => spoken_date(&uk_day(Timestamp(at)).to_string()),
                    false => uk(at),
                };
                ConsentLine {
                    kind,
                    asked,
                    picture,
                    given: found.map(|c| c.given),
                    when: found.map(|c| when(c.recorded_at)).unwrap_or_default(),
                }
            })
            .collect(),
        saved: q.done == "1",
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub(super) struct ConsentForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given: String,
}

pub(super) async fn save_consent(
    State(state): State<AppState>,
    PortalForm(s, form): PortalForm<ConsentForm>,
) -> PageResult {
    let given = form.given == "yes";
    state.app.portal_consent(&s, &form.kind, given).await?;
    Ok(Redirect::to("/my/consents?done=1").into_response())
}
