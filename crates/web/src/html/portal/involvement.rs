//! What a person has taken part in.

use super::*;
use coproduce_domain::meetings::Involvement;
use coproduce_domain::time::{spoken_date, spoken_duration};

#[derive(Template)]
#[template(path = "portal/involvement.html")]
pub(super) struct InvolvementPage {
    layout: Layout,
    /// Each time, with its date and how long it took in the page's words.
    lines: Vec<(String, String, Involvement)>,
    hours: String,
}

pub(super) async fn involvement(State(state): State<AppState>, Seen(s, o): Seen) -> Response {
    let minutes: i64 = o.involvement.iter().map(|i| i.minutes).sum();
    let page = InvolvementPage {
        layout: portal_layout(&state, &s, "What you have done", "/my/involvement"),
        hours: format!("{:.1}", minutes as f64 / 60.0),
        lines: o
            .involvement
            .into_iter()
            .map(|i| match s.easy_read {
                true => (spoken_date(&i.occurred_on), spoken_duration(i.minutes), i),
                false => (
                    date_text(&i.occurred_on),
                    format!("{} minutes", i.minutes),
                    i,
                ),
            })
            .collect(),
    };
    render(StatusCode::OK, &page)
}
