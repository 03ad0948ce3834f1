//! A person's meetings, and their replies.

use super::*;
use coproduce_domain::{GroupId, MeetingId};

#[derive(Template)]
#[template(path = "portal/meetings.html")]
pub(super) struct MeetingsPage {
    layout: Layout,
    groups: Vec<Regular>,
    lines: Vec<MeetingLine>,
    notice: bool,
    csrf_token: String,
}

/// A group with several meetings coming, which can be answered all at once.
pub(super) struct Regular {
    id: GroupId,
    name: String,
    count: usize,
    coming_to_all: bool,
}

/// The groups with more than one meeting in the list, and any the person said they are coming
/// to all the meetings of (so they can change their mind), in the order they first appear.
fn regulars(lines: &[MeetingLine], coming_to_all: &[GroupId]) -> Vec<Regular> {
    let mut groups: Vec<Regular> = Vec::new();
    for l in lines {
        let Some(id) = l.m.group_id else { continue };
        match groups.iter_mut().find(|g| g.id == id) {
            Some(g) => g.count += 1,
            None => groups.push(Regular {
                id,
                name: l.m.host_name.clone(),
                count: 1,
                coming_to_all: coming_to_all.contains(&id),
            }),
        }
    }
    groups.retain(|g| g.count > 1 || g.coming_to_all);
    groups
}

pub(super) async fn meetings(
    State(state): State<AppState>,
    Seen(s, o): Seen,
    Query(q): Query<Done>,
) -> Response {
    let lines = meeting_lines(&o, s.easy_read);
    let page = MeetingsPage {
        layout: portal_layout(&state, &s, "Your meetings", "/my/meetings"),
        groups: regulars(&lines, &o.coming_to_all),
        lines,
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

#[derive(Deserialize)]
pub(super) struct AllForm {
    #[serde(default)]
    choice: String,
}

/// "I'll come to all of them" or "Tell me each time", for one group.
pub(super) async fn reply_to_all(
    State(state): State<AppState>,
    Path(id): Path<GroupId>,
    PortalForm(s, form): PortalForm<AllForm>,
) -> PageResult {
    state
        .app
        .portal_standing_reply(&s, id, &form.choice)
        .await?;
    Ok(Redirect::to("/my/meetings?done=1").into_response())
}
