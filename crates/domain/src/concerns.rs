//! Concerns people raise, and the steps each takes until it is fed back and closed: raised,
//! escalated to an owner in the service, answered, fed back to whoever raised it, closed. No
//! step may be skipped, and the refusal names the step that is missing.

use crate::ids::{ConcernId, GroupId, ImprovementId, MeetingId, PersonId, ServiceId, StaffId};
use crate::Timestamp;
use serde::Serialize;

code_list!(
    /// How serious a concern is.
    Severity {
        /// It can wait for the usual steps.
        Low = "low", "Low";
        /// It needs an answer soon.
        Medium = "medium", "Medium";
        /// It needs an answer now.
        High = "high", "High";
    }
);

code_list!(
    /// Where a concern is.
    ConcernStatus {
        /// Recorded, with nobody in the service owning it yet.
        Raised = "raised", "Raised";
        /// A named owner in the service has it.
        Escalated = "escalated", "Escalated";
        /// The service's response is recorded.
        Responded = "responded", "Response recorded";
        /// The response was told to whoever raised it.
        FedBack = "fed_back", "Fed back";
        /// Done: with an improvement, or with why nothing changed.
        Closed = "closed", "Closed";
        /// Not a co-production concern (safeguarding, a formal complaint): sent where it
        /// belongs, and out of this log.
        Redirected = "redirected", "Redirected";
    }
);

code_list!(
    /// Where a concern that is not a co-production concern goes instead.
    RedirectTo {
        /// The safeguarding team.
        Safeguarding = "safeguarding", "Safeguarding";
        /// The formal complaints process (or PALS).
        Complaint = "complaint", "A formal complaint";
    }
);

code_list!(
    /// How a response was fed back.
    FeedbackWay {
        /// At a meeting of the group.
        Meeting = "meeting", "At a meeting";
        /// On the phone.
        Phone = "phone", "By phone";
        /// By email.
        Email = "email", "By email";
        /// By letter.
        Letter = "letter", "By letter";
        /// Face to face.
        InPerson = "in_person", "In person";
    }
);

/// Who raised a concern: one person, a group, or a meeting (whose minutes it then links to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Raiser {
    /// A person taking part.
    Person(PersonId),
    /// A group, as a whole.
    Group(GroupId),
    /// A meeting, while its minutes were taken.
    Meeting(MeetingId),
}

/// A step in a concern's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Give it to a named owner in the service (again, to hand it on).
    Escalate,
    /// Record the service's response.
    Respond,
    /// Record how the response was told to whoever raised it.
    FeedBack,
    /// Close it, with an improvement or with why nothing changed.
    Close,
    /// Open a closed concern again, with a reason.
    Reopen,
    /// Send it where it belongs (safeguarding, a complaint), out of this log.
    Redirect,
}

/// The code a concern's history stores for its raising, before any step.
pub const RAISED: &str = "raise";

impl Step {
    /// Every step, in the order a page offers them.
    pub const ALL: [Step; 6] = [
        Step::Escalate,
        Step::Respond,
        Step::FeedBack,
        Step::Close,
        Step::Reopen,
        Step::Redirect,
    ];

    /// What a history entry's stored code says was done.
    pub fn history_words(code: &str) -> &'static str {
        match Step::ALL.into_iter().find(|s| s.code() == code) {
            Some(step) => step.done(),
            None if code == RAISED => "Raised",
            None => "Changed",
        }
    }

    /// The code the history stores.
    pub fn code(self) -> &'static str {
        match self {
            Step::Escalate => "escalate",
            Step::Respond => "respond",
            Step::FeedBack => "feed_back",
            Step::Close => "close",
            Step::Reopen => "reopen",
            Step::Redirect => "redirect",
        }
    }

    /// What the history says was done.
    pub fn done(self) -> &'static str {
        match self {
            Step::Escalate => "Escalated",
            Step::Respond => "Response recorded",
            Step::FeedBack => "Fed back",
            Step::Close => "Closed",
            Step::Reopen => "Reopened",
            Step::Redirect => "Redirected",
        }
    }
}

