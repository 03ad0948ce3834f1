//! About sixty invented people with needs, consents, cadences and a year of contacts.

use super::{SERVICES, STAFF};
use crate::{App, AppError};
use coproduce_domain::audit::Entry;
use coproduce_domain::relationships::DAY_MS;
use coproduce_domain::reviews::first_relationship_review;
use coproduce_domain::AuditEvent;
use coproduce_store::{audit, services, staff};

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
pub(super) async fn seed_people(app: &App) -> Result<(), AppError> {
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
                next_review_on: first_relationship_review(&started_on),
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
