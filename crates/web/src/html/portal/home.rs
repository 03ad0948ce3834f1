//! The portal's first page.

use super::*;

#[derive(Template)]
#[template(path = "portal/home.html")]
pub(super) struct HomePage {
    layout: Layout,
    next: Option<MeetingLine>,
    open: usize,
}

pub(super) async fn home(State(state): State<AppState>, Seen(s, o): Seen) -> Response {
    let page = HomePage {
        layout: portal_layout(&state, &s, format!("Hello, {}", s.name), "/my"),
        next: meeting_lines(&o).into_iter().next(),
        open: o
            .opportunities
            .iter()
            .filter(|(_, stage)| stage.is_none())
            .count(),
    };
    render(StatusCode::OK, &page)
}
