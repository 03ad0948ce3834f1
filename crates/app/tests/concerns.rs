//! Concerns on both backends: raised, escalated to an owner in the service, answered, fed back
//! and closed in that order and no other; only the owner or the participation team answers;
//! another service's staff never see one; a redirected one leaves the log with no words kept.

use coproduce_app::concerns::{ConcernInput, StepInput};
use coproduce_app::people::PersonInput;
use coproduce_app::{Actor, AppError};
use coproduce_domain::concerns::{ConcernStatus, Step};
use coproduce_domain::{ConcernId, Role, StaffId};
use coproduce_store::Db;
use coproduce_testkit::{each_db, TestApp};

struct World {
    t: TestApp,
    owner_id: StaffId,
    owner: Actor,
    colleague: Actor,
    elsewhere: Actor,
    team: Actor,
    service: i64,
    person: i64,
}

async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let service = t.add_service("Child and Family Therapy", "28").await;
    let other = t.add_service("Learning Disabilities", "").await;
    let (owner_id, owner) = t
        .staff_actor("lead@example.org", Role::Staff, &[service])
        .await;
    let (_, colleague) = t
        .staff_actor("nurse@example.org", Role::Staff, &[service])
        .await;
    let (_, elsewhere) = t.staff_actor("ld@example.org", Role::Staff, &[other]).await;
    let (_, team) = t.staff_actor("team@example.org", Role::Admin, &[]).await;
    let input = PersonInput {
        name: "Ana Lane".into(),
        ..PersonInput::default()
    };
    let person = t.add_person(&input, service).await.0;
    World {
        t,
        owner_id,
        owner,
        colleague,
        elsewhere,
        team,
        service,
        person,
    }
}

impl World {
    async fn raise(&self) -> ConcernId {
        let input = ConcernInput {
            service_id: self.service.to_string(),
            raised_by: format!("person:{}", self.person),
            words: "Letters about appointments arrive after the appointment.".into(),
            severity: "medium".into(),
        };
        self.t
            .app
            .raise_concern(&self.colleague, &input)
            .await
            .expect("raise")
    }

    async fn step(
        &self,
        actor: &Actor,
        id: ConcernId,
        step: Step,
        input: StepInput,
    ) -> Result<(), AppError> {
        let version = self
            .t
            .app
            .concern(&Actor::Cli, id)
            .await
            .expect("read")
            .concern
            .version;
        let input = StepInput { version, ..input };
        self.t.app.take_concern_step(actor, id, step, &input).await
    }

    async fn status(&self, id: ConcernId) -> ConcernStatus {
        self.t
            .app
            .concern(&Actor::Cli, id)
            .await
            .expect("read")
            .concern
            .status
    }

    /// Takes a concern through every step to closed: escalated to the owner, answered, fed back.
    async fn close_with_feedback(&self, id: ConcernId) {
        self.escalate(id).await;
        let respond = StepInput {
            response: "We changed it.".into(),
            ..StepInput::default()
        };
        let steps = [
            (&self.owner, Step::Respond, respond),
            (
                &self.colleague,
                Step::FeedBack,
                StepInput {
                    fed_back_way: "meeting".into(),
                    fed_back_on: "3/12/2026".into(),
                    fed_back_by: "Priya".into(),
                    ..StepInput::default()
                },
            ),
            (
                &self.colleague,
                Step::Close,
                StepInput {
                    not_changed_because: "Already done.".into(),
                    ..StepInput::default()
                },
            ),
        ];
        for (actor, step, input) in steps {
            self.step(actor, id, step, input).await.expect("the step");
        }
    }

    async fn escalate(&self, id: ConcernId) {
        let input = StepInput {
            owner_id: self.owner_id.to_string(),
            ..StepInput::default()
        };
        self.step(&self.colleague, id, Step::Escalate, input)
            .await
            .expect("escalate");
    }
}

