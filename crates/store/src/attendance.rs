//! Who a meeting is for, their replies, the attendance register and the involvement it records.
//!
//! A meeting's invitees are its group's (or project's) members on the meeting's date, plus
//! anyone added to that meeting alone, less anyone taken off it. Only the differences, replies
//! and the register are stored (`meeting_people`), so thousands of future meetings cost nothing
//! per member.

use crate::{on, JsonRows, Result, Tx};
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::meetings::{Invitee, Involvement};
use coproduce_domain::MeetingId;
use coproduce_domain::{PersonId, StaffId, Timestamp};

/// Whether someone is invited to a meeting: as its team's member on the day, unless taken off it,
/// or added to it alone.
macro_rules! invited_sql {
    () => {
        "CASE WHEN mp.invited IS NOT NULL THEN mp.invited ELSE mem.id IS NOT NULL END"
    };
}

/// The people a meeting concerns: its team's members on `on_date` (`YYYY-MM-DD`) and anyone
/// added to it, by name. Someone who left on that day is no longer a member of its meetings (a
/// person taken off a group this afternoon is not shown as invited to this morning's meeting);
/// the register keeps anyone it recorded.
pub async fn invitees(
    tx: &mut Tx,
    meeting: MeetingId,
    team: Team,
    on_date: &str,
) -> Result<Vec<Invitee>> {
    let (members, column) = crate::groups::tables(team);
    // A group member's answer to all its meetings counts for those invited to this one and
    // beginning after they gave it.
    let coming_to_all = match team {
        Team::Group(_) => concat!(
            "(mem.coming_to_all_since IS NOT NULL AND ",
            invited_sql!(),
            " AND mem.coming_to_all_since <= (SELECT starts_at FROM meetings WHERE id = $1))"
        ),
        Team::Project(_) => "(1 = 0)",
    };
    let on_day = |t: &str| {
        format!("{t}.{column} = $2 AND {t}.joined_on <= $3 AND ({t}.left_on IS NULL OR {t}.left_on > $3)")
    };
    let from = format!(
        "FROM (SELECT g.person_id, g.staff_id FROM {members} g WHERE {}
               UNION SELECT person_id, staff_id FROM meeting_people WHERE meeting_id = $1) k
         LEFT JOIN {members} mem ON {} AND (mem.person_id = k.person_id OR mem.staff_id = k.staff_id)
         LEFT JOIN meeting_people mp ON mp.meeting_id = $1
              AND (mp.person_id = k.person_id OR mp.staff_id = k.staff_id)
         LEFT JOIN people p ON p.id = k.person_id LEFT JOIN staff s ON s.id = k.staff_id",
        on_day("g"),
        on_day("mem"),
    );
    let rows = JsonRows {
        fields: &[
            ("person_id", "k.person_id"),
            ("staff_id", "k.staff_id"),
            ("name", "coalesce(p.name, s.name)"),
            ("member_role", "mem.role"),
            ("invited", invited_sql!()),
            ("rsvp", "mp.rsvp"),
            ("coming_to_all", coming_to_all),
            ("attendance", "mp.attendance"),
            ("minutes_attended", "mp.minutes_attended"),
            ("role", "mp.role"),
            ("needs", "coalesce(p.needs, '')"),
            (
                "interpreter_language",
                "coalesce(p.interpreter_language, '')",
            ),
        ],
        from: &from,
        order: "name, person_id, staff_id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(meeting)
        .bind(team.id())
        .bind(on_date)))
}

fn split(who: Joiner) -> (Option<PersonId>, Option<StaffId>, &'static str) {
    let (person, staff) = who.ids();
    let conflict = match who {
        Joiner::Person(_) => "(meeting_id, person_id) WHERE person_id IS NOT NULL",
        Joiner::Staff(_) => "(meeting_id, staff_id) WHERE staff_id IS NOT NULL",
    };
    (person, staff, conflict)
}

/// Records whether someone is invited to one meeting (a member taken off it, or someone added).
pub async fn set_invited(
    tx: &mut Tx,
    meeting: MeetingId,
    who: Joiner,
    invited: bool,
    now: Timestamp,
) -> Result<()> {
    let (person, staff, target) = split(who);
    let sql = format!(
        "INSERT INTO meeting_people (meeting_id, person_id, staff_id, invited, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT {target} DO UPDATE SET invited = excluded.invited, updated_at = excluded.updated_at"
    );
    on!(tx, c => sqlx::query(&sql)
        .bind(meeting).bind(person).bind(staff).bind(invited).bind(now.millis())
        .execute(c).await.map(|_| ())?);
    Ok(())
}

