//! People: their record, status history, consents and tags. Every read takes a [`Scope`], so a
//! list can never show someone outside the reader's services.

use crate::{decode_json_rows, on, placeholders, Field, JsonRows, Result, Tx};
use coproduce_domain::enquiries::Match;
use coproduce_domain::people::join_codes;
use coproduce_domain::relationships::{Contact, Relationship, Tag};
use coproduce_domain::PersonId;
use coproduce_domain::{Person, StaffId, Timestamp};

mod history;

pub use history::{
    add_consent, add_status_change, add_tag, consents, quotable, set_tags, tag_id, ConsentRow,
    NewTag, StatusChangeRow,
};
use history::{CONSENTS, STATUS_CHANGES, TAGS};

pub use crate::scope::Scope;

/// The scope condition on `people p`, with the scope bound as the parameter named.
macro_rules! scope_sql {
    ($param:literal) => {
        concat!(
            "(",
            $param,
            " IS NULL OR EXISTS (SELECT 1 FROM relationships sr
             JOIN staff_services ss ON ss.service_id = sr.service_id
             WHERE sr.person_id = p.id AND ss.staff_id = ",
            $param,
            "))"
        )
    };
}

/// The scope condition on `people p`, with the scope bound as `$1`.
const SCOPE_SQL: &str = scope_sql!("$1");

const PERSON_FIELDS: &[Field] = &[
    ("id", "p.id"),
    ("name", "p.name"),
    ("preferred_name", "p.preferred_name"),
    ("pronouns", "p.pronouns"),
    ("date_of_birth", "p.date_of_birth"),
    ("email", "p.email"),
    ("phone", "p.phone"),
    ("address", "p.address"),
    ("postcode", "p.postcode"),
    ("partner_id", "p.partner_id"),
    ("status", "p.status"),
    ("channels", "p.channels"),
    ("best_times", "p.best_times"),
    ("needs", "p.needs"),
    ("interpreter_language", "p.interpreter_language"),
    ("needs_notes", "p.needs_notes"),
    ("version", "p.version"),
];

/// The text people are found by, word by word: their names, lower case, with anything between
/// words made a space. (Email and phone are found through their own columns.)
pub fn search_text(name: &str, preferred_name: &str) -> String {
    words(&format!("{name} {preferred_name}")).join(" ")
}

/// The lower-case words of a text: its runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The columns a new person fills, in the order [`bind_person!`] binds them.
const INSERT_COLUMNS: &str =
    "name, preferred_name, pronouns, date_of_birth, email, phone, address, \
    postcode, partner_id, status, channels, best_times, needs, interpreter_language, needs_notes, \
    search_text, created_at, updated_at, import_id";
const INSERT_VALUES: usize = 19;

/// Binds a new person's [`INSERT_COLUMNS`].
macro_rules! bind_person {
    ($q:expr, $p:expr, $now:expr, $import:expr) => {{
        let c = Columns::of($p);
        $q.bind(&$p.name)
            .bind(&$p.preferred_name)
            .bind(&$p.pronouns)
            .bind(c.date_of_birth)
            .bind(&$p.email)
            .bind(&$p.phone)
            .bind(&$p.address)
            .bind(&$p.postcode)
            .bind(c.partner_id)
            .bind(c.status)
            .bind(c.channels)
            .bind(&$p.best_times)
            .bind(c.needs)
            .bind(&$p.interpreter_language)
            .bind(&$p.needs_notes)
            .bind(c.search_text)
            .bind($now.millis())
            .bind($now.millis())
            .bind($import)
    }};
}

/// A person's typed values as the columns store them.
struct Columns {
    date_of_birth: Option<String>,
    partner_id: Option<i64>,
    status: &'static str,
    channels: String,
    needs: String,
    search_text: String,
}

impl Columns {
    fn of(p: &Person) -> Columns {
        Columns {
            date_of_birth: p.date_of_birth.map(|d| d.to_string()),
            partner_id: p.partner_id.map(|id| id.0),
            status: p.status.code(),
            channels: join_codes(&p.channels, |c| c.code()),
            needs: join_codes(&p.needs, |n| n.code()),
            search_text: search_text(&p.name, &p.preferred_name),
        }
    }
}

