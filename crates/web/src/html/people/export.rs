//! People as a spreadsheet: the CSV and Excel downloads of those the staff member may see.

use super::view::labels;
use crate::extract::Staff;
use crate::html::kit::PageResult;
use crate::AppState;
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use coproduce_app::people::SearchInput;
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::people::{phone_text, Channel, Need};

pub(super) const EXPORT_HEADER: [&str; 14] = [
    "Name",
    "Preferred name",
    "Pronouns",
    "Date of birth",
    "Email",
    "Phone",
    "Address",
    "Postcode",
    "Status",
    "Ways to reach them",
    "Best times",
    "Needs",
    "Interpreter language",
    "Notes about needs",
];

pub(super) async fn export_rows(
    state: &AppState,
    session: &Session,
    search: &SearchInput,
) -> Result<Vec<Vec<String>>, AppError> {
    let people = state.app.export_people(&session.actor(), search).await?;
    Ok(people
        .into_iter()
        .map(|p| {
            vec![
                p.name,
                p.preferred_name,
                p.pronouns,
                p.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
                p.email.unwrap_or_default(),
                p.phone.as_deref().map(phone_text).unwrap_or_default(),
                p.address,
                p.postcode.unwrap_or_default(),
                p.status.label().to_owned(),
                labels(&p.channels, Channel::label),
                p.best_times,
                labels(&p.needs, Need::label),
                p.interpreter_language,
                p.needs_notes,
            ]
        })
        .collect())
}

pub(super) fn download(
    content_type: &'static str,
    filename: &'static str,
    bytes: Vec<u8>,
) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CONTENT_DISPOSITION, filename),
        ],
        bytes,
    )
        .into_response()
}

pub(super) async fn export_csv(
    Staff(state, session, _): Staff,
    Query(search): Query<SearchInput>,
) -> PageResult {
    let rows = export_rows(&state, &session, &search).await?;
    Ok(download(
        "text/csv; charset=utf-8",
        "attachment; filename=\"people.csv\"",
        super::super::spreadsheet::csv_bytes(&EXPORT_HEADER, &rows),
    ))
}

pub(super) async fn export_xlsx(
    Staff(state, session, _): Staff,
    Query(search): Query<SearchInput>,
) -> PageResult {
    let rows = export_rows(&state, &session, &search).await?;
    match tokio::task::spawn_blocking(move || {
        super::super::spreadsheet::xlsx_bytes("People", &EXPORT_HEADER, &rows)
    })
    .await
    {
        Ok(Ok(bytes)) => Ok(download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment; filename=\"people.xlsx\"",
            bytes,
        )),
        _ => Err(AppError::Internal("the spreadsheet could not be made".into()).into()),
    }
}

// ------------------------------------------------------------------------------------------------
// Adding and changing a person
