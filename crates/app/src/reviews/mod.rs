//! Reviews ("never done"): a look at a group, project or relationship against the 4Pi National
//! Involvement Standards, recording the views gathered, what was agreed to adjust (as actions,
//! which carry forward to the group's or project's next meetings) and when to look again. A
//! project's review may move it on the ladder, with the reason.

use crate::authz::bounded_by;
use crate::input::{optional, text, ActionInput};
use crate::write::Done;
use crate::{authorise, people_scope, Action, Actor, App, AppError, FieldError, Resource};
use coproduce_domain::groups::{Joiner, Ladder};
use coproduce_domain::meetings::{ActionItem, AgreedAt};
use coproduce_domain::people::{parse_date, parse_past_date};
use coproduce_domain::reviews::{Assessment, LadderChange, Rating, Review, ReviewOf, STANDARDS};
use coproduce_domain::time::{from_london, uk_day};
use coproduce_domain::{AuditEvent, ReviewId, StaffId};
use coproduce_store::reviews::{self, NewReview, Subject};
use coproduce_store::{actions, people, relationships, Tx};

mod due;

pub use due::{DuePage, ReviewForm, DUE_PAGE};

/// The most characters of a standard's notes or the views gathered.
const MAX_TEXT: usize = 5000;

/// A review as typed on its form or sent as JSON.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ReviewInput {
    /// What it looks at: `group:ID`, `project:ID` or `relationship:ID`.
    pub of: String,
    /// The day it was held, `YYYY-MM-DD` or `D/M/YYYY`.
    pub held_on: String,
    /// How well the principles are met: `not_yet`, `partly`, `mostly` or `fully`.
    pub principles: String,
    /// What was said about them.
    pub principles_notes: String,
    /// How well the purpose is met.
    pub purpose: String,
    /// What was said about it.
    pub purpose_notes: String,
    /// How well the presence is met.
    pub presence: String,
    /// What was said about it.
    pub presence_notes: String,
    /// How well the process is met.
    pub process: String,
    /// What was said about it.
    pub process_notes: String,
    /// How well the impact is met.
    pub impact: String,
    /// What was said about it.
    pub impact_notes: String,
    /// The views gathered from members.
    pub views: String,
    /// When to look again (empty: the usual cadence on).
    pub next_review_on: String,
    /// A project's level on the ladder after the review (empty: unchanged).
    pub ladder: String,
    /// Why it moved.
    pub ladder_reason: String,
    /// The form's one-time key: the same key twice records one review.
    pub submission_key: String,
}

impl ReviewInput {
    /// The rating and notes typed for the standard `code`.
    pub fn standard(&self, code: &str) -> (&str, &str) {
        match code {
            "principles" => (&self.principles, &self.principles_notes),
            "purpose" => (&self.purpose, &self.purpose_notes),
            "presence" => (&self.presence, &self.presence_notes),
            "process" => (&self.process, &self.process_notes),
            _ => (&self.impact, &self.impact_notes),
        }
    }
}

/// A review's fields, read and checked against what it looks at.
struct ReviewFields {
    held_on: String,
    assessments: Vec<Assessment>,
    views: String,
    next_review_on: String,
    ladder: Option<LadderChange>,
}