/// Adds a person; returns their id.
pub async fn insert(tx: &mut Tx, p: &Person, now: Timestamp) -> Result<PersonId> {
    let sql = format!(
        "INSERT INTO people ({INSERT_COLUMNS}) VALUES {} RETURNING id",
        placeholders(tx.is_sqlite(), 1, INSERT_VALUES)
    );
    Ok(
        on!(tx, c => bind_person!(sqlx::query_scalar(&sql), p, now, None::<i64>)
        .fetch_one(c)
        .await?),
    )
}

/// People added to one statement by [`insert_imported`].
const ROWS_PER_INSERT: usize = 100;

/// Adds people to an import, many to a statement, marked as from it; returns their ids in the
/// order given (ids rise in the order rows are added, on both backends). An import adds its
/// people a batch at a time, so only this batch's ids are returned.
pub async fn insert_imported(
    tx: &mut Tx,
    import: i64,
    rows: &[Person],
    now: Timestamp,
) -> Result<Vec<i64>> {
    let before: i64 = on!(tx, c => sqlx::query_scalar(
        "SELECT coalesce(max(id), 0) FROM people WHERE import_id = $1",
    )
    .bind(import)
    .fetch_one(c)
    .await?);
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let sql = format!(
            "INSERT INTO people ({INSERT_COLUMNS}) VALUES {}",
            placeholders(tx.is_sqlite(), chunk.len(), INSERT_VALUES)
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql);
            for p in chunk {
                q = bind_person!(q, p, now, Some(import));
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    let added = JsonRows {
        fields: &[("id", "id")],
        from: "FROM people WHERE import_id = $1 AND id > $2",
        order: "id",
    };
    let ids: Vec<Id> = crate::json_rows!(tx, added, |q| q.bind(import).bind(before));
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// Merges SQLite's search index into one segment, so a search reads one list per word rather
/// than one per batch of writes (about 50 ms for 100,000 people). Run after a bulk write such as
/// an import; single writes are merged as they go. Nothing to do on PostgreSQL.
pub async fn tidy_search_index(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(t) = tx {
        sqlx::query("INSERT INTO people_search (people_search) VALUES ('optimize')")
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// Records the status of everyone an import added, as their first status change.
pub async fn add_imported_status_changes(
    tx: &mut Tx,
    import: i64,
    reason: &str,
    changed_on: &str,
    by: Option<StaffId>,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO person_status_changes (person_id, status, reason, changed_on, recorded_by, recorded_at)
         SELECT id, status, $2, $3, $4, $5 FROM people WHERE import_id = $1 ORDER BY id",
    )
    .bind(import).bind(reason).bind(changed_on).bind(by.map(|s| s.0)).bind(now.millis())
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(())
}

/// Puts tags on people, many to a statement: `(person, tag, restricted)` each.
pub async fn add_tags(tx: &mut Tx, tags: &[(i64, i64, bool)]) -> Result<()> {
    for chunk in tags.chunks(300) {
        let sql = format!(
            "INSERT INTO person_tags (person_id, tag_id, restricted) VALUES {} ON CONFLICT DO NOTHING",
            placeholders(tx.is_sqlite(), chunk.len(), 3)
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql);
            for (person, tag, restricted) in chunk {
                q = q.bind(person).bind(tag).bind(restricted);
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    Ok(())
}

/// Saves a person's record if it is still at `p.version`; returns false (and changes nothing)
/// when someone else saved first.
pub async fn update(tx: &mut Tx, p: &Person, now: Timestamp) -> Result<bool> {
    let c = Columns::of(p);
    let n = on!(tx, conn => sqlx::query(
        "UPDATE people SET name = $2, preferred_name = $3, pronouns = $4, date_of_birth = $5, email = $6,
            phone = $7, address = $8, postcode = $9, partner_id = $10, status = $11, channels = $12,
            best_times = $13, needs = $14, interpreter_language = $15, needs_notes = $16, search_text = $17,
            updated_at = $18, version = version + 1
         WHERE id = $1 AND version = $19",
    )
    .bind(p.id.0).bind(&p.name).bind(&p.preferred_name).bind(&p.pronouns).bind(&c.date_of_birth).bind(&p.email)
    .bind(&p.phone).bind(&p.address).bind(&p.postcode).bind(c.partner_id).bind(c.status).bind(&c.channels)
    .bind(&p.best_times).bind(&c.needs).bind(&p.interpreter_language).bind(&p.needs_notes)
    .bind(&c.search_text).bind(now.millis()).bind(p.version)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())?);
    Ok(n == 1)
}

/// A person, if the scope lets the reader see them.
pub async fn find(tx: &mut Tx, id: PersonId, scope: Scope) -> Result<Option<Person>> {
    let mut found: Vec<Person> =
        crate::json_rows!(tx, VISIBLE_PERSON, |q| q.bind(id).bind(scope.bind()));
    Ok(found.pop())
}

/// What a search asks for.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Words to find in names, email or phone (lower case).
    pub text: Option<String>,
    /// Only people with a relationship with this service.
    pub service_id: Option<i64>,
    /// Only people with this status code.
    pub status: Option<String>,
    /// Only people with this tag name.
    pub tag: Option<String>,
    /// Only people with an active relationship due before this moment.
    pub overdue_at: Option<Timestamp>,
    /// Start after this (name, id), for the next page.
    pub after: Option<(String, i64)>,
}

/// How a search's text finds people, as a condition with the text bound as `$2`:
/// - digits (six or more) are the start of a phone number, a range on the phone index;
/// - one word with `@` or `.` is the start of an email address: on SQLite a range on the email
///   index, on PostgreSQL a `LIKE` (whose collation may not order punctuation bytewise);
/// - anything else is words of names, each matching the start of a word of the person's names,
///   in any order: on SQLite through the full-text index, on PostgreSQL a `LIKE` per word over
///   the search text (the words bound space-separated).
fn text_condition(text: Option<&str>, sqlite: bool) -> (&'static str, Option<String>) {
    let Some(t) = text else {
        return ("$2 IS NULL", None);
    };
    let escaped = || t.replace(['%', '_'], "");
    if t.len() >= 6 && t.chars().all(|c| c.is_ascii_digit()) {
        return (
            "p.id IN (SELECT id FROM people WHERE phone >= $2 AND phone < $2 || ':')",
            Some(t.to_owned()),
        );
    }
    if !t.contains(char::is_whitespace) && t.contains(['@', '.']) {
        return if sqlite {
            (
                "p.id IN (SELECT id FROM people WHERE email >= $2 AND email < $2 || x'ff')",
                Some(t.to_owned()),
            )
        } else {
            ("p.email LIKE $2", Some(format!("{}%", escaped())))
        };
    }
    let words = words(&escaped());
    if words.is_empty() {
        return ("$2 IS NULL", None);
    }
    if sqlite {
        let terms: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
        (
            "p.id IN (SELECT rowid FROM people_search WHERE people_search MATCH $2)",
            Some(terms.join(" ")),
        )
    } else {
        (
            "NOT EXISTS (SELECT 1 FROM unnest(string_to_array($2, ' ')) AS w(word)
                         WHERE ' ' || p.search_text NOT LIKE '% ' || w.word || '%')",
            Some(words.join(" ")),
        )
    }
}

/// One page of people, by name.
pub async fn search(tx: &mut Tx, f: &Filter, scope: Scope, limit: i64) -> Result<Vec<Person>> {
    let (text_sql, text) = text_condition(f.text.as_deref(), tx.is_sqlite());
    let from = format!(
        "FROM people p
         WHERE {SCOPE_SQL}
           AND {text_sql}
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM relationships r WHERE r.person_id = p.id AND r.service_id = $3))
           AND ($4 IS NULL OR p.status = $4)
           AND ($5 IS NULL OR EXISTS (SELECT 1 FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
                                      WHERE pt.person_id = p.id AND lower(t.name) = lower($5)))
           AND ($6 IS NULL OR EXISTS (SELECT 1 FROM relationships r
                                      WHERE r.person_id = p.id AND r.status = 'active' AND r.due_at < $6))
           AND ($7 IS NULL OR p.name > $7 OR (p.name = $7 AND p.id > $8))
         ORDER BY p.name, p.id
         LIMIT $9"
    );
    let (after_name, after_id) = match &f.after {
        Some((n, i)) => (Some(n.clone()), *i),
        None => (None, 0),
    };
    let rows = JsonRows {
        fields: PERSON_FIELDS,
        from: &from,
        order: "name, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(scope.bind())
        .bind(&text)
        .bind(f.service_id)
        .bind(&f.status)
        .bind(&f.tag)
        .bind(f.overdue_at.map(Timestamp::millis))
        .bind(&after_name)
        .bind(after_id)
        .bind(limit)))
}

