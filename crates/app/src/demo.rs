//! Demo data, from the founding story. Every person and staff member in it is invented.

use crate::staff::NewStaffInput;
use crate::{Actor, App, AppError};
use coproduce_domain::audit::Entry;
use coproduce_domain::relationships::DAY_MS;
use coproduce_domain::time::uk_day;
use coproduce_domain::totp::TotpSecret;
use coproduce_domain::AuditEvent;
use coproduce_domain::GroupId;
use coproduce_domain::{Role, StaffId, Timestamp};
use coproduce_store::{audit, services, settings, staff};

/// The password every demo account signs in with.
pub const DEMO_PASSWORD: &str = "kettle lantern orchard velvet";

/// The organisation in the demo.
pub const ORGANISATION: &str = "Harbourside Community Health NHS Trust";

/// The services in the demo, from the founding story.
pub const SERVICES: [&str; 2] = [
    "Integrated Learning Disabilities Service, Portsmouth",
    "Child and Family Therapy",
];

/// The partner in the demo: a parent-carer forum.
pub const PARTNER: &str = "Harbour Parent Carer Forum";

/// One demo account, as printed at start.
#[derive(Clone, Debug)]
pub struct DemoAccount {
    /// Sign-in email address.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The TOTP secret, for roles that must use a second factor.
    pub totp_secret: Option<String>,
}

const STAFF: [(&str, &str, Role, &[usize]); 5] = [
    (
        "Priya Okafor",
        "priya.okafor@harbourside.example",
        Role::Admin,
        &[],
    ),
    (
        "Tom Reilly",
        "tom.reilly@harbourside.example",
        Role::Staff,
        &[0],
    ),
    (
        "Megan Achterberg",
        "megan.achterberg@harbourside.example",
        Role::Staff,
        &[1],
    ),
    (
        "Dev Kalsi",
        "dev.kalsi@harbourside.example",
        Role::Finance,
        &[],
    ),
    (
        "Ruth Mensah",
        "ruth.mensah@harbourside.example",
        Role::Auditor,
        &[],
    ),
];

/// Fills an empty database with the demo organisation, its services, partner and staff.
pub async fn seed(app: &App) -> Result<Vec<DemoAccount>, AppError> {
    let now = app.now();
    let mut tx = app.db().write().await?;
    settings::set(&mut tx, "organisation_name", ORGANISATION).await?;
    for name in SERVICES {
        services::create(&mut tx, name, now).await?;
    }
    services::create_partner(&mut tx, PARTNER, now).await?;
    audit::append(
        &mut tx,
        app.audit_key(),
        &Entry {
            at: now.millis(),
            actor: "cli",
            action: AuditEvent::DemoSeed.code(),
            object: None,
            detail: ORGANISATION,
        },
    )
    .await?;
    tx.commit().await?;

    let mut accounts = Vec::new();
    for (name, email, role, service_indexes) in STAFF {
        let input = NewStaffInput {
            email: email.to_owned(),
            name: name.to_owned(),
            role: role.as_str().to_owned(),
            services: service_indexes
                .iter()
                .map(|i| SERVICES[*i].to_owned())
                .collect(),
            password: Some(DEMO_PASSWORD.to_owned()),
        };
        let added = app.add_staff(&Actor::Cli, input).await?;
        let totp_secret = if role.requires_second_factor() {
            let secret = TotpSecret::generate().to_base32();
            set_demo_totp(app, added.id, &secret).await?;
            Some(secret)
        } else {
            None
        };
        accounts.push(DemoAccount {
            email: email.to_owned(),
            name: name.to_owned(),
            role,
            totp_secret,
        });
    }
    seed_people(app).await?;
    seed_groups(app).await?;
    seed_taking_part(app).await?;
    Ok(accounts)
}

