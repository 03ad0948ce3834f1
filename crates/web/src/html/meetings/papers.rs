//! Papers: uploading one to a meeting, removing it, and downloading it.

use super::record::{back_to_meeting, show_with};
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::{attachment, check_upload_token, Errors, PageResult};
use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect};
use coproduce_app::meetings::{PaperInput, Upload};
use coproduce_domain::MeetingId;

#[derive(Default)]
pub(super) struct PaperForm {
    csrf_token: String,
    input: PaperInput,
    file: Option<Upload>,
}

pub(super) async fn read_paper(mut form: Multipart) -> Result<PaperForm, String> {
    let mut out = PaperForm::default();
    let too_big = || "The file must be 10 MB or smaller".to_owned();
    while let Some(field) = form.next_field().await.map_err(|_| too_big())? {
        match field.name().unwrap_or("") {
            "csrf_token" => out.csrf_token = crate::input::field_text(field).await,
            "title" => out.input.title = crate::input::field_text(field).await,
            "link" => out.input.link = crate::input::field_text(field).await,
            "easy_read" => out.input.easy_read = crate::input::field_text(field).await == "yes",
            "file" => {
                let name = crate::input::file_name(&field);
                let bytes = field.bytes().await.map_err(|_| too_big())?.to_vec();
                if !name.is_empty() || !bytes.is_empty() {
                    out.file = Some(Upload { name, bytes });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

pub(super) async fn add_paper(
    Staff(state, session, actor): Staff,
    Path(id): Path<MeetingId>,
    form: Multipart,
) -> PageResult {
    let form = match read_paper(form).await {
        Ok(f) => f,
        Err(message) => {
            return show_with(&state, &session, id, Errors::one("file", message), None).await
        }
    };
    check_upload_token(&form.csrf_token, &session)?;
    let result = state
        .app
        .add_paper(&actor, id, &form.input, form.file.as_ref())
        .await;
    let to = format!("/meetings/{id}?paper=1#papers");
    back_to_meeting(&state, &session, id, result, to, None).await
}

pub(super) async fn remove_paper(
    Staff(state, _, actor): Staff,
    Path((id, paper)): Path<(MeetingId, i64)>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    state.app.remove_paper(&actor, id, paper).await?;
    Ok(Redirect::to(&format!("/meetings/{id}?paper=1#papers")).into_response())
}

pub(super) async fn paper(Staff(state, _, actor): Staff, Path(id): Path<i64>) -> PageResult {
    let (name, kind, bytes) = state.app.paper_file(&actor, id).await?;
    Ok(attachment(&name, kind, bytes))
}