/// Who is already recorded, for spotting duplicates: lower-case name, email, phone and date of
/// birth of everyone (not scoped: a duplicate is a duplicate whoever can see it).
pub async fn identities(
    tx: &mut Tx,
) -> Result<Vec<(String, Option<String>, Option<String>, Option<String>)>> {
    Ok(
        on!(tx, c => sqlx::query_as("SELECT lower(name), email, phone, date_of_birth FROM people")
        .fetch_all(c)
        .await?),
    )
}

/// Everything recorded about a person, read in one statement: the record (if the scope lets
/// the reader see it), relationships, newest `contacts` contacts, status history, consents, tags,
/// and other people who are likely the same person (the same email, the same phone, or the same
/// name and date of birth; scoped like every read).
#[derive(Clone, Debug)]
pub struct PersonRecord {
    /// The record.
    pub person: Person,
    /// Their relationships, by service name.
    pub relationships: Vec<Relationship>,
    /// Their contacts, newest first.
    pub contacts: Vec<Contact>,
    /// Their status history, oldest first.
    pub status_changes: Vec<StatusChangeRow>,
    /// Their consent records, oldest first.
    pub consents: Vec<ConsentRow>,
    /// All their tags, restricted or not.
    pub tags: Vec<Tag>,
    /// Likely duplicates, by name.
    pub duplicates: Vec<Person>,
}

