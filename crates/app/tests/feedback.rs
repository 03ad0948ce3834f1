//! Feedback on both backends: everyone the register says attended is sent one link, the way they
//! prefer and in Easy Read where they need it; a link takes one answer and stops after 14 days;
//! an anonymous answer cannot be joined back to who gave it; staff may record answers for
//! someone, marked as such; results are by quarter and not reported below five answers.

use coproduce_app::groups::GroupInput;
use coproduce_app::meetings::RegisterLineInput;
use coproduce_app::meetings::{FeedbackInput, FeedbackLink, MeetingInput, RegisterInput};
use coproduce_app::opportunities::OpportunityInput;
use coproduce_app::people::PersonInput;
use coproduce_app::{Actor, AppError};
use coproduce_domain::feedback::TOO_FEW;
use coproduce_domain::groups::Team;
use coproduce_domain::{GroupId, MeetingId, PersonId, Role};
use coproduce_store::Db;
use coproduce_testkit::{each_db_with, TestApp};

struct World {
    t: TestApp,
    service: i64,
    staff: Actor,
    group: GroupId,
    people: Vec<PersonId>,
}

async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let service = t.add_service("Learning Disabilities", "").await;
    let (_, staff) = t
        .staff_actor("lead@example.org", Role::Staff, &[service])
        .await;
    let group = GroupInput {
        name: "Learning disabilities forum".into(),
        service_id: service.to_string(),
        ..GroupInput::default()
    };
    let group = t.app.create_group(&staff, &group).await.expect("group");
    let mut people = Vec::new();
    for (i, name) in [
        "Zoë Ní Bhriain",
        "Ade Okafor",
        "Sam Lee",
        "Priya Shah",
        "Tom Wu",
        "Ana Silva",
    ]
    .iter()
    .enumerate()
    {
        let first = name.split(' ').next().unwrap_or(name).to_lowercase();
        let input = PersonInput {
            name: (*name).into(),
            email: format!("{first}@example.org"),
            channels: vec!["email".into()],
            needs: if i == 0 {
                vec!["easy_read".into()]
            } else {
                Vec::new()
            },
            ..PersonInput::default()
        };
        people.push(t.add_person(&input, service).await);
    }
    World {
        t,
        service,
        staff,
        group,
        people,
    }
}

impl World {
    /// A meeting `days` from today (negative: past) with everyone invited; the register taken
    /// with the first `attended` of them attending and the rest sending apologies.
    async fn meeting(&self, days: i64, attended: usize) -> MeetingId {
        let day = coproduce_domain::time::uk_day(self.t.app.clock().now().plus_days(days));
        let input = MeetingInput {
            date: day.to_string(),
            time: "10:00".into(),
            minutes: "60".into(),
            ..MeetingInput::default()
        };
        let team = Team::Group(self.group);
        let m = self
            .t
            .app
            .add_meeting(&self.staff, team, &input)
            .await
            .expect("meeting");
        for p in &self.people {
            let who = format!("person:{p}");
            self.t
                .app
                .set_invitation(&self.staff, m, &who, true)
                .await
                .expect("invited");
        }
        self.register(m, attended).await;
        m
    }

    async fn register(&self, m: MeetingId, attended: usize) {
        let view = self.t.app.view_meeting(&self.staff, m).await.expect("view");
        let lines = self
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| RegisterLineInput {
                who: format!("person:{p}"),
                attendance: if i < attended {
                    "attended"
                } else {
                    "apologies"
                }
                .into(),
                minutes_attended: String::new(),
                role: String::new(),
            })
            .collect();
        let register = RegisterInput {
            lines,
            version: view.meeting.register_version,
        };
        self.t
            .app
            .save_register(&self.staff, m, &register)
            .await
            .expect("register");
    }

    /// The feedback messages queued: recipient, Easy Read or not, and the link's token.
    async fn links(&self) -> Vec<(String, bool, String, i64)> {
        let mut tx = self.t.app.db().read().await.expect("tx");
        let rows: Vec<(String, bool, String, i64)> = coproduce_store::on!(&mut tx, c => sqlx::query_as(
            "SELECT recipient, easy_read, body, next_attempt_at FROM outbox WHERE kind = 'feedback' ORDER BY id",
        )
        .fetch_all(c)
        .await
        .expect("messages"));
        tx.commit().await.expect("commit");
        rows.into_iter()
            .map(|(to, easy, body, after)| {
                let at = body.find("/my/feedback/").expect("a link") + "/my/feedback/".len();
                (to, easy, body[at..at + 64].to_owned(), after)
            })
            .collect()
    }
}

