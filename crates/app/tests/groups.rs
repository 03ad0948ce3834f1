//! Groups on both backends: setting one up with a weekly meeting, refusals, stale saves,
//! members and who may see and change what.

use chrono::{Datelike, Timelike, Weekday};
use coproduce_app::groups::{GroupInput, MemberInput};
use coproduce_app::people::PersonInput;
use coproduce_app::{Actor, AppError};
use coproduce_domain::groups::Team;
use coproduce_domain::meetings::Meeting;
use coproduce_domain::GroupId;
use coproduce_domain::MeetingId;
use coproduce_domain::{Role, StaffId};
use coproduce_store::Db;
use coproduce_testkit::{each_db_with, TestApp};

struct World {
    t: TestApp,
    ld_staff: Actor,
    ld_staff_id: StaffId,
    cft_staff: Actor,
    ld: i64,
}

async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let ld = t.add_service("Learning Disabilities", "14").await;
    let cft = t.add_service("Child and Family Therapy", "").await;
    let (ld_staff_id, ld_staff) = t.staff_actor("ld@example.org", Role::Staff, &[ld]).await;
    let (_, cft_staff) = t.staff_actor("cft@example.org", Role::Staff, &[cft]).await;
    World {
        ld_staff,
        ld_staff_id,
        cft_staff,
        t,
        ld,
    }
}

/// What the Learning Disabilities staff member does most, each expected to succeed.
impl World {
    async fn create(&self, group: &GroupInput) -> i64 {
        let made = self.t.app.create_group(&self.ld_staff, group).await;
        made.expect("group created").0
    }

    async fn update(&self, id: i64, group: &GroupInput) {
        let changed = self
            .t
            .app
            .update_group(&self.ld_staff, GroupId(id), group)
            .await;
        changed.expect("group changed");
    }

    /// The group's current version.
    async fn version(&self, id: i64) -> i64 {
        let view = self.t.app.view_group(&self.ld_staff, GroupId(id)).await;
        view.expect("group seen").group.version
    }

    /// Every meeting of the group.
    async fn meetings(&self, id: i64) -> Vec<Meeting> {
        let team = Team::Group(GroupId(id));
        let all = self
            .t
            .app
            .team_meetings(&self.ld_staff, team, None, None)
            .await;
        all.expect("the group's meetings")
    }
}

fn weekly(service: i64) -> GroupInput {
    GroupInput {
        name: "Training and recruitment planning".into(),
        purpose: "Plan training delivery and recruitment panels".into(),
        service_id: service.to_string(),
        meeting_rrule: "FREQ=WEEKLY;BYDAY=TU".into(),
        first_meeting_date: "2026-01-06".into(),
        first_meeting_time: "10:00".into(),
        video_link: "https://zoom.us/j/123456789".into(),
        phone_dial_in: "0203 000 0000, meeting 123 456 789".into(),
        ..GroupInput::default()
    }
}

