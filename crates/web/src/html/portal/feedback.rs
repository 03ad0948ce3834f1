//! The questionnaire a feedback link opens, without signing in: answered once, and after that
//! (or once the link has stopped working) a page that says so and offers another way.

use super::*;
use crate::html::kit::{scale_questions, ScaleQuestion};
use coproduce_app::meetings::{FeedbackAsk, FeedbackInput, FeedbackLink};
use coproduce_domain::feedback::CHANGE;

#[derive(Template)]
#[template(path = "portal/feedback.html")]
struct FeedbackPage {
    layout: Layout,
    errors: Errors,
    /// The meeting asked about; none when the link is answered or has stopped working.
    ask: Option<FeedbackAsk>,
    answered: bool,
    token: String,
    questions: Vec<ScaleQuestion>,
    change_label: &'static str,
    form: FeedbackInput,
    csrf_token: String,
}

fn feedback_response(
    state: &AppState,
    headers: &HeaderMap,
    staff: Option<&Session>,
    token: String,
    link: FeedbackLink,
    form: FeedbackInput,
    errors: Errors,
) -> Response {
    let (ask, answered, easy_read) = match link {
        FeedbackLink::Open(ask) => {
            let easy = ask.easy_read;
            (Some(ask), false, easy)
        }
        FeedbackLink::Answered(easy) => (None, true, easy),
        FeedbackLink::Expired(easy) => (None, false, easy),
    };
    let (status, title) = match (&ask, answered) {
        (Some(a), _) if easy_read && a.meeting => (errors.status(), "Tell us about the meeting"),
        (Some(_), _) if easy_read => (errors.status(), "Tell us how it went"),
        (Some(a), _) if a.meeting => (errors.status(), "How was the meeting?"),
        (Some(_), _) => (errors.status(), "How did it go?"),
        (None, true) => (StatusCode::OK, "Thank you, we have your answer"),
        (None, false) => (StatusCode::GONE, "This feedback link has stopped working"),
    };
    render_with_form_token(state, headers, staff, status, |csrf_token| {
        let mut layout = Layout::public(state, errors.title(title), "/my");
        layout.easy_read = easy_read;
        FeedbackPage {
            layout,
            questions: scale_questions(&form, easy_read),
            change_label: if easy_read { CHANGE.easy } else { CHANGE.asks },
            errors,
            ask,
            answered,
            token,
            form,
            csrf_token,
        }
    })
}

pub(super) async fn feedback_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    // Opening the link uses nothing up: only sending the answers does.
    let link = match well_formed(&token) {
        true => state.app.feedback_link(&token).await?,
        false => FeedbackLink::Expired(false),
    };
    let form = FeedbackInput::default();
    let errors = Errors::default();
    Ok(feedback_response(
        &state,
        &headers,
        staff.as_ref(),
        token,
        link,
        form,
        errors,
    ))
}

pub(super) async fn answer(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeSession(staff): MaybeSession,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<FeedbackInput>,
) -> Result<Response, PageError> {
    let (link, errors) = match well_formed(&token) {
        false => (FeedbackLink::Expired(false), Errors::default()),
        true => match state.app.answer_feedback(&token, &form).await {
            // Answered: the link's own page now thanks them, however often it is opened.
            Ok(FeedbackLink::Answered(_)) => {
                return Ok(Redirect::to(&format!("/my/feedback/{token}")).into_response())
            }
            Ok(link) => (link, Errors::default()),
            Err(AppError::Invalid(list)) => {
                (state.app.feedback_link(&token).await?, Errors::from(list))
            }
            Err(e) => return Err(e.into()),
        },
    };
    let staff = staff.as_ref();
    Ok(feedback_response(
        &state, &headers, staff, token, link, form, errors,
    ))
}
