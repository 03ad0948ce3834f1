//! The attendance register, and the involvement records it makes.

use super::*;
use coproduce_domain::meetings::MeetingStatus;
use coproduce_domain::{MeetingId, PersonId};

impl App {
    /// Saves the register if nobody saved it since `input.version` was read. Each person who
    /// attended gets an involvement record (for payments) and a contact counted towards their
    /// relationship with the group; a line changed from attended takes both away again.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn save_register(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        input: &RegisterInput,
    ) -> Result<(), AppError> {
        let now = self.now();
        self.write(actor, Action::EditGroups, &Resource::ANY, async |tx| {
            let m = self.meeting_for(actor, tx, meeting, true).await?;
            let invitees = attendance::invitees(tx, meeting, m.team(), &m.starts_on).await?;
            if m.status == MeetingStatus::Cancelled {
                return Err(AppError::field(
                    "register",
                    "This meeting was cancelled: reinstate it before taking the register",
                ));
            }
            let mut problems = Vec::new();
            let lines: Vec<RegisterLine> = input
                .lines
                .iter()
                .filter_map(|line| {
                    register_line(line, &invitees, &m, now)
                        .map_err(|p| problems.push(p))
                        .ok()
                })
                .collect();
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            if !attendance::save_register(tx, meeting, input.version, &lines, now).await? {
                return Err(AppError::Conflict {
                    version: m.register_version,
                    changed: vec!["register"],
                });
            }
            let staff_id = actor.staff().map(|s| s.id);
            for line in &lines {
                if let Joiner::Person(person) = line.who {
                    record_attendance(tx, &m, person, line, staff_id, now).await?;
                    if line.attendance == Some(Attendance::Attended.code()) {
                        self.ask_for_feedback(tx, &m, person, now).await?;
                    } else {
                        self.withdraw_feedback(tx, &m, person).await?;
                    }
                }
            }
            let count = |code: &str| lines.iter().filter(|l| l.attendance == Some(code)).count();
            let detail = format!(
                "meeting:{meeting} register: {} attended, {} apologies, {} absent",
                count("attended"),
                count("apologies"),
                count("absent")
            );
            let object = meeting_object(&m);
            Ok(Done::new((), AuditEvent::MeetingRegister, object, detail))
        })
        .await
    }

    /// A person's involvement, newest first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn involvements(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<Involvement>, AppError> {
        authorise(actor, Action::ViewPeople, &Resource::ANY)?;
        let mut tx = self.db().read().await?;
        people::find(&mut tx, person, people_scope(actor))
            .await?
            .ok_or(AppError::NotFound)?;
        let rows = attendance::involvements(&mut tx, person, 200).await?;
        tx.commit().await?;
        Ok(rows)
    }
}

/// One line of the register as typed, checked against who is invited and when the meeting is.
fn register_line(
    line: &RegisterLineInput,
    invitees: &[Invitee],
    m: &Meeting,
    now: Timestamp,
) -> Result<RegisterLine<'static>, FieldError> {
    let problem = |message: String| FieldError::new("register", message);
    let Some((who, invitee)) =
        parse_who(&line.who).and_then(|w| invitees.iter().find(|i| is(i, w)).map(|i| (w, i)))
    else {
        return Err(problem(
            "Someone on the register is not invited to this meeting".into(),
        ));
    };
    let name = &invitee.name;
    let attendance = match line.attendance.trim() {
        "" => None,
        a => Some(
            Attendance::parse(a)
                .ok_or_else(|| problem(format!("Choose whether {name} attended")))?,
        ),
    };
    let attended = attendance == Some(Attendance::Attended);
    if attended && m.starts_at > now.millis() {
        return Err(problem(format!(
            "{name} cannot have attended yet: the meeting has not started"
        )));
    }
    let minutes =
        match (attended, line.minutes_attended.trim()) {
            (false, _) => None,
            (true, "") => Some((m.ends_at - m.starts_at) / 60_000),
            (true, t) => Some(coproduce_domain::range::whole(t, 1..=720).ok_or_else(|| {
                problem(format!("Enter the minutes {name} attended, from 1 to 720"))
            })?),
        };
    let role = match (attended, line.role.trim()) {
        (false, _) => None,
        (true, "") => Some(AttendanceRole::Member),
        (true, r) => Some(
            AttendanceRole::parse(r)
                .ok_or_else(|| problem(format!("Choose {name}'s role at the meeting")))?,
        ),
    };
    Ok(RegisterLine {
        who,
        attendance: attendance.map(Attendance::code),
        minutes,
        role: role.map(AttendanceRole::code),
    })
}

/// A person's line saved: attended, they get an involvement record (for payments) and a
/// contact counted towards their relationship; otherwise both are taken away again.
async fn record_attendance(
    tx: &mut Tx,
    m: &Meeting,
    person: PersonId,
    line: &RegisterLine<'_>,
    staff_id: Option<StaffId>,
    now: Timestamp,
) -> Result<(), AppError> {
    let key = format!("meeting:{}:person:{person}", m.id);
    let (Some(minutes), Some(role)) = (line.minutes, line.role) else {
        attendance::remove_involvement(tx, m.id, person).await?;
        contacts::remove_by_key(tx, &key).await?;
        return Ok(());
    };
    let description = format!("{} meeting", m.name());
    let involvement = MeetingInvolvement {
        person_id: person,
        meeting_id: m.id,
        occurred_on: &m.starts_on,
        minutes,
        role,
        description: &description,
    };
    attendance::record_involvement(tx, &involvement, now).await?;
    let relationship = relationships::for_meeting(tx, person, m.group_id, m.service_id).await?;
    let channel = if m.join_video_link.is_some() {
        "video_call"
    } else if !m.join_venue.is_empty() {
        "in_person"
    } else {
        "phone"
    };
    let summary = format!("Attended the {description}");
    let contact = NewContact {
        person_id: person,
        relationship_id: relationship,
        occurred_at: Timestamp(m.starts_at),
        channel,
        direction: "meeting",
        staff_id,
        summary: &summary,
        follow_up_on: None,
        submission_key: Some(&key),
    };
    contacts::insert(tx, &contact, now).await?;
    if let Some(r) = relationship {
        relationships::count_contact(tx, r, Timestamp(m.starts_at)).await?;
    }
    Ok(())
}
