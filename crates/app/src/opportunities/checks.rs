//! Reading an opportunity as typed: each field's check, and the record they make.

use super::*;

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
pub(super) fn checked(
    input: &OpportunityInput,
    service_id: ServiceId,
) -> Result<Opportunity, AppError> {
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
        kind,
        service_id,
        starts_on: starts_on.to_string(),
        start_time,
        end_time,
        dates_note: words.dates_note,
        place,
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
        visibility,
        minutes,
        version: input.version,
        id: OpportunityId::default(),
        service_name: String::new(),
        confirmed: 0,
        interested: 0,
    })
}
