//! The outbox on both backends: reminders the way each person prefers, notices written with the
//! change that causes them, each transport against a local fake that checks its protocol,
//! retries with backoff, and no message sent twice by two workers.

use coproduce_app::groups::GroupInput;
use coproduce_app::meetings::{MeetingInput, ReplyInput};
use coproduce_app::outbox::Transport;
use coproduce_app::people::PersonInput;
use coproduce_app::{Actor, App};
use coproduce_domain::groups::Team;
use coproduce_domain::MeetingId;
use coproduce_domain::Timestamp;
use coproduce_store::outbox::NewMessage;
use coproduce_store::Db;
use coproduce_testkit::fakes::{FakeNotify, FakeSmtp};
use coproduce_testkit::{each_db, each_db_with, TestApp};
use std::sync::Arc;

struct World {
    t: TestApp,
    meeting: i64,
}

impl World {
    /// The messages the meeting's page lists.
    async fn messages(&self) -> Vec<coproduce_domain::outbox::Message> {
        let view = self
            .t
            .app
            .view_meeting(&Actor::Cli, MeetingId(self.meeting))
            .await;
        view.expect("the meeting").messages
    }

    /// Queues the reminders due; how many.
    async fn queued(&self) -> u64 {
        self.t
            .app
            .queue_reminders()
            .await
            .expect("reminders queued")
    }
}

fn person(name: &str, channels: &[&str], needs: &[&str]) -> PersonInput {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    PersonInput {
        name: name.into(),
        email: format!("{first}@example.org"),
        phone: "07700 900123".into(),
        address: "1 Harbour Street\nPortsmouth".into(),
        postcode: "PO1 2AB".into(),
        channels: channels.iter().map(|c| (*c).to_owned()).collect(),
        needs: needs.iter().map(|c| (*c).to_owned()).collect(),
        ..PersonInput::default()
    }
}

/// A group with four members, each reached a different way, and a meeting in two hours (inside
/// the group's 24-hour reminder lead time).
async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let service = t.add_service("Child and Family Therapy", "").await;
    let group = t
        .app
        .create_group(
            &Actor::Cli,
            &GroupInput {
                name: "Parent carer forum".into(),
                service_id: service.to_string(),
                video_link: "https://zoom.us/j/333".into(),
                reminder_lead_hours: "24".into(),
                ..GroupInput::default()
            },
        )
        .await
        .expect("group");
    let mut ids = Vec::new();
    for p in [
        person("Ana Lane", &["email"], &[]),
        person("Ben Hill", &["text"], &["easy_read"]),
        person("Cara Moss", &["letter"], &[]),
        person("Dev Shah", &["email"], &[]),
    ] {
        let id = t.add_person(&p, service).await;
        t.add_person_to_group(group, id, "member").await;
        ids.push(id);
    }
    let soon =
        chrono::Utc::now().with_timezone(&chrono_tz::Europe::London) + chrono::Duration::hours(2);
    let meeting = t
        .app
        .add_meeting(
            &Actor::Cli,
            Team::Group(group),
            &MeetingInput {
                date: soon.date_naive().to_string(),
                time: soon.format("%H:%M").to_string(),
                minutes: "60".into(),
                ..MeetingInput::default()
            },
        )
        .await
        .expect("meeting");
    // Cara withdrew consent to be contacted, then gave it again: she still hears.
    for given in ["no", "yes"] {
        t.app
            .record_consent(&Actor::Cli, ids[2], "contact", given, "")
            .await
            .expect("consent");
    }
    // Dev cannot come: no reminder for him.
    t.app
        .record_reply(
            &Actor::Cli,
            meeting,
            &ReplyInput {
                who: format!("person:{}", ids[3]),
                rsvp: "no".into(),
            },
        )
        .await
        .expect("reply");
    World {
        t,
        meeting: meeting.0,
    }
}

async fn drain(app: &App, transport: &Arc<Transport>, worker: &str) -> usize {
    let mut sent = 0;
    loop {
        let n = app.send_outbox(transport, worker, 100).await.expect("send");
        if n == 0 {
            return sent;
        }
        sent += n;
    }
}

fn folder() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("coproduce-outbox-{}", rand::random::<u64>()))
}

