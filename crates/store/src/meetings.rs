//! Meetings: the materialised occurrences of a group's pattern, and one-offs.

use crate::{on, placeholders, JsonRows, Result, Tx};
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::meetings::{HeldMeeting, Meeting, MeetingStatus};
use coproduce_domain::MeetingId;
use coproduce_domain::{GroupId, Timestamp};

/// Meetings with their group or project.
const FROM_MEETINGS: &str =
    "FROM meetings m LEFT JOIN groups g ON g.id = m.group_id LEFT JOIN projects pr ON pr.id = m.project_id";

const FIELDS: &[crate::Field] = &[
    ("id", "m.id"),
    ("group_id", "m.group_id"),
    ("project_id", "m.project_id"),
    ("occurrence", "m.occurrence"),
    ("title", "m.title"),
    ("host_name", "coalesce(g.name, pr.name)"),
    ("service_id", "coalesce(g.service_id, pr.service_id)"),
    ("starts_on", "m.starts_on"),
    ("starts_at", "m.starts_at"),
    ("ends_at", "m.ends_at"),
    ("status", "m.status"),
    ("changed_at", "m.changed_at"),
    ("sequence", "m.sequence"),
    ("agenda", "m.agenda"),
    ("notes", "m.notes"),
    ("video_link", "m.video_link"),
    ("phone_dial_in", "m.phone_dial_in"),
    ("venue", "m.venue"),
    ("venue_access", "m.venue_access"),
    ("join_video_link", "coalesce(m.video_link, g.video_link)"),
    (
        "join_phone_dial_in",
        "coalesce(m.phone_dial_in, g.phone_dial_in, '')",
    ),
    ("join_venue", "coalesce(m.venue, g.venue, '')"),
    (
        "join_venue_access",
        "coalesce(m.venue_access, g.venue_access, '')",
    ),
    ("reminder_lead_hours", "coalesce(g.reminder_lead_hours, 24)"),
    ("version", "m.version"),
    ("register_version", "m.register_version"),
];

/// One meeting.
pub async fn find(tx: &mut Tx, id: MeetingId) -> Result<Option<Meeting>> {
    let from = format!("{FROM_MEETINGS} WHERE m.id = $1");
    let rows = JsonRows {
        fields: FIELDS,
        from: &from,
        order: "id",
    };
    let mut found: Vec<Meeting> = crate::json_rows!(tx, rows, |q| q.bind(id));
    Ok(found.pop())
}

/// What staff can set about one meeting.
#[derive(Clone, Debug)]
pub struct MeetingChange<'a> {
    /// A one-off's title.
    pub title: &'a str,
    /// The UK date it starts on.
    pub starts_on: &'a str,
    /// Start.
    pub starts_at: Timestamp,
    /// End.
    pub ends_at: Timestamp,
    /// Going ahead or called off.
    pub status: MeetingStatus,
    /// The agenda.
    pub agenda: &'a str,
    /// The minutes.
    pub notes: &'a str,
    /// Joining details for this meeting alone; none for the group's.
    pub video_link: Option<&'a str>,
    /// As above.
    pub phone_dial_in: Option<&'a str>,
    /// As above.
    pub venue: Option<&'a str>,
    /// As above.
    pub venue_access: Option<&'a str>,
}

/// Adds a one-off meeting. Returns its id.
pub async fn insert(
    tx: &mut Tx,
    team: Team,
    m: &MeetingChange<'_>,
    now: Timestamp,
) -> Result<MeetingId> {
    let (group, project) = match team {
        Team::Group(g) => (Some(g), None),
        Team::Project(p) => (None, Some(p)),
    };
    Ok(on!(tx, c => sqlx::query_scalar(
        "INSERT INTO meetings (group_id, project_id, title, starts_at, ends_at, status, agenda, notes,
            video_link, phone_dial_in, venue, venue_access, created_at, updated_at, starts_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
    )
    .bind(group).bind(project).bind(m.title).bind(m.starts_at.millis()).bind(m.ends_at.millis())
    .bind(m.status).bind(m.agenda).bind(m.notes).bind(m.video_link).bind(m.phone_dial_in)
    .bind(m.venue).bind(m.venue_access).bind(now.millis()).bind(m.starts_on)
    .fetch_one(c)
    .await?))
}

