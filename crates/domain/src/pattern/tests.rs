//! Meeting patterns: parsing, occurrences across the clock changes, and the words for them.

use super::*;

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn texts(v: &[DateTime<Utc>]) -> Vec<String> {
    v.iter()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .collect()
}

#[test]
fn a_weekly_meeting_keeps_its_wall_clock_time_across_the_spring_clock_change() {
    let p = MeetingPattern::parse("RRULE:FREQ=WEEKLY;BYDAY=TU").unwrap();
    let got = p.occurrences(
        local(2027, 3, 16, 10, 0),
        utc("2027-03-01T00:00:00Z"),
        utc("2027-04-07T00:00:00Z"),
    );
    // Clocks go forward on Sunday 28 March 2027: 10:00 GMT becomes 10:00 BST (09:00 UTC).
    assert_eq!(
        texts(&got),
        [
            "2027-03-16 10:00",
            "2027-03-23 10:00",
            "2027-03-30 09:00",
            "2027-04-06 09:00"
        ]
    );
    assert_eq!(p.to_string(), "Every week on Tuesday");
    assert_eq!(p.to_rrule(), "FREQ=WEEKLY;BYDAY=TU");
}

#[test]
fn monthly_numbered_weekdays_and_fortnightly_patterns() {
    let first_thursday = MeetingPattern::parse("FREQ=MONTHLY;BYDAY=1TH").unwrap();
    let got = first_thursday.occurrences(
        local(2027, 1, 7, 18, 30),
        utc("2027-01-01T00:00:00Z"),
        utc("2027-05-01T00:00:00Z"),
    );
    assert_eq!(
        texts(&got),
        [
            "2027-01-07 18:30",
            "2027-02-04 18:30",
            "2027-03-04 18:30",
            "2027-04-01 17:30"
        ]
    );
    assert_eq!(
        first_thursday.to_string(),
        "Every month on the first Thursday"
    );

    let last_friday = MeetingPattern::parse("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3").unwrap();
    let got = last_friday.occurrences(
        local(2027, 1, 29, 14, 0),
        utc("2027-01-01T00:00:00Z"),
        utc("2028-01-01T00:00:00Z"),
    );
    assert_eq!(
        texts(&got),
        ["2027-01-29 14:00", "2027-02-26 14:00", "2027-03-26 14:00"]
    );

    let fortnightly =
        MeetingPattern::parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270125").unwrap();
    let got = fortnightly.occurrences(
        local(2027, 1, 4, 11, 0),
        utc("2027-01-01T00:00:00Z"),
        utc("2027-12-01T00:00:00Z"),
    );
    assert_eq!(
        texts(&got),
        [
            "2027-01-04 11:00",
            "2027-01-07 11:00",
            "2027-01-18 11:00",
            "2027-01-21 11:00"
        ]
    );
    assert_eq!(
        fortnightly.to_string(),
        "Every 2 weeks on Monday and Thursday, until 25 January 2027"
    );
}

#[test]
fn the_31st_is_skipped_in_shorter_months_not_moved() {
    let p = MeetingPattern::parse("FREQ=MONTHLY").unwrap();
    let got = p.occurrences(
        local(2027, 1, 31, 9, 0),
        utc("2027-01-01T00:00:00Z"),
        utc("2027-06-01T00:00:00Z"),
    );
    assert_eq!(
        texts(&got),
        ["2027-01-31 09:00", "2027-03-31 08:00", "2027-05-31 08:00"]
    );
}

#[test]
fn times_the_clocks_skip_or_repeat_resolve_as_the_standard_says() {
    // 01:30 does not exist on 28 March 2027 (GMT to BST at 01:00): it becomes 02:30 BST.
    assert_eq!(
        london_to_utc(local(2027, 3, 28, 1, 30)),
        utc("2027-03-28T01:30:00Z")
    );
    // 01:30 happens twice on 31 October 2027: the first, in BST.
    assert_eq!(
        london_to_utc(local(2027, 10, 31, 1, 30)),
        utc("2027-10-31T00:30:00Z")
    );
}

#[test]
fn only_the_meetings_in_the_window_are_given_and_a_standing_pattern_goes_on() {
    let p = MeetingPattern::parse("FREQ=WEEKLY;BYDAY=TU").unwrap();
    assert!(!p.ends());
    let got = p.occurrences(
        local(2026, 1, 6, 10, 0),
        utc("2030-06-01T00:00:00Z"),
        utc("2030-06-15T00:00:00Z"),
    );
    assert_eq!(texts(&got), ["2030-06-04 09:00", "2030-06-11 09:00"]);
    let year = p.occurrences(
        local(2026, 1, 6, 10, 0),
        utc("2026-01-01T00:00:00Z"),
        utc("2027-01-01T00:00:00Z"),
    );
    assert_eq!(year.len(), 52);
}

