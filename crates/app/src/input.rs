//! Reading what people typed, for every use case: trimmed text within a length, whole numbers
//! within a range, how to join a meeting, and numbers sent as text. Each problem is collected as
//! a [`FieldError`] naming the field.

use crate::FieldError;
use coproduce_domain::groups::{parse_video_link, Joiner};
use coproduce_domain::people::parse_date;

/// Reads a number sent as a number or as text (a form's hidden field).
pub(crate) fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Number(i64),
        Text(String),
    }
    match serde::Deserialize::deserialize(d)? {
        Sent::Number(n) => Ok(n),
        Sent::Text(t) if t.trim().is_empty() => Ok(0),
        Sent::Text(t) => t.trim().parse().map_err(serde::de::Error::custom),
    }
}

/// The first meeting's start as stored: London wall-clock `YYYY-MM-DDTHH:MM`.
pub(crate) const FIRST_MEETING_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// A field that may be left empty: `None` when it is, else what `parse` reads, or its problem.
pub(crate) fn optional<T>(
    text: &str,
    field: &'static str,
    parse: impl Fn(&str) -> Result<T, String>,
    problems: &mut Vec<FieldError>,
) -> Option<T> {
    if text.trim().is_empty() {
        return None;
    }
    match parse(text) {
        Ok(v) => Some(v),
        Err(m) => {
            problems.push(FieldError::new(field, m));
            None
        }
    }
}

/// Trimmed text, with a problem when it is longer than `max` characters.
pub(crate) fn text(
    field: &'static str,
    value: &str,
    max: usize,
    label: &str,
    problems: &mut Vec<FieldError>,
) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        problems.push(FieldError::new(
            field,
            format!("{label} must be {max} characters or fewer"),
        ));
    }
    v.to_owned()
}

/// [`text`] that must be given: `missing` says so when it is empty.
pub(crate) fn required(
    field: &'static str,
    value: &str,
    max: usize,
    (label, missing): (&str, &str),
    problems: &mut Vec<FieldError>,
) -> String {
    let v = text(field, value, max, label, problems);
    if v.is_empty() {
        problems.push(FieldError::new(field, missing));
    }
    v
}

/// An uploaded file, as sent.
#[derive(Clone, Debug)]
pub struct Upload {
    /// Its name as sent.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// How to join a meeting, checked.
pub(crate) struct Joining {
    /// An https video link.
    pub video_link: Option<String>,
    /// A phone dial-in.
    pub phone_dial_in: String,
    /// A venue.
    pub venue: String,
    /// Its access information.
    pub venue_access: String,
}

/// Checks how to join, as typed: `[video link, dial-in, venue, access]`.
pub(crate) fn joining(typed: [&str; 4], problems: &mut Vec<FieldError>) -> Joining {
    let [video, phone, venue, access] = typed;
    Joining {
        video_link: match video.trim() {
            "" => None,
            v => parse_video_link(v)
                .map_err(|e| problems.push(FieldError::new("video_link", e)))
                .ok(),
        },
        phone_dial_in: text("phone_dial_in", phone, 200, "The dial-in", problems),
        venue: text("venue", venue, 500, "The venue", problems),
        venue_access: text(
            "venue_access",
            access,
            2000,
            "The access information",
            problems,
        ),
    }
}

/// A whole number within `range` (`default` when empty), with `message` when it is not one.
pub(crate) fn number(
    field: &'static str,
    value: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
    message: &str,
    problems: &mut Vec<FieldError>,
) -> i64 {
    if value.trim().is_empty() {
        return default;
    }
    match coproduce_domain::range::whole(value, range) {
        Some(n) => n,
        None => {
            problems.push(FieldError::new(field, message));
            default
        }
    }
}

/// Someone joining a group or project.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MemberInput {
    /// A person's id (or empty when a staff member joins).
    pub person_id: String,
    /// A staff member's id (or empty when a person joins).
    pub staff_id: String,
    /// Their role's code.
    pub role: String,
}

/// An action agreed at a meeting or a review, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActionInput {
    /// What is to be done.
    pub description: String,
    /// Its owner: `person:ID`, `staff:ID`, or empty.
    pub owner: String,
    /// When by.
    pub due_on: String,
    /// The form's one-time key.
    pub submission_key: String,
}

/// An action's fields, read.
#[derive(Clone, Debug)]
pub(crate) struct ActionFields {
    /// What is to be done.
    pub description: String,
    /// Who will do it.
    pub owner: Option<Joiner>,
    /// When by, `YYYY-MM-DD`.
    pub due_on: Option<String>,
}

impl ActionInput {
    /// Reads the action, collecting every problem. Whether its owner may own it is for the
    /// caller, who knows where it was agreed.
    pub(crate) fn read(&self) -> Result<ActionFields, crate::AppError> {
        let mut problems = Vec::new();
        let description = text(
            "description",
            &self.description,
            2000,
            "The action",
            &mut problems,
        );
        if description.is_empty() {
            problems.push(FieldError::new("description", "Enter what is to be done"));
        }
        let owner = optional(
            &self.owner,
            "owner",
            |o| parse_who(o).ok_or_else(|| "Choose who will do it".to_owned()),
            &mut problems,
        );
        let due_on = optional(
            &self.due_on,
            "due_on",
            |d| parse_date(d).map(|d| d.to_string()).map_err(|e| e.0),
            &mut problems,
        );
        if !problems.is_empty() {
            return Err(crate::AppError::Invalid(problems));
        }
        Ok(ActionFields {
            description,
            owner,
            due_on,
        })
    }

    /// The key the form sent, if any: the same key twice adds one action.
    pub(crate) fn key(&self) -> Option<&str> {
        Some(self.submission_key.trim()).filter(|k| !k.is_empty())
    }
}

/// Reads `person:ID` or `staff:ID`.
pub fn parse_who(who: &str) -> Option<Joiner> {
    let (kind, id) = who.trim().split_once(':')?;
    match kind {
        "person" => Some(Joiner::Person(id.parse().ok()?)),
        "staff" => Some(Joiner::Staff(id.parse().ok()?)),
        _ => None,
    }
}
