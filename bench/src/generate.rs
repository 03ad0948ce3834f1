//! Fills a fresh SQLite database with generated people for the benchmarks:
//! `generate DB PEOPLE CONTACTS_PER_PERSON`. Prints the ids a load script needs.
//!
//! Everyone in it is generated from invented name parts. The data has the shape of a large trust:
//! ten services, one service staff member each plus an admin, every person with one relationship
//! (some with two), a year of contacts, about one in ten overdue. Then 200 weekly groups of twenty
//! people, each with a hundred meetings (a year back with registers and minutes, and the year to
//! come): 20,000 meetings. Each member has a secret calendar link, `benchfeed{person id}`. The
//! groups raised 50,000 concerns over the year, nine in ten closed, the rest in each open step
//! (some past their step's target), each owned by its service's staff member once escalated.
//! Groups and relationships are due reviews through the year, some overdue.
//! Fourteen of each past meeting's attendees gave feedback, and one more group of service 0
//! (id 201) has met weekly for five years, with feedback after every meeting.

use coproduce_app::staff::NewStaffInput;
use coproduce_app::{Actor, App};
use coproduce_domain::relationships::DAY_MS;
use coproduce_store::{Db, Location};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

const FIRST: [&str; 24] = [
    "Amara", "Ben", "Carys", "Dylan", "Efua", "Finn", "Grace", "Hamza", "Isla", "Jonah", "Kiran",
    "Leah", "Marek", "Nia", "Oskar", "Poppy", "Rhys", "Sana", "Theo", "Wren", "Yusuf", "Zara",
    "Aled", "Bea",
];
const LAST: [&str; 20] = [
    "Ashdown",
    "Bellamy",
    "Corrigan",
    "Delacroix",
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
    "Quarrie",
    "Rowntree",
    "Stanier",
    "Tregear",
    "Umfreville",
];

