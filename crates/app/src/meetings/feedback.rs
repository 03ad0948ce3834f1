//! Feedback after a meeting or an activity: each person who attended (or was confirmed for the
//! activity) is asked by a link, sent the way they prefer, that works once for 14 days and needs
//! no sign-in; they may answer anonymously; staff may record an answer for someone who attended
//! a meeting (from a phone call, say).

use super::feedback_asking::Subject;
use super::*;
use coproduce_domain::feedback::{Answers, Asked, Score, QUESTIONS};
use coproduce_domain::people::Need;
use coproduce_domain::SecretToken;
use coproduce_store::feedback::{self as store, NewAnswer, Request};

/// Longest a suggestion may be.
const SUGGESTION_CHARS: usize = 2000;

/// Answers as typed, on the person's own page or by staff for them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeedbackInput {
    /// "Did you feel listened to?": `1` to `5`.
    pub listened: String,
    /// "Could you take part the way you wanted?": `1` to `5`.
    pub took_part: String,
    /// "Do you feel part of the group?": `1` to `5`.
    pub belong: String,
    /// "Is there anything we should change?", in their words.
    pub to_change: String,
    /// `yes` to give it without their name.
    pub anonymous: String,
    /// Whom staff are recording it for (`person:ID`).
    pub who: String,
}

