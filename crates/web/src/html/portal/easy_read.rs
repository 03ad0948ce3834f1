//! Easy Read, as a person turns it on and off.

use super::*;

#[derive(Template)]
#[template(path = "portal/easy_read.html")]
pub(super) struct EasyReadPage {
    layout: Layout,
    on: bool,
    csrf_token: String,
}

pub(super) async fn easy_read_page(State(state): State<AppState>, Portal(s): Portal) -> Response {
    let page = EasyReadPage {
        layout: portal_layout(&state, &s, "Easy Read", "/my/easy-read"),
        on: s.easy_read,
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub(super) struct EasyReadForm {
    #[serde(default)]
    easy_read: String,
}

pub(super) async fn save_easy_read(
    State(state): State<AppState>,
    PortalForm(s, form): PortalForm<EasyReadForm>,
) -> PageResult {
    state
        .app
        .portal_easy_read(&s, form.easy_read == "on")
        .await?;
    Ok(Redirect::to("/my").into_response())
}
