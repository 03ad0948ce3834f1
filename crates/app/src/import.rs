//! Importing people from a spreadsheet: stage the table, map its columns, preview every row's
//! problems and likely duplicates, then import all valid new rows in one transaction.

use crate::people::{new_relationship, validate, PersonInput};
use crate::{authorise, Action, Actor, App, AppError, FieldError};
use coproduce_domain::audit::Entry;
use coproduce_store::imports::{self, ImportRow};
use coproduce_store::people::{self, PersonRow};
use coproduce_store::{audit, relationships, services};
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
    pub async fn import_services(
        &self,
        actor: &Actor,
    ) -> Result<Vec<coproduce_store::services::ServiceRow>, AppError> {
        authorise(actor, Action::EditPeople)?;
        self.own_services(actor).await
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

fn input_from(row: &[String], mapping: &[String]) -> PersonInput {
    let mut p = PersonInput::default();
    for (cell, field) in row.iter().zip(mapping) {
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

/// The keys two records of the same person would share.
fn identity_keys(
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    dob: Option<&str>,
) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(e) = email {
        keys.push(format!("email:{e}"));
    }
    if let Some(p) = phone {
        keys.push(format!("phone:{p}"));
    }
    if let Some(d) = dob {
        keys.push(format!("born:{}:{d}", name.to_lowercase()));
    }
    keys
}

/// Every row checked: the valid new ones, and the report.
struct Checked {
    rows: Vec<(PersonRow, Vec<people::NewTag>)>,
    preview: Preview,
}

fn check(rows: &[Vec<String>], mapping: &[String], existing: &HashSet<String>) -> Checked {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Checked {
        rows: Vec::new(),
        preview: Preview::default(),
    };
    for (i, row) in rows.iter().enumerate() {
        let number = i + 2;
        match validate(&input_from(row, mapping)) {
            Err(AppError::Invalid(problems)) => {
                out.preview.problem_count += 1;
                if out.preview.problems.len() < LISTED {
                    out.preview.problems.push((number, problems));
                }
            }
            Err(_) => {}
            Ok((person, tags)) => {
                let keys = identity_keys(
                    &person.name,
                    person.email.as_deref(),
                    person.phone.as_deref(),
                    person.date_of_birth.as_deref(),
                );
                let why = if keys.iter().any(|k| existing.contains(k)) {
                    Some("Someone with the same email, phone, or name and date of birth is already recorded")
                } else if keys.iter().any(|k| seen.contains(k)) {
                    Some("The same person is on an earlier row of this file")
                } else {
                    None
                };
                match why {
                    Some(why) => {
                        out.preview.duplicate_count += 1;
                        if out.preview.duplicates.len() < LISTED {
                            out.preview.duplicates.push((number, why.to_owned()));
                        }
                    }
                    None => {
                        seen.extend(keys);
                        out.preview.valid += 1;
                        out.rows.push((person, tags));
                    }
                }
            }
        }
    }
    out
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text)
        .map_err(|e| AppError::Internal(format!("stored import is unreadable: {e}")))
}

impl App {
    fn uploader(actor: &Actor) -> Option<i64> {
        actor
            .staff()
            .filter(|s| s.role != coproduce_domain::Role::Admin)
            .map(|s| s.id.0)
    }

    /// Stages an uploaded table for a service the actor may add people to.
    pub async fn stage_import(
        &self,
        actor: &Actor,
        service: &str,
        filename: &str,
        header: &[String],
        rows: &[Vec<String>],
    ) -> Result<i64, AppError> {
        authorise(actor, Action::EditPeople)?;
        let mut tx = self.db().write().await?;
        let service = self.allowed_service(&mut tx, actor, service).await?;
        let header_json =
            serde_json::to_string(header).map_err(|e| AppError::Internal(e.to_string()))?;
        let rows_json =
            serde_json::to_string(rows).map_err(|e| AppError::Internal(e.to_string()))?;
        let uploader = actor.staff().map(|s| s.id.0);
        let id = imports::create(
            &mut tx,
            uploader,
            service.id,
            filename,
            &header_json,
            &rows_json,
            self.now(),
        )
        .await?;
        imports::set_mapping(
            &mut tx,
            id,
            &serde_json::to_string(&guess_mapping(header)).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn load_import(&self, actor: &Actor, id: i64) -> Result<ImportRow, AppError> {
        authorise(actor, Action::EditPeople)?;
        let mut tx = self.db().read().await?;
        let row = imports::find(&mut tx, id, Self::uploader(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(row)
    }

    /// A staged import, for the mapping page.
    pub async fn staged_import(&self, actor: &Actor, id: i64) -> Result<Staged, AppError> {
        let row = self.load_import(actor, id).await?;
        let rows: Vec<Vec<String>> = parse_json(&row.rows_json)?;
        Ok(Staged {
            id,
            filename: row.filename,
            header: parse_json(&row.header)?,
            sample: rows.iter().take(3).cloned().collect(),
            row_count: rows.len(),
            mapping: parse_json(&row.mapping)?,
            done: (row.status == "done").then_some(row.imported),
        })
    }

    /// Saves which field each column fills. A name column is required.
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

    async fn check_import(&self, row: &ImportRow) -> Result<Checked, AppError> {
        let rows: Vec<Vec<String>> = parse_json(&row.rows_json)?;
        let mapping: Vec<String> = parse_json(&row.mapping)?;
        let mut tx = self.db().read().await?;
        let known = people::identities(&mut tx).await?;
        tx.commit().await?;
        let existing: HashSet<String> = known
            .iter()
            .flat_map(|(name, email, phone, dob)| {
                identity_keys(name, email.as_deref(), phone.as_deref(), dob.as_deref())
            })
            .collect();
        // Checking 100,000 rows is work for a blocking thread, not the async runtime.
        tokio::task::spawn_blocking(move || check(&rows, &mapping, &existing))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// What importing would do, row by row.
    pub async fn preview_import(&self, actor: &Actor, id: i64) -> Result<Preview, AppError> {
        let row = self.load_import(actor, id).await?;
        Ok(self.check_import(&row).await?.preview)
    }

    /// Imports every valid new row in one transaction: all of them or, if anything fails, none.
    /// Importing the same import twice adds nobody the second time.
    pub async fn run_import(&self, actor: &Actor, id: i64) -> Result<i64, AppError> {
        let row = self.load_import(actor, id).await?;
        if row.status == "done" {
            return Ok(row.imported);
        }
        let checked = self.check_import(&row).await?;
        let now = self.now();
        let today = chrono::Utc::now().date_naive().to_string();
        let by = actor.staff().map(|s| s.id);
        let mut tx = self.db().write().await?;
        let service = services::find_by_name_or_id(&mut tx, &row.service_id.to_string())
            .await?
            .ok_or(AppError::NotFound)?;
        let count = checked.rows.len() as i64;
        // Everyone in a few statements: the people many to a statement, then their status,
        // relationship and tags set by set.
        let (rows, tags): (Vec<PersonRow>, Vec<Vec<people::NewTag>>) =
            checked.rows.into_iter().unzip();
        let ids = people::insert_imported(&mut tx, id, &rows, now).await?;
        if ids.len() != rows.len() {
            return Err(AppError::Internal(format!(
                "import {id} added {} people of {}",
                ids.len(),
                rows.len()
            )));
        }
        people::add_imported_status_changes(&mut tx, id, "Imported", &today, by, now).await?;
        let terms = new_relationship(0, &service, by, &today, now);
        relationships::insert_for_import(&mut tx, id, &terms, now).await?;
        // Most rows share a handful of tags: look each up once.
        let mut tag_ids: std::collections::HashMap<(String, String), i64> =
            std::collections::HashMap::new();
        let mut tagged = Vec::new();
        for (pid, tags) in ids.iter().zip(&tags) {
            for (kind, name, restricted) in tags {
                let key = (kind.clone(), name.clone());
                let tag = match tag_ids.get(&key) {
                    Some(id) => *id,
                    None => {
                        let id = people::tag_id(&mut tx, kind, name).await?;
                        tag_ids.insert(key, id);
                        id
                    }
                };
                tagged.push((*pid, tag, *restricted));
            }
        }
        people::add_tags(&mut tx, &tagged).await?;
        people::tidy_search_index(&mut tx).await?;
        if !imports::finish(&mut tx, id, count).await? {
            return Err(AppError::Conflict {
                version: 0,
                changed: Vec::new(),
            });
        }
        let detail = format!("{count} people from {}", row.filename);
        let object = format!("import:{id}");
        audit::append(
            &mut tx,
            self.audit_key(),
            &Entry {
                at: now.millis(),
                actor: &actor.audit_name(),
                action: "people_import",
                object: Some(&object),
                detail: &detail,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(count)
    }
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
        let row = |n: &str, e: &str| vec![n.to_owned(), e.to_owned()];
        let rows = vec![
            row("Ana", "ana@example.org"),
            row("", "x"),
            row("Ana Again", "ANA@example.org"),
            row("Ben", "ben@example.org"),
        ];
        let existing: HashSet<String> = ["email:ben@example.org".to_owned()].into_iter().collect();
        let checked = check(&rows, &mapping, &existing);
        assert_eq!(checked.preview.valid, 1);
        assert_eq!(checked.preview.problem_count, 1);
        assert_eq!(
            checked.preview.problems[0].0, 3,
            "spreadsheet row numbers count the header"
        );
        assert_eq!(checked.preview.duplicate_count, 2);
        assert_eq!(checked.rows[0].0.name, "Ana");
    }
}
