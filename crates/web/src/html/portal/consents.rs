//! A person's consents, as they give and withdraw them.

use super::*;

#[derive(Template)]
#[template(path = "portal/consents.html")]
pub(super) struct ConsentsPage {
    layout: Layout,
    lines: Vec<(ConsentKind, Option<bool>, String)>,
    saved: bool,
    csrf_token: String,
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
            .map(|k| {
                let found = o.consents.iter().find(|c| c.kind == k.code());
                (
                    *k,
                    found.map(|c| c.given),
                    found.map(|c| uk(c.recorded_at)).unwrap_or_default(),
                )
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
