//! Importing people from a spreadsheet: stage the table, map its columns, preview every row's
//! problems and likely duplicates, then import all valid new rows in one transaction.

use crate::people::{new_relationship, validate, PersonInput};
use crate::write::Done;
use crate::{authorise, Action, Actor, App, AppError, FieldError, Resource};
use coproduce_domain::services::Service;
use coproduce_domain::table::{Row, Table};
use coproduce_domain::AuditEvent;
use coproduce_domain::PersonId;
use coproduce_domain::{Person, Timestamp};
use coproduce_store::imports::{self, ImportRow};
use coproduce_store::people;
use coproduce_store::{relationships, services, Tx};
use std::collections::HashSet;

/// The fields a column can fill: code, label, and header words that suggest it.
pub const FIELDS: [(&str, &str, &[&str]); 12] = [
    ("name", "Full name", &["name", "full name", "fullname"]),
    (
        "preferred_name",
        "What they like to be called",
        &["preferred name", "known as", "nickname"],
    ),
    ("pronouns", "Pronouns", &["pronouns"]),
    (
        "date_of_birth",
        "Date of birth",
        &["date of birth", "dob", "birth date", "birthday"],
    ),
    (
        "email",
        "Email address",
        &["email", "email address", "e-mail"],
    ),
    (
        "phone",
        "Phone number",
        &["phone", "phone number", "telephone", "mobile", "tel"],
    ),
    ("address", "Address", &["address", "street"]),
    ("postcode", "Postcode", &["postcode", "post code", "zip"]),
    ("status", "Status", &["status"]),
    (
        "best_times",
        "Best times to reach them",
        &["best times", "best time", "when to call"],
    ),
    (
        "needs_notes",
        "Needs (as notes)",
        &["needs", "access needs", "notes", "requirements"],
    ),
    ("interests", "Interests", &["interests", "interest", "tags"]),
];

/// How many problem rows and duplicates a preview lists (the counts cover every row).
pub const LISTED: usize = 100;

/// A staged import, read back.
#[derive(Clone, Debug)]
pub struct Staged {
    /// Id.
    pub id: i64,
    /// The file's name.
    pub filename: String,
    /// The header row.
    pub header: Vec<String>,
    /// The first few rows, to show beside the mapping.
    pub sample: Vec<Vec<String>>,
    /// How many rows there are.
    pub row_count: usize,
    /// The field each column fills ("" for none).
    pub mapping: Vec<String>,
    /// Whether it has been imported, and how many people it added.
    pub done: Option<i64>,
}

/// What importing would do.
#[derive(Clone, Debug, Default)]
pub struct Preview {
    /// Rows that would become people.
    pub valid: usize,
    /// Rows with problems: (spreadsheet row number, problems), the first [`LISTED`].
    pub problems: Vec<(usize, Vec<FieldError>)>,
    /// How many rows have problems.
    pub problem_count: usize,
    /// Likely duplicates that would be skipped: (row number, why), the first [`LISTED`].
    pub duplicates: Vec<(usize, String)>,
    /// How many rows are likely duplicates.
    pub duplicate_count: usize,
}

impl App {
    /// The services someone may import people into; only those who may add people may.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn import_services(&self, actor: &Actor) -> Result<Vec<Service>, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        self.services_for(actor, Action::EditPeople).await
    }
}

/// Guesses which field each column fills from its header.
pub fn guess_mapping(header: &[String]) -> Vec<String> {
    let mut used = HashSet::new();
    header
        .iter()
        .map(|h| {
            let raw = h.trim().to_lowercase();
            let spaced = raw.replace(['_', '-'], " ");
            let found = FIELDS
                .iter()
                .find(|(code, _, words)| {
                    !used.contains(code)
                        && (words.contains(&raw.as_str())
                            || words.contains(&spaced.as_str())
                            || raw == *code)
                })
                .map(|(code, _, _)| *code);
            if let Some(code) = found {
                used.insert(code);
            }
            found.unwrap_or("").to_owned()
        })
        .collect()
}

fn input_from(row: Row<'_>, mapping: &[String]) -> PersonInput {
    let mut p = PersonInput::default();
    for (cell, field) in row.cells().zip(mapping) {
        let slot = match field.as_str() {
            "name" => &mut p.name,
            "preferred_name" => &mut p.preferred_name,
            "pronouns" => &mut p.pronouns,
            "date_of_birth" => &mut p.date_of_birth,
            "email" => &mut p.email,
            "phone" => &mut p.phone,
            "address" => &mut p.address,
            "postcode" => &mut p.postcode,
            "status" => &mut p.status,
            "best_times" => &mut p.best_times,
            "needs_notes" => &mut p.needs_notes,
            "interests" => &mut p.interests,
            _ => continue,
        };
        *slot = cell.trim().to_owned();
    }
    p.status = p.status.to_lowercase();
    p
}

