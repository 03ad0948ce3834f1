//! Reviews on both backends: a 4Pi review sets when the next is due (six months on for a group,
//! twelve for a relationship, unless it says otherwise); what it agrees to adjust carries
//! forward to the group's next meeting; a project's review moves it on the ladder with the
//! reason; what is due shows on the keep-in-touch queue; other services' staff cannot record
//! or see one.

use chrono::{Days, Months, NaiveDate};
use coproduce_app::groups::GroupInput;
use coproduce_app::meetings::{ActionInput, MeetingInput};
use coproduce_app::people::{PersonInput, QueueInput};
use coproduce_app::projects::ProjectInput;
use coproduce_app::reviews::ReviewInput;
use coproduce_app::{Actor, AppError};
use coproduce_domain::groups::Team;
use coproduce_domain::reviews::ReviewOf;
use coproduce_domain::time::uk_day;
use coproduce_domain::{GroupId, PersonId, Role, StaffId};
use coproduce_store::Db;
use coproduce_testkit::{each_db, TestApp};

struct World {
    t: TestApp,
    lead_id: StaffId,
    lead: Actor,
    elsewhere: Actor,
    group: GroupId,
    person: PersonId,
}

async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let service = t.add_service("Learning Disabilities", "").await;
    let other = t.add_service("Maternity", "").await;
    let (lead_id, lead) = t
        .staff_actor("lead@example.org", Role::Staff, &[service])
        .await;
    let (_, elsewhere) = t.staff_actor("mw@example.org", Role::Staff, &[other]).await;
    let group = GroupInput {
        name: "Learning disabilities forum".into(),
        service_id: service.to_string(),
        ..GroupInput::default()
    };
    let group = t.app.create_group(&lead, &group).await.expect("group");
    let input = PersonInput {
        name: "Zoë Ní Bhriain".into(),
        ..PersonInput::default()
    };
    let person = t.add_person(&input, service).await;
    World {
        t,
        lead_id,
        lead,
        elsewhere,
        group,
        person,
    }
}

impl World {
    fn today(&self) -> NaiveDate {
        uk_day(self.t.app.clock().now())
    }

    fn review(&self, of: ReviewOf) -> ReviewInput {
        ReviewInput {
            of: of.code(),
            held_on: self.today().to_string(),
            principles: "mostly".into(),
            principles_notes: "Members say they are treated as equals.".into(),
            purpose: "fully".into(),
            presence: "partly".into(),
            presence_notes: "Nobody under 25 comes.".into(),
            process: "mostly".into(),
            impact: "partly".into(),
            views: "Meet in the evening sometimes.".into(),
            ..ReviewInput::default()
        }
    }
}

fn fields(e: Result<impl std::fmt::Debug, AppError>) -> Vec<&'static str> {
    match e {
        Err(AppError::Invalid(p)) => p.iter().map(|p| p.field).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[tokio::test]
async fn a_groups_review_is_kept_with_its_ratings_and_makes_the_next_due_six_months_on() {
    each_db(|db| async move {
        let w = world(db).await;
        let of = ReviewOf::Group(w.group);
        let id = w.t.app.record_review(&w.lead, &w.review(of)).await.unwrap();
        let v = w.t.app.review(&w.lead, id).await.unwrap();
        let ratings: Vec<&str> = v
            .review
            .assessments
            .iter()
            .map(|a| a.rating.code())
            .collect();
        assert_eq!(ratings, ["mostly", "fully", "partly", "mostly", "partly"]);
        assert_eq!(v.review.assessments[2].notes, "Nobody under 25 comes.");
        assert_eq!(v.review.views, "Meet in the evening sometimes.");
        let six_months = w.today().checked_add_months(Months::new(6)).unwrap();
        assert_eq!(v.review.next_review_on, six_months.to_string());
        let group = w.t.app.view_group(&w.lead, w.group).await.unwrap().group;
        assert_eq!(group.next_review_on, Some(six_months.to_string()));
        let (held, _) = w.t.app.review_history(&w.lead, of).await.unwrap();
        assert_eq!(held.len(), 1, "its page lists the review");
    })
    .await;
}

#[tokio::test]
async fn the_same_review_sent_twice_is_recorded_and_audited_once() {
    each_db(|db| async move {
        let w = world(db).await;
        let of = ReviewOf::Group(w.group);
        let input = ReviewInput {
            submission_key: "form-1".into(),
            ..w.review(of)
        };
        let first = w.t.app.record_review(&w.lead, &input).await.unwrap();
        let again = w.t.app.record_review(&w.lead, &input).await.unwrap();
        assert_eq!(first, again);
        let (held, _) = w.t.app.review_history(&w.lead, of).await.unwrap();
        assert_eq!(held.len(), 1);
        let mut tx = w.t.app.db().read().await.unwrap();
        let audited: i64 = coproduce_store::on!(&mut tx, c => sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'review_add'",
        )
        .fetch_one(c)
        .await
        .unwrap());
        tx.commit().await.unwrap();
        assert_eq!(
            audited, 1,
            "the second sending changed nothing, so it is not audited"
        );
    })
    .await;
}