/// Likely duplicates of the person bound as `$1`, within the scope bound as `$2`. Each test is
/// an indexed lookup from the person's own details.
const DUPLICATES: JsonRows = JsonRows {
    fields: PERSON_FIELDS,
    from: concat!(
        "FROM people p
         WHERE p.id IN (
             SELECT x.id FROM people me JOIN people x ON x.email = me.email WHERE me.id = $1
             UNION SELECT x.id FROM people me JOIN people x ON x.phone = me.phone WHERE me.id = $1
             UNION SELECT x.id FROM people me JOIN people x
                 ON x.date_of_birth = me.date_of_birth AND lower(x.name) = lower(me.name) WHERE me.id = $1)
           AND p.id <> $1 AND ",
        scope_sql!("$2"),
        " ORDER BY p.name, p.id LIMIT 20"
    ),
    order: "name, id",
};

/// The person bound as `$1`, if the scope bound as `$2` lets the reader see them.
const VISIBLE_PERSON: JsonRows = JsonRows {
    fields: PERSON_FIELDS,
    from: concat!("FROM people p WHERE p.id = $1 AND ", scope_sql!("$2")),
    order: "id",
};

/// A person's whole record, in one statement, or `None` if the scope hides them.
pub async fn record(
    tx: &mut Tx,
    id: PersonId,
    scope: Scope,
    contacts: i64,
) -> Result<Option<PersonRecord>> {
    let sqlite = tx.is_sqlite();
    let contacts_from = crate::contacts::for_person_from(contacts);
    let parts = [
        VISIBLE_PERSON,
        crate::relationships::FOR_PERSON,
        crate::contacts::for_person_rows(&contacts_from),
        STATUS_CHANGES,
        CONSENTS,
        TAGS,
        DUPLICATES,
    ]
    .map(|rows| rows.expr(sqlite));
    let sql = format!("SELECT {}", parts.join(", "));
    type Texts = (String, String, String, String, String, String, String);
    let row: Texts =
        on!(tx, c => sqlx::query_as(&sql).bind(id).bind(scope.bind()).fetch_one(c).await?);
    let mut person: Vec<Person> = decode_json_rows(&row.0)?;
    let Some(person) = person.pop() else {
        return Ok(None);
    };
    Ok(Some(PersonRecord {
        person,
        relationships: decode_json_rows(&row.1)?,
        contacts: decode_json_rows(&row.2)?,
        status_changes: decode_json_rows(&row.3)?,
        consents: decode_json_rows(&row.4)?,
        tags: decode_json_rows(&row.5)?,
        duplicates: decode_json_rows(&row.6)?,
    }))
}