fn refusal(result: Result<(), AppError>) -> Vec<(&'static str, String)> {
    match result {
        Err(AppError::Invalid(problems)) => {
            problems.into_iter().map(|p| (p.field, p.message)).collect()
        }
        other => panic!("expected the input refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_concern_is_escalated_answered_fed_back_closed_and_reopened_in_that_order() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.raise().await;
        assert_eq!(w.status(id).await, ConcernStatus::Raised);
        w.escalate(id).await;
        let respond = StepInput {
            response: "We now send letters two weeks ahead.".into(),
            ..StepInput::default()
        };
        w.step(&w.owner, id, Step::Respond, respond)
            .await
            .expect("respond");
        let fed_back = StepInput {
            fed_back_way: "meeting".into(),
            fed_back_on: "3/12/2026".into(),
            fed_back_by: "Priya, the team lead".into(),
            ..StepInput::default()
        };
        w.step(&w.colleague, id, Step::FeedBack, fed_back)
            .await
            .expect("feed back");
        let close = StepInput {
            not_changed_because: "The letters were already changed.".into(),
            ..StepInput::default()
        };
        w.step(&w.colleague, id, Step::Close, close)
            .await
            .expect("close");
        let view = w.t.app.concern(&w.owner, id).await.expect("read");
        assert_eq!(view.concern.status, ConcernStatus::Closed);
        assert_eq!(view.concern.owner, Some(w.owner_id));
        assert_eq!(
            view.concern.response,
            "We now send letters two weeks ahead."
        );
        assert_eq!(view.concern.fed_back_on, "2026-12-03");
        assert_eq!(view.concern.raiser_name, "Ana Lane");
        let steps: Vec<&str> = view.events.iter().map(|e| e.step.as_str()).collect();
        assert_eq!(
            steps,
            ["raise", "escalate", "respond", "feed_back", "close"]
        );
        assert_eq!(
            view.steps,
            [Step::Reopen],
            "a closed concern can only be reopened"
        );

        let reopen = StepInput {
            reason: "It happened again in January.".into(),
            ..StepInput::default()
        };
        w.step(&w.colleague, id, Step::Reopen, reopen)
            .await
            .expect("reopen");
        assert_eq!(w.status(id).await, ConcernStatus::Escalated);
        let history = w.t.app.concern(&w.owner, id).await.expect("read").events;
        assert_eq!(
            history.last().map(|e| e.note.as_str()),
            Some("It happened again in January.")
        );
    })
    .await;
}

#[tokio::test]
async fn skipping_a_step_is_refused_naming_the_step_that_is_missing() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.raise().await;
        let respond = StepInput {
            response: "An answer".into(),
            ..StepInput::default()
        };
        let early = refusal(w.step(&w.team, id, Step::Respond, respond).await);
        assert_eq!(early[0].0, "step");
        assert!(early[0].1.contains("Escalate it to an owner"), "{early:?}");
        w.escalate(id).await;
        let close = StepInput {
            not_changed_because: "Nothing to change".into(),
            ..StepInput::default()
        };
        let unfed = refusal(w.step(&w.team, id, Step::Close, close).await);
        assert!(unfed[0].1.contains("has not been fed back"), "{unfed:?}");
        assert_eq!(
            w.status(id).await,
            ConcernStatus::Escalated,
            "nothing changed"
        );
        // A step's own fields are named when they are missing.
        let empty = refusal(
            w.step(&w.owner, id, Step::Respond, StepInput::default())
                .await,
        );
        assert_eq!(
            empty,
            [("response", "Enter the service's response".to_owned())]
        );
    })
    .await;
}

