//! Opportunities: staff write and publish roles to fill, invite people, and select, confirm or
//! wait-list those who are interested. Confirming someone records their involvement.

use crate::input::text;
use crate::write::Done;
use crate::{authorise, authorise_or_hide, Action, Actor, App, AppError, FieldError, Resource};
use chrono::{NaiveDate, NaiveTime};
use coproduce_domain::easy_read::{self, Line, MAX_LINES, MAX_LINE_CHARS};
use coproduce_domain::opportunities::{Opportunity, OpportunityPerson, Picture};
use coproduce_domain::opportunities::{
    OpportunityKind, Place, Requirement, Stage, Support, Visibility,
};
use coproduce_domain::people::{join_codes, parse_date, parse_list};
use coproduce_domain::time::uk_day;
use coproduce_domain::AuditEvent;
use coproduce_domain::{OpportunityId, PersonId};
use coproduce_domain::{ServiceId, Timestamp};
use coproduce_store::opportunities::{self, Listing};
use coproduce_store::{people, services, Tx};
use std::sync::Arc;

/// The largest picture that can be uploaded.
pub const MAX_PICTURE_BYTES: usize = 1024 * 1024;

/// How long the public list of opportunities is kept before it is read again, in milliseconds.
/// Anyone may ask for it, as often as they like, and it changes rarely; a change made on this
/// server clears it at once, and one made on another server shows within this time.
pub const PUBLIC_CACHE_MS: i64 = 2_000;

/// The public list as last read: when (milliseconds), for which UK date, and the rows.
type PublicList = (i64, String, Arc<Vec<Opportunity>>);

/// The public list of opportunities, as last read.
#[derive(Default)]
pub(crate) struct PublicCache(std::sync::Mutex<Option<PublicList>>);

impl PublicCache {
    fn get(&self, now: Timestamp, today: &str) -> Option<Arc<Vec<Opportunity>>> {
        let guard = self.0.lock().ok()?;
        match guard.as_ref() {
            Some((at, day, rows)) if day == today && now.millis() - at < PUBLIC_CACHE_MS => {
                Some(Arc::clone(rows))
            }
            _ => None,
        }
    }

    fn put(&self, now: Timestamp, today: String, rows: Arc<Vec<Opportunity>>) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((now.millis(), today, rows));
        }
    }

    fn clear(&self) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = None;
        }
    }
}

/// An opportunity as typed into its form or sent to the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpportunityInput {
    /// Its title.
    pub title: String,
    /// Kind code.
    pub kind: String,
    /// The service it is for.
    pub service_id: String,
    /// The date it starts.
    pub starts_on: String,
    /// Start time, `HH:MM`.
    pub start_time: String,
    /// End time, `HH:MM`.
    pub end_time: String,
    /// Further dates, in words.
    pub dates_note: String,
    /// `online`, `phone` or `venue`.
    pub place: String,
    /// The venue's name and address.
    pub venue: String,
    /// Access information.
    pub access_info: String,
    /// How many people are needed.
    pub places: String,
    /// What is asked of people.
    pub asked: String,
    /// Support codes.
    pub support: Vec<String>,
    /// More about the support.
    pub support_notes: String,
    /// Requirement codes.
    pub requirements: Vec<String>,
    /// The payment terms.
    pub payment: String,
    /// The date it closes.
    pub closes_on: String,
    /// The plain-English description.
    pub description: String,
    /// The Easy Read summary.
    pub easy_read: Vec<Line>,
    /// `draft`, `involved` or `public`.
    pub visibility: String,
    /// How long taking part counts for, in hours (for involvement records).
    pub hours: String,
    /// The version being saved against (when changing).
    pub version: i64,
}

/// An opportunity with everyone in it, for staff.
#[derive(Clone, Debug)]
pub struct OpportunityView {
    /// The opportunity.
    pub opportunity: Opportunity,
    /// Everyone invited, interested, selected, waiting, confirmed, declined or withdrawn.
    pub people: Vec<OpportunityPerson>,
}

/// Ticked codes as stored: known ones only, each once.
fn codes<T: Copy + PartialEq>(
    list: &[String],
    parse: impl Fn(&str) -> Option<T>,
    code: impl Fn(T) -> &'static str,
) -> String {
    join_codes(&parse_list(&list.join(","), parse), code)
}