/// Changes one meeting if it is still at `version`; the series leaves it alone from then on.
/// False when someone saved first.
pub async fn change(
    tx: &mut Tx,
    id: MeetingId,
    version: i64,
    m: &MeetingChange<'_>,
    now: Timestamp,
) -> Result<bool> {
    let n = on!(tx, c => sqlx::query(
        "UPDATE meetings SET starts_at = $3, ends_at = $4, status = $5, agenda = $6, changed_at = $7,
            updated_at = $7, title = $8, notes = $9, video_link = $10, phone_dial_in = $11, venue = $12,
            venue_access = $13, starts_on = $14, sequence = sequence + 1, version = version + 1
         WHERE id = $1 AND version = $2",
    )
    .bind(id).bind(version).bind(m.starts_at.millis()).bind(m.ends_at.millis()).bind(m.status)
    .bind(m.agenda).bind(now.millis()).bind(m.title).bind(m.notes).bind(m.video_link)
    .bind(m.phone_dial_in).bind(m.venue).bind(m.venue_access).bind(m.starts_on)
    .execute(c)
    .await
    .map(|r| r.rows_affected())?);
    Ok(n == 1)
}

/// A group's or project's meetings starting in `[from, to)` (both optional), soonest first, at
/// most `limit`.
pub async fn for_team(
    tx: &mut Tx,
    team: Team,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    limit: i64,
) -> Result<Vec<Meeting>> {
    let from_sql = format!(
        "{FROM_MEETINGS} WHERE m.{} = $1
         AND ($2 IS NULL OR m.starts_at >= $2) AND ($3 IS NULL OR m.starts_at < $3)
         ORDER BY m.starts_at, m.id LIMIT $4",
        crate::groups::tables(team).1
    );
    let rows = JsonRows {
        fields: FIELDS,
        from: &from_sql,
        order: "starts_at, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(team.id())
        .bind(from.map(Timestamp::millis))
        .bind(to.map(Timestamp::millis))
        .bind(limit)))
}

/// What a held meeting's line shows: whether its register was taken, whether it has minutes,
/// and how many of its actions are open.
const HELD_FIELDS: &[crate::Field] = &[
    ("id", "m.id"),
    ("title", "coalesce(m.title, '')"),
    ("starts_at", "m.starts_at"),
    (
        "register_taken",
        "EXISTS (SELECT 1 FROM meeting_people mp WHERE mp.meeting_id = m.id AND mp.attendance IS NOT NULL)",
    ),
    ("has_minutes", "coalesce(m.notes, '') <> ''"),
    (
        "open_actions",
        "(SELECT COUNT(*) FROM actions a WHERE a.meeting_id = m.id AND a.status = 'open')",
    ),
];

/// The held meetings of the team `$team` by `$now`, newest first, `$limit` from `$offset`
/// (each a placeholder, so that one statement can hold this beside another list).
fn held_from(team: Team, [team_id, now, limit, offset]: [&str; 4]) -> String {
    format!(
        "FROM meetings m WHERE m.{} = {team_id} AND m.starts_at <= {now} AND m.status = 'scheduled'
         ORDER BY m.starts_at DESC, m.id DESC LIMIT {limit} OFFSET {offset}",
        crate::groups::tables(team).1
    )
}

/// A group's or project's meetings held by `now` (not cancelled), newest first: `limit` of them
/// from `offset`, with whether each has its register and minutes and how many actions are open.
pub async fn held_for_team(
    tx: &mut Tx,
    team: Team,
    now: Timestamp,
    limit: i64,
    offset: i64,
) -> Result<Vec<HeldMeeting>> {
    let from = held_from(team, ["$1", "$2", "$3", "$4"]);
    let rows = JsonRows {
        fields: HELD_FIELDS,
        from: &from,
        order: "starts_at DESC, id DESC",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(team.id())
        .bind(now.millis())
        .bind(limit)
        .bind(offset)))
}