#[tokio::test]
async fn only_the_owner_or_the_participation_team_may_respond_and_a_refusal_is_audited() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.raise().await;
        w.escalate(id).await;
        let respond = || StepInput {
            response: "Our answer".into(),
            ..StepInput::default()
        };
        let by_colleague = w.step(&w.colleague, id, Step::Respond, respond()).await;
        assert!(
            matches!(by_colleague, Err(AppError::Forbidden)),
            "{by_colleague:?}"
        );
        assert_eq!(w.status(id).await, ConcernStatus::Escalated);
        let page = w.t.app.audit_page(&Actor::Cli, None).await.expect("audit");
        let object = format!("concern:{id}");
        assert!(
            page.rows
                .iter()
                .any(|r| r.action == "concern_refused"
                    && r.object.as_deref() == Some(object.as_str())),
            "the refused response is in the audit trail"
        );
        // The colleague is not offered the step either.
        let offered = w.t.app.concern(&w.colleague, id).await.expect("read").steps;
        assert!(!offered.contains(&Step::Respond));
        w.step(&w.team, id, Step::Respond, respond())
            .await
            .expect("the participation team may");
        assert_eq!(w.status(id).await, ConcernStatus::Responded);
    })
    .await;
}

#[tokio::test]
async fn another_services_staff_neither_see_nor_change_a_concern() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.raise().await;
        assert!(matches!(
            w.t.app.concern(&w.elsewhere, id).await,
            Err(AppError::NotFound)
        ));
        assert!(w
            .t
            .app
            .concerns_log(&w.elsewhere, false, 0)
            .await
            .expect("log")
            .is_empty());
        let escalate = StepInput {
            owner_id: w.owner_id.to_string(),
            version: 1,
            ..StepInput::default()
        };
        let touched =
            w.t.app
                .take_concern_step(&w.elsewhere, id, Step::Escalate, &escalate)
                .await;
        assert!(matches!(touched, Err(AppError::NotFound)), "{touched:?}");
        assert_eq!(
            w.t.app
                .concerns_log(&w.owner, false, 0)
                .await
                .expect("log")
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_redirected_concern_leaves_the_log_keeping_only_that_it_was_and_where() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.raise().await;
        let redirect = StepInput {
            redirect_to: "safeguarding".into(),
            ..StepInput::default()
        };
        w.step(&w.team, id, Step::Redirect, redirect)
            .await
            .expect("redirect");
        assert!(w
            .t
            .app
            .concerns_log(&w.team, false, 0)
            .await
            .expect("log")
            .is_empty());
        let view = w.t.app.concern(&w.team, id).await.expect("read");
        assert_eq!(view.concern.status, ConcernStatus::Redirected);
        assert_eq!(view.concern.words, "", "its words are not kept");
        assert!(view.events.iter().all(|e| e.note.is_empty()));
        assert!(view.steps.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_step_from_a_stale_page_changes_nothing() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.raise().await;
        w.escalate(id).await;
        let stale = StepInput {
            version: 1,
            response: "Late".into(),
            ..StepInput::default()
        };
        let result =
            w.t.app
                .take_concern_step(&w.owner, id, Step::Respond, &stale)
                .await;
        assert!(
            matches!(result, Err(AppError::Conflict { .. })),
            "{result:?}"
        );
        assert_eq!(w.status(id).await, ConcernStatus::Escalated);
    })
    .await;
}

#[tokio::test]
async fn a_concern_needs_its_service_raiser_words_and_severity() {
    each_db(|db| async move {
        let w = world(db).await;
        let refused =
            w.t.app
                .raise_concern(&w.colleague, &ConcernInput::default())
                .await;
        let Err(AppError::Invalid(problems)) = refused else {
            panic!("expected refused, got {refused:?}");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["service_id", "raised_by", "words", "severity"]);
        // Someone the staff member may not see cannot be named as its raiser.
        let input = ConcernInput {
            service_id: w.service.to_string(),
            raised_by: "person:999".into(),
            words: "Words".into(),
            severity: "low".into(),
        };
        let unknown = w.t.app.raise_concern(&w.colleague, &input).await;
        assert!(matches!(unknown, Err(AppError::Invalid(p)) if p[0].field == "raised_by"));
    })
    .await;
}