fn time(text: &str, field: &'static str, problems: &mut Vec<FieldError>) -> String {
    let t = text.trim();
    if t.is_empty() {
        return String::new();
    }
    match NaiveTime::parse_from_str(t, "%H:%M") {
        Ok(v) => v.format("%H:%M").to_string(),
        Err(_) => {
            problems.push(FieldError::new(field, "Enter a time like 14:30"));
            String::new()
        }
    }
}

/// A required date, or its problem.
fn date(text: &str, field: &'static str, problems: &mut Vec<FieldError>) -> Option<NaiveDate> {
    parse_date(text)
        .map_err(|e| problems.push(FieldError::new(field, e.0)))
        .ok()
}

/// Where it happens (a venue needs its address) and how many places it has.
fn where_it_is(input: &OpportunityInput, problems: &mut Vec<FieldError>) -> (Option<Place>, i64) {
    let place = Place::parse(&input.place);
    if place.is_none() {
        problems.push(FieldError::new("place", "Choose where it happens"));
    }
    if place == Some(Place::Venue) && input.venue.trim().is_empty() {
        problems.push(FieldError::new(
            "venue",
            "Enter the venue's name and address",
        ));
    }
    let places = coproduce_domain::range::whole(&input.places, 1..=500).unwrap_or_else(|| {
        problems.push(FieldError::new(
            "places",
            "Enter how many people are needed, from 1 to 500",
        ));
        0
    });
    (place, places)
}

/// An opportunity's texts, each within its length.
struct Words {
    description: String,
    dates_note: String,
    venue: String,
    access_info: String,
    asked: String,
    support_notes: String,
    payment: String,
}

/// Checks an opportunity's texts; a description is required.
fn words(input: &OpportunityInput, problems: &mut Vec<FieldError>) -> Words {
    let description = text(
        "description",
        &input.description,
        8000,
        "The description",
        problems,
    );
    if description.is_empty() {
        problems.push(FieldError::new(
            "description",
            "Enter a description in plain English",
        ));
    }
    let dates_note = text(
        "dates_note",
        &input.dates_note,
        500,
        "Other dates",
        problems,
    );
    let venue = text("venue", &input.venue, 500, "The venue", problems);
    let access_info = text(
        "access_info",
        &input.access_info,
        2000,
        "Access information",
        problems,
    );
    let asked = text("asked", &input.asked, 4000, "What we ask", problems);
    let support_notes = text(
        "support_notes",
        &input.support_notes,
        2000,
        "More about the support",
        problems,
    );
    let payment = text("payment", &input.payment, 1000, "Payment", problems);
    Words {
        description,
        dates_note,
        venue,
        access_info,
        asked,
        support_notes,
        payment,
    }
}

/// Checks an Easy Read summary: how many sentences, how long each, and its pictures.
fn easy_read_problems(easy_read: &[Line], problems: &mut Vec<FieldError>) {
    let lines: Vec<&Line> = easy_read
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .collect();
    if lines.len() > MAX_LINES {
        problems.push(FieldError::new(
            "easy_read",
            format!("An Easy Read summary has at most {MAX_LINES} sentences"),
        ));
    }
    if lines
        .iter()
        .any(|l| l.text.trim().chars().count() > MAX_LINE_CHARS)
    {
        problems.push(FieldError::new(
            "easy_read",
            format!("Keep each Easy Read sentence to {MAX_LINE_CHARS} characters or fewer"),
        ));
    }
    if lines
        .iter()
        .any(|l| !easy_read::known_picture(l.picture.trim()))
    {
        problems.push(FieldError::new(
            "easy_read",
            "Choose each picture from the list",
        ));
    }
}

/// The hours taking part counts for, as minutes (none when empty).
fn minutes(hours: &str, problems: &mut Vec<FieldError>) -> i64 {
    match hours.trim() {
        "" => 0,
        text => match coproduce_domain::range::decimal(text, 0.0..=100.0) {
            Some(h) => (h * 60.0).round() as i64,
            None => {
                problems.push(FieldError::new(
                    "hours",
                    "Enter the hours taking part counts for, like 2.5",
                ));
                0
            }
        },
    }
}

