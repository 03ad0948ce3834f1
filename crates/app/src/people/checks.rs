//! Checking a person's details as typed: each field parsed once, every problem collected.

use super::*;

/// The longest a tag (one interest, one lived experience) may be, in characters.
pub(crate) const TAG_LIMIT: usize = 60;

/// The tags of a comma-separated field (`kind`, from form field `field`). One too long is
/// refused, never cut: what a person wrote is theirs.
fn tag_list(
    (text, field): (&str, &'static str),
    kind: &str,
    restricted: bool,
    problems: &mut Vec<FieldError>,
) -> Vec<NewTag> {
    let mut out: Vec<NewTag> = Vec::new();
    for name in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let length = name.chars().count();
        if length > TAG_LIMIT {
            let start: String = name.chars().take(30).collect();
            problems.push(FieldError::new(
                field,
                format!("Keep each one to {TAG_LIMIT} characters, with commas between them: \u{201c}{start}\u{2026}\u{201d} has {length}"),
            ));
            continue;
        }
        if !out.iter().any(|(_, n, _)| n.eq_ignore_ascii_case(name)) {
            out.push((kind.to_owned(), name.to_owned(), restricted));
        }
    }
    out
}

/// Checks a person's details; returns the record to store and their tags, or every problem.
pub(crate) fn validate(input: &PersonInput) -> Result<(Person, Vec<NewTag>), AppError> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter their name"));
    } else if name.chars().count() > 200 {
        problems.push(FieldError::new(
            "name",
            "Name must be 200 characters or fewer",
        ));
    }
    let dob = optional(
        &input.date_of_birth,
        "date_of_birth",
        |t| parse_past_date(t, today()).map_err(|e| e.0),
        &mut problems,
    );
    let email = optional(
        &input.email,
        "email",
        |t| Email::parse(t).map_err(|e| e.to_string()),
        &mut problems,
    );
    let phone = optional(
        &input.phone,
        "phone",
        |t| UkPhone::parse(t).map_err(|e| e.0),
        &mut problems,
    );
    let postcode = optional(
        &input.postcode,
        "postcode",
        |t| Postcode::parse(t).map_err(|e| e.0),
        &mut problems,
    );
    let status = if input.status.trim().is_empty() {
        Some(PersonStatus::Active)
    } else {
        let s = PersonStatus::parse(&input.status);
        if s.is_none() {
            problems.push(FieldError::new("status", "Choose a status"));
        }
        s
    };
    let channels: Vec<Channel> = input
        .channels
        .iter()
        .filter_map(|c| Channel::parse(c))
        .collect::<Vec<_>>();
    let channels = parse_list(&join_codes(&channels, Channel::code), Channel::parse);
    let needs = parse_list(&input.needs.join(","), Need::parse);
    if needs.contains(&Need::Interpreter) && input.interpreter_language.trim().is_empty() {
        problems.push(FieldError::new(
            "interpreter_language",
            "Enter the language they need an interpreter for",
        ));
    }
    let mut tags = tag_list(
        (&input.interests, "interests"),
        "interest",
        false,
        &mut problems,
    );
    tags.extend(tag_list(
        (&input.lived_experience, "lived_experience"),
        "lived_experience",
        input.lived_experience_restricted,
        &mut problems,
    ));
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let row = Person {
        id: PersonId(0),
        name: name.to_owned(),
        preferred_name: input.preferred_name.trim().to_owned(),
        pronouns: input.pronouns.trim().to_owned(),
        date_of_birth: dob,
        email: email.map(|e| e.as_str().to_owned()),
        phone: phone.map(|p| p.as_str().to_owned()),
        address: input.address.trim().to_owned(),
        postcode: postcode.map(|p| p.as_str().to_owned()),
        partner_id: input.partner_id.trim().parse().ok().map(PartnerId),
        status: status.unwrap_or(PersonStatus::Active),
        channels,
        best_times: input.best_times.trim().to_owned(),
        needs,
        interpreter_language: input.interpreter_language.trim().to_owned(),
        needs_notes: input.needs_notes.trim().to_owned(),
        version: 0,
    };
    Ok((row, tags))
}