#[tokio::test]
async fn a_group_is_set_up_with_a_weekly_meeting_and_its_next_meetings_follow_the_pattern() {
    each_db_with(world, |w| async move {
        let id = w.create(&weekly(w.ld)).await;
        let view = w.t.app.view_group(&w.ld_staff, GroupId(id)).await.unwrap();
        assert_eq!(view.group.service_name, "Learning Disabilities");
        assert_eq!(view.pattern.as_deref(), Some("Every week on Tuesday"));
        assert_eq!(view.group.meeting_minutes, 60, "an hour unless told");
        assert_eq!(view.group.reminder_lead_hours, 24);
        assert_eq!(view.next_meetings.len(), 6);
        let starts: Vec<chrono::DateTime<chrono::Utc>> = view
            .next_meetings
            .iter()
            .map(|m| chrono::DateTime::from_timestamp_millis(m.starts_at).unwrap())
            .collect();
        for m in &starts {
            let local = m.with_timezone(&chrono_tz::Europe::London);
            assert_eq!(local.weekday(), Weekday::Tue);
            assert_eq!(
                (local.hour(), local.minute()),
                (10, 0),
                "10:00 London in any season"
            );
        }
        assert!(starts
            .windows(2)
            .all(|p| p[1] - p[0] <= chrono::Duration::days(7) + chrono::Duration::hours(1)));

        let listed = w.t.app.groups(&w.ld_staff).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(
            w.t.app.groups(&w.cft_staff).await.unwrap().is_empty(),
            "another service's staff"
        );
        assert!(matches!(
            w.t.app.view_group(&w.cft_staff, GroupId(id)).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn bad_details_are_refused_with_every_reason_and_nothing_is_stored() {
    each_db_with(world, |w| async move {
        let bad = GroupInput {
            name: String::new(),
            meeting_rrule: "FREQ=HOURLY".into(),
            first_meeting_date: String::new(),
            video_link: "http://zoom.us/j/1".into(),
            meeting_minutes: "0".into(),
            ..weekly(w.ld)
        };
        let Err(AppError::Invalid(problems)) = w.t.app.create_group(&w.ld_staff, &bad).await else {
            panic!("refused");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "meeting_rrule",
                "first_meeting_date",
                "meeting_minutes",
                "video_link"
            ]
        );
        assert!(
            problems[1].message.contains("at most daily"),
            "{}",
            problems[1].message
        );

        let elsewhere = GroupInput {
            service_id: w.ld.to_string(),
            ..weekly(w.ld)
        };
        let refused = w.t.app.create_group(&w.cft_staff, &elsewhere).await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(p)) if p[0].field == "service_id"),
            "{refused:?}"
        );
        assert!(w.t.app.groups(&Actor::Cli).await.unwrap().is_empty());

        w.create(&weekly(w.ld)).await;
        let twice = w.t.app.create_group(&w.ld_staff, &weekly(w.ld)).await;
        assert!(
            matches!(&twice, Err(AppError::Invalid(p)) if p[0].field == "name"),
            "a name in use: {twice:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_stale_save_is_refused_and_says_what_changed() {
    each_db_with(world, |w| async move {
        let id = w.create(&weekly(w.ld)).await;
        let read = w.version(id).await;
        let first = GroupInput {
            venue: "Harbour Room, Quay Street".into(),
            version: read,
            ..weekly(w.ld)
        };
        w.update(id, &first).await;
        let second = GroupInput {
            meeting_rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH".into(),
            version: read,
            ..weekly(w.ld)
        };
        let stale =
            w.t.app
                .update_group(&w.ld_staff, GroupId(id), &second)
                .await;
        assert!(matches!(stale, Err(AppError::Conflict { .. })), "{stale:?}");
        let view = w.t.app.view_group(&w.ld_staff, GroupId(id)).await.unwrap();
        assert_eq!(view.group.venue, "Harbour Room, Quay Street");
        assert_eq!(view.pattern.as_deref(), Some("Every week on Tuesday"));
    })
    .await;
}

#[tokio::test]
async fn members_join_with_a_role_once_and_leave_with_the_history_kept() {
    each_db_with(world, |w| async move {
        let group = w.create(&weekly(w.ld)).await;
        let person = |name: &str| PersonInput {
            name: name.into(),
            ..PersonInput::default()
        };
        let ana =
            w.t.app
                .create_person(&w.ld_staff, &person("Ana Lane"), &w.ld.to_string())
                .await
                .unwrap();
        let join = |person_id: String, staff_id: String, role: &str| MemberInput {
            person_id,
            staff_id,
            role: role.into(),
        };
        let m =
            w.t.app
                .add_group_member(
                    &w.ld_staff,
                    GroupId(group),
                    &join(ana.to_string(), String::new(), "chair"),
                )
                .await
                .unwrap();
        w.t.app
            .add_group_member(
                &w.ld_staff,
                GroupId(group),
                &join(String::new(), w.ld_staff_id.0.to_string(), "staff_lead"),
            )
            .await
            .unwrap();
        let again =
            w.t.app
                .add_group_member(
                    &w.ld_staff,
                    GroupId(group),
                    &join(ana.to_string(), String::new(), "member"),
                )
                .await;
        assert!(
            matches!(again, Err(AppError::Invalid(_))),
            "already a member: {again:?}"
        );
        let wrong =
            w.t.app
                .add_group_member(
                    &w.ld_staff,
                    GroupId(group),
                    &join(ana.to_string(), String::new(), "staff_lead"),
                )
                .await;
        assert!(matches!(wrong, Err(AppError::Invalid(p)) if p[0].field == "role"));

        // Membership is a relationship with the group, beside the one with the service.
        let ana_view = w.t.app.view_person(&w.ld_staff, ana).await.unwrap();
        let with_group: Vec<_> = ana_view
            .relationships
            .iter()
            .filter(|r| r.group_id == Some(GroupId(group)))
            .collect();
        assert_eq!(with_group.len(), 1);
        assert_eq!(with_group[0].status.code(), "active");
        assert_eq!(
            with_group[0].with_whom(),
            "Training and recruitment planning (group)"
        );
        assert_eq!(ana_view.relationships.len(), 2);
        let group_relationship = with_group[0].id;
        let queue =
            w.t.app
                .keep_in_touch(&w.ld_staff, &Default::default())
                .await
                .unwrap();
        assert!(queue
            .rows
            .iter()
            .any(|r| r.group_name.as_deref() == Some("Training and recruitment planning")));

        let view =
            w.t.app
                .view_group(&w.ld_staff, GroupId(group))
                .await
                .unwrap();
        let names: Vec<(&str, &str)> = view
            .members
            .iter()
            .map(|m| (m.name.as_str(), m.role.code()))
            .collect();
        assert_eq!(names, [("Ana Lane", "chair"), ("Test staff", "staff_lead")]);

        assert!(matches!(
            w.t.app
                .remove_group_member(&w.cft_staff, GroupId(group), m)
                .await,
            Err(AppError::NotFound | AppError::Forbidden)
        ));
        w.t.app
            .remove_group_member(&w.ld_staff, GroupId(group), m)
            .await
            .unwrap();
        let view =
            w.t.app
                .view_group(&w.ld_staff, GroupId(group))
                .await
                .unwrap();
        assert_eq!(view.members.len(), 1);
        let ended = w.t.app.view_person(&w.ld_staff, ana).await.unwrap();
        let r = ended
            .relationships
            .iter()
            .find(|r| r.id == group_relationship)
            .unwrap();
        assert_eq!(
            r.status.code(),
            "ended",
            "leaving ends the relationship with the group"
        );
        w.t.app
            .add_group_member(
                &w.ld_staff,
                GroupId(group),
                &join(ana.to_string(), String::new(), "member"),
            )
            .await
            .expect("rejoins after leaving");
        let back = w.t.app.view_person(&w.ld_staff, ana).await.unwrap();
        let r = back
            .relationships
            .iter()
            .find(|r| r.id == group_relationship)
            .unwrap();
        assert_eq!(
            r.status.code(),
            "active",
            "the same relationship, active again"
        );
    })
    .await;
}

#[tokio::test]
async fn meetings_are_kept_a_year_ahead_and_follow_a_changed_pattern() {
    each_db_with(world, |w| async move {
        let id = w.create(&weekly(w.ld)).await;
        let year = w.meetings(id).await;
        assert!((52..=53).contains(&year.len()), "{} meetings", year.len());
        assert!(year
            .iter()
            .all(|m| m.status.code() == "scheduled" && m.ends_at - m.starts_at == 3_600_000));
        let tuesdays: Vec<MeetingId> = year.iter().map(|m| m.id).collect();

        let read = w.version(id).await;
        let thursdays = GroupInput {
            meeting_rrule: "FREQ=WEEKLY;BYDAY=TH".into(),
            meeting_minutes: "90".into(),
            version: read,
            ..weekly(w.ld)
        };
        w.update(id, &thursdays).await;
        let all = w.meetings(id).await;
        let old: Vec<_> = all.iter().filter(|m| tuesdays.contains(&m.id)).collect();
        assert!(
            old.iter()
                .all(|m| m.status.code() == "cancelled" && m.sequence == 1),
            "the Tuesdays are cancelled, not deleted"
        );
        let new: Vec<_> = all
            .iter()
            .filter(|m| m.status.code() == "scheduled")
            .collect();
        assert!((52..=53).contains(&new.len()));
        for m in &new {
            let start = chrono::DateTime::from_timestamp_millis(m.starts_at).unwrap();
            assert_eq!(
                start.with_timezone(&chrono_tz::Europe::London).weekday(),
                Weekday::Thu
            );
            assert_eq!(m.ends_at - m.starts_at, 90 * 60_000);
        }
        let view = w.t.app.view_group(&w.ld_staff, GroupId(id)).await.unwrap();
        assert_eq!(view.next_meetings.len(), 6);
        assert_eq!(view.next_meetings[0].starts_at, new[0].starts_at);

        // Back to Tuesdays: the same meetings, scheduled again, one change later.
        let back = GroupInput {
            version: view.group.version,
            meeting_minutes: "90".into(),
            ..weekly(w.ld)
        };
        w.update(id, &back).await;
        let all = w.meetings(id).await;
        let again: Vec<_> = all.iter().filter(|m| tuesdays.contains(&m.id)).collect();
        assert!(
            again.iter().all(|m| m.status.code() == "scheduled"
                && m.sequence == 2
                && m.ends_at - m.starts_at == 90 * 60_000),
            "reinstated, at the new length"
        );

        assert_eq!(
            w.t.app.extend_meetings().await.unwrap(),
            0,
            "already a year ahead"
        );
        w.t.app.clock().advance_minutes(30 * 24 * 60);
        let added = w.t.app.extend_meetings().await.unwrap();
        assert!(
            (4..=5).contains(&added),
            "a month on, about four more: {added}"
        );
        assert!(matches!(
            w.t.app
                .team_meetings(&w.cft_staff, Team::Group(GroupId(id)), None, None)
                .await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn one_meeting_is_moved_or_cancelled_and_the_series_leaves_it_alone() {
    each_db_with(world, |w| async move {
        let id = w.create(&weekly(w.ld)).await;
        let meetings = w.meetings(id).await;
        let (first, second) = (meetings[0].clone(), meetings[1].clone());
        let start = chrono::DateTime::from_timestamp_millis(first.starts_at)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::London);
        let next_day = start.date_naive() + chrono::Duration::days(1);
        let moved = coproduce_app::meetings::MeetingInput {
            date: next_day.to_string(),
            time: "11:00".into(),
            minutes: "45".into(),
            status: "scheduled".into(),
            agenda: "1. Training dates\n2. Panel for the new nurse post".into(),
            version: first.version,
            ..Default::default()
        };
        w.t.app
            .change_meeting(&w.ld_staff, first.id, &moved)
            .await
            .unwrap();
        let v =
            w.t.app
                .view_meeting(&w.ld_staff, first.id)
                .await
                .unwrap()
                .meeting;
        let local = chrono::DateTime::from_timestamp_millis(v.starts_at)
            .unwrap()
            .with_timezone(&chrono_tz::Europe::London);
        assert_eq!((local.date_naive(), local.hour()), (next_day, 11));
        assert_eq!(v.ends_at - v.starts_at, 45 * 60_000);
        assert_eq!(v.sequence, 1);
        assert!(v.agenda.contains("Panel"));

        let stale = w.t.app.change_meeting(&w.ld_staff, first.id, &moved).await;
        assert!(matches!(stale, Err(AppError::Conflict { .. })), "{stale:?}");
        let cancel = coproduce_app::meetings::MeetingInput {
            date: chrono::DateTime::from_timestamp_millis(second.starts_at)
                .unwrap()
                .with_timezone(&chrono_tz::Europe::London)
                .date_naive()
                .to_string(),
            time: "10:00".into(),
            minutes: "60".into(),
            status: "cancelled".into(),
            version: second.version,
            ..Default::default()
        };
        w.t.app
            .change_meeting(&w.ld_staff, second.id, &cancel)
            .await
            .unwrap();
        let bad = coproduce_app::meetings::MeetingInput {
            date: "31/2/2027".into(),
            time: "25:00".into(),
            status: "maybe".into(),
            ..Default::default()
        };
        let Err(AppError::Invalid(problems)) =
            w.t.app.change_meeting(&w.ld_staff, first.id, &bad).await
        else {
            panic!("refused");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["date", "time", "status"]);
        assert!(matches!(
            w.t.app.change_meeting(&w.cft_staff, first.id, &moved).await,
            Err(AppError::Forbidden | AppError::NotFound)
        ));

        // A change to the series (a longer meeting) leaves both alone.
        let read = w.version(id).await;
        let longer = GroupInput {
            meeting_minutes: "90".into(),
            version: read,
            ..weekly(w.ld)
        };
        w.update(id, &longer).await;
        let after = w.meetings(id).await;
        let find = |id: i64| after.iter().find(|m| m.id == MeetingId(id)).unwrap();
        assert_eq!(
            find(first.id.0).ends_at - find(first.id.0).starts_at,
            45 * 60_000,
            "the moved one keeps its length"
        );
        assert_eq!(
            find(second.id.0).status.code(),
            "cancelled",
            "the cancelled one stays cancelled"
        );
        assert_eq!(
            after[2].ends_at - after[2].starts_at,
            90 * 60_000,
            "the rest follow the series"
        );
    })
    .await;
}