/// Checks an opportunity's details; returns the row to store (without id, service name or
/// counts), or every problem.
fn checked(input: &OpportunityInput, service_id: ServiceId) -> Result<Opportunity, AppError> {
    let mut problems = Vec::new();
    let title = input.title.trim();
    if title.is_empty() {
        problems.push(FieldError::new("title", "Enter a title"));
    } else if title.chars().count() > 150 {
        problems.push(FieldError::new(
            "title",
            "The title must be 150 characters or fewer",
        ));
    }
    let kind = OpportunityKind::parse(&input.kind);
    if kind.is_none() {
        problems.push(FieldError::new("kind", "Choose what kind of role it is"));
    }
    let starts_on = date(&input.starts_on, "starts_on", &mut problems);
    let start_time = time(&input.start_time, "start_time", &mut problems);
    let end_time = time(&input.end_time, "end_time", &mut problems);
    if !start_time.is_empty() && !end_time.is_empty() && end_time <= start_time {
        problems.push(FieldError::new(
            "end_time",
            "The end time must be after the start time",
        ));
    }
    let (place, places) = where_it_is(input, &mut problems);
    let closes_on = date(&input.closes_on, "closes_on", &mut problems);
    if let (Some(s), Some(c)) = (starts_on, closes_on) {
        if c > s {
            problems.push(FieldError::new(
                "closes_on",
                "The closing date must be on or before the day it starts",
            ));
        }
    }
    let words = words(input, &mut problems);
    easy_read_problems(&input.easy_read, &mut problems);
    let visibility = Visibility::parse(&input.visibility);
    if visibility.is_none() {
        problems.push(FieldError::new("visibility", "Choose who can see it"));
    }
    let minutes = minutes(&input.hours, &mut problems);
    let (Some(kind), Some(starts_on), Some(place), Some(closes_on), Some(visibility), true) = (
        kind,
        starts_on,
        place,
        closes_on,
        visibility,
        problems.is_empty(),
    ) else {
        return Err(AppError::Invalid(problems));
    };
    Ok(Opportunity {
        title: title.to_owned(),
        kind: kind.code().to_owned(),
        service_id,
        starts_on: starts_on.to_string(),
        start_time,
        end_time,
        dates_note: words.dates_note,
        place: place.code().to_owned(),
        venue: words.venue,
        access_info: words.access_info,
        places,
        asked: words.asked,
        support: codes(&input.support, Support::parse, Support::code),
        support_notes: words.support_notes,
        requirements: codes(&input.requirements, Requirement::parse, Requirement::code),
        payment: words.payment,
        closes_on: closes_on.to_string(),
        description: words.description,
        easy_read: easy_read::join(&input.easy_read),
        visibility: visibility.code().to_owned(),
        minutes,
        version: input.version,
        ..Opportunity::default()
    })
}

impl App {
    async fn opportunity_service(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        service: &str,
    ) -> Result<ServiceId, AppError> {
        let found = services::find_by_name_or_id(tx, service.trim())
            .await?
            .ok_or_else(|| AppError::field("service_id", "Choose a service"))?;
        authorise(actor, Action::EditGroups, &Resource::in_service(found.id))?;
        Ok(found.id)
    }

