//! Evidence files on an improvement's page: uploading one, removing it, and downloading it.

use super::show_page;
use crate::extract::{CsrfForm, Staff};
use crate::html::kit::{attachment, check_upload_token, Errors, PageResult};
use axum::extract::{Multipart, Path};
use axum::response::{IntoResponse, Redirect};
use coproduce_app::{AppError, Upload};
use coproduce_domain::ImprovementId;

/// Reads the upload form: its token and the file.
async fn read_upload(mut form: Multipart) -> Result<(String, Upload), String> {
    let too_big = || "The file must be 10 MB or smaller".to_owned();
    let (mut token, mut upload) = (
        String::new(),
        Upload {
            name: String::new(),
            bytes: Vec::new(),
        },
    );
    while let Some(field) = form.next_field().await.map_err(|_| too_big())? {
        match field.name().unwrap_or("") {
            "csrf_token" => token = crate::input::field_text(field).await,
            "file" => {
                upload.name = crate::input::file_name(&field);
                upload.bytes = field.bytes().await.map_err(|_| too_big())?.to_vec();
            }
            _ => {}
        }
    }
    Ok((token, upload))
}

pub(super) async fn add(
    Staff(state, session, actor): Staff,
    Path(id): Path<ImprovementId>,
    form: Multipart,
) -> PageResult {
    let (token, upload) = match read_upload(form).await {
        Ok(read) => read,
        Err(m) => return show_page(&state, &session, id, Errors::one("file", m), "").await,
    };
    check_upload_token(&token, &session)?;
    match state.app.add_improvement_file(&actor, id, &upload).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/improvements/{id}?done=file#evidence")).into_response())
        }
        Err(AppError::Invalid(list)) => {
            show_page(&state, &session, id, Errors::from(list), "").await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn remove(
    Staff(state, _, actor): Staff,
    Path((id, file)): Path<(ImprovementId, i64)>,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    state.app.remove_improvement_file(&actor, id, file).await?;
    Ok(Redirect::to(&format!("/improvements/{id}?done=remove#evidence")).into_response())
}

pub(super) async fn download(Staff(state, _, actor): Staff, Path(file): Path<i64>) -> PageResult {
    let (name, kind, bytes) = state.app.improvement_file(&actor, file).await?;
    Ok(attachment(&name, kind, bytes))
}