/// The founding story's groups: the therapy service's weekly Zoom group with the parent-carer
/// forum, and the learning disabilities service's group that plans training and recruitment
/// panels. Each has a chair, members and its staff lead.
async fn seed_groups(app: &App) -> Result<(), AppError> {
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

const FIRST: [&str; 20] = [
    "Amara", "Ben", "Carys", "Dylan", "Efua", "Finn", "Grace", "Hamza", "Isla", "Jonah", "Kiran",
    "Leah", "Marek", "Nia", "Oskar", "Poppy", "Rhys", "Sana", "Theo", "Wren",
];
const LAST: [&str; 15] = [
    "Ashdown",
    "Bellamy",
    "Corrigan",
    "Delacroix-Hart",
    "Ellwood",
    "Fairbairn",
    "Gallant",
    "Hollis",
    "Iredale",
    "Juniper",
    "Kestle",
    "Lowther",
    "Marchbank",
    "Northcote",
    "Penhaligon",
];
const SUMMARIES: [&str; 8] = [
    "Weekly catch-up on Zoom. Happy with how the group is going.",
    "Phoned to check in. Would like to help with the next training session.",
    "Talked through the Easy Read leaflet draft; suggested simpler words.",
    "Asked about expenses for travel to the last meeting.",
    "Raised a concern about waiting times; agreed to take it to the service lead.",
    "Interview panel debrief. Felt listened to.",
    "Left a message; they called back the next day.",
    "Walked round the new clinic rooms together and noted changes.",
];

/// A small, repeatable pseudo-random sequence, so the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// About sixty invented people across both services and the partner, with needs, consents,
/// cadences and a year of contacts; some are overdue.
async fn seed_people(app: &App) -> Result<(), AppError> {
    use coproduce_domain::people::{Channel, ConsentKind, Need, PersonStatus};
    use coproduce_store::{contacts, people, relationships};
    let now = app.now();
    let mut dice = Dice(20_261_123);
    let mut tx = app.db().write().await?;
    let service_rows = services::list(&mut tx).await?;
    let forum = services::partners(&mut tx).await?.first().map(|p| p.id);
    let staff_rows = staff::list(&mut tx).await?;
    // Each service's named contact is the demo staff member who belongs to it.
    let contact_for = |service: &str| {
        let index = SERVICES.iter().position(|n| *n == service)?;
        let (_, email, _, _) = STAFF
            .iter()
            .find(|(_, _, _, services)| services.contains(&index))?;
        staff_rows.iter().find(|s| s.email == *email).map(|s| s.id)
    };
    let day = DAY_MS;
    for i in 0..60 {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + i / FIRST.len()) % LAST.len()];
        let name = format!("{first} {last}");
        let channels = [
            Channel::Phone,
            Channel::VideoCall,
            Channel::Email,
            Channel::Text,
            Channel::Letter,
        ];
        let first_channel = channels[dice.roll(channels.len())];
        let second = channels[dice.roll(channels.len())];
        let mut ranked = vec![first_channel];
        if second != first_channel {
            ranked.push(second);
        }
        let mut needs = Vec::new();
        for need in [
            Need::EasyRead,
            Need::LargePrint,
            Need::Supporter,
            Need::StepFree,
            Need::Breaks,
            Need::BslInterpreter,
        ] {
            if dice.roll(6) == 0 {
                needs.push(need);
            }
        }
        let interpreter = if dice.roll(15) == 0 {
            needs.push(Need::Interpreter);
            "Polish".to_owned()
        } else {
            String::new()
        };
        let status = match dice.roll(10) {
            0 => PersonStatus::Onboarding,
            1 => PersonStatus::Paused,
            _ => PersonStatus::Active,
        };
        let row = coproduce_domain::Person {
            name,
            preferred_name: if dice.roll(4) == 0 {
                first.chars().take(3).collect()
            } else {
                String::new()
            },
            pronouns: String::new(),
            email: Some(format!(
                "{}.{}@example.org",
                first.to_lowercase(),
                last.to_lowercase().replace('-', "")
            )),
            phone: Some(format!("07700900{:03}", i + 100)),
            postcode: Some(format!("PO{} {}AB", 1 + i % 9, i % 10)),
            status,
            channels: ranked.clone(),
            best_times: ["weekday mornings", "after 3pm", "", "Tuesdays"][dice.roll(4)].to_owned(),
            needs,
            interpreter_language: interpreter,
            // Families of Child and Family Therapy often come through the parent-carer forum.
            partner_id: if service_rows[i % service_rows.len()].name == SERVICES[1] && i % 3 == 0 {
                forum
            } else {
                None
            },
            ..Default::default()
        };
        let person = people::insert(&mut tx, &row, now).await?;
        let started = now.plus_days(-365 + (i as i64 % 90));
        let started_on = chrono::DateTime::from_timestamp_millis(started.millis())
            .unwrap_or_default()
            .date_naive()
            .to_string();
        people::add_status_change(
            &mut tx,
            person,
            status.code(),
            "",
            &started_on,
            None,
            started,
        )
        .await?;
        for kind in [ConsentKind::Contact, ConsentKind::HoldData] {
            people::add_consent(
                &mut tx,
                person,
                kind.code(),
                true,
                "Recorded at first meeting",
                None,
                started,
            )
            .await?;
        }
        if dice.roll(3) == 0 {
            people::add_consent(
                &mut tx,
                person,
                ConsentKind::Quotes.code(),
                true,
                "",
                None,
                started,
            )
            .await?;
        }
        let tags = [
            ("interest", "training"),
            ("interest", "recruitment panels"),
            ("interest", "leaflets"),
            ("lived_experience", "carer"),
        ];
        let tag = tags[dice.roll(tags.len())];
        people::set_tags(
            &mut tx,
            person,
            &[(tag.0.to_owned(), tag.1.to_owned(), false)],
        )
        .await?;
        let service = &service_rows[i % service_rows.len()];
        let cadence = [7_i64, 14, 28][dice.roll(3)];
        let relationship = relationships::insert(
            &mut tx,
            &relationships::NewRelationship {
                person_id: person,
                service_id: service.id,
                group_id: None,
                staff_contact_id: contact_for(&service.name),
                started_on: &started_on,
                cadence_days: cadence,
                next_review_on: None,
                due_at: started.plus_minutes(cadence * day / 60_000),
            },
            started,
        )
        .await?;
        // A year of contacts at roughly the cadence; the last one older for some, so they are overdue.
        let mut at = started.millis();
        let stop = now.millis() - (dice.roll(3) as i64) * cadence * day;
        while at < stop {
            let summary = SUMMARIES[dice.roll(SUMMARIES.len())];
            let channel = ranked[dice.roll(ranked.len())];
            contacts::insert(
                &mut tx,
                &contacts::NewContact {
                    person_id: person,
                    relationship_id: Some(relationship),
                    occurred_at: coproduce_domain::Timestamp(at),
                    channel: channel.code(),
                    direction: ["outbound", "inbound", "meeting"][dice.roll(3)],
                    staff_id: contact_for(&service.name),
                    summary,
                    follow_up_on: None,
                    submission_key: None,
                },
                now,
            )
            .await?;
            relationships::count_contact(&mut tx, relationship, coproduce_domain::Timestamp(at))
                .await?;
            at += cadence * day + (dice.roll(5) as i64 - 2) * day;
        }
    }
    audit::append(
        &mut tx,
        app.audit_key(),
        &Entry {
            at: now.millis(),
            actor: "cli",
            action: AuditEvent::DemoSeedPeople.code(),
            object: None,
            detail: "60 people",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn set_demo_totp(app: &App, id: StaffId, secret: &str) -> Result<(), AppError> {
    let now = app.now();
    let mut tx = app.db().write().await?;
    staff::set_totp_secret(&mut tx, id, Some(secret)).await?;
    let object = format!("staff:{id}");
    audit::append(
        &mut tx,
        app.audit_key(),
        &Entry {
            at: now.millis(),
            actor: "cli",
            action: AuditEvent::SecondFactorEnrolled.code(),
            object: Some(&object),
            detail: "demo",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opportunities open to the public and to people involved, someone confirmed on one, and two
/// enquiries from the public, one of them overdue.
async fn seed_taking_part(app: &App) -> Result<(), AppError> {
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
