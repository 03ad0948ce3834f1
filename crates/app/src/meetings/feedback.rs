//! Feedback after a meeting: each person who attended is asked by a link, sent the way they
//! prefer, that works once for 14 days and needs no sign-in; they may answer anonymously; staff
//! may record an answer for someone (from a phone call, say); results are per group or project
//! by quarter, never for fewer than five answers.

use super::*;
use coproduce_domain::feedback::{self, Answers, Period, Score, LINK_DAYS, QUESTIONS};
use coproduce_domain::people::Need;
use coproduce_domain::SecretToken;
use coproduce_store::feedback::{self as store, NewAnswer, Request};
use coproduce_store::outbox::NewMessage;

/// Longest a suggestion may be.
const SUGGESTION_CHARS: usize = 2000;
/// Suggestions a results page shows at most.
const SUGGESTIONS_SHOWN: i64 = 50;

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
                feedback::CHANGE.code,
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

/// A meeting someone is asked about, as their questionnaire shows it.
#[derive(Clone, Debug)]
pub struct FeedbackAsk {
    /// What the meeting is called.
    pub meeting: String,
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

/// A group's or project's feedback: each quarter's results, newest first, and what people said
/// should change in the quarters reported.
#[derive(Clone, Debug)]
pub struct FeedbackResults {
    /// The group's or project's name.
    pub name: String,
    /// The quarters.
    pub periods: Vec<Period>,
    /// The meeting's day and the words.
    pub suggestions: Vec<(String, String)>,
}

impl App {
    /// Asks someone who attended meeting `m` for feedback, by a link sent after it ends that
    /// works for 14 days, unless they were asked already, the meeting ended more than 13 days
    /// ago, or we cannot reach them.
    pub(crate) async fn ask_for_feedback(
        &self,
        tx: &mut Tx,
        m: &Meeting,
        person: PersonId,
        now: Timestamp,
    ) -> Result<(), AppError> {
        // A register taken long after the meeting asks nobody: it is no longer fresh in mind.
        if now.millis() > Timestamp(m.ends_at).plus_days(LINK_DAYS - 1).millis() {
            return Ok(());
        }
        let send_after = Timestamp(m.ends_at.max(now.millis()));
        let expires = send_after.plus_days(LINK_DAYS);
        let Some(to) = crate::outbox::reachable(tx, person, self.channels()).await? else {
            return Ok(());
        };
        let token = SecretToken::generate("");
        if !store::add_request(tx, m.id, person, Some(&token.hash()), expires, now).await? {
            return Ok(());
        }
        let url = format!("{}/my/feedback/{}", self.public_origin(), token.expose());
        let (subject, body) = ask_words(m, &to.name, &url, to.easy_read);
        let key = format!("feedback:{}:{person}", m.id);
        let message = NewMessage {
            dedupe_key: &key,
            kind: "feedback",
            channel: to.channel,
            person_id: Some(person),
            meeting_id: Some(m.id),
            recipient: &to.address,
            recipient_name: &to.name,
            subject: &subject,
            body: &body,
            easy_read: to.easy_read,
            send_after,
        };
        crate::outbox::enqueue(tx, &[message], now).await?;
        Ok(())
    }

