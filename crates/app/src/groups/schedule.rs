//! A group's meeting pattern, checked from the form, and its meetings kept as records a year ahead.

use super::GroupInput;
use crate::input::FIRST_MEETING_FORMAT;
use crate::{App, AppError, FieldError};
use chrono::{DateTime, NaiveDateTime, NaiveTime};
use coproduce_domain::groups::Group;
use coproduce_domain::pattern::MeetingPattern;
use coproduce_domain::people::parse_date;
use coproduce_domain::GroupId;
use coproduce_store::groups;
use coproduce_store::{meetings, Tx};

/// A group's meeting pattern and its first meeting (`FIRST_MEETING_FORMAT`), when it has one;
/// a pattern needs the first meeting's date and time.
pub(super) fn schedule_of(
    input: &GroupInput,
    problems: &mut Vec<FieldError>,
) -> (Option<MeetingPattern>, Option<String>) {
    let pattern = match input.meeting_rrule.trim() {
        "" => None,
        rule => match MeetingPattern::parse(rule) {
            Ok(p) => Some(p),
            Err(e) => {
                problems.push(FieldError::new("meeting_rrule", e.to_string()));
                None
            }
        },
    };
    let first_date = match input.first_meeting_date.trim() {
        "" => None,
        d => parse_date(d)
            .map_err(|e| problems.push(FieldError::new("first_meeting_date", e.0)))
            .ok(),
    };
    let first_time = match input.first_meeting_time.trim() {
        "" => None,
        t => NaiveTime::parse_from_str(t, "%H:%M")
            .map_err(|_| {
                problems.push(FieldError::new(
                    "first_meeting_time",
                    "Enter a time like 10:00 or 18:30",
                ))
            })
            .ok(),
    };
    let rule_given = !input.meeting_rrule.trim().is_empty();
    if rule_given && input.first_meeting_date.trim().is_empty() {
        problems.push(FieldError::new(
            "first_meeting_date",
            "Enter the date of the first meeting",
        ));
    }
    if rule_given && input.first_meeting_time.trim().is_empty() {
        problems.push(FieldError::new(
            "first_meeting_time",
            "Enter the time meetings start",
        ));
    }
    let first_meeting = match (first_date, first_time) {
        (Some(d), Some(t)) => Some(
            NaiveDateTime::new(d, t)
                .format(FIRST_MEETING_FORMAT)
                .to_string(),
        ),
        _ => None,
    };
    (pattern, first_meeting)
}

/// How far ahead a group's meetings are kept as records.
const HORIZON_DAYS: i64 = 366;

/// Brings the group's meetings from now to the horizon into line with its pattern.
pub(super) async fn schedule(
    tx: &mut Tx,
    id: GroupId,
    g: &Group,
    now: coproduce_domain::Timestamp,
) -> Result<usize, AppError> {
    schedule_from(tx, id, g, now, now).await
}

/// Brings the group's meetings from `start` to the horizon into line with its pattern (the demo
/// starts a year back, to have a history).
pub(crate) async fn schedule_from(
    tx: &mut Tx,
    id: GroupId,
    g: &Group,
    start: coproduce_domain::Timestamp,
    now: coproduce_domain::Timestamp,
) -> Result<usize, AppError> {
    let pattern = g
        .meeting_rrule
        .as_deref()
        .and_then(|r| MeetingPattern::parse(r).ok());
    let first = g
        .first_meeting
        .as_deref()
        .and_then(|f| NaiveDateTime::parse_from_str(f, FIRST_MEETING_FORMAT).ok());
    let from = DateTime::from_timestamp_millis(start.millis()).unwrap_or_default();
    let to = DateTime::from_timestamp_millis(now.millis()).unwrap_or_default()
        + chrono::Duration::days(HORIZON_DAYS);
    let occurrences: Vec<meetings::Occurrence> = match (pattern, first) {
        (Some(p), Some(first)) => p
            .occurrences(first, from, to)
            .into_iter()
            .map(|start| meetings::Occurrence {
                key: coproduce_domain::time::in_london(coproduce_domain::Timestamp(
                    start.timestamp_millis(),
                ))
                .format(FIRST_MEETING_FORMAT)
                .to_string(),
                starts_at: coproduce_domain::Timestamp(start.timestamp_millis()),
                ends_at: coproduce_domain::Timestamp(
                    start.timestamp_millis() + g.meeting_minutes * 60_000,
                ),
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(meetings::align(tx, id, start, &occurrences, now).await?)
}

impl App {
    /// Keeps every group's meetings materialised a year ahead (a daily job; also at start).
    /// Returns how many meetings were added.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn extend_meetings(&self) -> Result<usize, AppError> {
        let now = self.now();
        let mut tx = self.db().write().await?;
        let mut added = 0;
        for g in groups::list(&mut tx, None).await? {
            added += schedule(&mut tx, g.id, &g, now).await?;
        }
        tx.commit().await?;
        Ok(added)
    }
}
