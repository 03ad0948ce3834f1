//! Opportunities: the kinds of role, where they happen, the support given and asked for, who
//! may see them, and where each person is with one.

use crate::ids::{OpportunityId, PersonId, ServiceId};
use serde::Serialize;

code_list!(
    /// The kind of role.
    OpportunityKind {
        /// Delivering training to staff.
        TrainingDelivery = "training_delivery", "Training delivery";
        /// Sitting on an interview panel.
        RecruitmentPanel = "recruitment_panel", "Recruitment panel";
        /// Looking round a ward, clinic or building.
        EnvironmentReview = "environment_review", "Environment review";
        /// Reading leaflets, letters or plans.
        ReadingPanel = "reading_panel", "Reading panel";
        /// A one-off group discussion.
        FocusGroup = "focus_group", "Focus group";
        /// Designing something together.
        CoDesignWorkshop = "co_design_workshop", "Co-design workshop";
        /// Something else.
        Other = "other", "Other";
    }
);

code_list!(
    /// Where it happens.
    Place {
        /// On a video call.
        Online = "online", "Online";
        /// By phone.
        Phone = "phone", "By phone";
        /// In person, at a venue.
        Venue = "venue", "In person";
    }
);

code_list!(
    /// Support given to people taking part.
    Support {
        /// Training beforehand.
        Training = "training", "Training beforehand";
        /// Someone to go with them.
        Buddy = "buddy", "A buddy to go with you";
        /// A meeting beforehand to prepare.
        PreMeeting = "pre_meeting", "A meeting beforehand to prepare";
    }
);

code_list!(
    /// What taking part needs.
    Requirement {
        /// Our training done first.
        TrainingDone = "training_done", "Our training done first";
        /// A DBS check.
        Dbs = "dbs", "A DBS check";
        /// Aged 18 or over.
        Adult = "adult", "Aged 18 or over";
    }
);

code_list!(
    /// Who may see it.
    Visibility {
        /// Staff only, while it is being written.
        Draft = "draft", "Draft (staff only)";
        /// People already involved, in their portal.
        Involved = "involved", "People already involved";
        /// Anyone, on the public pages.
        Public = "public", "Everyone (public)";
    }
);

code_list!(
    /// Where a person is with an opportunity.
    Stage {
        /// Staff asked them.
        Invited = "invited", "Invited";
        /// They said they would like to.
        Interested = "interested", "Interested";
        /// Chosen, not yet confirmed.
        Selected = "selected", "Selected";
        /// On the waiting list.
        Waiting = "waiting", "Waiting list";
        /// Taking part.
        Confirmed = "confirmed", "Confirmed";
        /// They said no.
        Declined = "declined", "Declined";
        /// They or we withdrew.
        Withdrawn = "withdrawn", "Withdrawn";
    }
);

/// An opportunity as stored, with its service's name and how many people are at each stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Opportunity {
    /// Id.
    pub id: OpportunityId,
    /// Its title.
    pub title: String,
    /// The kind of role.
    pub kind: OpportunityKind,
    /// The service it is for.
    pub service_id: ServiceId,
    /// That service's name.
    pub service_name: String,
    /// The UK date it starts, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Start time, `HH:MM`, or empty.
    pub start_time: String,
    /// End time, `HH:MM`, or empty.
    pub end_time: String,
    /// Further dates, in words.
    pub dates_note: String,
    /// Online, by phone or at a venue.
    pub place: Place,
    /// The venue's name and address.
    pub venue: String,
    /// Access information about the venue.
    pub access_info: String,
    /// How many people are needed.
    pub places: i64,
    /// What is asked of people.
    pub asked: String,
    /// Support codes, comma separated.
    pub support: String,
    /// More about the support.
    pub support_notes: String,
    /// Requirement codes, comma separated.
    pub requirements: String,
    /// The payment terms.
    pub payment: String,
    /// The UK date it closes, `YYYY-MM-DD`.
    pub closes_on: String,
    /// The plain-English description.
    pub description: String,
    /// The Easy Read summary: a line a sentence, each a picture's name, a tab, and the words.
    pub easy_read: String,
    /// Draft, for people involved, or public.
    pub visibility: Visibility,
    /// How long taking part counts for, in minutes (for involvement records).
    pub minutes: i64,
    /// How many are confirmed.
    pub confirmed: i64,
    /// How many have expressed interest and wait for a decision.
    pub interested: i64,
    /// Version.
    pub version: i64,
}

impl Opportunity {
    /// When it starts: its day at its start time (else the day's start), London time.
    pub fn starts_at(&self) -> Option<crate::Timestamp> {
        let day = chrono::NaiveDate::parse_from_str(&self.starts_on, "%Y-%m-%d").ok()?;
        let start = chrono::NaiveTime::parse_from_str(&self.start_time, "%H:%M");
        crate::time::from_london(day.and_time(start.unwrap_or_default()))
    }

    /// When it ends: its day at its end time (else its start and its length, else the day's
    /// end), London time.
    pub fn ends_at(&self) -> Option<crate::Timestamp> {
        let day = chrono::NaiveDate::parse_from_str(&self.starts_on, "%Y-%m-%d").ok()?;
        let time = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok();
        let local = match (time(&self.end_time), time(&self.start_time)) {
            (Some(end), _) => day.and_time(end),
            (None, Some(start)) => day.and_time(start) + chrono::Duration::minutes(self.minutes),
            (None, None) => day.and_hms_opt(23, 59, 0)?,
        };
        crate::time::from_london(local)
    }
}

/// A person's place in an opportunity.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct OpportunityPerson {
    /// The opportunity.
    pub opportunity_id: OpportunityId,
    /// The person.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// Where they are with it.
    pub status: Stage,
    /// A note.
    pub note: String,
    /// When it last changed.
    pub updated_at: i64,
    /// The person's needs, on an opportunity's list of people (read with it by the store).
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub needs: Vec<crate::people::Need>,
    /// The language their interpreter speaks, if they need one.
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub interpreter_language: String,
}

/// A picture staff uploaded for Easy Read summaries.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Picture {
    /// Id (stored in a summary as `upload:ID`).
    pub id: i64,
    /// What it shows.
    pub alt: String,
}
