//! People taking part, and how to reach them: statuses, channels, needs, consents, cadence,
//! phone numbers, postcodes and dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_list!(
    /// Where a person is in their involvement.
    PersonStatus {
        /// Asked to get involved.
        Enquiry = "enquiry", "Enquiry";
        /// Getting started.
        Onboarding = "onboarding", "Onboarding";
        /// Taking part.
        Active = "active", "Active";
        /// Taking a break.
        Paused = "paused", "Paused";
        /// No longer taking part.
        Left = "left", "Left";
    }
);

code_list!(
    /// A way to reach someone.
    Channel {
        /// Telephone.
        Phone = "phone", "Phone";
        /// A video call (Zoom, Teams).
        VideoCall = "video_call", "Video call";
        /// Email.
        Email = "email", "Email";
        /// Text message.
        Text = "text", "Text message";
        /// Letter.
        Letter = "letter", "Letter";
        /// Meeting in person.
        InPerson = "in_person", "In person";
    }
);

code_list!(
    /// Who started a contact.
    Direction {
        /// We called or wrote to them.
        Outbound = "outbound", "We contacted them";
        /// They called or wrote to us.
        Inbound = "inbound", "They contacted us";
        /// We met, at a meeting or in person.
        Meeting = "meeting", "Meeting";
        /// A message either way.
        Message = "message", "Message";
    }
);

code_list!(
    /// A communication or access need (the Accessible Information Standard's "record" step).
    Need {
        /// Information in Easy Read.
        EasyRead = "easy_read", "Easy Read";
        /// Large print.
        LargePrint = "large_print", "Large print";
        /// A British Sign Language interpreter.
        BslInterpreter = "bsl_interpreter", "BSL interpreter";
        /// A spoken-language interpreter.
        Interpreter = "interpreter", "Spoken-language interpreter";
        /// A hearing loop.
        HearingLoop = "hearing_loop", "Hearing loop";
        /// A supporter comes with them.
        Supporter = "supporter", "A supporter attends";
        /// Step-free access.
        StepFree = "step_free", "Step-free access";
        /// Breaks during meetings.
        Breaks = "breaks", "Breaks";
        /// Something else (see notes).
        Other = "other", "Other (see notes)";
    }
);

code_list!(
    /// What a person has agreed to.
    ConsentKind {
        /// To be contacted.
        Contact = "contact", "To be contacted";
        /// For us to hold their details.
        HoldData = "hold_data", "For us to hold their details";
        /// Photographs of them.
        Photos = "photos", "Photographs";
        /// Their words being quoted in public.
        Quotes = "quotes", "Quotes being published";
    }
);

/// Why a value was refused, in words to show the person who typed it.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
#[error("{0}")]
pub struct Invalid(pub String);

fn invalid(message: &str) -> Invalid {
    Invalid(message.to_owned())
}

/// How often to be in touch: every 1 to 365 days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cadence(u16);

impl Cadence {
    /// Reads a number of days.
    pub fn parse(text: &str) -> Result<Cadence, Invalid> {
        let days: i64 = text.trim().parse().map_err(|_| {
            invalid("Enter how often to keep in touch, in days, as a number like 14")
        })?;
        Cadence::from_days(days)
    }

    /// A number of days, checked.
    pub fn from_days(days: i64) -> Result<Cadence, Invalid> {
        u16::try_from(days)
            .ok()
            .filter(|d| (1..=365).contains(d))
            .map(Cadence)
            .ok_or_else(|| invalid("Keep in touch every 1 to 365 days"))
    }

    /// The days.
    pub fn days(self) -> i64 {
        i64::from(self.0)
    }
}

/// A UK phone number, kept as typed digits in national form (`07700 900123` → `07700900123`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct UkPhone(String);