/// A team's page's meetings in one statement: the next `next` from `now` (cancelled ones
/// included), and `held` held ones from `offset`, newest first. One statement rather than two
/// use cases' reads: each read is a connection and a hop to its thread, which the group page
/// paid for twice once it listed held meetings (issue 13).
pub async fn team_page(
    tx: &mut Tx,
    team: Team,
    now: Timestamp,
    next: i64,
    held: i64,
    offset: i64,
) -> Result<(Vec<Meeting>, Vec<HeldMeeting>)> {
    let sqlite = tx.is_sqlite();
    let upcoming = format!(
        "{FROM_MEETINGS} WHERE m.{} = $1 AND m.starts_at >= $2 ORDER BY m.starts_at, m.id LIMIT $3",
        crate::groups::tables(team).1
    );
    let upcoming = JsonRows {
        fields: FIELDS,
        from: &upcoming,
        order: "starts_at, id",
    };
    let held_sql = held_from(team, ["$1", "$2", "$4", "$5"]);
    let held_rows = JsonRows {
        fields: HELD_FIELDS,
        from: &held_sql,
        order: "starts_at DESC, id DESC",
    };
    let sql = format!(
        "SELECT {}, {}",
        upcoming.expr(sqlite),
        held_rows.expr(sqlite)
    );
    let (upcoming, held): (String, String) = on!(tx, c => sqlx::query_as(&sql)
        .bind(team.id()).bind(now.millis()).bind(next).bind(held).bind(offset)
        .fetch_one(c).await?);
    Ok((
        crate::decode_json_rows(&upcoming)?,
        crate::decode_json_rows(&held)?,
    ))
}

/// An occurrence of a pattern to keep: its key (the London start) and its UTC span.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// The London wall-clock start, `YYYY-MM-DDTHH:MM`.
    pub key: String,
    /// Start.
    pub starts_at: Timestamp,
    /// End.
    pub ends_at: Timestamp,
}

/// Brings a group's scheduled meetings from `from` on into line with its pattern's
/// `occurrences` (all of them from `from` to the horizon): missing ones are added; ones the
/// pattern no longer gives are cancelled (their calendar entries then say so); ones whose length
/// changed are updated. Meetings staff changed one by one are left alone. Returns how many were
/// added.
pub async fn align(
    tx: &mut Tx,
    group: GroupId,
    from: Timestamp,
    occurrences: &[Occurrence],
    now: Timestamp,
) -> Result<usize> {
    let existing = for_team(tx, Team::Group(group), Some(from), None, i64::MAX).await?;
    let wanted: std::collections::HashMap<&str, &Occurrence> =
        occurrences.iter().map(|o| (o.key.as_str(), o)).collect();
    let mut cancel = Vec::new();
    // Scheduled at the pattern's length: ones cancelled that it gives again, and ones whose
    // length changed.
    let mut restore = Vec::new();
    for m in existing.iter().filter(|m| m.changed_at.is_none()) {
        let Some(key) = m.occurrence.as_deref() else {
            continue;
        };
        match (wanted.get(key), m.status) {
            (None, MeetingStatus::Scheduled) => cancel.push(m.id),
            (Some(o), MeetingStatus::Cancelled) => restore.push((m.id, o.ends_at)),
            (Some(o), _) if o.ends_at.millis() != m.ends_at => restore.push((m.id, o.ends_at)),
            _ => {}
        }
    }
    for (id, ends_at) in restore {
        on!(tx, c => sqlx::query(
            "UPDATE meetings SET status = 'scheduled', ends_at = $3, sequence = sequence + 1,
                updated_at = $2, version = version + 1 WHERE id = $1",
        )
        .bind(id).bind(now.millis()).bind(ends_at.millis())
        .execute(c)
        .await
        .map(|r| r.rows_affected())?);
    }
    for chunk in cancel.chunks(500) {
        let sql =
            format!(
            "UPDATE meetings SET status = 'cancelled', sequence = sequence + 1, updated_at = $1,
                version = version + 1
             WHERE id IN ({})",
            (2..chunk.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql).bind(now.millis());
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    let known: std::collections::HashSet<&str> = existing
        .iter()
        .filter_map(|m| m.occurrence.as_deref())
        .collect();
    let new: Vec<&Occurrence> = occurrences
        .iter()
        .filter(|o| !known.contains(o.key.as_str()))
        .collect();
    for chunk in new.chunks(100) {
        let sql = format!(
            "INSERT INTO meetings (group_id, occurrence, starts_at, ends_at, status, created_at, updated_at,
                starts_on)
             VALUES {} ON CONFLICT DO NOTHING",
            placeholders(tx.is_sqlite(), chunk.len(), 8)
        );
        on!(tx, c => {
            let mut q = sqlx::query(&sql);
            for o in chunk {
                q = q
                    .bind(group)
                    .bind(&o.key)
                    .bind(o.starts_at.millis())
                    .bind(o.ends_at.millis())
                    .bind("scheduled")
                    .bind(now.millis())
                    .bind(now.millis())
                    .bind(&o.key[..10]);
            }
            q.execute(c).await.map(|r| r.rows_affected())?
        });
    }
    Ok(new.len())
}

/// Which of a meeting's long texts a list reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texts {
    /// The agenda and minutes too.
    All,
    /// Not the agenda and minutes (left empty): a calendar feed has no use for them, and a
    /// year of minutes would make every poll heavy.
    Without,
}