fn answers(scores: [&str; 3], words: &str, anonymous: bool) -> FeedbackInput {
    FeedbackInput {
        listened: scores[0].into(),
        took_part: scores[1].into(),
        belong: scores[2].into(),
        to_change: words.into(),
        anonymous: if anonymous { "yes" } else { "" }.into(),
        who: String::new(),
    }
}

#[tokio::test]
async fn everyone_who_attended_is_sent_one_link_after_the_meeting_that_takes_one_answer() {
    each_db_with(world, |w| async move {
        let m = w.meeting(-1, 2).await;
        // Saving the register again asks nobody twice.
        w.register(m, 2).await;
        let links = w.links().await;
        assert_eq!(links.len(), 2, "the two who attended, once each");
        assert_eq!(links[0].0, "zoë@example.org");
        assert!(links[0].1, "Zoë reads Easy Read");
        assert!(!links[1].1);
        let view = w.t.app.view_meeting(&w.staff, m).await.unwrap();
        assert!(
            links[0].3 >= view.meeting.ends_at,
            "sent once the meeting is over"
        );

        let token = &links[1].2;
        let FeedbackLink::Open(ask) = w.t.app.feedback_link(token).await.unwrap() else {
            panic!("a fresh link opens the questionnaire");
        };
        assert_eq!(ask.what, "Learning disabilities forum");
        assert!(ask.meeting);
        // Opening it uses nothing up; a missing answer is named and nothing is kept.
        let Err(AppError::Invalid(p)) =
            w.t.app
                .answer_feedback(token, &answers(["5", "", "4"], "", false))
                .await
        else {
            panic!("an unanswered question is refused");
        };
        assert_eq!(p[0].field, "took_part");
        let first = answers(["5", "4", "4"], "More breaks", false);
        let done = w.t.app.answer_feedback(token, &first).await.unwrap();
        assert!(matches!(done, FeedbackLink::Answered(false)));
        let again =
            w.t.app
                .answer_feedback(token, &answers(["1", "1", "1"], "", false))
                .await;
        assert!(matches!(again.unwrap(), FeedbackLink::Answered(false)));
        assert!(matches!(
            w.t.app.feedback_link(token).await.unwrap(),
            FeedbackLink::Answered(false)
        ));

        let results =
            w.t.app
                .feedback_results(&w.staff, Team::Group(w.group))
                .await
                .unwrap();
        assert_eq!(results.periods.len(), 1);
        assert_eq!(results.periods[0].answers, 1, "one answer, not two");
        assert_eq!(results.periods[0].results, None, "{TOO_FEW}");
        assert!(
            results.suggestions.is_empty(),
            "words from too few answers are not shown"
        );
    })
    .await;
}

#[tokio::test]
async fn a_link_stops_working_after_fourteen_days_and_a_meeting_long_past_sends_none() {
    each_db_with(world, |w| async move {
        w.meeting(-1, 1).await;
        let links = w.links().await;
        w.t.app.clock().advance_minutes(15 * 24 * 60);
        let token = &links[0].2;
        assert!(matches!(
            w.t.app.feedback_link(token).await.unwrap(),
            FeedbackLink::Expired(true)
        ));
        let late =
            w.t.app
                .answer_feedback(token, &answers(["5", "5", "5"], "", false))
                .await;
        assert!(matches!(late.unwrap(), FeedbackLink::Expired(true)));
        let results =
            w.t.app
                .feedback_results(&w.staff, Team::Group(w.group))
                .await
                .unwrap();
        assert!(results.periods.is_empty(), "nothing was recorded");
        // A register taken a month late asks nobody.
        w.meeting(-30, 3).await;
        assert_eq!(w.links().await.len(), 1);
        let unknown = "0".repeat(64);
        assert!(matches!(
            w.t.app.feedback_link(&unknown).await.unwrap(),
            FeedbackLink::Expired(false)
        ));
    })
    .await;
}