#[test]
fn patterns_too_frequent_or_unreadable_are_refused_with_the_reason() {
    assert_eq!(
        MeetingPattern::parse("FREQ=HOURLY"),
        Err(PatternError::TooFrequent("hourly".into()))
    );
    let every_hour = (0..24).map(|h| h.to_string()).collect::<Vec<_>>().join(",");
    let refused = MeetingPattern::parse(&format!("FREQ=DAILY;BYHOUR={every_hour}"));
    assert_eq!(refused, Err(PatternError::TooMany(8760)));
    assert_eq!(
        refused.unwrap_err().to_string(),
        "The meeting pattern gives 8760 meetings in a year; the most is 1,000"
    );
    assert!(
        MeetingPattern::parse("FREQ=DAILY;BYHOUR=10,14").is_ok(),
        "730 a year"
    );
    assert_eq!(MeetingPattern::parse(" "), Err(PatternError::Empty));
    assert!(matches!(
        MeetingPattern::parse("FREQ=WEEKLY;BYDAY=XX"),
        Err(PatternError::Syntax(_))
    ));
    assert!(matches!(
        MeetingPattern::parse("BYDAY=TU"),
        Err(PatternError::Syntax(_))
    ));
    assert!(matches!(
        MeetingPattern::parse("FREQ=WEEKLY;INTERVAL=0"),
        Err(PatternError::Syntax(_))
    ));
    assert!(matches!(
        MeetingPattern::parse("FREQ=YEARLY;BYWEEKNO=20"),
        Err(PatternError::Unsupported(_))
    ));
    assert!(matches!(
        MeetingPattern::parse("FREQ=WEEKLY;COUNT=3;UNTIL=20270101"),
        Err(PatternError::Syntax(_))
    ));
}

#[test]
fn everyday_choices_make_rules_and_read_back() {
    assert_eq!(
        simple_rule("weekly", "TU", "").as_deref(),
        Some("FREQ=WEEKLY;BYDAY=TU")
    );
    assert_eq!(
        simple_rule("fortnightly", "MO", "").as_deref(),
        Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
    );
    assert_eq!(
        simple_rule("monthly", "TH", "1").as_deref(),
        Some("FREQ=MONTHLY;BYDAY=1TH")
    );
    assert_eq!(
        simple_rule("monthly", "FR", "-1").as_deref(),
        Some("FREQ=MONTHLY;BYDAY=-1FR")
    );
    assert_eq!(simple_rule("monthly", "FR", "7"), None);
    assert_eq!(simple_rule("weekly", "XX", ""), None);
    for (repeat, day, week) in [
        ("weekly", "TU", ""),
        ("fortnightly", "SU", ""),
        ("monthly", "WE", "-1"),
    ] {
        let rule = simple_rule(repeat, day, week).unwrap();
        assert_eq!(simple_parts(&rule), Some((repeat, day, week.to_owned())));
    }
    assert_eq!(
        simple_parts("FREQ=WEEKLY;BYDAY=TU,TH"),
        None,
        "not an everyday choice"
    );
}

#[test]
fn a_rule_that_can_never_match_gives_nothing_rather_than_looping() {
    // A fifth Monday is never the 1st of a month.
    let never = MeetingPattern::parse("FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1;COUNT=2").unwrap();
    let got = never.occurrences(
        local(2027, 1, 1, 9, 0),
        utc("2027-01-01T00:00:00Z"),
        utc("2037-01-01T00:00:00Z"),
    );
    assert!(got.is_empty());
}

#[test]
fn rules_too_long_and_until_dates_no_one_means_are_refused() {
    let long = format!("FREQ=WEEKLY;BYDAY={}", vec!["MO"; 200].join(","));
    assert!(matches!(MeetingPattern::parse(&long), Err(PatternError::TooLong(n)) if n > 500));
    let until = MeetingPattern::parse("FREQ=WEEKLY;UNTIL=99991231")
        .unwrap_err()
        .to_string();
    assert!(until.contains("from 1900 to 2200"), "{until}");
    assert!(MeetingPattern::parse("FREQ=WEEKLY;UNTIL=20301231").is_ok());
}
