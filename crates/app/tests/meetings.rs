//! One meeting on both backends: one-offs, who is invited, replies, the register and the
//! involvement and contacts it records, actions that carry forward, papers, projects with their
//! ladder history, and secret calendar links.

use coproduce_app::groups::{GroupInput, MemberInput};
use coproduce_app::meetings::{
    ActionInput, MeetingInput, PaperInput, RegisterInput, RegisterLineInput, ReplyInput, Upload,
};
use coproduce_app::people::PersonInput;
use coproduce_app::projects::ProjectInput;
use coproduce_app::{Actor, AppError};
use coproduce_domain::groups::{Joiner, Team};
use coproduce_domain::Role;
use coproduce_domain::{GroupId, PersonId};
use coproduce_store::Db;
use coproduce_testkit::{each_db, each_db_with, TestApp};

struct World {
    t: TestApp,
    staff: Actor,
    other: Actor,
    service: i64,
    group: i64,
    ana: i64,
    ben: i64,
}

async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let service = t.add_service("Child and Family Therapy", "28").await;
    let elsewhere = t.add_service("Learning Disabilities", "").await;
    let (_, staff) = t
        .staff_actor("cft@example.org", Role::Staff, &[service])
        .await;
    let (_, other) = t
        .staff_actor("ld@example.org", Role::Staff, &[elsewhere])
        .await;
    let group = t
        .app
        .create_group(
            &staff,
            &GroupInput {
                name: "Parent carer forum".into(),
                service_id: service.to_string(),
                meeting_rrule: "FREQ=WEEKLY;BYDAY=WE".into(),
                first_meeting_date: "2026-01-07".into(),
                first_meeting_time: "10:00".into(),
                video_link: "https://zoom.us/j/111".into(),
                ..GroupInput::default()
            },
        )
        .await
        .expect("set up");
    let mut people = Vec::new();
    for name in ["Ana Lane", "Ben Hill"] {
        let input = PersonInput {
            name: name.into(),
            ..PersonInput::default()
        };
        let id = t
            .app
            .create_person(&staff, &input, &service.to_string())
            .await
            .expect("set up");
        t.app
            .add_group_member(
                &staff,
                group,
                &MemberInput {
                    person_id: id.to_string(),
                    staff_id: String::new(),
                    role: "member".into(),
                },
            )
            .await
            .expect("set up");
        people.push(id);
    }
    World {
        t,
        staff,
        other,
        service,
        group: group.0,
        ana: people[0].0,
        ben: people[1].0,
    }
}

impl World {
    /// The version of a meeting's register, to save it against.
    async fn register_version(&self, meeting: coproduce_domain::MeetingId) -> i64 {
        self.t
            .app
            .view_meeting(&self.staff, meeting)
            .await
            .expect("the meeting")
            .meeting
            .register_version
    }
}

/// A one-off meeting `days` from today (negative: in the past) at 14:00 for an hour.
fn one_off(days: i64, title: &str) -> MeetingInput {
    let day = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
        + chrono::Duration::days(days);
    MeetingInput {
        title: title.into(),
        date: day.to_string(),
        time: "14:00".into(),
        minutes: "60".into(),
        ..MeetingInput::default()
    }
}

fn line(who: &str, attendance: &str, minutes: &str, role: &str) -> RegisterLineInput {
    RegisterLineInput {
        who: who.into(),
        attendance: attendance.into(),
        minutes_attended: minutes.into(),
        role: role.into(),
    }
}