#[tokio::test]
async fn an_anonymous_answer_cannot_be_joined_back_to_who_gave_it() {
    each_db_with(world, |w| async move {
        let m = w.meeting(-1, 2).await;
        let links = w.links().await;
        let same = answers(["4", "3", "5"], "Shorter papers", true);
        for (_, _, token, _) in &links {
            w.t.app.answer_feedback(token, &same).await.unwrap();
        }
        let mut tx = w.t.app.db().read().await.unwrap();
        type Row = (String, i64, Option<i64>, String, i64, String, Option<i64>, Option<i64>);
        let rows: Vec<Row> = coproduce_store::on!(&mut tx, c => sqlx::query_as(
            "SELECT id, meeting_id, group_id, held_on, listened, to_change, person_id, recorded_by
             FROM feedback_answers ORDER BY id",
        )
        .fetch_all(c)
        .await
        .unwrap());
        // Each backend answers one of these and refuses the other.
        let mut columns: Vec<String> = Vec::new();
        for sql in [
            "SELECT name FROM pragma_table_info('feedback_answers') ORDER BY name",
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_name = 'feedback_answers' AND table_schema = current_schema()
             ORDER BY column_name",
        ] {
            let found: Result<Vec<String>, sqlx::Error> =
                coproduce_store::on!(&mut tx, c => sqlx::query_scalar(sql).fetch_all(c).await);
            columns.extend(found.unwrap_or_default());
        }
        let hashes: Vec<String> = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT token_hash FROM feedback_requests",
        )
        .fetch_all(c)
        .await
        .unwrap());
        let audit: Vec<String> = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT coalesce(object, '') || ' ' || detail FROM audit_log WHERE action = 'feedback_answer'",
        )
        .fetch_all(c)
        .await
        .unwrap());
        // Nor does anything say who answered: not the requests, not the links used, not the trail.
        let days: Vec<Option<String>> = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT answered_on FROM feedback_requests",
        )
        .fetch_all(c)
        .await
        .unwrap());
        let used: Vec<String> = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT used_hash FROM feedback_used",
        )
        .fetch_all(c)
        .await
        .unwrap());
        let actors: Vec<String> = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT actor FROM audit_log WHERE action = 'feedback_answer'",
        )
        .fetch_all(c)
        .await
        .unwrap());
        tx.commit().await.unwrap();
        assert_eq!(days, [None, None], "the requests do not say who answered");
        assert_eq!(used.len(), 2, "two links used");
        assert!(used.iter().all(|u| !hashes.contains(u)), "a used link names no request");
        assert_eq!(actors, ["public", "public"], "the trail says a link was used, not whose");
        assert_eq!(rows.len(), 2);
        for r in &rows {
            assert_eq!((r.6, r.7), (None, None), "no person and no staff member");
            assert_eq!(r.1, m.0, "only the meeting is kept");
            assert!(!hashes.iter().any(|h| h.contains(&r.0) || r.0.contains(h.as_str())));
            assert!(!audit.iter().any(|a| a.contains(&r.0)), "the audit trail does not name it");
        }
        let (a, b) = (&rows[0], &rows[1]);
        assert_eq!(
            (a.1, a.2, &a.3, a.4, &a.5),
            (b.1, b.2, &b.3, b.4, &b.5),
            "two people's same answers read the same: nothing says whose is whose"
        );
        // No column records a time or a request.
        let expected = [
            "belong",
            "group_id",
            "held_on",
            "id",
            "listened",
            "meeting_id",
            "on_behalf",
            "opportunity_id",
            "person_id",
            "project_id",
            "recorded_by",
            "to_change",
            "took_part",
        ];
        assert_eq!(columns, expected);
        // Each of them still cannot answer twice.
        let again = w.t.app.answer_feedback(&links[0].2, &same).await.unwrap();
        assert!(matches!(again, FeedbackLink::Answered(true)));
    })
    .await;
}

