//! Opportunities offered to a person, and their answers.

use super::*;
use coproduce_domain::OpportunityId;

#[derive(Template)]
#[template(path = "portal/opportunities.html")]
pub(super) struct OpportunitiesPage {
    layout: Layout,
    lines: Vec<(Shown, Option<&'static str>, bool)>,
    notice: bool,
    csrf_token: String,
}

pub(super) async fn opportunities(
    State(state): State<AppState>,
    Seen(s, o): Seen,
    Query(q): Query<Done>,
) -> Response {
    let page = OpportunitiesPage {
        layout: portal_layout(&state, &s, "Opportunities for you", "/my/opportunities"),
        lines: o
            .opportunities
            .into_iter()
            .map(|(row, stage)| {
                // Those not yet in it, or only invited, can answer.
                let can_answer = matches!(stage, None | Some(Stage::Invited));
                (Shown::new(row), stage.map(Stage::label), can_answer)
            })
            .collect(),
        notice: q.done == "1",
        csrf_token: s.csrf_token.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub(super) struct AnswerForm {
    #[serde(default)]
    answer: String,
}

pub(super) async fn interest(
    State(state): State<AppState>,
    Path(id): Path<OpportunityId>,
    PortalForm(s, form): PortalForm<AnswerForm>,
) -> PageResult {
    state
        .app
        .portal_interest(&s, id, form.answer != "no")
        .await?;
    Ok(Redirect::to("/my/opportunities?done=1").into_response())
}