#[tokio::test]
async fn reminders_go_once_the_way_each_person_prefers() {
    each_db_with(world, |w| async move {
        assert_eq!(w.queued().await, 3, "not to Dev, who is not coming");
        assert_eq!(w.queued().await, 0, "queued once");
        let dir = folder();
        let transport = Arc::new(Transport::File(dir.clone()));
        assert_eq!(drain(&w.t.app, &transport, "w1").await, 3);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .collect();
        files.sort();
        let by = |name: &str| {
            files
                .iter()
                .find(|f| f.contains(name))
                .cloned()
                .unwrap_or_default()
        };
        assert!(
            by("Ana Lane").starts_with("Channel: email")
                && by("Ana Lane").contains("https://zoom.us/j/333")
        );
        let ben = by("Ben Hill");
        assert!(
            ben.starts_with("Channel: sms") && ben.contains("Easy Read: yes"),
            "{ben}"
        );
        assert!(
            ben.contains("You have a meeting."),
            "Easy Read wording: {ben}"
        );
        let cara = by("Cara Moss");
        assert!(
            cara.starts_with("Channel: letter") && cara.contains("PO1 2AB"),
            "{cara}"
        );
        let shown = w.messages().await;
        assert_eq!(shown.len(), 3);
        assert!(shown
            .iter()
            .all(|m| m.status == "sent" && m.kind == "reminder"));
        std::fs::remove_dir_all(dir).ok();
    })
    .await;
}

#[tokio::test]
async fn nobody_who_withdrew_consent_to_be_contacted_gets_a_reminder() {
    each_db_with(world, |w| async move {
        let ana =
            w.t.app
                .view_meeting(&Actor::Cli, MeetingId(w.meeting))
                .await
                .unwrap()
                .invitees
                .iter()
                .find(|i| i.name == "Ana Lane")
                .and_then(|i| i.person_id)
                .unwrap();
        w.t.app
            .record_consent(&Actor::Cli, ana, "contact", "no", "Asked us to stop")
            .await
            .unwrap();
        assert_eq!(w.queued().await, 2, "Ben and Cara only");
    })
    .await;
}

#[tokio::test]
async fn moving_a_meeting_tells_the_people_invited_in_the_same_transaction() {
    each_db_with(world, |w| async move {
        let v =
            w.t.app
                .view_meeting(&Actor::Cli, MeetingId(w.meeting))
                .await
                .unwrap();
        let mut input = MeetingInput::from_meeting(&v.meeting);
        input.status = "cancelled".into();
        w.t.app
            .change_meeting(&Actor::Cli, MeetingId(w.meeting), &input)
            .await
            .unwrap();
        let shown = w.messages().await;
        assert_eq!(shown.len(), 3);
        assert!(shown
            .iter()
            .all(|m| m.kind == "meeting_changed" && m.status == "pending"));
        // Refused changes queue nothing.
        let stale =
            w.t.app
                .change_meeting(&Actor::Cli, MeetingId(w.meeting), &input)
                .await;
        assert!(stale.is_err());
        assert_eq!(w.messages().await.len(), 3);
        assert_eq!(w.queued().await, 0, "no reminders for a cancelled meeting");
    })
    .await;
}

#[tokio::test]
async fn smtp_sends_email_to_everyone_through_a_server_that_checks_the_conversation_and_retries() {
    each_db_with(world, |w| async move {
        let smtp = FakeSmtp::start().await;
        smtp.refuse.store(1, std::sync::atomic::Ordering::SeqCst);
        let url = format!(
            "smtp://127.0.0.1:{}?from=participation%40harbourside.example&tls=none",
            smtp.port
        );
        let transport = Arc::new(Transport::from_setting(&url, &|_| None).unwrap());
        // SMTP sends email only: people who prefer a text or a letter get an email instead.
        w.t.app.set_channels(transport.channels());
        w.queued().await;
        drain(&w.t.app, &transport, "w1").await;
        let shown = w.messages().await;
        assert!(shown.iter().all(|m| m.channel == "email"), "{shown:?}");
        let waiting: Vec<_> = shown.iter().filter(|m| m.status == "pending").collect();
        // The server refused the first connection: that message waits, with the reason, then goes.
        assert_eq!(waiting.len(), 1, "{shown:?}");
        assert!(waiting[0].last_error.is_some() && waiting[0].attempts == 1);
        w.t.app.clock().advance_minutes(2);
        drain(&w.t.app, &transport, "w1").await;
        let shown = w.messages().await;
        assert!(shown.iter().all(|m| m.status == "sent"), "{shown:?}");
        let mails = smtp.mails.lock().unwrap().clone();
        assert_eq!(mails.len(), 3, "one email each, sent once");
        let to = |address: &str| {
            mails
                .iter()
                .find(|m| m.to == [address])
                .cloned()
                .unwrap_or_else(|| panic!("no email to {address}"))
        };
        let ana = to("ana@example.org");
        assert_eq!(ana.from, "participation@harbourside.example");
        assert!(
            ana.data.contains("Subject: Reminder:") && ana.data.contains("https://zoom.us/j/333")
        );
        assert!(
            to("ben@example.org").data.contains("You have a meeting."),
            "Easy Read for Ben"
        );
        assert!(
            smtp.errors.lock().unwrap().is_empty(),
            "{:?}",
            smtp.errors.lock().unwrap()
        );
    })
    .await;
}