/// The meetings someone is invited to that start in `[from, to)`, soonest first, at most
/// `limit`: those of the groups and projects they were a member of on the day, unless taken off
/// one, and those they were added to.
pub async fn for_attendee(
    tx: &mut Tx,
    who: Joiner,
    from: Timestamp,
    to: Timestamp,
    limit: i64,
    texts: Texts,
) -> Result<Vec<Meeting>> {
    let column = match who {
        Joiner::Person(_) => "person_id",
        Joiner::Staff(_) => "staff_id",
    };
    let as_member = |members: &str, team: &str| {
        format!(
            "SELECT mt.id FROM {members} mb JOIN meetings mt ON mt.{team} = mb.{team}
                 AND mt.starts_on >= mb.joined_on AND (mb.left_on IS NULL OR mt.starts_on < mb.left_on)
             WHERE mb.{column} = $1 AND mt.starts_at >= $2 AND mt.starts_at < $3
                 AND NOT EXISTS (SELECT 1 FROM meeting_people x WHERE x.meeting_id = mt.id
                     AND x.{column} = $1 AND NOT x.invited)"
        )
    };
    let from_sql = format!(
        "FROM ({} UNION {} UNION
               SELECT mt.id FROM meeting_people x JOIN meetings mt ON mt.id = x.meeting_id
               WHERE x.{column} = $1 AND x.invited AND mt.starts_at >= $2 AND mt.starts_at < $3) ids
         JOIN meetings m ON m.id = ids.id
         LEFT JOIN groups g ON g.id = m.group_id LEFT JOIN projects pr ON pr.id = m.project_id
         ORDER BY m.starts_at, m.id LIMIT $4",
        as_member("group_members", "group_id"),
        as_member("project_members", "project_id"),
    );
    let fields: Vec<crate::Field> = FIELDS
        .iter()
        .map(|&(name, expr)| match (texts, name) {
            (Texts::Without, "agenda" | "notes") => (name, "''"),
            _ => (name, expr),
        })
        .collect();
    let rows = JsonRows {
        fields: &fields,
        from: &from_sql,
        order: "starts_at, id",
    };
    let id = who.id();
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(id)
        .bind(from.millis())
        .bind(to.millis())
        .bind(limit)))
}

/// Scheduled meetings starting in `(from, to]`, soonest first (for reminders).
pub async fn starting_between(tx: &mut Tx, from: Timestamp, to: Timestamp) -> Result<Vec<Meeting>> {
    let from_sql = format!(
        "{FROM_MEETINGS} WHERE m.starts_at > $1 AND m.starts_at <= $2 AND m.status = 'scheduled'"
    );
    let rows = JsonRows {
        fields: FIELDS,
        from: &from_sql,
        order: "starts_at, id",
    };
    Ok(crate::json_rows!(tx, rows, |q| q
        .bind(from.millis())
        .bind(to.millis())))
}
