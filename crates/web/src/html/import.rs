//! Importing people from a spreadsheet: upload, map the columns, preview, import.

use super::kit::{check_upload_token, render, Errors, Layout, PageResult, Routes};
use super::spreadsheet;
use crate::extract::{CsrfForm, Staff};
use crate::AppState;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use coproduce_app::import::{Preview, FIELDS};
use coproduce_app::sign_in::Session;
use coproduce_app::AppError;
use coproduce_domain::services::Service;

/// The biggest file accepted.
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The import routes.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route(
            "/people/import",
            get(upload_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/people/import/{id}", get(map_form).post(map))
        .route("/people/import/{id}/preview", get(preview))
        .route("/people/import/{id}/run", post(run))
}

#[derive(Template)]
#[template(path = "people/import_upload.html")]
struct UploadPage {
    layout: Layout,
    errors: Errors,
    services: Vec<Service>,
    csrf_token: String,
    limits: String,
}

async fn upload_page(state: &AppState, session: &Session, errors: Errors) -> PageResult {
    let services = state.app.import_services(&session.actor()).await?;
    let status = errors.status();
    let page = UploadPage {
        layout: Layout::new(state, Some(session), errors.title("Import people"), ""),
        errors,
        services,
        csrf_token: session.csrf_token.clone(),
        limits: format!(
            "up to {} MB, {} rows, {} columns and {} cells, each cell up to {} characters",
            MAX_FILE_BYTES / 1024 / 1024,
            spreadsheet::thousands(spreadsheet::MAX_ROWS),
            spreadsheet::thousands(spreadsheet::MAX_COLUMNS),
            spreadsheet::thousands(spreadsheet::MAX_CELLS),
            spreadsheet::thousands(spreadsheet::MAX_CELL_CHARS),
        ),
    };
    Ok(render(status, &page))
}

async fn upload_form(Staff(state, session, _): Staff) -> PageResult {
    upload_page(&state, &session, Errors::default()).await
}

/// The upload's fields, read whole (the file is at most 20 MB).
#[derive(Default)]
struct Upload {
    csrf_token: String,
    service_id: String,
    filename: String,
    file: axum::body::Bytes,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, String> {
    let mut upload = Upload::default();
    let too_big = || {
        format!(
            "The file must be {} MB or smaller",
            MAX_FILE_BYTES / 1024 / 1024
        )
    };
    while let Some(field) = form.next_field().await.map_err(|_| too_big())? {
        match field.name().unwrap_or("") {
            "csrf_token" => upload.csrf_token = crate::input::field_text(field).await,
            "service_id" => upload.service_id = crate::input::field_text(field).await,
            "file" => {
                upload.filename = crate::input::file_name(&field);
                upload.file = field.bytes().await.map_err(|_| too_big())?;
                if upload.file.len() > MAX_FILE_BYTES {
                    return Err(too_big());
                }
            }
            _ => {}
        }
    }
    Ok(upload)
}

async fn upload(Staff(state, session, actor): Staff, form: Multipart) -> PageResult {
    // Only someone who may import has a file read at all.
    state.app.import_services(&actor).await?;
    let upload = match read_upload(form).await {
        Ok(u) => u,
        Err(message) => return upload_page(&state, &session, Errors::one("file", message)).await,
    };
    check_upload_token(&upload.csrf_token, &session)?;
    if upload.filename.is_empty() && upload.file.is_empty() {
        return upload_page(
            &state,
            &session,
            Errors::one("file", "Choose a file to upload"),
        )
        .await;
    }
    // Reading a large spreadsheet is work for a blocking thread, not the async runtime.
    let filename = upload.filename.clone();
    let read =
        tokio::task::spawn_blocking(move || spreadsheet::read(&filename, &upload.file)).await;
    let table = match read {
        Ok(Ok(t)) => t,
        Ok(Err(message)) => {
            return upload_page(&state, &session, Errors::one("file", message)).await
        }
        Err(_) => {
            return upload_page(
                &state,
                &session,
                Errors::one("file", "The file could not be read"),
            )
            .await
        }
    };
    match state
        .app
        .stage_import(&actor, &upload.service_id, &upload.filename, &table)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/people/import/{id}")).into_response()),
        Err(AppError::Invalid(list)) => upload_page(&state, &session, Errors::from(list)).await,
        Err(e) => Err(e.into()),
    }
}

struct Column {
    index: usize,
    name: String,
    sample: String,
    field: String,
}

#[derive(Template)]
#[template(path = "people/import_map.html")]
struct MapPage {
    layout: Layout,
    errors: Errors,
    id: i64,
    filename: String,
    row_count: usize,
    columns: Vec<Column>,
    fields: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

async fn map_page(
    state: &AppState,
    session: &Session,
    id: i64,
    chosen: Option<Vec<String>>,
    errors: Errors,
) -> PageResult {
    let staged = state.app.staged_import(&session.actor(), id).await?;
    if let Some(n) = staged.done {
        return Ok(Redirect::to(&format!("/people?imported={n}")).into_response());
    }
    let mapping = chosen.unwrap_or(staged.mapping);
    let columns = staged
        .header
        .iter()
        .enumerate()
        .map(|(index, name)| Column {
            index,
            name: if name.is_empty() {
                format!("Column {}", index + 1)
            } else {
                name.clone()
            },
            sample: staged
                .sample
                .iter()
                .filter_map(|r| r.get(index))
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            field: mapping.get(index).cloned().unwrap_or_default(),
        })
        .collect();
    let status = errors.status();
    let page = MapPage {
        layout: Layout::new(state, Some(session), errors.title("Map the columns"), ""),
        errors,
        id,
        filename: staged.filename,
        row_count: staged.row_count,
        columns,
        fields: FIELDS
            .iter()
            .map(|(code, label, _)| (*code, *label))
            .collect(),
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

async fn map_form(Staff(state, session, _): Staff, Path(id): Path<i64>) -> PageResult {
    map_page(&state, &session, id, None, Errors::default()).await
}

async fn map(
    Staff(state, session, actor): Staff,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let mut mapping: Vec<(usize, String)> = pairs
        .into_iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("column-")
                .and_then(|i| i.parse().ok())
                .map(|i| (i, v))
        })
        .collect();
    mapping.sort();
    let mapping: Vec<String> = mapping.into_iter().map(|(_, v)| v).collect();
    match state.app.map_import(&actor, id, mapping.clone()).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/import/{id}/preview")).into_response()),
        Err(AppError::Invalid(list)) => {
            map_page(&state, &session, id, Some(mapping), Errors::from(list)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "people/import_preview.html")]
struct PreviewPage {
    layout: Layout,
    id: i64,
    preview: Preview,
    csrf_token: String,
}

async fn preview(Staff(state, session, actor): Staff, Path(id): Path<i64>) -> PageResult {
    let preview = state.app.preview_import(&actor, id).await?;
    let page = PreviewPage {
        layout: Layout::new(&state, Some(&session), "Check before you import", ""),
        id,
        preview,
        csrf_token: session.csrf_token.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(serde::Deserialize)]
struct Empty {}

async fn run(
    Staff(state, _, actor): Staff,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    let n = state.app.run_import(&actor, id).await?;
    Ok(Redirect::to(&format!("/people?imported={n}")).into_response())
}