impl ConcernStatus {
    /// Where a concern goes when `step` is taken from here, or why it cannot be, naming what
    /// has to happen first.
    pub fn after(self, step: Step) -> Result<ConcernStatus, &'static str> {
        use ConcernStatus::*;
        match (self, step) {
            (Redirected, _) => Err("It was redirected and has left this log, so nothing more can be done to it here."),
            (Closed, Step::Reopen) => Ok(Escalated),
            (_, Step::Reopen) => Err("It is not closed, so there is nothing to reopen."),
            (Closed, _) => Err("It is closed. Reopen it first, with a reason."),
            (_, Step::Redirect) => Ok(Redirected),
            (Raised | Escalated, Step::Escalate) => Ok(Escalated),
            (_, Step::Escalate) => Err("It already has a response. Hand it on only before the service responds."),
            (Raised, Step::Respond) => Err("It has not been escalated yet. Escalate it to an owner in the service first."),
            (Escalated | Responded, Step::Respond) => Ok(Responded),
            (FedBack, Step::Respond) => Err("Its response has already been fed back. Reopen it once closed to answer again."),
            (Raised | Escalated, Step::FeedBack) => Err("No response has been recorded yet. Record the service's response first."),
            (Responded | FedBack, Step::FeedBack) => Ok(FedBack),
            (Raised | Escalated | Responded, Step::Close) => Err("It has not been fed back yet. Record how the response was fed back to whoever raised it first."),
            (FedBack, Step::Close) => Ok(Closed),
        }
    }

    /// The steps that may be taken from here, in the order a page offers them.
    pub fn next_steps(self) -> Vec<Step> {
        Step::ALL
            .into_iter()
            .filter(|s| self.after(*s).is_ok())
            .collect()
    }

    /// Whether it is still in the log and not done.
    pub fn is_open(self) -> bool {
        !matches!(self, ConcernStatus::Closed | ConcernStatus::Redirected)
    }
}

/// How many days each step may take before a concern waiting for it is overdue, as an admin
/// sets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StepDays {
    /// From raised to escalated.
    pub escalate: i64,
    /// From escalated to a response.
    pub respond: i64,
    /// From the response to feeding it back.
    pub feed_back: i64,
    /// From feeding back to closed.
    pub close: i64,
}

impl Default for StepDays {
    fn default() -> StepDays {
        StepDays {
            escalate: 7,
            respond: 28,
            feed_back: 14,
            close: 14,
        }
    }
}

/// The most days a step's target may be.
pub const MAX_TARGET_DAYS: i64 = 365;

impl StepDays {
    /// The days the step a concern in `status` waits for may take, if it waits for one.
    pub fn for_status(self, status: ConcernStatus) -> Option<i64> {
        match status {
            ConcernStatus::Raised => Some(self.escalate),
            ConcernStatus::Escalated => Some(self.respond),
            ConcernStatus::Responded => Some(self.feed_back),
            ConcernStatus::FedBack => Some(self.close),
            ConcernStatus::Closed | ConcernStatus::Redirected => None,
        }
    }

    /// When a concern that reached `status` at `since` is due its next step, if it waits for one.
    pub fn due(self, status: ConcernStatus, since: Timestamp) -> Option<Timestamp> {
        self.for_status(status).map(|d| since.plus_days(d))
    }

    /// For each waiting status, the moment before which reaching it makes a concern overdue now:
    /// raised, escalated, responded, fed back.
    pub fn overdue_before(self, now: Timestamp) -> [i64; 4] {
        [self.escalate, self.respond, self.feed_back, self.close]
            .map(|d| now.plus_days(-d).millis())
    }
}

/// What the concerns log works to, as an admin sets it: each step's target, and what someone is
/// told of the process a concern that is not a co-production concern goes to instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConcernRules {
    /// Each step's target.
    pub days: StepDays,
    /// Where a safeguarding matter goes: the team, and how to reach it.
    pub safeguarding: String,
    /// Where a formal complaint goes: PALS, the complaints process.
    pub complaint: String,
}

impl Default for ConcernRules {
    fn default() -> ConcernRules {
        ConcernRules {
            days: StepDays::default(),
            safeguarding: "Tell the safeguarding team the same day. If someone is in danger now, call 999.".into(),
            complaint: "The Patient Advice and Liaison Service (PALS) takes formal complaints, and can help someone make one.".into(),
        }
    }
}

impl ConcernRules {
    /// What someone is told of where a redirected concern goes.
    pub fn signposting(&self, to: RedirectTo) -> &str {
        match to {
            RedirectTo::Safeguarding => &self.safeguarding,
            RedirectTo::Complaint => &self.complaint,
        }
    }
}