/// The password every generated staff member has.
const PASSWORD: &str = "kettle lantern orchard velvet";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: generate DB PEOPLE CONTACTS_PER_PERSON")?
        .clone();
    let people: i64 = args.get(2).map_or(Ok(100_000), |a| a.parse())?;
    let per_person: i64 = args.get(3).map_or(Ok(20), |a| a.parse())?;
    let started = std::time::Instant::now();

    let db = Db::open(&Location::Sqlite(path.clone().into())).await?;
    db.migrate().await?;
    // The server finds the key where it looks by default: beside the database.
    let key = coproduce_domain::audit::AuditKey::generate();
    std::fs::write(format!("{path}.audit-key"), key.to_hex())?;
    let app = App::new(db.clone(), key).await?;
    app.key_audit_chain().await?;
    let mut service_ids = Vec::new();
    for i in 0..10 {
        service_ids.push(
            app.create_service(&Actor::Cli, &format!("Service {i:02}"), "28")
                .await?,
        );
    }
    let staff_input = |email: &str, role: &str, services: Vec<String>| NewStaffInput {
        email: email.to_owned(),
        name: email.split('@').next().unwrap_or("staff").to_owned(),
        role: role.to_owned(),
        services,
        password: Some(PASSWORD.to_owned()),
    };
    let mut staff_ids = Vec::new();
    for (i, service) in service_ids.iter().enumerate() {
        let added = app
            .add_staff(
                &Actor::Cli,
                staff_input(
                    &format!("staff{i}@bench.example"),
                    "staff",
                    vec![service.to_string()],
                ),
            )
            .await?;
        staff_ids.push(added.id.0);
    }
    db.close().await;

    // Bulk rows go in through one connection and a handful of large transactions.
    let mut conn =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path)).await?;
    sqlx::query("PRAGMA synchronous = OFF")
        .execute(&mut conn)
        .await?;
    let now = coproduce_domain::Timestamp::now().millis();
    let mut seed: u64 = 42;
    let mut roll = |n: i64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) % n as u64) as i64
    };
    let mut tx = conn.begin().await?;
    for p in 1..=people {
        let first = FIRST[(p % 24) as usize];
        let last = LAST[((p / 24) % 20) as usize];
        let name = format!("{first} {last} {p}");
        let email = format!(
            "{}.{}{p}@example.org",
            first.to_lowercase(),
            last.to_lowercase()
        );
        let phone = format!("07{:09}", 700_000_000 + p);
        let search = coproduce_store::people::search_text(&name, "");
        let channels = ["phone", "video_call,phone", "email", "text,phone"][roll(4) as usize];
        let needs = [
            "",
            "",
            "",
            "easy_read",
            "large_print",
            "supporter,step_free",
            "bsl_interpreter",
        ][roll(7) as usize];
        sqlx::query(
            "INSERT INTO people (id, name, email, phone, status, channels, needs, search_text, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $8)",
        )
        .bind(p).bind(&name).bind(&email).bind(&phone).bind(channels).bind(needs).bind(&search).bind(now - 400 * DAY_MS)
        .execute(&mut *tx)
        .await?;
        let service_index = (p % 10) as usize;
        let cadence = [7_i64, 14, 28, 28, 56][roll(5) as usize];
        // Most people were contacted recently enough; about one in ten are overdue.
        let last_contact = if roll(10) == 0 {
            now - (cadence + 1 + roll(60)) * DAY_MS
        } else {
            now - roll(cadence) * DAY_MS
        };
        sqlx::query(
            "INSERT INTO relationships (person_id, service_id, staff_contact_id, started_on, status, cadence_days,
                last_contact_at, due_at, next_review_on, created_at)
             VALUES ($1, $2, $3, '2025-10-01', 'active', $4, $5, $6, $7, $8)",
        )
        .bind(p).bind(service_ids[service_index]).bind(staff_ids[service_index]).bind(cadence)
        .bind(last_contact).bind(last_contact + cadence * DAY_MS)
        // Reviews due through the year around today: one in twelve overdue, as many due within weeks.
        .bind(review_day(now, (p * 37) % 365 - 30)?)
        .bind(now - 400 * DAY_MS)
        .execute(&mut *tx)
        .await?;
        for c in 0..per_person {
            let at = last_contact - c * (365 * DAY_MS / per_person.max(1));
            sqlx::query(
                "INSERT INTO contacts (person_id, occurred_at, channel, direction, staff_id, summary, created_at)
                 VALUES ($1, $2, 'phone', 'outbound', $3, 'Regular catch-up; all well.', $2)",
            )
            .bind(p).bind(at).bind(staff_ids[service_index])
            .execute(&mut *tx)
            .await?;
        }
        if p % 5000 == 0 {
            tx.commit().await?;
            tx = conn.begin().await?;
        }
    }
    tx.commit().await?;
    let meetings = groups_and_meetings(&mut conn, people, &service_ids, now).await?;
    concerns(&mut conn, &service_ids, &staff_ids, now).await?;
    let answers = feedback(&mut conn, &service_ids, now).await?;
    // No ANALYZE: coproduce never runs it (see docs/ARCHITECTURE.md), so neither does this.
    conn.close().await?;
    // The search index is merged after a bulk write, as an import does.
    let db = Db::open(&Location::Sqlite(path.clone().into())).await?;
    let mut tx = db.write().await?;
    coproduce_store::people::tidy_search_index(&mut tx).await?;
    tx.commit().await?;
    db.close().await;
    // Everything into the one file, so the script can move it alone (a write-ahead log left
    // beside it would be lost, and the copy corrupt).
    let mut conn =
        SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path)).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    println!(
        "generated {people} people, {} contacts, {GROUPS} groups, {meetings} meetings, {CONCERNS} concerns and {answers} feedback answers in {:.1} s; staff sign in as staff0@bench.example … staff9@bench.example with the password \"{PASSWORD}\"",
        people * per_person,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The UK day `days` from `now`, `YYYY-MM-DD`.
fn review_day(now: i64, days: i64) -> Result<String, Box<dyn std::error::Error>> {
    let day = chrono::DateTime::from_timestamp_millis(now + days * DAY_MS).ok_or("bad clock")?;
    Ok(day
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
        .to_string())
}

/// Weekly groups: twenty per service, each with twenty of its people as members since two years
/// ago, and a hundred meetings (52 past with the register taken and minutes, 48 to come).
const GROUPS: i64 = 200;

/// Meetings per group.
const MEETINGS_PER_GROUP: i64 = 100;

/// The people in group `g` (0-based): twenty of its service's people, none in two groups.
pub fn members(g: i64, people: i64) -> impl Iterator<Item = i64> {
    let service = g % 10;
    (0..20)
        .map(move |m| service + 10 * (m * 20 + g / 10))
        .filter(move |p| *p >= 1 && *p <= people)
}

async fn groups_and_meetings(
    conn: &mut SqliteConnection,
    people: i64,
    service_ids: &[i64],
    now: i64,
) -> Result<i64, Box<dyn std::error::Error>> {
    use chrono::{Datelike, Duration, NaiveTime};
    const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let today = chrono::DateTime::from_timestamp_millis(now)
        .ok_or("bad clock")?
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let mut tx = conn.begin().await?;
    let mut count = 0;
    for g in 0..GROUPS {
        let weekday = (g % 5) as usize;
        // The first meeting: 52 weeks back, on the group's weekday.
        let mut first = today - Duration::weeks(52);
        while first.weekday().num_days_from_monday() as usize != weekday {
            first += Duration::days(1);
        }
        let id = g + 1;
        sqlx::query(
            "INSERT INTO groups (id, name, purpose, service_id, meeting_rrule, first_meeting, meeting_minutes,
                 video_link, reminder_lead_hours, next_review_on, created_at, updated_at)
             VALUES ($1, $2, 'Plans and reviews the service with the people who use it.', $3, $4, $5, 60,
                 'https://zoom.us/j/100200300', 24, $6, $7, $7)",
        )
        .bind(id).bind(format!("Group {g:03}")).bind(service_ids[(g % 10) as usize])
        .bind(format!("FREQ=WEEKLY;BYDAY={}", DAYS[weekday])).bind(format!("{first}T10:00"))
        .bind(review_day(now, (g * 11) % 180 - 20)?)
        .bind(now - 800 * DAY_MS)
        .execute(&mut *tx)
        .await?;
        let joined = (today - Duration::days(730)).to_string();
        let members: Vec<i64> = members(g, people).collect();
        for (i, p) in members.iter().enumerate() {
            sqlx::query(
                "INSERT INTO group_members (group_id, person_id, role, joined_on) VALUES ($1, $2, $3, $4)",
            )
            .bind(id).bind(p).bind(if i == 0 { "chair" } else { "member" }).bind(&joined)
            .execute(&mut *tx)
            .await?;
            let token = coproduce_domain::SecretToken::from_presented(&format!("benchfeed{p}"));
            sqlx::query(
                "INSERT INTO calendar_feeds (token_hash, person_id, created_by, created_at) VALUES ($1, $2, 'bench', $3)",
            )
            .bind(token.hash()).bind(p).bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for w in 0..MEETINGS_PER_GROUP {
            let day = first + Duration::weeks(w);
            let local = day.and_time(NaiveTime::from_hms_opt(10, 0, 0).ok_or("time")?);
            let starts = coproduce_domain::time::london_to_utc(local).timestamp_millis();
            let past = starts < now;
            let meeting: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (group_id, occurrence, starts_on, starts_at, ends_at, status, notes,
                     created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'scheduled', $6, $7, $7) RETURNING id",
            )
            .bind(id).bind(local.format("%Y-%m-%dT%H:%M").to_string()).bind(day.to_string())
            .bind(starts).bind(starts + 3_600_000)
            .bind(if past { "# Updates\n- Everyone shared news\n- Actions reviewed" } else { "" })
            .bind(now - 400 * DAY_MS)
            .fetch_one(&mut *tx)
            .await?;
            if past {
                for (i, p) in members.iter().enumerate() {
                    let attendance = if (i as i64 + w) % 7 == 0 {
                        "apologies"
                    } else {
                        "attended"
                    };
                    sqlx::query(
                        "INSERT INTO meeting_people (meeting_id, person_id, attendance, minutes_attended, role, updated_at)
                         VALUES ($1, $2, $3, $4, 'member', $5)",
                    )
                    .bind(meeting).bind(p).bind(attendance)
                    .bind((attendance == "attended").then_some(60)).bind(starts)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            count += 1;
        }
    }
    tx.commit().await?;
    Ok(count)
}

/// Concerns the groups raised over the year.
const CONCERNS: i64 = 50_000;

/// Fills the concerns log: a concern every ten minutes or so for a year, each raised by one of
/// its service's groups; nine in ten closed, the rest spread across the open steps.
async fn concerns(
    conn: &mut SqliteConnection,
    service_ids: &[i64],
    staff_ids: &[i64],
    now: i64,
) -> Result<(), Box<dyn std::error::Error>> {
    const OPEN: [&str; 4] = ["raised", "escalated", "responded", "fed_back"];
    let mut tx = conn.begin().await?;
    for i in 0..CONCERNS {
        let service = (i % 10) as usize;
        // One of the service's twenty groups (group g, 0-based, is service g % 10's).
        let group = 1 + service as i64 + 10 * ((i / 10) % 20);
        let raised_at = now - 365 * DAY_MS + i * (365 * DAY_MS / CONCERNS);
        // One in ten of each service's concerns is open, spread across the open steps.
        let status = if (i / 10) % 10 == 0 {
            OPEN[((i / 100) % 4) as usize]
        } else {
            "closed"
        };
        let owner = (status != "raised").then_some(staff_ids[service]);
        sqlx::query(
            "INSERT INTO concerns (service_id, group_id, words, severity, status, status_since, owner_id,
                 response, not_changed_because, raised_at, recorded_by)
             VALUES ($1, $2, 'The waiting area is too loud to hear your name called.', 'medium', $3, $4,
                 $5, 'A quieter waiting area.', $6, $7, $5)",
        )
        .bind(service_ids[service]).bind(group).bind(status).bind(raised_at + DAY_MS).bind(owner)
        .bind(if status == "closed" { "It was changed before." } else { "" }).bind(raised_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Feedback: fourteen answers after each past meeting of every group (a third of them anonymous,
/// as they arrive), then group 201, of service 0, meeting weekly for five years with fourteen
/// answers after each. Returns how many answers.
async fn feedback(
    conn: &mut SqliteConnection,
    service_ids: &[i64],
    now: i64,
) -> Result<i64, Box<dyn std::error::Error>> {
    use chrono::{Duration, NaiveTime};
    let mut tx = conn.begin().await?;
    let today = chrono::DateTime::from_timestamp_millis(now)
        .ok_or("bad clock")?
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let id = GROUPS + 1;
    let first = today - Duration::weeks(260);
    sqlx::query(
        "INSERT INTO groups (id, name, purpose, service_id, meeting_rrule, first_meeting, meeting_minutes,
             reminder_lead_hours, created_at, updated_at)
         VALUES ($1, 'Five years of feedback', 'Has met weekly for five years.', $2, 'FREQ=WEEKLY;BYDAY=MO',
             $3, 60, 24, $4, $4)",
    )
    .bind(id).bind(service_ids[0]).bind(format!("{first}T10:00")).bind(now - 1900 * DAY_MS)
    .execute(&mut *tx)
    .await?;
    for w in 0..260 {
        let day = first + Duration::weeks(w);
        let local = day.and_time(NaiveTime::from_hms_opt(10, 0, 0).ok_or("time")?);
        let starts = coproduce_domain::time::london_to_utc(local).timestamp_millis();
        sqlx::query(
            "INSERT INTO meetings (group_id, occurrence, starts_on, starts_at, ends_at, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, 'scheduled', $4, $4)",
        )
        .bind(id).bind(local.format("%Y-%m-%dT%H:%M").to_string()).bind(day.to_string())
        .bind(starts).bind(starts + 3_600_000)
        .execute(&mut *tx)
        .await?;
    }
    let past: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, group_id, starts_on FROM meetings WHERE starts_at < $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let mut n: i64 = 0;
    for (meeting, group, held_on) in &past {
        for a in 0..14 {
            n += 1;
            let score = |k: i64| 1 + (n * 7 + k * 3 + a) % 5;
            let token = coproduce_domain::SecretToken::generate("");
            sqlx::query(
                "INSERT INTO feedback_answers (id, meeting_id, group_id, held_on, listened, took_part,
                     belong, to_change, on_behalf)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
            )
            .bind(&token.expose()[..32]).bind(meeting).bind(group).bind(held_on)
            .bind(score(0)).bind(score(1)).bind(score(2))
            .bind(if n % 9 == 0 { "Send the papers earlier." } else { "" })
            .execute(&mut *tx)
            .await?;
        }
    }
    // The totals by month the app keeps as answers arrive.
    sqlx::query(
        "INSERT INTO feedback_months (of_kind, of_id, month, answers, listened, took_part, belong,
             listened_positive, took_part_positive, belong_positive)
         SELECT 'group', group_id, substr(held_on, 1, 7), COUNT(*), SUM(listened), SUM(took_part),
             SUM(belong), SUM(listened >= 4), SUM(took_part >= 4), SUM(belong >= 4)
         FROM feedback_answers GROUP BY group_id, substr(held_on, 1, 7)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(n)
}
