//! The founding story's two groups and a year of their meetings.

use super::SERVICES;
use crate::{Actor, App, AppError};
use coproduce_domain::time::uk_day;
use coproduce_domain::GroupId;
use coproduce_domain::Timestamp;

/// The founding story's groups: the therapy service's weekly Zoom group with the parent-carer
/// forum, and the learning disabilities service's group that plans training and recruitment
/// panels. Each has a chair, members and its staff lead.
pub(super) async fn seed_groups(app: &App) -> Result<(), AppError> {
    use crate::groups::{GroupInput, MemberInput};
    use crate::people::SearchInput;
    let (service_rows, partners) = app.services_and_partners().await?;
    let service_id = |name: &str| {
        service_rows
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id.to_string())
            .unwrap_or_default()
    };
    let mut ids = Vec::new();
    let groups = [
        (
            GroupInput {
                name: "Therapy service and parent carer forum".into(),
                purpose: "Parents and carers and the therapy team shape information, raise concerns and solve problems together.".into(),
                service_id: service_id(SERVICES[1]),
                partner_id: partners.first().map(|p| p.id.to_string()).unwrap_or_default(),
                meeting_rrule: "FREQ=WEEKLY;BYDAY=WE".into(),
                first_meeting_date: "2025-11-05".into(),
                first_meeting_time: "19:00".into(),
                video_link: "https://zoom.us/j/81234567890".into(),
                phone_dial_in: "0203 481 5237, meeting ID 812 3456 7890".into(),
                next_review_on: "2026-09-01".into(),
                ..GroupInput::default()
            },
            "megan.achterberg@harbourside.example",
        ),
        (
            GroupInput {
                name: "Learning disabilities training and recruitment group".into(),
                purpose: "Plans training delivered by people with lived experience, and who sits on recruitment panels.".into(),
                service_id: service_id(SERVICES[0]),
                meeting_rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU".into(),
                first_meeting_date: "2025-11-04".into(),
                first_meeting_time: "10:30".into(),
                meeting_minutes: "90".into(),
                venue: "Harbour Room, Civic Offices, Guildhall Square".into(),
                venue_access: "Step-free entrance on the square. Hearing loop. Accessible toilet on the ground floor.".into(),
                next_review_on: "2026-06-01".into(),
                ..GroupInput::default()
            },
            "tom.reilly@harbourside.example",
        ),
    ];
    for (input, lead_email) in groups {
        let group = app.create_group(&Actor::Cli, &input).await?;
        ids.push(group);
        let lead = app.staff_id_by_email(&Actor::Cli, lead_email).await?;
        app.add_group_member(
            &Actor::Cli,
            group,
            &MemberInput {
                staff_id: lead.0.to_string(),
                role: "staff_lead".into(),
                ..MemberInput::default()
            },
        )
        .await?;
        let found = app
            .search_people(
                &Actor::Cli,
                &SearchInput {
                    service: input.service_id.clone(),
                    ..SearchInput::default()
                },
            )
            .await?;
        for (i, person) in found.people.iter().take(7).enumerate() {
            let role = match i {
                0 => "chair",
                6 => "supporter",
                _ => "member",
            };
            app.add_group_member(
                &Actor::Cli,
                group,
                &MemberInput {
                    person_id: person.id.to_string(),
                    role: role.into(),
                    ..MemberInput::default()
                },
            )
            .await?;
        }
    }
    for group in ids {
        seed_history(app, group).await?;
    }
    Ok(())
}

/// Minutes written at the demo's past meetings, in turn.
const MINUTES: [&str; 4] = [
    "# Welcome\nThe chair welcomed everyone, including two new parents.\n\n# Waiting list information\n- The draft leaflet was read through together\n- Parents asked for a plain-English version of the letter\n\nThe service agreed to bring a new draft next time.",
    "# Updates from the service\nStaff shared the new appointment times.\n\n# Concerns\n- Two parents said the phone line was hard to get through to\n- The team will report back on call waiting times",
    "# Training and panels\n- Three people are ready to co-deliver the autism awareness session\n- One recruitment panel needs a member with lived experience\n\nEveryone agreed the buddy system is working.",
    "# You said, we did\nThe service explained what changed after the last concerns: the letter was rewritten with parents.\n\n# Next steps\n- Review the group's terms of reference in the spring",
];

/// A year of past meetings for a group: members since its first meeting, each register taken,
/// minutes written, and an action every third meeting (the older ones done).
async fn seed_history(app: &App, group: GroupId) -> Result<(), AppError> {
    use crate::meetings::{ActionInput, MeetingInput, RegisterInput, RegisterLineInput};
    use coproduce_domain::groups::Team;
    let now = app.now();
    let year_ago = Timestamp(now.millis() - 365 * 86_400_000);
    let mut tx = app.db().write().await?;
    let row = coproduce_store::groups::find(&mut tx, group)
        .await?
        .ok_or(AppError::NotFound)?;
    let since = uk_day(year_ago).to_string();
    coproduce_store::groups::backdate_members(&mut tx, Team::Group(group), &since).await?;
    crate::groups::schedule_from(&mut tx, group, &row, year_ago, now).await?;
    tx.commit().await?;
    let past = app
        .team_meetings(&Actor::Cli, Team::Group(group), Some(year_ago), Some(now))
        .await?;
    let count = past.len();
    for (n, m) in past.into_iter().enumerate() {
        let view = app.view_meeting(&Actor::Cli, m.id).await?;
        let lines = view
            .invitees
            .iter()
            .enumerate()
            .map(|(i, who)| RegisterLineInput {
                who: crate::meetings::who_key(who.person_id, who.staff_id),
                attendance: match (i + n) % 9 {
                    0 => "apologies",
                    4 if i > 0 => "absent",
                    _ => "attended",
                }
                .into(),
                minutes_attended: String::new(),
                role: if i == 1 { "co_chair" } else { "member" }.into(),
            })
            .collect();
        let register = RegisterInput {
            lines,
            version: m.register_version,
        };
        app.save_register(&Actor::Cli, m.id, &register).await?;
        let mut minutes = MeetingInput::from_meeting(&m);
        minutes.notes = MINUTES[n % MINUTES.len()].into();
        app.change_meeting(&Actor::Cli, m.id, &minutes).await?;
        if n % 3 == 0 {
            let owner = view
                .invitees
                .get(n % view.invitees.len().max(1))
                .map(|i| crate::meetings::who_key(i.person_id, i.staff_id))
                .unwrap_or_default();
            let action = ActionInput {
                description: [
                    "Bring a new draft of the leaflet",
                    "Report back on call waiting times",
                    "Find a panel member with lived experience",
                ][(n / 3) % 3]
                    .into(),
                owner,
                due_on: String::new(),
                submission_key: format!("demo:{}:{n}", m.id),
            };
            let id = app.add_action(&Actor::Cli, m.id, &action).await?;
            if n + 6 < count {
                app.set_action_status(&Actor::Cli, id, "done", 1).await?;
            }
        }
    }
    Ok(())
}
