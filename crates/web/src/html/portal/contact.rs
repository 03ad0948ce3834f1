//! How a person likes to be contacted, and their needs, as they change them.

use super::*;

#[derive(Template)]
#[template(path = "portal/contact.html")]
pub(super) struct ContactPage {
    layout: Layout,
    errors: Errors,
    form: ContactInput,
    /// The first way to contact them, the other ways, and what they need: the form's choices.
    first: Vec<Choice>,
    others: Vec<Choice>,
    need_choices: Vec<Choice>,
    saved: bool,
    csrf_token: String,
}

/// Every way to contact someone, as a form offers them.
fn channels() -> impl Iterator<Item = (&'static str, &'static str)> {
    Channel::ALL.iter().map(|c| (c.code(), c.label()))
}

pub(super) fn contact_response(
    state: &AppState,
    s: &PortalSession,
    errors: Errors,
    form: ContactInput,
    saved: bool,
) -> Response {
    let status = errors.status();
    let page = ContactPage {
        layout: portal_layout(state, s, errors.title("How we contact you"), "/my/contact"),
        errors,
        first: Choice::list(channels(), &form.channels[..form.channels.len().min(1)]),
        others: Choice::list(channels(), &form.channels),
        need_choices: Choice::list(Need::ALL.iter().map(|n| (n.code(), n.label())), &form.needs),
        form,
        saved,
        csrf_token: s.csrf_token.clone(),
    };
    render(status, &page)
}

pub(super) async fn contact_page(
    State(state): State<AppState>,
    Seen(s, o): Seen,
    Query(q): Query<Done>,
) -> Response {
    let form = ContactInput {
        channels: o
            .person
            .channels
            .iter()
            .map(|c| c.code().to_owned())
            .collect(),
        best_times: o.person.best_times.clone(),
        needs: o.person.needs.iter().map(|n| n.code().to_owned()).collect(),
        needs_notes: o.person.needs_notes.clone(),
    };
    contact_response(&state, &s, Errors::default(), form, q.done == "1")
}

pub(super) async fn save_contact(
    State(state): State<AppState>,
    PortalForm(s, pairs): PortalForm<Vec<(String, String)>>,
) -> PageResult {
    let form = FormFields(&pairs);
    let get = |k: &str| form.one(k);
    let all = |k: &str| form.all(k);
    let channels = form.ranked_channels();
    let form = ContactInput {
        channels,
        best_times: get("best_times"),
        needs: all("needs"),
        needs_notes: get("needs_notes"),
    };
    match state.app.portal_contact(&s, &form).await {
        Ok(()) => Ok(Redirect::to("/my/contact?done=1").into_response()),
        Err(AppError::Invalid(list)) => Ok(contact_response(
            &state,
            &s,
            Errors::from(list),
            form,
            false,
        )),
        Err(e) => Err(e.into()),
    }
}