    /// Where the feedback link with this token stands. Opening it uses nothing up.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_link(&self, token: &str) -> Result<FeedbackLink, AppError> {
        let mut tx = self.db().read().await?;
        let found = self.open_request(&mut tx, token).await?;
        tx.commit().await?;
        Ok(match found {
            Err(link) => link,
            Ok(open) => FeedbackLink::Open(FeedbackAsk {
                meeting: open.meeting.name().to_owned(),
                when: coproduce_domain::time::spoken_moment(
                    Timestamp(open.meeting.starts_at),
                    open.easy_read,
                ),
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
            meeting: m,
            easy_read,
        } = match found {
            Ok(open) => open,
            Err(link) => return Ok(link),
        };
        let answers = input.answers(easy_read)?;
        let person = request.person_id;
        let actor = Actor::Person {
            person_id: person,
            on_behalf_of: None,
        };
        let anonymous = input.anonymous();
        let given = Given {
            answers: &answers,
            person: (!anonymous).then_some(person),
            recorded_by: None,
            on_behalf: false,
        };
        let now = self.now();
        self.write(
            &actor,
            Action::ActAsPerson,
            &Resource::person(person),
            async |tx| {
                if !self.record_answers(tx, &request, &m, &given, now).await? {
                    return Err(AppError::Expired);
                }
                Ok(Done::new(
                    (),
                    AuditEvent::FeedbackAnswer,
                    format!("meeting:{}", m.id),
                    "",
                ))
            },
        )
        .await
        .map(|()| FeedbackLink::Answered(easy_read))
        .or_else(|e| match e {
            AppError::Expired => Ok(FeedbackLink::Answered(easy_read)),
            e => Err(e),
        })
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
        self.write(
            &actor,
            Action::ActAsPerson,
            &Resource::person(person),
            async |tx| {
                store::add_request(tx, m.id, person, None, now, now).await?;
                let request = store::find(tx, m.id, person)
                    .await?
                    .ok_or(AppError::NotFound)?;
                self.record_answers(tx, &request, m, &given, now).await?;
                Ok(Done::new(
                    (),
                    AuditEvent::FeedbackAnswer,
                    format!("meeting:{}", m.id),
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
        let answered = store::answered(&mut tx, meeting).await?;
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
            answered: answered.len(),
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
                return Err(AppError::field(
                    "who",
                    "Choose someone the register says attended",
                ));
            };
            let answers = answers?;
            store::add_request(tx, meeting, person, None, now, now).await?;
            let request = store::find(tx, meeting, person)
                .await?
                .ok_or(AppError::NotFound)?;
            let anonymous = input.anonymous();
            let given = Given {
                answers: &answers,
                person: (!anonymous).then_some(person),
                recorded_by: if anonymous { None } else { staff },
                on_behalf: true,
            };
            if !self.record_answers(tx, &request, &m, &given, now).await? {
                return Err(AppError::field(
                    "who",
                    format!(
                        "{} has already given feedback on this meeting",
                        invitee.name
                    ),
                ));
            }
            let detail = format!("for {}", who_key(Some(person), None));
            Ok(Done::new(
                (),
                AuditEvent::FeedbackAnswer,
                format!("meeting:{meeting}"),
                detail,
            ))
        })
        .await
    }

    /// A group's or project's feedback by quarter, newest first, with what people said should
    /// change in the quarters that had enough answers to report.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_results(
        &self,
        actor: &Actor,
        team: Team,
    ) -> Result<FeedbackResults, AppError> {
        let mut tx = self.db().read().await?;
        let name = see_team(actor, &mut tx, team).await?;
        let months = store::months(&mut tx, team, "").await?;
        let periods = feedback::quarters(&months);
        let reported: Vec<&str> = periods
            .iter()
            .filter(|p| p.results.is_some())
            .map(|p| p.starts.as_str())
            .collect();
        let suggestions = match reported.last() {
            Some(oldest) => store::suggestions(&mut tx, team, oldest, SUGGESTIONS_SHOWN).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        let in_reported = |day: &str| reported.iter().any(|q| feedback::in_quarter(day, q));
        let suggestions = suggestions
            .into_iter()
            .filter(|(day, _)| in_reported(day))
            .collect();
        Ok(FeedbackResults {
            name,
            periods,
            suggestions,
        })
    }

    /// A group's or project's feedback on meetings held on or after `since` (`YYYY-MM-DD`), as
    /// one period; none when nobody answered.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn feedback_since(
        &self,
        actor: &Actor,
        team: Team,
        since: &str,
        label: &str,
    ) -> Result<Option<Period>, AppError> {
        let mut tx = self.db().read().await?;
        see_team(actor, &mut tx, team).await?;
        let months = store::months(&mut tx, team, since).await?;
        tx.commit().await?;
        Ok(feedback::overall(&months, label))
    }

    /// The request a token names, if it may still be answered; else where the link stands.
    async fn open_request(
        &self,
        tx: &mut Tx,
        token: &str,
    ) -> Result<Result<Open, FeedbackLink>, AppError> {
        let hash = SecretToken::from_presented(token.trim()).hash();
        let Some(request) = store::find_by_token(tx, &hash).await? else {
            return Ok(Err(FeedbackLink::Expired(false)));
        };
        let person = people::find(tx, request.person_id, people::Scope::All).await?;
        let easy_read = person.is_some_and(|p| p.needs.contains(&Need::EasyRead));
        if request.answered_on.is_some() {
            return Ok(Err(FeedbackLink::Answered(easy_read)));
        }
        let meeting = match meetings::find(tx, request.meeting_id).await? {
            Some(m) if request.expires_at > self.now().millis() => m,
            _ => return Ok(Err(FeedbackLink::Expired(easy_read))),
        };
        Ok(Ok(Open {
            request,
            meeting,
            easy_read,
        }))
    }

    /// Marks the request answered and writes the answers: false when it was answered already.
    async fn record_answers(
        &self,
        tx: &mut Tx,
        request: &Request,
        m: &Meeting,
        given: &Given<'_>,
        now: Timestamp,
    ) -> Result<bool, AppError> {
        let day = coproduce_domain::time::uk_day(now).to_string();
        if !store::mark_answered(tx, request.id, &day).await? {
            return Ok(false);
        }
        // A random id: an anonymous answer's id says nothing of when, or in what order.
        let id = SecretToken::generate("");
        store::insert_answer(
            tx,
            &NewAnswer {
                id: &id.expose()[..32],
                meeting_id: m.id,
                team: m.team(),
                held_on: &m.starts_on,
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

/// A request that may be answered, with its meeting and whether its person reads Easy Read.
struct Open {
    request: Request,
    meeting: Meeting,
    easy_read: bool,
}

/// Answers with whom they are from: nobody, when anonymous.
struct Given<'a> {
    answers: &'a Answers,
    person: Option<PersonId>,
    recorded_by: Option<StaffId>,
    on_behalf: bool,
}

/// The message asking for feedback, standard or Easy Read.
fn ask_words(m: &Meeting, name: &str, url: &str, easy_read: bool) -> (String, String) {
    let when = coproduce_domain::time::spoken_moment(Timestamp(m.starts_at), easy_read);
    let what = m.name();
    if easy_read {
        (
            "Tell us about the meeting".to_owned(),
            format!(
                "Hello {name}.\n\nThank you for coming to the meeting on {when}.\n\nWe want to know what you thought. There are 4 short questions.\n\nUse this link: {url}\n\nThe link works for 2 weeks.\n\nYou do not have to answer."
            ),
        )
    } else {
        (
            format!("How was the {what} meeting?"),
            format!(
                "Dear {name},\n\nThank you for coming to the {what} meeting on {when}. Would you tell us how it went? There are four short questions, and you can answer without giving your name.\n\n{url}\n\nThe link works once, for 14 days. You do not have to answer."
            ),
        )
    }
}