/// Records someone's reply (`yes`, `no`, `maybe`, or none to clear it).
pub async fn set_rsvp(
    tx: &mut Tx,
    meeting: MeetingId,
    who: Joiner,
    rsvp: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let (person, staff, target) = split(who);
    let sql = format!(
        "INSERT INTO meeting_people (meeting_id, person_id, staff_id, rsvp, rsvp_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT {target} DO UPDATE SET rsvp = excluded.rsvp, rsvp_at = excluded.rsvp_at,
             updated_at = excluded.updated_at"
    );
    on!(tx, c => sqlx::query(&sql)
        .bind(meeting).bind(person).bind(staff).bind(rsvp).bind(now.millis())
        .execute(c).await.map(|_| ())?);
    Ok(())
}

/// One line of the register.
#[derive(Clone, Debug)]
pub struct RegisterLine<'a> {
    /// Who.
    pub who: Joiner,
    /// `attended`, `apologies` or `absent`; none when not taken.
    pub attendance: Option<&'a str>,
    /// Minutes attended, for those who attended.
    pub minutes: Option<i64>,
    /// Their role, for those who attended.
    pub role: Option<&'a str>,
}

/// Saves the register if nobody saved it since `version` was read; false if someone did.
pub async fn save_register(
    tx: &mut Tx,
    meeting: MeetingId,
    version: i64,
    lines: &[RegisterLine<'_>],
    now: Timestamp,
) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE meetings SET register_version = register_version + 1 WHERE id = $1 AND register_version = $2",
    )
    .bind(meeting).bind(version)
    .execute(c).await.map(|r| r.rows_affected())?);
    if n != 1 {
        return Ok(false);
    }
    for line in lines {
        let (person, staff, target) = split(line.who);
        let sql = format!(
            "INSERT INTO meeting_people (meeting_id, person_id, staff_id, attendance, minutes_attended, role, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT {target} DO UPDATE SET attendance = excluded.attendance,
                 minutes_attended = excluded.minutes_attended, role = excluded.role,
                 updated_at = excluded.updated_at"
        );
        on!(tx, c => sqlx::query(&sql)
            .bind(meeting).bind(person).bind(staff).bind(line.attendance).bind(line.minutes)
            .bind(line.role).bind(now.millis())
            .execute(c).await.map(|_| ())?);
    }
    Ok(true)
}

/// A person's involvement at a meeting.
#[derive(Clone, Debug)]
pub struct MeetingInvolvement<'a> {
    /// The person.
    pub person_id: PersonId,
    /// The meeting.
    pub meeting_id: MeetingId,
    /// The day, `YYYY-MM-DD`.
    pub occurred_on: &'a str,
    /// Minutes.
    pub minutes: i64,
    /// Their role.
    pub role: &'a str,
    /// What it was.
    pub description: &'a str,
}

/// Records (or corrects) a person's involvement at a meeting: one record per person and meeting.
pub async fn record_involvement(
    tx: &mut Tx,
    i: &MeetingInvolvement<'_>,
    now: Timestamp,
) -> Result<()> {
    on!(tx, c => sqlx::query(
        "INSERT INTO involvements (person_id, meeting_id, kind, occurred_on, minutes, role, description, created_at, updated_at)
         VALUES ($1, $2, 'meeting', $3, $4, $5, $6, $7, $7)
         ON CONFLICT (meeting_id, person_id) WHERE meeting_id IS NOT NULL DO UPDATE SET
             occurred_on = excluded.occurred_on, minutes = excluded.minutes, role = excluded.role,
             description = excluded.description, updated_at = excluded.updated_at",
    )
    .bind(i.person_id).bind(i.meeting_id).bind(i.occurred_on).bind(i.minutes).bind(i.role)
    .bind(i.description).bind(now.millis())
    .execute(c).await.map(|_| ())?);
    Ok(())
}

/// Removes a person's involvement at a meeting (the register said they did not attend after
/// all).
pub async fn remove_involvement(tx: &mut Tx, meeting: MeetingId, person: PersonId) -> Result<()> {
    on!(tx, c => sqlx::query("DELETE FROM involvements WHERE meeting_id = $1 AND person_id = $2")
        .bind(meeting).bind(person)
        .execute(c).await.map(|_| ())?);
    Ok(())
}

/// A person's involvement, newest first.
pub async fn involvements(tx: &mut Tx, person: PersonId, limit: i64) -> Result<Vec<Involvement>> {
    let rows = JsonRows {
        fields: &[
            ("id", "i.id"),
            ("person_id", "i.person_id"),
            ("meeting_id", "i.meeting_id"),
            ("kind", "i.kind"),
            ("occurred_on", "i.occurred_on"),
            ("minutes", "i.minutes"),
            ("role", "i.role"),
            ("description", "i.description"),
        ],
        from: "FROM involvements i WHERE i.person_id = $1 ORDER BY i.occurred_on DESC, i.id DESC LIMIT $2",
        order: "occurred_on DESC, id DESC",
    };
    Ok(crate::json_rows!(tx, rows, |q| q.bind(person).bind(limit)))
}
