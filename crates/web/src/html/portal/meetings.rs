//! A person's meetings, and their replies.

use super::*;
use coproduce_domain::MeetingId;

#[derive(Template)]
#[template(path = "portal/meetings.html")]
pub(super) struct MeetingsPage {
    layout: Layout,
    lines: Vec<MeetingLine>,
    notice: bool,
    csrf_token: String,
}

pub(super) async fn meetings(
    State(state): State<AppState>,
    Seen(s, o): Seen,
    Query(q): Query<Done>,
) -> Response {
    let page = MeetingsPage {
        layout: portal_layout(&state, &s, "Your meetings", "/my/meetings"),
        lines: meeting_lines(&o),
        notice: q.done == "1",
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub(super) struct ReplyForm {
    #[serde(default)]
    rsvp: String,
}

pub(super) async fn reply(
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    PortalForm(s, form): PortalForm<ReplyForm>,
) -> PageResult {
    state.app.portal_reply(&s, id, &form.rsvp).await?;
    Ok(Redirect::to("/my/meetings?done=1").into_response())
}
