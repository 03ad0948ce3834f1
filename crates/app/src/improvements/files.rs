//! Evidence that an improvement happened: files (a photo of the new room, the rewritten
//! leaflet) kept with it, each a PDF or a picture by its content, whatever its name says.

use super::*;
use crate::input::Upload;
use coproduce_domain::files::FileKind;

/// The largest file of evidence that can be uploaded.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// The most characters of a file's name that are kept.
const MAX_FILE_NAME: usize = 200;

impl App {
    /// Keeps a file of evidence for an improvement. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_improvement_file(
        &self,
        actor: &Actor,
        id: ImprovementId,
        upload: &Upload,
    ) -> Result<i64, AppError> {
        let found = self.improvement(actor, id).await?;
        let kind = match upload.bytes.len() {
            0 => Err("Choose a file to upload"),
            n if n > MAX_EVIDENCE_BYTES => Err("The file must be 10 MB or smaller"),
            _ => FileKind::of(&upload.bytes)
                .ok_or("The file must be a PDF, or a photo or picture (JPEG or PNG)"),
        }
        .map_err(|m| AppError::field("file", m))?;
        let name: String = match upload.name.trim() {
            "" => "evidence".to_owned(),
            typed => typed.chars().take(MAX_FILE_NAME).collect(),
        };
        let service = Resource::in_service(found.service_id);
        self.write(actor, Action::RecordImprovements, &service, async |tx| {
            let by = actor
                .staff()
                .map_or_else(|| actor.audit_name(), |s| s.name.clone());
            let file = (name.as_str(), kind, upload.bytes.as_slice());
            let file_id = improvements::add_file(tx, id, file, &by, self.now()).await?;
            let detail = format!("file:{file_id} added");
            Ok(Done::new(
                file_id,
                AuditEvent::ImprovementChange,
                format!("improvement:{id}"),
                detail,
            ))
        })
        .await
    }

    /// Removes a file of evidence from an improvement.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn remove_improvement_file(
        &self,
        actor: &Actor,
        id: ImprovementId,
        file: i64,
    ) -> Result<(), AppError> {
        let found = self.improvement(actor, id).await?;
        let service = Resource::in_service(found.service_id);
        self.write(actor, Action::RecordImprovements, &service, async |tx| {
            if !improvements::remove_file(tx, id, file).await? {
                return Err(AppError::NotFound);
            }
            let detail = format!("file:{file} removed");
            Ok(Done::new(
                (),
                AuditEvent::ImprovementChange,
                format!("improvement:{id}"),
                detail,
            ))
        })
        .await
    }

    /// A file of evidence the actor may see: its name, type and bytes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn improvement_file(
        &self,
        actor: &Actor,
        file: i64,
    ) -> Result<(String, String, Vec<u8>), AppError> {
        authorise(actor, Action::ViewConcerns, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let (improvement, name, kind, bytes) = improvements::file(&mut tx, file)
            .await?
            .ok_or(AppError::NotFound)?;
        let seen = improvements::find(&mut tx, improvement, bounded_by(actor)).await?;
        tx.commit().await?;
        match seen {
            Some(i)
                if may(
                    actor,
                    Action::ViewConcerns,
                    &Resource::in_service(i.service_id),
                ) =>
            {
                Ok((name, kind, bytes))
            }
            _ => Err(AppError::NotFound),
        }
    }
}
