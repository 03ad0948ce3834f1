//! A meeting's papers: links and uploaded files.

use super::*;
use coproduce_domain::MeetingId;
use coproduce_store::papers;

impl App {
    /// Adds a paper to a meeting: a link, or an uploaded file. Returns its id.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_paper(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        input: &PaperInput,
        file: Option<&Upload>,
    ) -> Result<i64, AppError> {
        let link = input.link.trim();
        let file = file.filter(|f| !f.bytes.is_empty() || !f.name.is_empty());
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let (title, kind) = checked_paper(input, link, file)?;
            let m = self.meeting_for(actor, tx, meeting, true).await?;
            let name = file.map(|f| safe_file_name(&f.name)).unwrap_or_default();
            let paper = papers::NewPaper {
                meeting_id: meeting,
                title: &title,
                link: file.is_none().then_some(link),
                file: file
                    .zip(kind)
                    .map(|(f, k)| (name.as_str(), k, f.bytes.as_slice())),
                easy_read: input.easy_read,
                added_by: &actor.audit_name(),
            };
            let id = papers::insert(tx, &paper, now).await?;
            let detail = format!("meeting:{meeting} paper:{id}");
            let object = meeting_object(&m);
            Ok(Done::new(id, AuditEvent::PaperAdd, object, detail))
        })
        .await
    }

    /// A paper's file: its name, type and bytes.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn paper_file(
        &self,
        actor: &Actor,
        paper: i64,
    ) -> Result<(String, String, Vec<u8>), AppError> {
        let mut tx = self.db().read().await?;
        let (meeting, name, kind, bytes) = papers::file(&mut tx, paper)
            .await?
            .ok_or(AppError::NotFound)?;
        self.meeting_for(actor, &mut tx, meeting, false).await?;
        tx.commit().await?;
        Ok((name, kind, bytes))
    }

    /// Takes a paper off a meeting.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn remove_paper(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        paper: i64,
    ) -> Result<(), AppError> {
        // `meeting_for` makes this same check first.
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let m = self.meeting_for(actor, tx, meeting, true).await?;
            if !papers::remove(tx, meeting, paper).await? {
                return Err(AppError::NotFound);
            }
            let detail = format!("meeting:{meeting} paper:{paper}");
            let object = meeting_object(&m);
            Ok(Done::new((), AuditEvent::PaperRemove, object, detail))
        })
        .await
    }
}

/// A paper's title (the file's name when none is typed) and, for a file, the type it is served
/// as; or every problem with the link, the file and the title.
fn checked_paper(
    input: &PaperInput,
    link: &str,
    file: Option<&Upload>,
) -> Result<(String, Option<&'static str>), AppError> {
    let mut problems = Vec::new();
    let kind = match (link, file) {
        ("", None) => {
            problems.push(FieldError::new("file", "Choose a file or enter a link"));
            None
        }
        (l, Some(_)) if !l.is_empty() => {
            problems.push(FieldError::new("link", "Give a file or a link, not both"));
            None
        }
        (l, None) => {
            let ok = (l.starts_with("https://") || l.starts_with("http://"))
                && l.len() <= 2000
                && !l.contains(char::is_whitespace);
            if !ok {
                problems.push(FieldError::new(
                    "link",
                    "Enter a web address starting https://",
                ));
            }
            None
        }
        (_, Some(f)) => {
            let ext = f
                .name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            let kind = PAPER_TYPES.iter().find(|(e, _)| *e == ext).map(|(_, k)| *k);
            if f.bytes.is_empty() {
                problems.push(FieldError::new("file", "The file is empty"));
            } else if f.bytes.len() > MAX_PAPER_BYTES {
                problems.push(FieldError::new("file", "The file must be 10 MB or smaller"));
            } else if kind.is_none() {
                problems.push(FieldError::new(
                    "file",
                    "The file must be a PDF, a document, a presentation, a spreadsheet, text or a picture",
                ));
            }
            kind
        }
    };
    let mut title = text("title", &input.title, 200, "The title", &mut problems);
    if title.is_empty() {
        title = file.map(|f| f.name.clone()).unwrap_or_default();
    }
    if title.is_empty() {
        problems.push(FieldError::new("title", "Enter the paper's title"));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok((title, kind))
}

/// A file's name without any path, quotes or control characters, for a download's header.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(200)
        .collect();
    if cleaned.trim().is_empty() {
        "paper".to_owned()
    } else {
        cleaned
    }
}