/// Reads a review's fields, collecting every problem.
fn read(
    input: &ReviewInput,
    of: ReviewOf,
    subject: &Subject,
    today: chrono::NaiveDate,
) -> Result<ReviewFields, AppError> {
    let mut p = Vec::new();
    let held = match input.held_on.trim() {
        "" => Err("Enter the day the review was held".to_owned()),
        typed => parse_past_date(typed, today).map_err(|e| e.0),
    }
    .map_err(|m| p.push(FieldError::new("held_on", m)))
    .ok();
    let mut assessments = Vec::new();
    for s in STANDARDS {
        let (rating, notes) = input.standard(s.code);
        let notes = text(s.notes, notes, MAX_TEXT, s.name, &mut p);
        match Rating::parse(rating) {
            Some(rating) => assessments.push(Assessment { rating, notes }),
            None => p.push(FieldError::new(
                s.code,
                format!("Choose how well the standard for {} is met", s.name),
            )),
        }
    }
    let views = text("views", &input.views, MAX_TEXT, "The views", &mut p);
    let next = optional(
        &input.next_review_on,
        "next_review_on",
        |t| parse_date(t).map_err(|e| e.0),
        &mut p,
    );
    let next = match (held, next) {
        (Some(h), Some(n)) if n <= h => {
            p.push(FieldError::new(
                "next_review_on",
                "The next review must be after this one",
            ));
            None
        }
        (Some(h), n) => Some(n.unwrap_or_else(|| of.next_due(h))),
        (None, _) => None,
    };
    let ladder = ladder_change(input, of, subject, &mut p);
    match (held, next) {
        (Some(held), Some(next)) if p.is_empty() => Ok(ReviewFields {
            held_on: held.to_string(),
            assessments,
            views,
            next_review_on: next.to_string(),
            ladder,
        }),
        _ => Err(AppError::Invalid(p)),
    }
}

/// A project's move on the ladder, if the review made one; a move needs its reason.
fn ladder_change(
    input: &ReviewInput,
    of: ReviewOf,
    subject: &Subject,
    p: &mut Vec<FieldError>,
) -> Option<LadderChange> {
    let typed = input.ladder.trim();
    let current = subject.ladder.as_deref().and_then(Ladder::parse);
    let (ReviewOf::Project(_), Some(from)) = (of, current) else {
        if !typed.is_empty() {
            p.push(FieldError::new(
                "ladder",
                "Only a project has a level on the ladder",
            ));
        }
        return None;
    };
    let to = match typed {
        "" => return None,
        t => match Ladder::parse(t) {
            Some(to) if to == from => return None,
            Some(to) => to,
            None => {
                p.push(FieldError::new("ladder", "Choose a level on the ladder"));
                return None;
            }
        },
    };
    let reason = text(
        "ladder_reason",
        &input.ladder_reason,
        MAX_TEXT,
        "The reason",
        p,
    );
    if reason.is_empty() {
        p.push(FieldError::new(
            "ladder_reason",
            "Say why the project moved on the ladder",
        ));
    }
    Some(LadderChange { from, to, reason })
}

/// A review with the actions it agreed and who may own a new one.
#[derive(Clone, Debug)]
pub struct ReviewView {
    /// The review.
    pub review: Review,
    /// What it agreed to adjust.
    pub adjustments: Vec<ActionItem>,
    /// Staff who may own an adjustment: the service's and the participation team.
    pub owners: Vec<(StaffId, String)>,
}