#[tokio::test]
async fn staff_record_answers_for_someone_once_marked_as_theirs_and_five_answers_are_reported() {
    each_db_with(world, |w| async move {
        let m = w.meeting(-1, 6).await;
        let links = w.links().await;
        let form = w.t.app.meeting_feedback(&w.staff, m).await.unwrap();
        assert_eq!(form.waiting.len(), 6);
        let mut for_ana = answers(["2", "3", "2"], "Call me before the meeting", false);
        for_ana.who = format!("person:{}", w.people[5]);
        w.t.app
            .record_feedback_for(&w.staff, m, &for_ana)
            .await
            .unwrap();
        let Err(AppError::Invalid(p)) = w.t.app.record_feedback_for(&w.staff, m, &for_ana).await
        else {
            panic!("twice is refused");
        };
        assert_eq!(p[0].field, "who");
        assert!(
            p[0].message.contains("already given feedback"),
            "{}",
            p[0].message
        );
        // Ana's own link now says she has answered.
        assert!(matches!(
            w.t.app.feedback_link(&links[5].2).await.unwrap(),
            FeedbackLink::Answered(false)
        ));
        let mut nobody = for_ana.clone();
        nobody.who = "person:999999".into();
        let refused = w.t.app.record_feedback_for(&w.staff, m, &nobody).await;
        assert!(matches!(refused, Err(AppError::Invalid(_))));
        let Err(AppError::Invalid(p)) =
            w.t.app
                .record_feedback_for(&w.staff, m, &FeedbackInput::default())
                .await
        else {
            panic!("an empty form is refused");
        };
        let fields: Vec<&str> = p.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["who", "listened", "took_part", "belong"],
            "every problem at once"
        );

        for (_, _, token, _) in &links[..4] {
            w.t.app
                .answer_feedback(token, &answers(["5", "4", "5"], "", false))
                .await
                .unwrap();
        }
        let mut tx = w.t.app.db().read().await.unwrap();
        let marked: Vec<(Option<i64>, bool)> = coproduce_store::on!(&mut tx, c => sqlx::query_as(
            "SELECT recorded_by, on_behalf FROM feedback_answers WHERE person_id = $1",
        )
        .bind(w.people[5])
        .fetch_all(c)
        .await
        .unwrap());
        tx.commit().await.unwrap();
        assert_eq!(marked.len(), 1);
        assert!(
            marked[0].0.is_some() && marked[0].1,
            "marked as recorded by staff"
        );

        let results =
            w.t.app
                .feedback_results(&w.staff, Team::Group(w.group))
                .await
                .unwrap();
        let period = &results.periods[0];
        assert_eq!(period.answers, 5);
        let r = period.results.as_ref().expect("five answers are reported");
        assert_eq!(r[0].positive_percent, 80);
        assert!((r[0].average - 4.4).abs() < 1e-9, "{}", r[0].average);
        assert_eq!(results.suggestions.len(), 1);
        assert_eq!(results.suggestions[0].1, "Call me before the meeting");
        assert_eq!(
            results.suggestions[0].0, period.label,
            "said in a quarter, not on a day one person may have answered about"
        );
    })
    .await;
}

