//! Pictures uploaded for Easy Read summaries.

use super::*;

/// A picture's type from its first bytes: PNG or JPEG only (an SVG could carry script).
fn picture_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A picture's words (trimmed) and type, or every problem with them.
fn checked_picture<'a>(alt: &'a str, bytes: &[u8]) -> Result<(&'a str, &'static str), AppError> {
    let mut problems = Vec::new();
    let alt = alt.trim();
    if alt.is_empty() || alt.chars().count() > 100 {
        problems.push(FieldError::new(
            "alt",
            "Say what the picture shows, in 100 characters or fewer",
        ));
    }
    let kind = if bytes.is_empty() {
        problems.push(FieldError::new("file", "Choose a picture"));
        None
    } else if bytes.len() > MAX_PICTURE_BYTES {
        problems.push(FieldError::new(
            "file",
            "The picture must be 1 MB or smaller",
        ));
        None
    } else {
        let kind = picture_type(bytes);
        if kind.is_none() {
            problems.push(FieldError::new(
                "file",
                "The picture must be a PNG or a JPEG",
            ));
        }
        kind
    };
    match (kind, problems.is_empty()) {
        (Some(kind), true) => Ok((alt, kind)),
        _ => Err(AppError::Invalid(problems)),
    }
}

impl App {
    /// Stores a picture staff upload for Easy Read summaries: a PNG or JPEG of up to 1 MB, with
    /// words for what it shows.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn upload_picture(
        &self,
        actor: &Actor,
        alt: &str,
        bytes: &[u8],
    ) -> Result<i64, AppError> {
        let now = self.now();
        self.write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
            let (alt, kind) = checked_picture(alt, bytes)?;
            let by = actor.staff().map(|s| s.id.0);
            let id = opportunities::add_picture(tx, alt, kind, bytes, by, now).await?;
            Ok(Done::new(
                id,
                AuditEvent::PictureAdd,
                format!("picture:{id}"),
                alt,
            ))
        })
        .await
    }

    /// The pictures staff uploaded, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn uploaded_pictures(&self, actor: &Actor) -> Result<Vec<Picture>, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let rows = opportunities::pictures(&mut tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// An uploaded picture's type and bytes (anyone may see them: they appear on public pages).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn picture(&self, id: i64) -> Result<(String, Vec<u8>), AppError> {
        let mut tx = self.db().read().await?;
        let found = opportunities::picture(&mut tx, id).await?;
        tx.commit().await?;
        found.ok_or(AppError::NotFound)
    }
}