impl App {
    /// Records a review and when the next is due. Returns its id; the same submission twice
    /// records one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_review(
        &self,
        actor: &Actor,
        input: &ReviewInput,
    ) -> Result<ReviewId, AppError> {
        authorise(actor, Action::RecordReviews, &Resource::ANY)?;
        let of = ReviewOf::parse(&input.of)
            .ok_or_else(|| AppError::field("of", "Choose what the review looks at"))?;
        let now = self.now();
        self.write(actor, Action::RecordReviews, &Resource::ANY, async |tx| {
            let subject = self.review_subject(actor, tx, of).await?;
            let f = read(input, of, &subject, uk_day(now))?;
            let by = actor.audit_name();
            let new = NewReview {
                of,
                service_id: subject.service_id,
                held_on: &f.held_on,
                assessments: &f.assessments,
                views: &f.views,
                next_review_on: &f.next_review_on,
                ladder: f.ladder.as_ref(),
                recorded_by: &by,
                submission_key: Some(input.submission_key.trim()).filter(|k| !k.is_empty()),
            };
            let (id, fresh) = reviews::insert(tx, &new, now).await?;
            if fresh {
                reviews::set_next_review(tx, of, &f.next_review_on).await?;
                if let (ReviewOf::Project(project), Some(change)) = (of, &f.ladder) {
                    let day = (f.held_on.as_str(), by.as_str());
                    reviews::change_ladder(tx, project, change, day, id, now).await?;
                }
            }
            let detail = format!("{} next {}", of.code(), f.next_review_on);
            let done = Done::new(id, AuditEvent::ReviewAdd, format!("review:{id}"), detail);
            Ok(done.unless_unchanged(fresh))
        })
        .await
    }

    /// A review with what it agreed to adjust.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn review(&self, actor: &Actor, id: ReviewId) -> Result<ReviewView, AppError> {
        authorise(actor, Action::ViewGroups, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        let review = reviews::find(&mut tx, id, bounded_by(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        authorise(
            actor,
            Action::ViewGroups,
            &Resource::in_service(review.service_id),
        )?;
        let adjustments = actions::for_review(&mut tx, id).await?;
        let owners = relationships::possible_contacts(&mut tx, review.service_id).await?;
        tx.commit().await?;
        Ok(ReviewView {
            review,
            adjustments,
            owners,
        })
    }

    /// Adds something a review agreed to adjust: an action, which carries forward to the
    /// group's or project's next meetings. Returns its id; the same submission twice adds one.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_review_action(
        &self,
        actor: &Actor,
        id: ReviewId,
        input: &ActionInput,
    ) -> Result<i64, AppError> {
        authorise(actor, Action::RecordReviews, &Resource::ANY)?;
        let now = self.now();
        self.write(actor, Action::RecordReviews, &Resource::ANY, async |tx| {
            let review = reviews::find(tx, id, bounded_by(actor))
                .await?
                .ok_or(AppError::NotFound)?;
            authorise(
                actor,
                Action::RecordReviews,
                &Resource::in_service(review.service_id),
            )?;
            let fields = input.read()?;
            if let Some(owner) = fields.owner {
                self.may_own(actor, tx, &review, owner).await?;
            }
            let day = review.held_on.parse().unwrap_or_else(|_| uk_day(now));
            let raised_at = from_london(day.and_time(chrono::NaiveTime::MIN)).unwrap_or(now);
            let new = actions::NewAction {
                agreed_at: AgreedAt::Review(id),
                team: review.of.team(),
                raised_at,
                description: &fields.description,
                owner: fields.owner,
                due_on: fields.due_on.as_deref(),
                submission_key: input.key(),
            };
            let (action, _) = actions::insert(tx, &new, now).await?;
            let detail = format!("review:{id} action:{action}");
            Ok(Done::new(
                action,
                AuditEvent::ActionAdd,
                review.of.code(),
                detail,
            ))
        })
        .await
    }

    /// Refuses an owner for a review's action who is not one of the service's staff (or the
    /// participation team) nor a person the actor may see.
    async fn may_own(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        review: &Review,
        owner: Joiner,
    ) -> Result<(), AppError> {
        let known = match owner {
            Joiner::Staff(s) => relationships::possible_contacts(tx, review.service_id)
                .await?
                .iter()
                .any(|(id, _)| *id == s),
            Joiner::Person(p) => people::find(tx, p, people_scope(actor)).await?.is_some(),
        };
        match known {
            true => Ok(()),
            false => Err(AppError::field("owner", "Choose who will do it")),
        }
    }

    /// What a review may look at, if the actor may record one of it.
    async fn review_subject(
        &self,
        actor: &Actor,
        tx: &mut Tx,
        of: ReviewOf,
    ) -> Result<Subject, AppError> {
        let subject = reviews::subject(tx, of, bounded_by(actor))
            .await?
            .ok_or_else(|| AppError::field("of", "Choose what the review looks at"))?;
        authorise(
            actor,
            Action::RecordReviews,
            &Resource::in_service(subject.service_id),
        )?;
        Ok(subject)
    }
}