/// The keys two records of the same person would share, each kept as a 64-bit hash: 200,000
/// people's keys then take a few megabytes rather than tens (two keys alike by chance are far
/// rarer than a typing mistake).
fn identity_keys(
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    dob: Option<&str>,
) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let hash = |kind: &str, value: &str, more: &str| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (kind, value, more).hash(&mut h);
        h.finish()
    };
    let mut keys = Vec::new();
    if let Some(e) = email {
        keys.push(hash("email", e, ""));
    }
    if let Some(p) = phone {
        keys.push(hash("phone", p, ""));
    }
    if let Some(d) = dob {
        keys.push(hash("born", &name.to_lowercase(), d));
    }
    keys
}

/// Checks rows one by one: what is wrong with each, which are likely duplicates (of someone
/// recorded or of an earlier row), and the valid new ones, handed back one at a time so that a
/// large file never has every person in memory at once.
struct Checker<'a> {
    mapping: &'a [String],
    existing: &'a HashSet<u64>,
    seen: HashSet<u64>,
    preview: Preview,
}

impl<'a> Checker<'a> {
    fn new(mapping: &'a [String], existing: &'a HashSet<u64>) -> Checker<'a> {
        Checker {
            mapping,
            existing,
            seen: HashSet::new(),
            preview: Preview::default(),
        }
    }

    /// Checks the row at `number` (its place in the spreadsheet); the person to add, if any.
    fn check(&mut self, number: usize, row: Row<'_>) -> Option<Ready> {
        let (person, tags) = match validate(&input_from(row, self.mapping)) {
            Ok(valid) => valid,
            Err(AppError::Invalid(problems)) => {
                self.preview.problem_count += 1;
                if self.preview.problems.len() < LISTED {
                    self.preview.problems.push((number, problems));
                }
                return None;
            }
            Err(_) => return None,
        };
        let keys = identity_keys(
            &person.name,
            person.email.as_deref(),
            person.phone.as_deref(),
            person.date_of_birth.map(|d| d.to_string()).as_deref(),
        );
        let why = if keys.iter().any(|k| self.existing.contains(k)) {
            Some(
                "Someone with the same email, phone, or name and date of birth is already recorded",
            )
        } else if keys.iter().any(|k| self.seen.contains(k)) {
            Some("The same person is on an earlier row of this file")
        } else {
            None
        };
        if let Some(why) = why {
            self.preview.duplicate_count += 1;
            if self.preview.duplicates.len() < LISTED {
                self.preview.duplicates.push((number, why.to_owned()));
            }
            return None;
        }
        self.seen.extend(keys);
        self.preview.valid += 1;
        Some((person, tags))
    }
}

/// A person checked and ready to add, with their tags.
type Ready = (Person, Vec<people::NewTag>);

/// People checked and ready to add, handed over this many at a time.
const BATCH: usize = 2_000;

/// A staged import's table (taking its rows from the row read, rather than copying them).
fn stored_table(row: &mut ImportRow) -> Result<Table, AppError> {
    Ok(Table::from_stored(
        parse_json(&row.header)?,
        std::mem::take(&mut row.rows_text),
    ))
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text)
        .map_err(|e| AppError::Internal(format!("stored import is unreadable: {e}")))
}

impl App {
    fn uploader(actor: &Actor) -> Option<i64> {
        crate::authz::bounded_by(actor).map(|s| s.0)
    }