impl UkPhone {
    /// Reads a phone number; `+44` and `0044` become `0`; spaces, dashes and brackets are ignored.
    pub fn parse(text: &str) -> Result<UkPhone, Invalid> {
        let kept: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let national = if let Some(rest) = kept.strip_prefix("+44") {
            format!("0{}", rest.trim_start_matches('0'))
        } else if let Some(rest) = kept.strip_prefix("0044") {
            format!("0{}", rest.trim_start_matches('0'))
        } else {
            kept
        };
        let ok = national.starts_with('0')
            && national.chars().all(|c| c.is_ascii_digit())
            && (10..=11).contains(&national.len());
        if ok {
            Ok(UkPhone(national))
        } else {
            Err(invalid(
                "Enter a UK phone number, like 01632 960 001 or 07700 900 982",
            ))
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored UK number written in the groups people read it in: `07700 900222`, `023 9200 0333`,
/// `0113 496 0000`, `01632 960001`, `0300 123 4567`, `0800 123 456`. Anything that is not a
/// national number of 10 or 11 digits is shown as it was stored.
pub fn phone_text(stored: &str) -> String {
    let d = stored.as_bytes();
    let national = d.first() == Some(&b'0') && d.iter().all(u8::is_ascii_digit);
    if !national || !(10..=11).contains(&d.len()) {
        return stored.to_owned();
    }
    // The few areas whose code has six figures: 016977 4321, 015394 12345.
    const SIX_FIGURE_CODES: [&str; 10] = [
        "016977", "015394", "015395", "015396", "017683", "017684", "017687", "013873", "015242",
        "019467",
    ];
    let groups: &[usize] = match (d[1], d[2], d[3], d.len()) {
        _ if SIX_FIGURE_CODES.iter().any(|c| stored.starts_with(c)) => &[6, 5],
        // The Isle of Man's mobiles sit among the pagers: 07624 123456.
        _ if stored.starts_with("07624") => &[5, 6],
        // London, Southampton and the other 02 areas: 02x xxxx xxxx; personal numbers and
        // pagers (070, 076) and the 055 and 056 ranges are written the same way.
        (b'2', _, _, 11) | (b'7', b'0' | b'6', _, 11) | (b'5', b'5' | b'6', _, 11) => &[3, 4, 4],
        // The big cities' 011x and 01x1 codes: 01xx xxx xxxx.
        (b'1', b'1', _, 11) | (b'1', _, b'1', 11) => &[4, 3, 4],
        // Other areas and mobiles: 01xxx xxxxxx, 07xxx xxxxxx (and 01xxx xxxxx).
        (b'1' | b'7', _, _, _) => &[5, 6],
        // Non-geographic 03, 05, 08 and 09: 0300 123 4567, 0800 123 456.
        _ => &[4, 3, 4],
    };
    let mut out = String::with_capacity(d.len() + 2);
    let mut at = 0;
    for &n in groups {
        let end = (at + n).min(d.len());
        if at > 0 && at < end {
            out.push(' ');
        }
        out.push_str(&stored[at..end]);
        at = end;
    }
    out
}

/// A UK postcode, upper case with one space (`po1 2ab` → `PO1 2AB`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Postcode(String);

impl Postcode {
    /// Reads a postcode.
    pub fn parse(text: &str) -> Result<Postcode, Invalid> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let bad = || invalid("Enter a real postcode, like PO1 2AB");
        if !(5..=7).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(bad());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = inward.as_bytes()[0].is_ascii_digit()
            && inward[1..].chars().all(|c| c.is_ascii_alphabetic());
        let outward_ok = outward.as_bytes()[0].is_ascii_alphabetic()
            && outward.chars().any(|c| c.is_ascii_digit());
        if inward_ok && outward_ok {
            Ok(Postcode(format!("{outward} {inward}")))
        } else {
            Err(bad())
        }
    }

    /// The postcode.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads a date typed as `YYYY-MM-DD` or `D/M/YYYY`.
pub fn parse_date(text: &str) -> Result<NaiveDate, Invalid> {
    let t = text.trim();
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .map_err(|_| invalid("Enter a real date, like 27/3/2024"))?;
    crate::range::date(date).map_err(Invalid)
}

/// Reads a date that must not be in the future (a date of birth, when something happened).
pub fn parse_past_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    let date = parse_date(text)?;
    if date > today {
        return Err(invalid("The date must be today or in the past"));
    }
    Ok(date)
}

/// Reads a ranked list of codes (comma separated) into values, dropping repeats and unknowns.
pub fn parse_list<T: Copy + PartialEq>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in text.split(',').filter_map(|c| parse(c.trim())) {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// A person's needs as staff read them, the interpreter's language named: "Polish interpreter,
/// Easy Read".
pub fn needs_text(needs: &[Need], interpreter_language: &str) -> String {
    needs
        .iter()
        .map(|n| match (n, interpreter_language.trim()) {
            (Need::Interpreter, language) if !language.is_empty() => {
                format!("{language} interpreter")
            }
            (n, _) => n.label().to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the people coming to something need, summed up so it can be arranged before the day:
/// "2 need a BSL interpreter, 1 comes with a supporter". Empty when nobody needs anything.
pub fn needs_summary<'a>(everyone: impl IntoIterator<Item = &'a [Need]>) -> String {
    let mut counts = [0usize; Need::ALL.len()];
    for needs in everyone {
        for n in needs {
            if let Some(i) = Need::ALL.iter().position(|x| x == n) {
                counts[i] += 1;
            }
        }
    }
    Need::ALL
        .iter()
        .zip(counts)
        .filter(|(_, c)| *c > 0)
        .map(|(n, c)| {
            let (one, many, what) = match n {
                Need::EasyRead => ("needs", "need", "Easy Read"),
                Need::LargePrint => ("needs", "need", "large print"),
                Need::BslInterpreter => ("needs", "need", "a BSL interpreter"),
                Need::Interpreter => ("needs", "need", "a spoken-language interpreter"),
                Need::HearingLoop => ("needs", "need", "a hearing loop"),
                Need::Supporter => ("comes", "come", "with a supporter"),
                Need::StepFree => ("needs", "need", "step-free access"),
                Need::Breaks => ("needs", "need", "breaks"),
                Need::Other => ("has", "have", "other needs (see their record)"),
            };
            format!("{c} {} {what}", if c == 1 { one } else { many })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes values as a comma-separated list of codes.
pub fn join_codes<T: Copy>(items: &[T], code: impl Fn(T) -> &'static str) -> String {
    items.iter().map(|i| code(*i)).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for s in PersonStatus::ALL {
            assert_eq!(PersonStatus::parse(s.code()), Some(*s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(*c));
        }
        assert_eq!(Channel::parse("pigeon"), None);
        assert_eq!(Need::parse("easy_read").map(Need::label), Some("Easy Read"));
    }

    #[test]
    fn cadence_is_one_to_365_days() {
        assert_eq!(Cadence::parse("14").unwrap().days(), 14);
        assert!(Cadence::parse("0").is_err());
        assert!(Cadence::parse("366").is_err());
        assert!(Cadence::parse("fortnightly").is_err());
        assert!(Cadence::from_days(365).is_ok());
    }

    #[test]
    fn uk_phone_numbers_are_normalised() {
        assert_eq!(
            UkPhone::parse("07700 900-982").unwrap().as_str(),
            "07700900982"
        );
        assert_eq!(
            UkPhone::parse("+44 (0)23 9200 0000").unwrap().as_str(),
            "02392000000"
        );
        assert_eq!(
            UkPhone::parse("+44 7700 900982").unwrap().as_str(),
            "07700900982"
        );
        assert!(UkPhone::parse("12345").is_err());
        assert!(UkPhone::parse("07700 900 98x").is_err());
    }

    #[test]
    fn needs_are_named_and_summed_up_for_arranging() {
        assert_eq!(
            needs_text(&[Need::Interpreter, Need::EasyRead], "Polish"),
            "Polish interpreter, Easy Read"
        );
        assert_eq!(
            needs_text(&[Need::Interpreter], ""),
            "Spoken-language interpreter"
        );
        let a = [Need::BslInterpreter, Need::Supporter];
        let b = [Need::BslInterpreter];
        let none: [Need; 0] = [];
        assert_eq!(
            needs_summary([&a[..], &b[..], &none[..]]),
            "2 need a BSL interpreter, 1 comes with a supporter"
        );
        assert_eq!(needs_summary([&none[..]]), "");
    }

    #[test]
    fn phone_numbers_are_shown_in_the_groups_people_read() {
        assert_eq!(phone_text("07700900222"), "07700 900222");
        assert_eq!(phone_text("02392000333"), "023 9200 0333");
        assert_eq!(phone_text("01134960000"), "0113 496 0000");
        assert_eq!(phone_text("01214960000"), "0121 496 0000");
        assert_eq!(phone_text("01632960001"), "01632 960001");
        assert_eq!(phone_text("0169774321"), "016977 4321");
        assert_eq!(phone_text("01697712345"), "016977 12345");
        assert_eq!(phone_text("01768712345"), "017687 12345");
        assert_eq!(phone_text("07012345678"), "070 1234 5678");
        assert_eq!(phone_text("07612345678"), "076 1234 5678");
        assert_eq!(phone_text("07624123456"), "07624 123456");
        assert_eq!(phone_text("05612345678"), "056 1234 5678");
        assert_eq!(
            phone_text("01697 4321"),
            "01697 4321",
            "not digits: shown as stored"
        );
        assert_eq!(phone_text("03001234567"), "0300 123 4567");
        assert_eq!(phone_text("0800123456"), "0800 123 456");
        assert_eq!(phone_text("12345"), "12345");
        assert_eq!(phone_text(""), "");
    }

    #[test]
    fn postcodes_are_normalised_and_checked() {
        assert_eq!(Postcode::parse("po12ab").unwrap().as_str(), "PO1 2AB");
        assert_eq!(Postcode::parse(" SW1A 1AA ").unwrap().as_str(), "SW1A 1AA");
        assert!(Postcode::parse("12345").is_err());
        assert!(Postcode::parse("PO1 AB2").is_err());
    }

    #[test]
    fn dates_in_the_future_are_refused_where_that_makes_no_sense() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            parse_past_date("1/2/1990", today).unwrap(),
            NaiveDate::from_ymd_opt(1990, 2, 1).unwrap()
        );
        assert!(parse_past_date("2027-01-01", today).is_err());
        assert!(parse_date("31/2/2024").is_err());
    }

    #[test]
    fn lists_keep_rank_and_drop_repeats() {
        let l = parse_list("video_call, phone,video_call,owl", Channel::parse);
        assert_eq!(l, vec![Channel::VideoCall, Channel::Phone]);
        assert_eq!(join_codes(&l, Channel::code), "video_call,phone");
    }
}
