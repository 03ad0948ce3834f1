//! Opportunities and enquiries from the public.

use super::SERVICES;
use crate::{Actor, App, AppError};
use coproduce_domain::time::uk_day;

/// Opportunities open to the public and to people involved, someone confirmed on one, and two
/// enquiries from the public, one of them overdue.
pub(super) async fn seed_taking_part(app: &App) -> Result<(), AppError> {
    use crate::opportunities::OpportunityInput;
    use coproduce_domain::easy_read::Line;
    let (services, _) = app.services_and_partners().await?;
    let service = |name: &str| {
        services
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id.to_string())
            .unwrap_or_default()
    };
    let day = |days: i64| uk_day(app.now().plus_days(days)).to_string();
    let line = |picture: &str, text: &str| Line {
        picture: picture.to_owned(),
        text: text.to_owned(),
    };
    let panel = OpportunityInput {
        title: "Help us interview our new community nurse".into(),
        kind: "recruitment_panel".into(),
        service_id: service(SERVICES[0]),
        starts_on: day(24),
        start_time: "10:00".into(),
        end_time: "13:00".into(),
        place: "venue".into(),
        venue: "Harbourside Resource Centre, 12 Quay Street, Portsmouth PO1 2AB".into(),
        access_info: "Step-free entrance, accessible toilet, quiet room, hearing loop.".into(),
        places: "2".into(),
        asked: "Meet the candidates with two staff, ask them questions we plan together, and help us choose.".into(),
        support: vec!["pre_meeting".into(), "buddy".into()],
        support_notes: "We meet the week before to plan the questions. A buddy can come with you.".into(),
        requirements: vec!["adult".into()],
        payment: "£25 an hour for 3 hours, plus travel.".into(),
        closes_on: day(14),
        description: "We are choosing a new community nurse for people with learning disabilities. We want people who use the service to help choose them, as equal members of the interview panel.".into(),
        easy_read: vec![
            line("meeting", "We need a new nurse."),
            line("talk", "You can help us choose them."),
            line("question", "You ask the nurses questions."),
            line("hello", "We meet before, to plan the questions."),
            line("calendar", "It is one morning."),
            line("money", "We pay you for your time."),
        ],
        visibility: "public".into(),
        hours: "3".into(),
        ..OpportunityInput::default()
    };
    let letters = OpportunityInput {
        title: "Read our new appointment letters".into(),
        kind: "reading_panel".into(),
        service_id: service(SERVICES[1]),
        starts_on: day(30),
        dates_note: "Read at home, then a 1-hour call.".into(),
        place: "online".into(),
        places: "6".into(),
        asked: "Read three letters and tell us what is unclear.".into(),
        payment: "£25 for the hour's call.".into(),
        closes_on: day(21),
        description: "Our appointment letters confuse people. Help us rewrite them so that parents and young people know what will happen and what to bring.".into(),
        easy_read: vec![
            line("letter", "We send letters about appointments."),
            line("read", "Read our letters at home."),
            line("phone", "Tell us on a call what is hard to understand."),
        ],
        visibility: "public".into(),
        hours: "1".into(),
        ..OpportunityInput::default()
    };
    let workshop = OpportunityInput {
        title: "Design the new waiting room".into(),
        kind: "co_design_workshop".into(),
        service_id: service(SERVICES[1]),
        starts_on: day(40),
        start_time: "18:00".into(),
        end_time: "20:00".into(),
        place: "online".into(),
        places: "8".into(),
        closes_on: day(30),
        description: "The clinic's waiting room is being rebuilt. Help us design it with families."
            .into(),
        visibility: "involved".into(),
        hours: "2".into(),
        ..OpportunityInput::default()
    };
    let mut ids = Vec::new();
    for o in [panel, letters, workshop] {
        ids.push(app.create_opportunity(&Actor::Cli, &o).await?);
    }
    let found = app
        .search_people(
            &Actor::Cli,
            &crate::people::SearchInput {
                status: "active".into(),
                ..crate::people::SearchInput::default()
            },
        )
        .await?;
    if let (Some(first), Some(second)) = (found.people.first(), found.people.get(1)) {
        app.set_opportunity_stage(&Actor::Cli, ids[0], first.id, "confirmed")
            .await?;
        app.set_opportunity_stage(&Actor::Cli, ids[0], second.id, "interested")
            .await?;
    }
    let now = app.now();
    let mut tx = app.db().write().await?;
    for (n, (name, email, days_ago, interests, opportunity)) in [
        (
            "Grace Obi",
            Some("grace.obi@example.org"),
            9,
            "Training staff about autism",
            None,
        ),
        (
            "Harbour Men's Shed",
            None,
            1,
            "Our members would like to review the new clinic building",
            Some(ids[0]),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let asked = now.plus_days(-days_ago);
        let respond_by = coproduce_domain::enquiries::working_days_after(
            uk_day(asked),
            coproduce_domain::enquiries::RESPONSE_WORKING_DAYS,
        );
        coproduce_store::enquiries::insert(
            &mut tx,
            &coproduce_store::enquiries::NewEnquiry {
                submission_key: format!("demo:{n}"),
                name: name.to_owned(),
                email: email.map(str::to_owned),
                phone: Some("07700900123".to_owned()),
                channels: "phone,email".into(),
                best_times: "Weekday afternoons".into(),
                needs: "easy_read".into(),
                interests: interests.to_owned(),
                opportunity_id: opportunity,
                community_group: if email.is_none() {
                    name.to_owned()
                } else {
                    String::new()
                },
                client_key: "demo".into(),
                respond_by: respond_by.to_string(),
                ..coproduce_store::enquiries::NewEnquiry::default()
            },
            asked,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