#[tokio::test]
async fn a_review_with_a_standard_unrated_or_its_next_date_before_it_is_refused_naming_each() {
    each_db(|db| async move {
        let w = world(db).await;
        let of = ReviewOf::Group(w.group);
        let unrated = ReviewInput {
            presence: String::new(),
            impact: "brilliant".into(),
            next_review_on: "1/1/2020".into(),
            ..w.review(of)
        };
        let refused = w.t.app.record_review(&w.lead, &unrated).await;
        assert_eq!(fields(refused), ["presence", "impact", "next_review_on"]);
        let not_a_project = ReviewInput {
            ladder: "co_production".into(),
            ..w.review(of)
        };
        let refused = w.t.app.record_review(&w.lead, &not_a_project).await;
        assert_eq!(fields(refused), ["ladder"]);
    })
    .await;
}

#[tokio::test]
async fn a_relationships_review_makes_the_next_due_a_year_on_and_its_adjustment_is_the_owners_action(
) {
    each_db(|db| async move {
        let w = world(db).await;
        let person = w.t.app.view_person(&w.lead, w.person).await.unwrap();
        let relationship = person.relationships[0].id;
        let started = person.relationships[0]
            .started_on
            .parse::<NaiveDate>()
            .unwrap();
        let year_on = started.checked_add_months(Months::new(12)).unwrap();
        assert_eq!(
            person.relationships[0].next_review_on,
            Some(year_on.to_string()),
            "a new relationship is first due a review a year after it starts"
        );
        let of = ReviewOf::Relationship(relationship);
        let id = w.t.app.record_review(&w.lead, &w.review(of)).await.unwrap();
        let action = ActionInput {
            description: "Send the easy read minutes by post".into(),
            owner: format!("staff:{}", w.lead_id),
            ..ActionInput::default()
        };
        w.t.app
            .add_review_action(&w.lead, id, &action)
            .await
            .unwrap();
        let v = w.t.app.review(&w.lead, id).await.unwrap();
        let year = w.today().checked_add_months(Months::new(12)).unwrap();
        assert_eq!(v.review.next_review_on, year.to_string());
        assert_eq!(v.adjustments.len(), 1);
        let page =
            w.t.app
                .keep_in_touch_page(&w.lead, &QueueInput::default())
                .await
                .unwrap();
        let mine: Vec<&str> = page
            .actions
            .iter()
            .map(|a| a.description.as_str())
            .collect();
        assert_eq!(mine, ["Send the easy read minutes by post"]);
    })
    .await;
}

#[tokio::test]
async fn what_a_groups_review_agreed_to_adjust_carries_forward_to_its_next_meeting() {
    each_db(|db| async move {
        let w = world(db).await;
        let id =
            w.t.app
                .record_review(&w.lead, &w.review(ReviewOf::Group(w.group)))
                .await
                .unwrap();
        let action = ActionInput {
            description: "Hold every third meeting in the evening".into(),
            due_on: "1/3/2027".into(),
            ..ActionInput::default()
        };
        w.t.app
            .add_review_action(&w.lead, id, &action)
            .await
            .unwrap();
        let next_week = MeetingInput {
            date: (w.today() + Days::new(7)).to_string(),
            time: "14:00".into(),
            minutes: "60".into(),
            ..MeetingInput::default()
        };
        let meeting =
            w.t.app
                .add_meeting(&w.lead, Team::Group(w.group), &next_week)
                .await
                .unwrap();
        let v = w.t.app.view_meeting(&w.lead, meeting).await.unwrap();
        let carried: Vec<&str> = v.actions.iter().map(|a| a.description.as_str()).collect();
        assert_eq!(carried, ["Hold every third meeting in the evening"]);
        assert_eq!(v.actions[0].review_id, Some(id));
        let done =
            w.t.app
                .set_action_status(&w.lead, v.actions[0].id, "done", v.actions[0].version)
                .await
                .unwrap();
        assert_eq!(done.href(), format!("/reviews/{id}#adjustments"));
        let bad = ActionInput::default();
        let refused = w.t.app.add_review_action(&w.lead, id, &bad).await;
        assert_eq!(fields(refused), ["description"]);
    })
    .await;
}

