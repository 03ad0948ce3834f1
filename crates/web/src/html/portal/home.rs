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
    let mut layout = portal_layout(&state, &s, format!("Hello, {}", s.name), "/my");
    // The page's own list of what can be done here is its menu.
    layout.pages.clear();
    let page = HomePage {
        layout,
        next: meeting_lines(&o, s.easy_read).into_iter().next(),
        open: o
            .opportunities
            .iter()
            .filter(|(_, stage)| stage.is_none())
            .count(),
    };
    render(StatusCode::OK, &page)
}