    /// Adds an opportunity for one of the actor's services.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_opportunity(
        &self,
        actor: &Actor,
        input: &OpportunityInput,
    ) -> Result<OpportunityId, AppError> {
        let now = self.now();
        let id = self
            .write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
                let service = self.opportunity_service(tx, actor, &input.service_id).await;
                let row = match (
                    checked(input, *service.as_ref().unwrap_or(&ServiceId(0))),
                    service,
                ) {
                    (Ok(row), Ok(_)) => row,
                    (Err(AppError::Invalid(mut a)), Err(AppError::Invalid(b))) => {
                        a.extend(b);
                        return Err(AppError::Invalid(a));
                    }
                    (Err(e), _) | (_, Err(e)) => return Err(e),
                };
                let id = opportunities::insert(tx, &row, now).await?;
                Ok(Done::new(
                    id,
                    AuditEvent::OpportunityAdd,
                    format!("opportunity:{id}"),
                    row.visibility,
                ))
            })
            .await?;
        self.inner.public_opportunities.clear();
        Ok(id)
    }

    /// Saves changes to an opportunity if nobody else saved first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn update_opportunity(
        &self,
        actor: &Actor,
        id: OpportunityId,
        input: &OpportunityInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        // `opportunity_in_scope` makes this same check first.
        self.write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
            let current = self.opportunity_in_scope(tx, actor, id).await?;
            let service = self
                .opportunity_service(tx, actor, &input.service_id)
                .await?;
            let mut row = checked(input, service)?;
            if row.places < current.confirmed {
                return Err(AppError::field(
                    "places",
                    format!(
                        "{} people are confirmed already: move some off first, or keep at least {} places",
                        current.confirmed, current.confirmed
                    ),
                ));
            }
            row.id = id;
            if !opportunities::update(tx, &row, now).await? {
                return Err(AppError::Conflict {
                    version: current.version,
                    changed: vec!["title"],
                });
            }
            Ok(Done::new(
                (),
                AuditEvent::OpportunityChange,
                format!("opportunity:{id}"),
                row.visibility,
            ))
        })
        .await?;
        self.inner.public_opportunities.clear();
        Ok(())
    }

    async fn opportunity_in_scope(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: OpportunityId,
    ) -> Result<Opportunity, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let found = opportunities::find(tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        authorise_or_hide(
            actor,
            Action::ViewGroups,
            &Resource::in_service(found.service_id),
        )?;
        Ok(found)
    }

    /// Every opportunity the actor works on (their services', for service staff).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn staff_opportunities(&self, actor: &Actor) -> Result<Vec<Opportunity>, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let staff = crate::authz::bounded_by(actor).map(|s| s.0);
        let mut tx = self.db().read().await?;
        let rows = opportunities::list(&mut tx, Listing::Staff(staff)).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// One opportunity with everyone in it, for staff.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn view_opportunity(
        &self,
        actor: &Actor,
        id: OpportunityId,
    ) -> Result<OpportunityView, AppError> {
        let mut tx = self.db().read().await?;
        let opportunity = self.opportunity_in_scope(&mut tx, actor, id).await?;
        let people = opportunities::people(&mut tx, id).await?;
        tx.commit().await?;
        Ok(OpportunityView {
            opportunity,
            people,
        })
    }

    /// The opportunities open to everyone, soonest closing first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn public_opportunities(&self) -> Result<Arc<Vec<Opportunity>>, AppError> {
        let now = self.now();
        let today = uk_day(now).to_string();
        if let Some(rows) = self.inner.public_opportunities.get(now, &today) {
            return Ok(rows);
        }
        let mut tx = self.db().read().await?;
        let rows = Arc::new(opportunities::list(&mut tx, Listing::Public(&today)).await?);
        tx.commit().await?;
        self.inner
            .public_opportunities
            .put(now, today, Arc::clone(&rows));
        Ok(rows)
    }

    /// One opportunity anyone may see: a public one, open or closed (drafts and those only for
    /// people involved are not found). The flag says whether it is still open.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn public_opportunity(
        &self,
        id: OpportunityId,
    ) -> Result<(Opportunity, bool), AppError> {
        let today = uk_day(self.now()).to_string();
        let mut tx = self.db().read().await?;
        let found = opportunities::find(&mut tx, id)
            .await?
            .filter(|o| o.visibility == "public")
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let open = found.closes_on >= today;
        Ok((found, open))
    }

    /// Moves a person to a stage of an opportunity. Confirming needs a free place and records
    /// their involvement; moving someone off confirmed removes it. Inviting someone sends them
    /// the invitation the way they prefer.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_opportunity_stage(
        &self,
        actor: &Actor,
        id: OpportunityId,
        person_id: PersonId,
        stage: &str,
    ) -> Result<(), AppError> {
        let stage =
            Stage::parse(stage).ok_or_else(|| AppError::field("stage", "Choose a stage"))?;
        let now = self.now();
        // `opportunity_in_scope` makes this same check first.
        self.write(actor, Action::ViewGroups, &Resource::ANY, async |tx| {
            opportunities::lock(tx, id).await?;
            let o = self.opportunity_in_scope(tx, actor, id).await?;
            let current = opportunities::people(tx, id).await?;
            let was = current
                .iter()
                .find(|p| p.person_id == person_id)
                .map(|p| p.status.clone());
            // Someone already in it (who may have asked through their own page, from another
            // service) is the opportunity's staff to move on; anyone new must be someone they
            // work with.
            let scope = if was.is_some() {
                people::Scope::All
            } else {
                crate::people_scope(actor)
            };
            let person = people::find(tx, person_id, scope)
                .await?
                .ok_or_else(|| AppError::field("q", "Choose someone you work with"))?;
            let open = o.visibility != "draft" && o.closes_on >= uk_day(now).to_string();
            if stage == Stage::Invited && was.is_none() && !open {
                return Err(AppError::field(
                    "stage",
                    "Publish the opportunity (and keep its closing date ahead) before inviting people: they reply through their own page",
                ));
            }
            if stage == Stage::Confirmed
                && was.as_deref() != Some("confirmed")
                && o.confirmed >= o.places
            {
                return Err(AppError::field(
                    "stage",
                    format!(
                        "All {} places are filled. Put them on the waiting list, or free a place first",
                        o.places
                    ),
                ));
            }
            opportunities::set_person(tx, id, person_id, stage.code(), now).await?;
            record_involvement(tx, &o, person_id, stage == Stage::Confirmed, now).await?;
            if stage == Stage::Invited && was.is_none() {
                self.queue_invitation(tx, &o, &person, now).await?;
            }
            Ok(Done::new(
                (),
                AuditEvent::OpportunityStage,
                format!("opportunity:{id}"),
                format!("person:{person_id}={}", stage.code()),
            ))
        })
        .await
    }

    async fn queue_invitation(
        &self,
        tx: &mut Tx,
        o: &Opportunity,
        person: &coproduce_domain::Person,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let Some((channel, address, easy)) = crate::outbox::reach(person, self.channels()) else {
            return Ok(());
        };
        let name = if person.preferred_name.is_empty() {
            &person.name
        } else {
            &person.preferred_name
        };
        let (subject, body) = invitation_words(o, name, easy);
        let key = format!("opportunity:{}:invite:{}", o.id, person.id);
        coproduce_store::outbox::enqueue(
            tx,
            &[coproduce_store::outbox::NewMessage {
                dedupe_key: &key,
                kind: "opportunity_invitation",
                channel,
                person_id: Some(person.id),
                meeting_id: None,
                recipient: &address,
                recipient_name: &person.name,
                subject: &subject,
                body: &body,
                easy_read: easy,
                send_after: now,
            }],
            now,
        )
        .await?;
        Ok(())
    }
}

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