impl FeedbackInput {
    /// The answers, or what is missing, each under its question's field.
    pub fn answers(&self, easy_read: bool) -> Result<Answers, AppError> {
        let typed = [&self.listened, &self.took_part, &self.belong];
        let mut problems = Vec::new();
        let mut scores = [Score::ALL[0]; 3];
        for (i, q) in QUESTIONS.iter().enumerate() {
            match Score::parse(typed[i]) {
                Some(s) => scores[i] = s,
                None => problems.push(FieldError::new(
                    q.code,
                    format!(
                        "Choose an answer to \u{201c}{}\u{201d}",
                        if easy_read { q.easy } else { q.asks }
                    ),
                )),
            }
        }
        let to_change = self.to_change.trim().to_owned();
        if to_change.chars().count() > SUGGESTION_CHARS {
            problems.push(FieldError::new(
                coproduce_domain::feedback::CHANGE.code,
                format!("Keep what should change to {SUGGESTION_CHARS} characters or fewer"),
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        Ok(Answers { scores, to_change })
    }

    fn anonymous(&self) -> bool {
        matches!(self.anonymous.trim(), "yes" | "true" | "on")
    }
}

/// A meeting or activity someone is asked about, as their questionnaire shows it.
#[derive(Clone, Debug)]
pub struct FeedbackAsk {
    /// What the meeting or activity is called.
    pub what: String,
    /// Whether it is a meeting (else an activity).
    pub meeting: bool,
    /// When it was, in words.
    pub when: String,
    /// Whether they read Easy Read.
    pub easy_read: bool,
}

/// Where a feedback link stands.
#[derive(Clone, Debug)]
pub enum FeedbackLink {
    /// It may be answered.
    Open(FeedbackAsk),
    /// It was answered: one answer per link. Whether its person reads Easy Read.
    Answered(bool),
    /// It stopped working (or never did). Whether its person reads Easy Read.
    Expired(bool),
}

/// A meeting's feedback as staff see it: who attended and has not given any, and how many did.
#[derive(Clone, Debug)]
pub struct MeetingFeedback {
    /// The meeting.
    pub meeting: Meeting,
    /// Those who attended and have not given feedback: whom staff may record it for.
    pub waiting: Vec<(PersonId, String)>,
    /// How many gave it.
    pub answered: usize,
}

impl App {
    /// Where the feedback link with this token stands. Opening it uses nothing up.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_link(&self, token: &str) -> Result<FeedbackLink, AppError> {
        let mut tx = self.db().read().await?;
        let found = self.open_request(&mut tx, token).await?;
        tx.commit().await?;
        Ok(match found {
            Err(link) => link,
            Ok(open) => FeedbackLink::Open(FeedbackAsk {
                when: coproduce_domain::time::spoken_moment(
                    Timestamp(open.about.starts_at),
                    open.easy_read,
                ),
                what: open.about.name,
                meeting: matches!(open.about.asked, Asked::Meeting(_)),
                easy_read: open.easy_read,
            }),
        })
    }

    /// Records the answers given through a feedback link: once. Answered before, or expired, it
    /// says so and records nothing.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn answer_feedback(
        &self,
        token: &str,
        input: &FeedbackInput,
    ) -> Result<FeedbackLink, AppError> {
        let mut tx = self.db().read().await?;
        let found = self.open_request(&mut tx, token).await?;
        tx.commit().await?;
        let Open {
            request,
            about,
            easy_read,
        } = match found {
            Ok(open) => open,
            Err(link) => return Ok(link),
        };
        let answers = input.answers(easy_read)?;
        let person = request.person_id;
        let anonymous = input.anonymous();
        let given = Given {
            answers: &answers,
            person: (!anonymous).then_some(person),
            recorded_by: None,
            on_behalf: false,
        };
        let claim = Claim::Link(used_hash(token));
        let now = self.now();
        if anonymous {
            // Given without a name, its audit entry does not name them either: it says a link
            // was used, as the public's entries do.
            let mut tx = self.db().write().await?;
            if self.record_answers(&mut tx, &claim, &about, &given).await? {
                let (event, object) = (AuditEvent::FeedbackAnswer, about.object());
                let key = self.audit_key();
                crate::audit::record(&mut tx, key, &Actor::Public, now, event, &object, "").await?;
            }
            tx.commit().await?;
        } else {
            let actor = Actor::Person {
                person_id: person,
                on_behalf_of: None,
            };
            let mine = Resource::person(person);
            self.write(&actor, Action::ActAsPerson, &mine, async |tx| {
                let fresh = self.record_answers(tx, &claim, &about, &given).await?;
                let done = Done::new((), AuditEvent::FeedbackAnswer, about.object(), "");
                Ok(done.unless_unchanged(fresh))
            })
            .await?;
        }
        // Answered now, or a moment ago through the same link: either way, one answer.
        Ok(FeedbackLink::Answered(easy_read))
    }

    /// A person's answers about a meeting, given some other way than a link (the demo's year of
    /// feedback): once, as from a link.
    pub(crate) async fn feedback_from(
        &self,
        m: &Meeting,
        person: PersonId,
        input: &FeedbackInput,
    ) -> Result<(), AppError> {
        let answers = input.answers(false)?;
        let actor = Actor::Person {
            person_id: person,
            on_behalf_of: None,
        };
        let given = Given {
            answers: &answers,
            person: (!input.anonymous()).then_some(person),
            recorded_by: None,
            on_behalf: false,
        };
        let now = self.now();
        let about = Subject::meeting(m);
        self.write(
            &actor,
            Action::ActAsPerson,
            &Resource::person(person),
            async |tx| {
                store::add_request(tx, about.asked, person, None, now, now).await?;
                let request = store::find(tx, about.asked, person)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let claim = Claim::Request(request.id, now);
                self.record_answers(tx, &claim, &about, &given).await?;
                Ok(Done::new(
                    (),
                    AuditEvent::FeedbackAnswer,
                    about.object(),
                    "",
                ))
            },
        )
        .await
    }

    /// A meeting's feedback for staff, who may record it for someone who attended.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn meeting_feedback(
        &self,
        actor: &Actor,
        meeting: MeetingId,
    ) -> Result<MeetingFeedback, AppError> {
        let mut tx = self.db().read().await?;
        let m = self.meeting_for(actor, &mut tx, meeting, true).await?;
        let invitees = attendance::invitees(&mut tx, meeting, m.team(), &m.starts_on).await?;
        let answered = store::answered(&mut tx, Asked::Meeting(meeting)).await?;
        let count = store::count_answers(&mut tx, Asked::Meeting(meeting)).await?;
        tx.commit().await?;
        let waiting = invitees
            .into_iter()
            .filter(|i| i.attendance == Some(Attendance::Attended))
            .filter_map(|i| i.person_id.map(|p| (p, i.name)))
            .filter(|(p, _)| !answered.contains(p))
            .collect();
        Ok(MeetingFeedback {
            meeting: m,
            waiting,
            answered: usize::try_from(count).unwrap_or(0),
        })
    }