/// Moves everything recorded about `remove` onto `keep`, then deletes `remove`: contacts,
/// consents, status history and tags all move; a relationship with a service `keep` already has
/// is dropped (its contacts stay, counted on `keep`'s).
pub async fn merge_into(tx: &mut Tx, keep: PersonId, remove: PersonId) -> Result<()> {
    let statements = [
        "UPDATE contacts SET person_id = $1 WHERE person_id = $2",
        "UPDATE consents SET person_id = $1 WHERE person_id = $2",
        "UPDATE concerns SET person_id = $1 WHERE person_id = $2",
        "UPDATE improvements SET quote_person_id = $1 WHERE quote_person_id = $2",
        "UPDATE person_status_changes SET person_id = $1 WHERE person_id = $2",
        "INSERT INTO person_tags (person_id, tag_id, restricted)
         SELECT $1, tag_id, restricted FROM person_tags WHERE person_id = $2 ON CONFLICT DO NOTHING",
        "UPDATE relationships SET person_id = $1
         WHERE person_id = $2 AND (
             (group_id IS NULL AND service_id NOT IN
                 (SELECT service_id FROM relationships WHERE person_id = $1 AND group_id IS NULL))
             OR (group_id IS NOT NULL AND group_id NOT IN
                 (SELECT group_id FROM relationships WHERE person_id = $1 AND group_id IS NOT NULL)))",
        "UPDATE group_members SET person_id = $1
         WHERE person_id = $2 AND (left_on IS NOT NULL OR group_id NOT IN
             (SELECT group_id FROM group_members WHERE person_id = $1 AND left_on IS NULL))",
        "DELETE FROM people WHERE id = $2",
    ];
    for sql in statements {
        on!(tx, c => sqlx::query(sql).bind(keep).bind(remove).execute(c).await.map(|r| r.rows_affected())?);
    }
    Ok(())
}

/// People the scope lets the reader see who have the email address or phone number given (the
/// form that adds someone warns before saving another).
pub async fn visible_with_address(
    tx: &mut Tx,
    email: Option<&str>,
    phone: Option<&str>,
    scope: Scope,
) -> Result<Vec<Match>> {
    if email.is_none() && phone.is_none() {
        return Ok(Vec::new());
    }
    let sql = concat!(
        "SELECT p.id, p.name, p.status FROM people p
         WHERE (LOWER(p.email) = LOWER($1) OR p.phone = $2) AND ",
        scope_sql!("$3"),
        " ORDER BY p.id LIMIT 5"
    );
    Ok(on!(tx, c => sqlx::query_as(sql)
        .bind(email)
        .bind(phone)
        .bind(scope.bind())
        .fetch_all(c)
        .await?))
}

/// People with this email address (any case) or phone number, at most five, oldest first
/// (not scoped: it is for spotting the same person, whoever can see them).
pub async fn with_address(
    tx: &mut Tx,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<Vec<Match>> {
    if email.is_none() && phone.is_none() {
        return Ok(Vec::new());
    }
    Ok(on!(tx, c => sqlx::query_as(
        "SELECT id, name, status FROM people WHERE LOWER(email) = LOWER($1) OR phone = $2 ORDER BY id LIMIT 5",
    )
    .bind(email)
    .bind(phone)
    .fetch_all(c)
    .await?))
}