/// A concern as its page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Concern {
    /// Its id.
    pub id: ConcernId,
    /// The service it is about.
    pub service_id: ServiceId,
    /// That service's name.
    pub service_name: String,
    /// Who raised it.
    pub raiser: Raiser,
    /// Who raised it, named: the person, the group, or the meeting's group and date.
    pub raiser_name: String,
    /// What was said, in the raiser's own words.
    pub words: String,
    /// How serious it is.
    pub severity: Severity,
    /// Where it is.
    pub status: ConcernStatus,
    /// When it got there (milliseconds).
    pub status_since: i64,
    /// Its owner in the service, once escalated.
    pub owner: Option<StaffId>,
    /// The owner's name.
    pub owner_name: Option<String>,
    /// The service's response, once recorded.
    pub response: String,
    /// How the response was fed back, once it was.
    pub fed_back_way: Option<FeedbackWay>,
    /// The UK date it was fed back (`YYYY-MM-DD`), or empty.
    pub fed_back_on: String,
    /// Who fed it back (their name, as typed), or empty.
    pub fed_back_by: String,
    /// Why nothing changed, when it closed without an improvement.
    pub not_changed_because: String,
    /// The improvement it led to, when it closed with one.
    pub improvement: Option<ImprovementId>,
    /// Where it was redirected, if it was.
    pub redirected_to: Option<RedirectTo>,
    /// When it was raised (milliseconds).
    pub raised_at: i64,
    /// Who recorded it.
    pub recorded_by: String,
    /// Changes so far, for a stale save to be refused.
    pub version: i64,
}

/// One step in a concern's history.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct ConcernEvent {
    /// When (milliseconds).
    pub at: i64,
    /// Who took the step.
    pub by_name: String,
    /// The step's code.
    pub step: String,
    /// What was written with it (the reason to reopen, the owner it went to…), or empty.
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConcernStatus::*;

    #[test]
    fn a_concern_goes_raised_escalated_answered_fed_back_closed_and_may_be_reopened() {
        let mut status = Raised;
        for step in [Step::Escalate, Step::Respond, Step::FeedBack, Step::Close] {
            status = status.after(step).expect("the next step");
        }
        assert_eq!(status, Closed);
        assert_eq!(status.after(Step::Reopen), Ok(Escalated));
        assert!(!Closed.is_open() && Escalated.is_open());
    }

    #[test]
    fn skipping_a_step_is_refused_naming_the_step_that_is_missing() {
        assert!(Raised
            .after(Step::Respond)
            .unwrap_err()
            .contains("Escalate it"));
        assert!(Escalated
            .after(Step::FeedBack)
            .unwrap_err()
            .contains("Record the service's response"));
        assert!(Responded
            .after(Step::Close)
            .unwrap_err()
            .contains("fed back"));
        assert!(Raised.after(Step::Close).is_err());
        assert!(Escalated.after(Step::Reopen).is_err());
        assert!(Closed
            .after(Step::Respond)
            .unwrap_err()
            .contains("Reopen it first"));
        assert!(Redirected.after(Step::Reopen).is_err());
    }

    #[test]
    fn a_concern_is_due_its_next_step_the_target_days_after_it_reached_this_one() {
        let days = StepDays {
            escalate: 2,
            respond: 10,
            feed_back: 5,
            close: 3,
        };
        let since = Timestamp(1_000);
        assert_eq!(days.due(Escalated, since), Some(since.plus_days(10)));
        assert_eq!(days.due(FedBack, since), Some(since.plus_days(3)));
        assert_eq!(days.due(Closed, since), None);
        let now = Timestamp(100 * 86_400_000);
        assert_eq!(
            days.overdue_before(now),
            [98, 90, 95, 97].map(|d: i64| d * 86_400_000)
        );
    }

    #[test]
    fn a_page_offers_only_the_steps_that_may_be_taken() {
        assert_eq!(Raised.next_steps(), [Step::Escalate, Step::Redirect]);
        assert_eq!(
            Escalated.next_steps(),
            [Step::Escalate, Step::Respond, Step::Redirect]
        );
        assert_eq!(
            Responded.next_steps(),
            [Step::Respond, Step::FeedBack, Step::Redirect]
        );
        assert_eq!(
            FedBack.next_steps(),
            [Step::FeedBack, Step::Close, Step::Redirect]
        );
        assert_eq!(Closed.next_steps(), [Step::Reopen]);
        assert!(Redirected.next_steps().is_empty());
    }
}