fn invitation_words(o: &Opportunity, name: &str, easy_read: bool) -> (String, String) {
    let when = chrono::NaiveDate::parse_from_str(&o.starts_on, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B %Y").to_string())
        .unwrap_or_else(|_| o.starts_on.clone());
    let closes = chrono::NaiveDate::parse_from_str(&o.closes_on, "%Y-%m-%d")
        .map(|d| d.format("%A %-d %B").to_string())
        .unwrap_or_else(|_| o.closes_on.clone());
    if easy_read {
        let lines: Vec<String> = easy_read::parse(&o.easy_read)
            .into_iter()
            .map(|l| l.text)
            .collect();
        (
            format!("Would you like to take part? {}", o.title),
            format!(
                "Hello {name}.\n\nWe would like to ask you to take part in: {}.\n\n{}\n\nIt is on {when}.\n\nPlease tell us by {closes} if you would like to do it.\n\nYou can sign in to your page, or call us.",
                o.title,
                lines.join("\n")
            ),
        )
    } else {
        (
            format!("Invitation: {}", o.title),
            format!(
                "Dear {name},\n\nWe would like to invite you to take part in {} on {when}.\n\n{}\n\nPlease let us know by {closes} whether you would like to take part. You can reply through your own page, or contact the participation team.",
                o.title, o.description
            ),
        )
    }
}

/// Makes or removes the involvement record a confirmed place stands for.
async fn record_involvement(
    tx: &mut Tx,
    o: &Opportunity,
    person_id: PersonId,
    confirmed: bool,
    now: Timestamp,
) -> Result<(), AppError> {
    if confirmed {
        let kind = OpportunityKind::parse(&o.kind).unwrap_or(OpportunityKind::Other);
        opportunities::add_involvement(tx, o, kind.code(), person_id, now).await?;
    } else {
        opportunities::remove_involvement(tx, o.id, person_id).await?;
    }
    Ok(())
}