#[tokio::test]
async fn a_projects_review_moves_it_on_the_ladder_only_with_a_reason() {
    each_db(|db| async move {
        let w = world(db).await;
        let group = w.t.app.view_group(&w.lead, w.group).await.unwrap().group;
        let input = ProjectInput {
            name: "Waiting area".into(),
            service_id: group.service_id.to_string(),
            starts_on: "2026-08-31".into(),
            stage: "under_way".into(),
            ladder: "consultation".into(),
            ..ProjectInput::default()
        };
        let project = w.t.app.create_project(&w.lead, &input).await.unwrap();
        let v = w.t.app.view_project(&w.lead, project).await.unwrap();
        assert_eq!(
            v.project.next_review_on.as_deref(),
            Some("2027-02-28"),
            "first due six months after it starts"
        );
        let of = ReviewOf::Project(project);
        let moved = ReviewInput {
            ladder: "co_design".into(),
            ..w.review(of)
        };
        let refused = w.t.app.record_review(&w.lead, &moved).await;
        assert_eq!(fields(refused), ["ladder_reason"]);
        let moved = ReviewInput {
            ladder_reason: "Members now design the sessions with us.".into(),
            ..moved
        };
        let id = w.t.app.record_review(&w.lead, &moved).await.unwrap();
        let v = w.t.app.view_project(&w.lead, project).await.unwrap();
        assert_eq!(v.project.ladder.code(), "co_design");
        let last = v.ladder.last().unwrap();
        assert_eq!(last.reason, "Members now design the sessions with us.");
        let review = w.t.app.review(&w.lead, id).await.unwrap().review;
        let change = review.ladder.unwrap();
        assert_eq!(
            (change.from.code(), change.to.code()),
            ("consultation", "co_design")
        );
    })
    .await;
}

#[tokio::test]
async fn reviews_overdue_and_due_soon_are_on_the_queue_and_other_services_staff_see_none() {
    each_db(|db| async move {
        let w = world(db).await;
        let group = w.t.app.view_group(&w.lead, w.group).await.unwrap();
        let overdue = GroupInput {
            next_review_on: (w.today() - Days::new(3)).to_string(),
            ..GroupInput::from_group(&group.group)
        };
        w.t.app
            .update_group(&w.lead, w.group, &overdue)
            .await
            .unwrap();
        let page =
            w.t.app
                .keep_in_touch_page(&w.lead, &QueueInput::default())
                .await
                .unwrap();
        let due: Vec<&str> = page.reviews.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(due, ["Learning disabilities forum"]);
        assert!(page.reviews[0].due_on < page.today, "it shows as overdue");
        let listed = w.t.app.reviews_due(&w.lead, "", 0).await.unwrap();
        assert_eq!(listed.rows.len(), 1);
        let a_year = (w.today() + Days::new(400)).to_string();
        let later = w.t.app.reviews_due(&w.lead, &a_year, 0).await.unwrap();
        assert_eq!(
            later.rows.len(),
            2,
            "the relationship is due within the year too"
        );
        let bad = w.t.app.reviews_due(&w.lead, "soon", 0).await;
        assert_eq!(fields(bad), ["due_before"]);

        let theirs = w.t.app.reviews_due(&w.elsewhere, &a_year, 0).await.unwrap();
        assert!(theirs.rows.is_empty());
        let of = ReviewOf::Group(w.group);
        let refused = w.t.app.record_review(&w.elsewhere, &w.review(of)).await;
        assert_eq!(fields(refused), ["of"], "to them the group is not there");
        let id = w.t.app.record_review(&w.lead, &w.review(of)).await.unwrap();
        let hidden = w.t.app.review(&w.elsewhere, id).await;
        assert!(matches!(hidden, Err(AppError::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_a_review_with_adjustments_one_overdue_and_a_project_moved_up_the_ladder() {
    each_db(|db| async move {
        let t = TestApp::new(db).await;
        coproduce_app::demo::seed(&t.app).await.unwrap();
        let due = t.app.reviews_due(&Actor::Cli, "", 0).await.unwrap();
        let overdue: Vec<&str> = due
            .rows
            .iter()
            .filter(|d| d.due_on < due.today)
            .map(|d| d.name.as_str())
            .collect();
        assert!(
            overdue.contains(&"Learning disabilities training and recruitment group"),
            "{overdue:?}"
        );
        let groups = t.app.groups(&Actor::Cli).await.unwrap();
        let forum = groups
            .iter()
            .find(|g| g.name.starts_with("Therapy"))
            .unwrap();
        let (held, _) = t
            .app
            .review_history(&Actor::Cli, ReviewOf::Group(forum.id))
            .await
            .unwrap();
        let review = t.app.review(&Actor::Cli, held[0].id).await.unwrap();
        assert_eq!(review.adjustments.len(), 2);
        let projects = t.app.projects(&Actor::Cli).await.unwrap();
        let moved = projects
            .iter()
            .find(|p| p.name == "A calmer waiting area")
            .unwrap();
        assert_eq!(moved.ladder.code(), "co_design");
    })
    .await;
}