#[tokio::test]
async fn those_confirmed_for_an_activity_are_asked_once_its_day_is_over() {
    each_db_with(world, |w| async move {
        let day =
            |d: i64| coproduce_domain::time::uk_day(w.t.app.clock().now().plus_days(d)).to_string();
        let input = OpportunityInput {
            title: "Interview panel for a new nurse".into(),
            kind: "recruitment_panel".into(),
            service_id: w.service.to_string(),
            starts_on: day(2),
            start_time: "10:00".into(),
            end_time: "12:00".into(),
            place: "online".into(),
            places: "4".into(),
            closes_on: day(1),
            description: "Help choose the nurse.".into(),
            visibility: "involved".into(),
            ..OpportunityInput::default()
        };
        let id =
            w.t.app
                .create_opportunity(&w.staff, &input)
                .await
                .expect("opportunity");
        for p in &w.people[..2] {
            w.t.app
                .set_opportunity_stage(&w.staff, id, *p, "confirmed")
                .await
                .expect("confirmed");
        }
        assert_eq!(
            w.t.app.queue_activity_feedback().await.unwrap(),
            0,
            "not before it ends"
        );
        w.t.app.clock().advance_minutes(3 * 24 * 60);
        assert_eq!(w.t.app.queue_activity_feedback().await.unwrap(), 2);
        assert_eq!(
            w.t.app.queue_activity_feedback().await.unwrap(),
            0,
            "asked once"
        );
        let links = w.links().await;
        assert_eq!(links.len(), 2);
        let FeedbackLink::Open(ask) = w.t.app.feedback_link(&links[0].2).await.unwrap() else {
            panic!("the link opens the questionnaire");
        };
        assert_eq!(ask.what, "Interview panel for a new nurse");
        assert!(!ask.meeting && ask.easy_read);
        let said = answers(["4", "5", "3"], "Tell us sooner who was chosen", true);
        w.t.app.answer_feedback(&links[0].2, &said).await.unwrap();
        let results = w.t.app.activity_feedback(&w.staff, id).await.unwrap();
        assert_eq!(results.name, "Interview panel for a new nurse");
        assert_eq!(results.periods[0].answers, 1);
        assert_eq!(
            results.periods[0].results, None,
            "one answer is too few to report"
        );
        let meetings =
            w.t.app
                .feedback_results(&w.staff, Team::Group(w.group))
                .await
                .unwrap();
        assert!(
            meetings.periods.is_empty(),
            "an activity's answers are not a group's"
        );
    })
    .await;
}

#[tokio::test]
async fn a_feedback_link_is_not_kept_in_the_outbox_once_sent() {
    each_db_with(world, |w| async move {
        w.meeting(-1, 1).await;
        let token = w.links().await[0].2.clone();
        let dir =
            std::env::temp_dir().join(format!("coproduce-feedback-{}", rand::random::<u64>()));
        let transport = std::sync::Arc::new(coproduce_app::outbox::Transport::File(dir.clone()));
        while w
            .t
            .app
            .send_outbox(&transport, "w1", 100)
            .await
            .expect("send")
            > 0
        {}
        let written: String = std::fs::read_dir(&dir)
            .expect("folder")
            .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
            .collect();
        assert!(written.contains(&token), "the person got their link");
        let mut tx = w.t.app.db().read().await.expect("tx");
        let body: String = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT body FROM outbox WHERE kind = 'feedback'",
        )
        .fetch_one(c)
        .await
        .expect("message"));
        tx.commit().await.expect("commit");
        assert!(
            !body.contains(&token),
            "whoever reads the outbox cannot answer for them: {body}"
        );
        let _ = std::fs::remove_dir_all(dir);
    })
    .await;
}

#[tokio::test]
async fn someone_the_register_no_longer_says_attended_is_no_longer_asked() {
    each_db_with(world, |w| async move {
        let m = w.meeting(-1, 2).await;
        let links = w.links().await;
        assert_eq!(links.len(), 2);
        // Corrected: only the first attended.
        w.register(m, 1).await;
        assert_eq!(
            w.links().await.len(),
            1,
            "the message not yet sent is taken back"
        );
        assert!(matches!(
            w.t.app.feedback_link(&links[1].2).await.unwrap(),
            FeedbackLink::Expired(false)
        ));
        let yes = answers(["5", "5", "5"], "", false);
        let answered = w.t.app.answer_feedback(&links[0].2, &yes).await.unwrap();
        assert!(matches!(answered, FeedbackLink::Answered(true)));
        // An answer given stays, whatever the register says later.
        w.register(m, 0).await;
        let results =
            w.t.app
                .feedback_results(&w.staff, Team::Group(w.group))
                .await
                .unwrap();
        assert_eq!(results.periods[0].answers, 1);
    })
    .await;
}