    /// Stages an uploaded table for a service the actor may add people to.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn stage_import(
        &self,
        actor: &Actor,
        service: &str,
        filename: &str,
        table: &Table,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut tx = self.db().write().await?;
        let service = self.allowed_service(&mut tx, actor, service).await?;
        let header_json =
            serde_json::to_string(table.header()).map_err(|e| AppError::Internal(e.to_string()))?;
        let uploader = actor.staff().map(|s| s.id);
        let id = imports::create(
            &mut tx,
            uploader,
            service.id,
            filename,
            &header_json,
            table.body(),
            self.now(),
        )
        .await?;
        imports::set_mapping(
            &mut tx,
            id,
            &serde_json::to_string(&guess_mapping(table.header())).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn load_import(&self, actor: &Actor, id: i64) -> Result<ImportRow, AppError> {
        authorise(actor, Action::EditPeople, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let row = imports::find(&mut tx, id, Self::uploader(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(row)
    }

    /// A staged import, for the mapping page.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn staged_import(&self, actor: &Actor, id: i64) -> Result<Staged, AppError> {
        let mut row = self.load_import(actor, id).await?;
        let table = stored_table(&mut row)?;
        Ok(Staged {
            id,
            sample: table
                .rows()
                .take(3)
                .map(|r| r.cells().map(str::to_owned).collect())
                .collect(),
            row_count: table.len(),
            header: table.header().to_vec(),
            filename: row.filename,
            mapping: parse_json(&row.mapping)?,
            done: (row.status == "done").then_some(row.imported),
        })
    }

    /// Saves which field each column fills. A name column is required.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn map_import(
        &self,
        actor: &Actor,
        id: i64,
        mapping: Vec<String>,
    ) -> Result<(), AppError> {
        let row = self.load_import(actor, id).await?;
        let header: Vec<String> = parse_json(&row.header)?;
        let mapping: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, _)| {
                mapping
                    .get(i)
                    .filter(|f| FIELDS.iter().any(|(c, _, _)| c == *f))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        if !mapping.iter().any(|f| f == "name") {
            return Err(AppError::field(
                "column-0",
                "Choose the column that holds each person's name",
            ));
        }
        let mut chosen = HashSet::new();
        if let Some(twice) = mapping
            .iter()
            .filter(|f| !f.is_empty())
            .find(|f| !chosen.insert(f.as_str()))
        {
            let label = FIELDS
                .iter()
                .find(|(c, _, _)| c == twice)
                .map_or("", |(_, l, _)| *l);
            return Err(AppError::field(
                "column-0",
                format!("Only one column can be \"{label}\""),
            ));
        }
        let mut tx = self.db().write().await?;
        imports::set_mapping(
            &mut tx,
            id,
            &serde_json::to_string(&mapping).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The identities of everyone recorded, to find likely duplicates by.
    async fn existing_identities(&self) -> Result<HashSet<u64>, AppError> {
        let mut tx = self.db().read().await?;
        let known = people::identities(&mut tx).await?;
        tx.commit().await?;
        Ok(known
            .iter()
            .flat_map(|(name, email, phone, dob)| {
                identity_keys(name, email.as_deref(), phone.as_deref(), dob.as_deref())
            })
            .collect())
    }

    /// Checks every row on a blocking thread (100,000 rows are work, not waiting), handing the
    /// valid new people to `batches` [`BATCH`] at a time; the report when all are checked.
    async fn check_import(
        &self,
        row: &mut ImportRow,
        batches: Option<tokio::sync::mpsc::Sender<Vec<Ready>>>,
    ) -> Result<tokio::task::JoinHandle<Preview>, AppError> {
        let table = stored_table(row)?;
        let mapping: Vec<String> = parse_json(&row.mapping)?;
        let existing = self.existing_identities().await?;
        Ok(tokio::task::spawn_blocking(move || {
            let mut checker = Checker::new(&mapping, &existing);
            let mut batch = Vec::new();
            for (i, r) in table.rows().enumerate() {
                let Some(person) = checker.check(i + 2, r) else {
                    continue;
                };
                if let Some(to) = &batches {
                    batch.push(person);
                    if batch.len() == BATCH && to.blocking_send(std::mem::take(&mut batch)).is_err()
                    {
                        break;
                    }
                }
            }
            if let (Some(to), false) = (&batches, batch.is_empty()) {
                to.blocking_send(batch).ok();
            }
            checker.preview
        }))
    }

    /// What importing would do, row by row.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn preview_import(&self, actor: &Actor, id: i64) -> Result<Preview, AppError> {
        let mut row = self.load_import(actor, id).await?;
        let checking = self.check_import(&mut row, None).await?;
        checking
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Imports every valid new row in one transaction: all of them or, if anything fails, none.
    /// Importing the same import twice adds nobody the second time. The rows are checked while
    /// those already checked are written, a few thousand at a time.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn run_import(&self, actor: &Actor, id: i64) -> Result<i64, AppError> {
        let mut row = self.load_import(actor, id).await?;
        if row.status == "done" {
            return Ok(row.imported);
        }
        let now = self.now();
        let today = chrono::Utc::now().date_naive().to_string();
        let by = actor.staff().map(|s| s.id);
        let (to, mut batches) = tokio::sync::mpsc::channel(2);
        let checking = self.check_import(&mut row, Some(to)).await?;
        // `load_import` made this same check first.
        self.write(actor, Action::EditPeople, &Resource::ANY, async |tx| {
            let service = services::find_by_name_or_id(tx, &row.service_id.to_string())
                .await?
                .ok_or(AppError::NotFound)?;
            let (count, tagged) = write_batches(tx, id, &mut batches, now).await?;
            let checked = checking
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if checked.valid as i64 != count {
                return Err(AppError::Internal(format!(
                    "import {id}: {count} of {} written",
                    checked.valid
                )));
            }
            people::add_imported_status_changes(tx, id, "Imported", &today, by, now).await?;
            let terms = new_relationship(PersonId(0), &service, by, &today, now);
            relationships::insert_for_import(tx, id, &terms, now).await?;
            people::add_tags(tx, &tagged).await?;
            people::tidy_search_index(tx).await?;
            if !imports::finish(tx, id, count).await? {
                return Err(AppError::Conflict {
                    version: 0,
                    changed: Vec::new(),
                });
            }
            let detail = format!("{count} people from {}", row.filename);
            let object = format!("import:{id}");
            Ok(Done::new(count, AuditEvent::PeopleImport, object, detail))
        })
        .await
    }
}

/// Writes the checked people of import `id` as they arrive, many to a statement; how many were
/// written, and the tags to give them: (person, tag, restricted).
async fn write_batches(
    tx: &mut Tx,
    id: i64,
    batches: &mut tokio::sync::mpsc::Receiver<Vec<Ready>>,
    now: Timestamp,
) -> Result<(i64, Vec<(i64, i64, bool)>), AppError> {
    let mut count = 0;
    let mut tag_ids: std::collections::HashMap<(String, String), i64> =
        std::collections::HashMap::new();
    let mut tagged = Vec::new();
    while let Some(batch) = batches.recv().await {
        // The people many to a statement; their status, relationship and tags set by set.
        let (rows, tags): (Vec<Person>, Vec<Vec<people::NewTag>>) = batch.into_iter().unzip();
        let ids = people::insert_imported(tx, id, &rows, now).await?;
        if ids.len() != rows.len() {
            return Err(AppError::Internal(format!(
                "import {id} added {} people of {}",
                ids.len(),
                rows.len()
            )));
        }
        count += ids.len() as i64;
        // Most rows share a handful of tags: look each up once.
        for (pid, tags) in ids.iter().zip(&tags) {
            for (kind, name, restricted) in tags {
                let key = (kind.clone(), name.clone());
                let tag = match tag_ids.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = people::tag_id(tx, kind, name).await?;
                        tag_ids.insert(key, id);
                        id
                    }
                };
                tagged.push((*pid, tag, *restricted));
            }
        }
    }
    Ok((count, tagged))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_mapped_to_fields_once_each() {
        let header: Vec<String> = ["Full Name", "E-mail", "Mobile", "Telephone", "Shoe size"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(guess_mapping(&header), ["name", "email", "phone", "", ""]);
    }

    #[test]
    fn rows_are_checked_for_problems_and_duplicates_within_the_file_and_against_everyone() {
        let mapping: Vec<String> = ["name", "email"].iter().map(|s| (*s).to_owned()).collect();
        let mut table = Table::new(vec!["Name".into(), "Email".into()]);
        for (n, e) in [
            ("Ana", "ana@example.org"),
            ("", "x"),
            ("Ana Again", "ANA@example.org"),
            ("Ben", "ben@example.org"),
        ] {
            table.push_row([n, e]);
        }
        let existing: HashSet<u64> = identity_keys("Ben", Some("ben@example.org"), None, None)
            .into_iter()
            .collect();
        let mut checker = Checker::new(&mapping, &existing);
        let added: Vec<Person> = table
            .rows()
            .enumerate()
            .filter_map(|(i, r)| checker.check(i + 2, r))
            .map(|(p, _)| p)
            .collect();
        let preview = checker.preview;
        assert_eq!(preview.valid, 1);
        assert_eq!(preview.problem_count, 1);
        assert_eq!(
            preview.problems[0].0, 3,
            "spreadsheet row numbers count the header"
        );
        assert_eq!(preview.duplicate_count, 2);
        assert_eq!(added[0].name, "Ana");
    }
}