#[tokio::test]
async fn notify_gets_signed_requests_of_the_right_shape_and_a_500_waits_and_retries() {
    each_db_with(world, |w| async move {
        let notify = FakeNotify::start().await;
        notify
            .state
            .fail
            .store(2, std::sync::atomic::Ordering::SeqCst);
        let env = |name: &str| match name {
            "NOTIFY_API_KEY" => Some(notify.api_key.clone()),
            "NOTIFY_URL" => Some(notify.url.clone()),
            "NOTIFY_EMAIL_TEMPLATE" => Some("f33517ff-2a88-4f6e-b855-c550268ce08a".into()),
            "NOTIFY_SMS_TEMPLATE" => Some("289e1a9e-3d2c-4b6b-8c4a-8d5b1f1d2e3f".into()),
            "NOTIFY_LETTER_TEMPLATE" => Some("b3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d".into()),
            _ => None,
        };
        let transport = Arc::new(Transport::from_setting("notify:", &env).unwrap());
        w.queued().await;
        drain(&w.t.app, &transport, "w1").await;
        let pending = w.messages().await;
        let waiting = pending.iter().filter(|m| m.status == "pending").count();
        assert_eq!(waiting, 2, "two answered 500 and wait to try again");
        assert!(pending.iter().filter(|m| m.status == "pending").all(|m| m
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("500")));
        w.t.app.clock().advance_minutes(2);
        drain(&w.t.app, &transport, "w1").await;
        let sent = notify.state.sent.lock().unwrap().clone();
        let mut kinds: Vec<&str> = sent.iter().map(|n| n.kind.as_str()).collect();
        kinds.sort_unstable();
        assert_eq!(kinds, ["email", "letter", "sms"], "each once");
        let letter = sent.iter().find(|n| n.kind == "letter").unwrap();
        assert_eq!(
            letter.body["personalisation"]["address_line_1"],
            "Cara Moss"
        );
        assert_eq!(letter.body["personalisation"]["address_line_4"], "PO1 2AB");
        let sms = sent.iter().find(|n| n.kind == "sms").unwrap();
        assert_eq!(sms.body["phone_number"], "07700900123");
        assert!(
            notify.state.errors.lock().unwrap().is_empty(),
            "{:?}",
            notify.state.errors.lock().unwrap()
        );
        assert_eq!(w.t.app.check_deliveries(&transport).await.unwrap(), 3);
        let shown = w.messages().await;
        assert!(shown.iter().all(|m| m.status == "delivered"), "{shown:?}");
    })
    .await;
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_a_message_twice() {
    each_db(|db| async move {
        let t = TestApp::new(db.clone()).await;
        let now = Timestamp(chrono::Utc::now().timestamp_millis() - 1000);
        let keys: Vec<String> = (0..400).map(|i| format!("bulk:{i}")).collect();
        let messages: Vec<NewMessage> = keys
            .iter()
            .map(|k| NewMessage {
                dedupe_key: k,
                kind: "reminder",
                channel: "email",
                person_id: None,
                meeting_id: None,
                recipient: "someone@example.org",
                recipient_name: "Someone",
                subject: "Hello",
                body: "Hello",
                easy_read: false,
                send_after: now,
            })
            .collect();
        let mut tx = db.write().await.unwrap();
        coproduce_store::outbox::enqueue(&mut tx, &messages, now)
            .await
            .unwrap();
        coproduce_store::outbox::enqueue(&mut tx, &messages[..10], now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let dir = folder();
        let transport = Arc::new(Transport::File(dir.clone()));
        let (a, b) = tokio::join!(
            drain(&t.app, &transport, "one"),
            drain(&t.app, &transport, "two")
        );
        assert_eq!(a + b, 400, "every message claimed once between them");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 400);
        let counts = t.app.outbox_counts().await.unwrap();
        assert_eq!(
            counts,
            [("sent".to_owned(), 400)],
            "none failed as a duplicate"
        );
        std::fs::remove_dir_all(dir).ok();
    })
    .await;
}

#[tokio::test]
async fn a_sign_in_code_is_sent_then_removed_from_the_outbox() {
    each_db_with(world, |w| async move {
        let app = &w.t.app;
        app.request_portal_code("ana@example.org", "127.0.0.1", "https://example.org")
            .await
            .expect("code");
        let dir = folder();
        let transport = Arc::new(
            Transport::from_setting(&format!("file:{}", dir.display()), &|_| None).expect("file"),
        );
        assert!(drain(app, &transport, "w1").await >= 1);
        let written: String = std::fs::read_dir(&dir)
            .expect("folder")
            .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
            .collect();
        assert!(
            written.contains("Your code to sign in to your page is"),
            "the person got their code"
        );
        let mut tx = app.db().read().await.expect("tx");
        let body: String = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT body FROM outbox WHERE kind = 'sign_in_code'",
        )
        .fetch_one(c)
        .await
        .expect("message"));
        tx.commit().await.expect("commit");
        assert!(
            !body.chars().any(|c| c.is_ascii_digit()),
            "no code is kept: {body}"
        );
        let _ = std::fs::remove_dir_all(dir);
    })
    .await;
}