#[tokio::test]
async fn members_are_invited_by_default_and_each_meeting_can_differ() {
    each_db_with(world, |w| async move {
        let next =
            w.t.app
                .team_meetings(
                    &w.staff,
                    Team::Group(GroupId(w.group)),
                    Some(w.t.app.now_for_display()),
                    None,
                )
                .await
                .unwrap()[0]
                .clone();
        let v = w.t.app.view_meeting(&w.staff, next.id).await.unwrap();
        let names: Vec<&str> = v.invitees.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Ana Lane", "Ben Hill"]);
        assert_eq!(
            v.meeting.join_video_link.as_deref(),
            Some("https://zoom.us/j/111")
        );

        // Ben is not coming to this one; a third person is invited to it alone.
        w.t.app
            .set_invitation(&w.staff, next.id, &format!("person:{}", w.ben), false)
            .await
            .unwrap();
        let cara =
            w.t.app
                .create_person(
                    &w.staff,
                    &PersonInput {
                        name: "Cara Moss".into(),
                        ..PersonInput::default()
                    },
                    &w.service.to_string(),
                )
                .await
                .unwrap();
        w.t.app
            .set_invitation(&w.staff, next.id, &format!("person:{cara}"), true)
            .await
            .unwrap();
        w.t.app
            .record_reply(
                &w.staff,
                next.id,
                &ReplyInput {
                    who: format!("person:{}", w.ana),
                    rsvp: "yes".into(),
                },
            )
            .await
            .unwrap();
        let refused =
            w.t.app
                .record_reply(
                    &w.staff,
                    next.id,
                    &ReplyInput {
                        who: format!("person:{}", w.ben),
                        rsvp: "yes".into(),
                    },
                )
                .await;
        assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");
        let v = w.t.app.view_meeting(&w.staff, next.id).await.unwrap();
        let invited: Vec<(&str, Option<&str>)> = v
            .invitees
            .iter()
            .filter(|i| i.invited)
            .map(|i| (i.name.as_str(), i.rsvp.map(|r| r.code())))
            .collect();
        assert_eq!(invited, [("Ana Lane", Some("yes")), ("Cara Moss", None)]);

        // Their own calendars follow: Ben's lacks this meeting, Cara's has only it.
        let far =
            coproduce_domain::Timestamp(w.t.app.now_for_display().millis() + 400 * 86_400_000);
        let bens =
            w.t.app
                .attendee_meetings(
                    &w.staff,
                    Joiner::Person(PersonId(w.ben)),
                    w.t.app.now_for_display(),
                    far,
                )
                .await
                .unwrap();
        assert!(bens.len() > 40 && bens.iter().all(|m| m.id != next.id));
        let caras =
            w.t.app
                .attendee_meetings(
                    &w.staff,
                    Joiner::Person(cara),
                    w.t.app.now_for_display(),
                    far,
                )
                .await
                .unwrap();
        assert_eq!(caras.iter().map(|m| m.id).collect::<Vec<_>>(), [next.id]);

        // Someone from another service sees none of it.
        assert!(matches!(
            w.t.app.view_meeting(&w.other, next.id).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn someone_who_replied_and_then_left_the_group_is_no_longer_invited() {
    each_db_with(world, |w| async move {
        let next =
            w.t.app
                .team_meetings(
                    &w.staff,
                    Team::Group(GroupId(w.group)),
                    Some(w.t.app.now_for_display()),
                    None,
                )
                .await
                .unwrap()[1]
                .clone();
        w.t.app
            .record_reply(
                &w.staff,
                next.id,
                &ReplyInput {
                    who: format!("person:{}", w.ben),
                    rsvp: "yes".into(),
                },
            )
            .await
            .unwrap();
        let view =
            w.t.app
                .view_group(&w.staff, GroupId(w.group))
                .await
                .unwrap();
        let membership = view
            .members
            .iter()
            .find(|m| m.person_id == Some(PersonId(w.ben)))
            .unwrap()
            .id;
        w.t.app
            .remove_group_member(&w.staff, GroupId(w.group), membership)
            .await
            .unwrap();
        let v = w.t.app.view_meeting(&w.staff, next.id).await.unwrap();
        let ben = v
            .invitees
            .iter()
            .find(|i| i.person_id == Some(PersonId(w.ben)))
            .unwrap();
        assert!(
            !ben.invited,
            "a reply does not keep someone invited after they leave"
        );
    })
    .await;
}

#[tokio::test]
async fn the_register_records_involvement_and_contacts_once_and_refuses_what_cannot_be() {
    each_db_with(world, |w| async move {
        let past =
            w.t.app
                .add_meeting(
                    &w.staff,
                    Team::Group(GroupId(w.group)),
                    &one_off(-7, "Leaflet workshop"),
                )
                .await
                .unwrap();
        // Members who joined today were not members a week ago: invite them to it.
        for p in [w.ana, w.ben] {
            w.t.app
                .set_invitation(&w.staff, past, &format!("person:{p}"), true)
                .await
                .unwrap();
        }
        let version = w.register_version(past).await;
        let register = RegisterInput {
            version,
            lines: vec![
                line(&format!("person:{}", w.ana), "attended", "45", "co_chair"),
                line(&format!("person:{}", w.ben), "apologies", "", ""),
            ],
        };
        w.t.app
            .save_register(&w.staff, past, &register)
            .await
            .unwrap();

        let involvement =
            w.t.app
                .involvements(&w.staff, PersonId(w.ana))
                .await
                .unwrap();
        assert_eq!(involvement.len(), 1);
        assert_eq!(
            (involvement[0].minutes, involvement[0].role.as_str()),
            (45, "co_chair")
        );
        assert_eq!(involvement[0].description, "Leaflet workshop meeting");
        assert!(w
            .t
            .app
            .involvements(&w.staff, PersonId(w.ben))
            .await
            .unwrap()
            .is_empty());
        let ana =
            w.t.app
                .view_person(&w.staff, PersonId(w.ana))
                .await
                .unwrap();
        let attended: Vec<_> = ana
            .contacts
            .iter()
            .filter(|c| c.direction.code() == "meeting")
            .collect();
        assert_eq!(attended.len(), 1, "attending counts as one contact");
        assert_eq!(attended[0].channel.code(), "video_call");

        // The same register saved again on a stale version is refused; nothing doubles.
        let stale = w.t.app.save_register(&w.staff, past, &register).await;
        assert!(matches!(stale, Err(AppError::Conflict { .. })), "{stale:?}");

        // Corrected: Ana did not attend after all. Her involvement and the contact go.
        let corrected = RegisterInput {
            version: version + 1,
            lines: vec![line(&format!("person:{}", w.ana), "absent", "", "")],
        };
        w.t.app
            .save_register(&w.staff, past, &corrected)
            .await
            .unwrap();
        assert!(w
            .t
            .app
            .involvements(&w.staff, PersonId(w.ana))
            .await
            .unwrap()
            .is_empty());
        let ana =
            w.t.app
                .view_person(&w.staff, PersonId(w.ana))
                .await
                .unwrap();
        assert!(ana.contacts.iter().all(|c| c.direction.code() != "meeting"));

        // Bad lines are refused with a reason each.
        let future =
            w.t.app
                .add_meeting(&w.staff, Team::Group(GroupId(w.group)), &one_off(3, ""))
                .await
                .unwrap();
        let early = RegisterInput {
            version: 1,
            lines: vec![line(&format!("person:{}", w.ana), "attended", "", "")],
        };
        let Err(AppError::Invalid(p)) = w.t.app.save_register(&w.staff, future, &early).await
        else {
            panic!("attending a meeting that has not started is refused");
        };
        assert!(p[0].message.contains("has not started"), "{p:?}");
        let silly = RegisterInput {
            version: version + 2,
            lines: vec![
                line(&format!("person:{}", w.ana), "attended", "9999", ""),
                line("person:999999", "attended", "", ""),
            ],
        };
        let Err(AppError::Invalid(p)) = w.t.app.save_register(&w.staff, past, &silly).await else {
            panic!("refused");
        };
        assert_eq!(p.len(), 2, "{p:?}");
    })
    .await;
}

#[tokio::test]
async fn a_register_saved_twice_at_once_gives_one_result() {
    each_db_with(world, |w| async move {
        let past =
            w.t.app
                .add_meeting(&w.staff, Team::Group(GroupId(w.group)), &one_off(-1, ""))
                .await
                .unwrap();
        w.t.app
            .set_invitation(&w.staff, past, &format!("person:{}", w.ana), true)
            .await
            .unwrap();
        let version = w.register_version(past).await;
        let attended = RegisterInput {
            version,
            lines: vec![line(&format!("person:{}", w.ana), "attended", "", "")],
        };
        let absent = RegisterInput {
            version,
            lines: vec![line(&format!("person:{}", w.ana), "absent", "", "")],
        };
        let (a, b) = tokio::join!(
            w.t.app.save_register(&w.staff, past, &attended),
            w.t.app.save_register(&w.staff, past, &absent)
        );
        assert!(a.is_ok() != b.is_ok(), "exactly one wins: {a:?} {b:?}");
        let v = w.t.app.view_meeting(&w.staff, past).await.unwrap();
        let ana = v
            .invitees
            .iter()
            .find(|i| i.person_id == Some(PersonId(w.ana)))
            .unwrap();
        let involved =
            !w.t.app
                .involvements(&w.staff, PersonId(w.ana))
                .await
                .unwrap()
                .is_empty();
        if a.is_ok() {
            assert_eq!(
                (ana.attendance.map(|a| a.code()), involved),
                (Some("attended"), true)
            );
        } else {
            assert_eq!(
                (ana.attendance.map(|a| a.code()), involved),
                (Some("absent"), false)
            );
        }
    })
    .await;
}

#[tokio::test]
async fn open_actions_carry_forward_until_done() {
    each_db_with(world, |w| async move {
        let team = Team::Group(GroupId(w.group));
        let first =
            w.t.app
                .add_meeting(&w.staff, team, &one_off(-14, ""))
                .await
                .unwrap();
        let second =
            w.t.app
                .add_meeting(&w.staff, team, &one_off(-7, ""))
                .await
                .unwrap();
        let action = ActionInput {
            description: "Send the draft leaflet round".into(),
            owner: format!("person:{}", w.ana),
            due_on: "2030-01-31".into(),
            submission_key: "key-1".into(),
        };
        let id = w.t.app.add_action(&w.staff, first, &action).await.unwrap();
        let again = w.t.app.add_action(&w.staff, first, &action).await.unwrap();
        assert_eq!(id, again, "a double submit adds one action");
        let shown =
            w.t.app
                .view_meeting(&w.staff, second)
                .await
                .unwrap()
                .actions;
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].owner_name.as_deref(), Some("Ana Lane"));
        assert_eq!(
            shown[0].meeting_id,
            Some(first),
            "carried forward from the first meeting"
        );

        let version = shown[0].version;
        w.t.app
            .set_action_status(&w.staff, id, "done", version)
            .await
            .unwrap();
        let stale =
            w.t.app
                .set_action_status(&w.staff, id, "dropped", version)
                .await;
        assert!(matches!(stale, Err(AppError::Conflict { .. })));
        let later =
            w.t.app
                .add_meeting(&w.staff, team, &one_off(7, ""))
                .await
                .unwrap();
        assert!(w
            .t
            .app
            .view_meeting(&w.staff, later)
            .await
            .unwrap()
            .actions
            .is_empty());
        let second_view = w.t.app.view_meeting(&w.staff, second).await.unwrap();
        assert_eq!(
            second_view.actions[0].status.code(),
            "done",
            "still shown where it was open"
        );

        let blank = ActionInput::default();
        assert!(matches!(
            w.t.app.add_action(&w.staff, first, &blank).await,
            Err(AppError::Invalid(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn papers_are_files_or_links_and_only_the_service_can_read_them() {
    each_db_with(world, |w| async move {
        let m =
            w.t.app
                .add_meeting(&w.staff, Team::Group(GroupId(w.group)), &one_off(2, ""))
                .await
                .unwrap();
        let file = Upload {
            name: "C:\\Users\\me\\Easy read agenda.pdf".into(),
            bytes: b"%PDF-1.4 pretend".to_vec(),
        };
        let input = PaperInput {
            easy_read: true,
            ..PaperInput::default()
        };
        let id =
            w.t.app
                .add_paper(&w.staff, m, &input, Some(&file))
                .await
                .unwrap();
        let link = PaperInput {
            title: "Draft leaflet".into(),
            link: "https://docs.example.org/leaflet".into(),
            easy_read: false,
        };
        w.t.app.add_paper(&w.staff, m, &link, None).await.unwrap();
        let papers = w.t.app.view_meeting(&w.staff, m).await.unwrap().papers;
        let titles: Vec<(&str, bool)> = papers
            .iter()
            .map(|p| (p.title.as_str(), p.easy_read))
            .collect();
        assert_eq!(
            titles,
            [
                ("C:\\Users\\me\\Easy read agenda.pdf", true),
                ("Draft leaflet", false)
            ]
        );
        let (name, kind, bytes) = w.t.app.paper_file(&w.staff, id).await.unwrap();
        assert_eq!(
            (name.as_str(), kind.as_str()),
            ("Easy read agenda.pdf", "application/pdf")
        );
        assert_eq!(bytes, file.bytes);
        assert!(matches!(
            w.t.app.paper_file(&w.other, id).await,
            Err(AppError::NotFound | AppError::Forbidden)
        ));

        let script = Upload {
            name: "run.exe".into(),
            bytes: vec![1, 2, 3],
        };
        let Err(AppError::Invalid(p)) =
            w.t.app
                .add_paper(&w.staff, m, &PaperInput::default(), Some(&script))
                .await
        else {
            panic!("refused");
        };
        assert_eq!(p[0].field, "file");
        let neither =
            w.t.app
                .add_paper(&w.staff, m, &PaperInput::default(), None)
                .await;
        assert!(matches!(neither, Err(AppError::Invalid(_))));
        w.t.app.remove_paper(&w.staff, m, id).await.unwrap();
        assert_eq!(
            w.t.app
                .view_meeting(&w.staff, m)
                .await
                .unwrap()
                .papers
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_project_keeps_its_ladder_history_and_has_its_own_meetings() {
    each_db_with(world, |w| async move {
        let input = ProjectInput {
            name: "Waiting list leaflet".into(),
            aims: "Tell families what happens while they wait".into(),
            service_id: w.service.to_string(),
            starts_on: "2026-01-05".into(),
            ends_on: "2026-06-30".into(),
            stage: "planning".into(),
            ladder: "consultation".into(),
            ..ProjectInput::default()
        };
        let id = w.t.app.create_project(&w.staff, &input).await.unwrap();
        let v = w.t.app.view_project(&w.staff, id).await.unwrap();
        let change = ProjectInput {
            ladder: "co_production".into(),
            stage: "under_way".into(),
            ..ProjectInput::from_project(&v.project)
        };
        w.t.app.update_project(&w.staff, id, &change).await.unwrap();
        let stale = w.t.app.update_project(&w.staff, id, &change).await;
        assert!(matches!(stale, Err(AppError::Conflict { .. })));
        let v = w.t.app.view_project(&w.staff, id).await.unwrap();
        let ladder: Vec<&str> = v.ladder.iter().map(|l| l.ladder.code()).collect();
        assert_eq!(ladder, ["consultation", "co_production"]);
        assert_eq!(v.project.stage.code(), "under_way");

        let bad = ProjectInput {
            ends_on: "2025-01-01".into(),
            ladder: "tokenism".into(),
            ..input.clone()
        };
        let Err(AppError::Invalid(p)) = w.t.app.create_project(&w.staff, &bad).await else {
            panic!("refused");
        };
        let fields: Vec<&str> = p.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["ends_on", "ladder"]);

        w.t.app
            .add_project_member(
                &w.staff,
                id,
                &MemberInput {
                    person_id: w.ana.to_string(),
                    staff_id: String::new(),
                    role: "member".into(),
                },
            )
            .await
            .unwrap();
        let meeting =
            w.t.app
                .add_meeting(&w.staff, Team::Project(id), &one_off(5, "Design session"))
                .await
                .unwrap();
        let mv = w.t.app.view_meeting(&w.staff, meeting).await.unwrap();
        assert_eq!(mv.meeting.project_id, Some(id));
        assert_eq!(mv.meeting.name(), "Design session");
        assert_eq!(
            mv.invitees.iter().map(|i| i.person_id).collect::<Vec<_>>(),
            [Some(PersonId(w.ana))]
        );
        assert!(matches!(
            w.t.app.view_project(&w.other, id).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_secret_calendar_link_shows_a_persons_meetings_until_revoked() {
    each_db_with(world, |w| async move {
        let who = Joiner::Person(PersonId(w.ana));
        // The feed shows every service's meetings: only the participation team hands it out.
        assert!(matches!(
            w.t.app.new_calendar_link(&w.staff, who).await,
            Err(AppError::Forbidden)
        ));
        let team = Actor::Cli;
        assert!(w
            .t
            .app
            .calendar_link_made(&team, who)
            .await
            .unwrap()
            .is_none());
        let first = w.t.app.new_calendar_link(&team, who).await.unwrap();
        let feed = w.t.app.feed(first.expose()).await.unwrap().expect("a feed");
        assert!(feed.meetings.len() > 40, "a year of weekly meetings");
        let second = w.t.app.new_calendar_link(&team, who).await.unwrap();
        assert!(
            w.t.app.feed(first.expose()).await.unwrap().is_none(),
            "the old link stops"
        );
        assert!(w.t.app.feed(second.expose()).await.unwrap().is_some());
        w.t.app.revoke_calendar_link(&team, who).await.unwrap();
        assert!(w.t.app.feed(second.expose()).await.unwrap().is_none());
        assert!(w.t.app.feed("made-up").await.unwrap().is_none());
        assert!(matches!(
            w.t.app.new_calendar_link(&w.other, who).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_a_year_of_meetings_with_registers_minutes_and_actions() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        coproduce_app::demo::seed(&t.app).await.unwrap();
        let now = t.app.now_for_display();
        let year_ago = coproduce_domain::Timestamp(now.millis() - 365 * 86_400_000);
        let groups = t.app.groups(&Actor::Cli).await.unwrap();
        assert_eq!(groups.len(), 2);
        for g in groups {
            let past = t
                .app
                .team_meetings(&Actor::Cli, Team::Group(g.id), Some(year_ago), Some(now))
                .await
                .unwrap();
            assert!(past.len() >= 25, "{}: {} past meetings", g.name, past.len());
            let last = t
                .app
                .view_meeting(&Actor::Cli, past[past.len() - 1].id)
                .await
                .unwrap();
            let attended = last
                .invitees
                .iter()
                .filter(|i| i.attendance.map(|a| a.code()) == Some("attended"))
                .count();
            assert!(attended >= 4, "{}: {attended} attended", g.name);
            assert!(!last.meeting.notes.is_empty(), "minutes written");
            assert!(
                last.actions.iter().any(|a| a.status.code() == "open"),
                "open actions carried forward"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn someone_taken_off_a_group_today_is_not_invited_to_todays_meeting_but_the_register_keeps_them(
) {
    each_db_with(world, |w| async move {
        let today = MeetingInput {
            time: "00:01".into(),
            ..one_off(0, "Early check-in")
        };
        let meeting =
            w.t.app
                .add_meeting(&w.staff, Team::Group(GroupId(w.group)), &today)
                .await
                .unwrap();
        let version = w.register_version(meeting).await;
        let register = RegisterInput {
            version,
            lines: vec![line(&format!("person:{}", w.ana), "attended", "30", "")],
        };
        w.t.app
            .save_register(&w.staff, meeting, &register)
            .await
            .unwrap();
        let members =
            w.t.app
                .view_group(&w.staff, GroupId(w.group))
                .await
                .unwrap()
                .members;
        for m in members {
            w.t.app
                .remove_group_member(&w.staff, GroupId(w.group), m.id)
                .await
                .unwrap();
        }

        let v = w.t.app.view_meeting(&w.staff, meeting).await.unwrap();
        let invited: Vec<&str> = v
            .invitees
            .iter()
            .filter(|i| i.invited)
            .map(|i| i.name.as_str())
            .collect();
        assert!(invited.is_empty(), "still invited: {invited:?}");
        let recorded: Vec<(&str, Option<&str>)> = v
            .invitees
            .iter()
            .map(|i| (i.name.as_str(), i.attendance.map(|a| a.code())))
            .collect();
        assert_eq!(
            recorded,
            [("Ana Lane", Some("attended"))],
            "the register keeps who came; Ben, who was not recorded, is gone"
        );
    })
    .await;
}