    /// Staff record the feedback someone who attended gave them, marked as recorded for them.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_feedback_for(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        input: &FeedbackInput,
    ) -> Result<(), AppError> {
        let who = match parse_who(&input.who) {
            Some(Joiner::Person(p)) => Some(p),
            _ => None,
        };
        let answers = input.answers(false);
        let staff = actor.staff().map(|s| s.id);
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let m = self.meeting_for(actor, tx, meeting, true).await?;
            let invitees = attendance::invitees(tx, meeting, m.team(), &m.starts_on).await?;
            let attended = invitees.iter().find(|i| {
                i.person_id.is_some()
                    && i.person_id == who
                    && i.attendance == Some(Attendance::Attended)
            });
            let (Some(person), Some(invitee)) = (who, attended) else {
                // Every problem at once, in the form's order.
                let who = "Choose someone the register says attended";
                let mut problems = vec![FieldError::new("who", who)];
                if let Err(AppError::Invalid(more)) = answers {
                    problems.extend(more);
                }
                return Err(AppError::Invalid(problems));
            };
            let answers = answers?;
            let about = Subject::meeting(&m);
            store::add_request(tx, about.asked, person, None, now, now).await?;
            let request = store::find(tx, about.asked, person)
                .await?
                .ok_or(AppError::NotFound)?;
            let anonymous = input.anonymous();
            let given = Given {
                answers: &answers,
                person: (!anonymous).then_some(person),
                recorded_by: if anonymous { None } else { staff },
                on_behalf: true,
            };
            let claim = Claim::Request(request.id, now);
            if !self.record_answers(tx, &claim, &about, &given).await? {
                return Err(AppError::field(
                    "who",
                    format!(
                        "{} has already given feedback on this meeting",
                        invitee.name
                    ),
                ));
            }
            // Given without a name, the trail does not say whose it is either.
            let detail = match anonymous {
                true => "for someone, without their name".to_owned(),
                false => format!("for {}", who_key(Some(person), None)),
            };
            Ok(Done::new(
                (),
                AuditEvent::FeedbackAnswer,
                about.object(),
                detail,
            ))
        })
        .await
    }

    /// The request a token names, if it may still be answered; else where the link stands.
    async fn open_request(
        &self,
        tx: &mut Tx,
        token: &str,
    ) -> Result<Result<Open, FeedbackLink>, AppError> {
        let hash = SecretToken::from_presented(token.trim()).hash();
        let request = store::find_by_token(tx, &hash).await?;
        let person = match &request {
            Some(r) => people::find(tx, r.person_id, people::Scope::All).await?,
            None => None,
        };
        let easy_read = person.is_some_and(|p| p.needs.contains(&Need::EasyRead));
        if store::is_used(tx, &used_hash(token)).await? {
            return Ok(Err(FeedbackLink::Answered(easy_read)));
        }
        let Some(request) = request else {
            return Ok(Err(FeedbackLink::Expired(false)));
        };
        if request.answered_on.is_some() {
            return Ok(Err(FeedbackLink::Answered(easy_read)));
        }
        let about = match (request.meeting_id, request.opportunity_id) {
            (Some(m), _) => meetings::find(tx, m).await?.as_ref().map(Subject::meeting),
            (None, Some(o)) => opportunities::find(tx, o)
                .await?
                .as_ref()
                .and_then(Subject::activity),
            (None, None) => None,
        };
        let about = match about {
            Some(about) if request.expires_at > self.now().millis() => about,
            _ => return Ok(Err(FeedbackLink::Expired(easy_read))),
        };
        Ok(Ok(Open {
            request,
            about,
            easy_read,
        }))
    }

    /// Claims the link or the request and writes the answers: false when it was claimed
    /// already.
    async fn record_answers(
        &self,
        tx: &mut Tx,
        claim: &Claim,
        about: &Subject,
        given: &Given<'_>,
    ) -> Result<bool, AppError> {
        let fresh = match claim {
            Claim::Link(used) => store::mark_used(tx, used).await?,
            Claim::Request(id, now) => {
                let day = coproduce_domain::time::uk_day(*now).to_string();
                store::mark_answered(tx, *id, &day).await?
            }
        };
        if !fresh {
            return Ok(false);
        }
        // A random id: an anonymous answer's id says nothing of when, or in what order.
        let id = SecretToken::generate("");
        store::insert_answer(
            tx,
            &NewAnswer {
                id: &id.expose()[..32],
                asked: about.asked,
                team: about.team,
                held_on: &about.held_on,
                answers: given.answers,
                person_id: given.person,
                recorded_by: given.recorded_by,
                on_behalf: given.on_behalf,
            },
        )
        .await?;
        Ok(true)
    }
}

/// A request that may be answered, with what it asks about and whether its person reads Easy
/// Read.
struct Open {
    request: Request,
    about: Subject,
    easy_read: bool,
}

/// What answering uses up: a link (remembered by a second hash of its token, which names
/// nobody), or a person's request (staff recording for them, who know whose it is).
enum Claim {
    Link(String),
    Request(i64, Timestamp),
}

/// The second hash of a link's token, by which a used link is remembered.
fn used_hash(token: &str) -> String {
    coproduce_domain::secret::sha256_hex(&format!("feedback-used:{}", token.trim()))
}

/// Answers with whom they are from: nobody, when anonymous.
struct Given<'a> {
    answers: &'a Answers,
    person: Option<PersonId>,
    recorded_by: Option<StaffId>,
    on_behalf: bool,
}