#[tokio::test]
async fn a_concern_past_its_steps_target_is_overdue_for_its_owner_and_the_participation_team() {
    each_db(|db| async move {
        let w = world(db).await;
        let waiting = w.raise().await;
        let owned = w.raise().await;
        w.escalate(owned).await;
        let queue = |actor: Actor| {
            let t = &w.t;
            async move {
                let page = t
                    .app
                    .keep_in_touch_page(&actor, &Default::default())
                    .await
                    .expect("queue");
                page.concerns.iter().map(|c| c.id).collect::<Vec<_>>()
            }
        };
        assert!(
            queue(w.team.clone()).await.is_empty(),
            "nothing is late yet"
        );
        let view = w.t.app.concern(&w.owner, owned).await.expect("read");
        assert!(!view.overdue);
        assert_eq!(
            view.due.map(|d| d.millis() - view.concern.status_since),
            Some(28 * 86_400_000)
        );

        // Eight days on, the raised one is past its week to be escalated; the owned one still has
        // its four weeks to be answered.
        w.t.app.clock().advance_minutes(8 * 24 * 60);
        assert_eq!(queue(w.team.clone()).await, [waiting]);
        assert!(
            queue(w.owner.clone()).await.is_empty(),
            "an owner sees only their own"
        );
        assert!(
            w.t.app
                .concern(&w.team, waiting)
                .await
                .expect("read")
                .overdue
        );

        // An admin shortens the target for a response to a week.
        let rules = coproduce_app::concerns::RulesInput {
            respond_days: "7".into(),
            ..coproduce_app::concerns::RulesInput::of(
                &w.t.app.concern_rules(&w.team).await.expect("rules"),
            )
        };
        let by_staff = w.t.app.set_concern_rules(&w.owner, &rules).await;
        assert!(matches!(by_staff, Err(AppError::Forbidden)), "{by_staff:?}");
        w.t.app
            .set_concern_rules(&w.team, &rules)
            .await
            .expect("set");
        assert_eq!(queue(w.team.clone()).await, [waiting, owned]);
        assert_eq!(queue(w.owner.clone()).await, [owned]);
        assert!(queue(w.elsewhere.clone()).await.is_empty());

        let nonsense = coproduce_app::concerns::RulesInput {
            close_days: "0".into(),
            complaint: " ".into(),
            ..rules
        };
        let refused = w.t.app.set_concern_rules(&w.team, &nonsense).await;
        let Err(AppError::Invalid(problems)) = refused else {
            panic!("expected refused, got {refused:?}");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["close_days", "complaint"]);
    })
    .await;
}

#[tokio::test]
async fn the_log_lists_open_concerns_longest_waiting_first_then_closed_ones_newest_first() {
    each_db(|db| async move {
        let w = world(db).await;
        let mut raised = Vec::new();
        for _ in 0..53 {
            raised.push(w.raise().await);
            w.t.app.clock().advance_minutes(1);
        }
        // Three closed, the one raised first last.
        for id in [raised[10], raised[20], raised[0]] {
            w.close_with_feedback(id).await;
            w.t.app.clock().advance_minutes(1);
        }
        let open: Vec<ConcernId> = raised
            .iter()
            .copied()
            .filter(|id| ![raised[0], raised[10], raised[20]].contains(id))
            .collect();
        let ids = |page: Vec<coproduce_domain::concerns::Concern>| -> Vec<ConcernId> {
            page.into_iter().map(|c| c.id).collect()
        };
        let first = ids(w.t.app.concerns_log(&w.owner, false, 0).await.expect("log"));
        assert_eq!(
            first.len(),
            51,
            "a page and one more, to say there is another"
        );
        assert_eq!(
            first[..50],
            open[..],
            "the open ones, longest waiting first"
        );
        assert_eq!(first[50], raised[0], "then the most recently closed");
        let second = ids(w.t.app.concerns_log(&w.owner, false, 1).await.expect("log"));
        assert_eq!(second, [raised[0], raised[20], raised[10]]);
        let open_only = ids(w.t.app.concerns_log(&w.owner, true, 1).await.expect("log"));
        assert!(open_only.is_empty(), "fifty open ones fill one page");
    })
    .await;
}
