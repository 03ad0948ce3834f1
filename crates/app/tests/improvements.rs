//! Improvements on both backends: a concern closes with the improvement it led to; only what is
//! published reaches "You said, we did", with its Easy Read words; a quote is published only
//! while the quoted person consents; other services' staff neither see nor change one.

use coproduce_app::concerns::{ConcernInput, StepInput};
use coproduce_app::improvements::ImprovementInput;
use coproduce_app::people::PersonInput;
use coproduce_app::{Actor, AppError};
use coproduce_domain::concerns::{ConcernStatus, Step};
use coproduce_domain::improvements::LedBy;
use coproduce_domain::{ConcernId, ImprovementId, PersonId, Role, StaffId};
use coproduce_store::Db;
use coproduce_testkit::{each_db, TestApp};

struct World {
    t: TestApp,
    lead_id: StaffId,
    lead: Actor,
    elsewhere: Actor,
    service: i64,
    other: i64,
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
        service,
        other,
        person,
    }
}

impl World {
    fn waiting_area(&self) -> ImprovementInput {
        ImprovementInput {
            service_id: self.service.to_string(),
            you_said: "The waiting area is too loud and bright to wait in.".into(),
            we_did: "We made a quiet waiting room with soft lighting.".into(),
            evidence: "The new room opened in March.".into(),
            changed_on: "2/3/2026".into(),
            you_said_easy: "The waiting room was too loud.".into(),
            we_did_easy: "We made a quiet room.".into(),
            ..ImprovementInput::default()
        }
    }

    async fn record(&self, input: &ImprovementInput) -> ImprovementId {
        self.t
            .app
            .record_improvement(&self.lead, input)
            .await
            .expect("record")
    }

    async fn change(
        &self,
        id: ImprovementId,
        f: impl FnOnce(&mut ImprovementInput),
    ) -> Result<(), AppError> {
        let now = self.t.app.improvement(&self.lead, id).await.expect("read");
        let mut input = ImprovementInput::of(&now);
        f(&mut input);
        self.t.app.change_improvement(&self.lead, id, &input).await
    }

    /// A concern raised, escalated to the lead, answered and fed back: waiting to close.
    async fn fed_back_concern(&self) -> ConcernId {
        let raise = ConcernInput {
            service_id: self.service.to_string(),
            raised_by: format!("person:{}", self.person),
            words: "The waiting area is too loud.".into(),
            severity: "medium".into(),
        };
        let id = self
            .t
            .app
            .raise_concern(&self.lead, &raise)
            .await
            .expect("raise");
        let steps = [
            (
                Step::Escalate,
                StepInput {
                    owner_id: self.lead_id.to_string(),
                    ..StepInput::default()
                },
            ),
            (
                Step::Respond,
                StepInput {
                    response: "We will look at it.".into(),
                    ..StepInput::default()
                },
            ),
            (
                Step::FeedBack,
                StepInput {
                    fed_back_way: "meeting".into(),
                    fed_back_on: "1/3/2026".into(),
                    fed_back_by: "Sam".into(),
                    ..StepInput::default()
                },
            ),
        ];
        for (step, input) in steps {
            self.step(id, step, input).await.expect("step");
        }
        id
    }

    async fn step(&self, id: ConcernId, step: Step, input: StepInput) -> Result<(), AppError> {
        let version = self
            .t
            .app
            .concern(&Actor::Cli, id)
            .await
            .expect("read")
            .concern
            .version;
        let input = StepInput { version, ..input };
        self.t
            .app
            .take_concern_step(&self.lead, id, step, &input)
            .await
    }

    async fn consent_to_quotes(&self, given: &str) {
        self.t
            .app
            .record_consent(&self.lead, self.person, "quotes", given, "")
            .await
            .expect("consent");
    }
}

fn fields_refused<T: std::fmt::Debug>(result: Result<T, AppError>) -> Vec<(&'static str, String)> {
    match result {
        Err(AppError::Invalid(problems)) => {
            problems.into_iter().map(|p| (p.field, p.message)).collect()
        }
        other => panic!("expected the input refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_concern_closes_with_the_improvement_it_led_to_and_each_names_the_other() {
    each_db(|db| async move {
        let w = world(db).await;
        let concern = w.fed_back_concern().await;
        let improvement = w
            .record(&ImprovementInput {
                led_by: vec![format!("concern:{concern}")],
                ..w.waiting_area()
            })
            .await;
        let offered =
            w.t.app
                .concern(&w.lead, concern)
                .await
                .expect("read")
                .improvements;
        assert_eq!(offered.first().map(|(id, _)| *id), Some(improvement));
        let close = StepInput {
            improvement_id: improvement.to_string(),
            ..StepInput::default()
        };
        w.step(concern, Step::Close, close).await.expect("close");
        let view = w.t.app.concern(&w.lead, concern).await.expect("read");
        assert_eq!(view.concern.status, ConcernStatus::Closed);
        assert_eq!(view.concern.improvement, Some(improvement));
        assert_eq!(view.concern.not_changed_because, "");
        let i =
            w.t.app
                .improvement(&w.lead, improvement)
                .await
                .expect("read");
        assert_eq!(i.changed_on, "2026-03-02");
        assert_eq!(
            i.links
                .iter()
                .map(|l| (l.led_by, l.name.as_str()))
                .collect::<Vec<_>>(),
            [(
                LedBy::Concern(concern),
                format!("Concern {concern} about Learning Disabilities").as_str()
            )]
        );
        let audit = w.t.app.audit_page(&Actor::Cli, None).await.expect("audit");
        assert!(audit.rows.iter().any(|r| r.action == "improvement_add"));
    })
    .await;
}

#[tokio::test]
async fn closing_needs_an_improvement_the_closer_may_see_or_why_nothing_changed() {
    each_db(|db| async move {
        let w = world(db).await;
        let concern = w.fed_back_concern().await;
        let neither = fields_refused(w.step(concern, Step::Close, StepInput::default()).await);
        assert_eq!(
            neither,
            [(
                "not_changed_because",
                "Choose the improvement it led to, or say why nothing changed".to_owned()
            )]
        );
        let theirs = ImprovementInput {
            service_id: w.other.to_string(),
            ..w.waiting_area()
        };
        let other =
            w.t.app
                .record_improvement(&w.elsewhere, &theirs)
                .await
                .expect("record");
        let close = StepInput {
            improvement_id: other.to_string(),
            ..StepInput::default()
        };
        let hidden = fields_refused(w.step(concern, Step::Close, close).await);
        assert_eq!(hidden[0].0, "improvement_id");
        assert_eq!(
            w.t.app
                .concern(&w.lead, concern)
                .await
                .expect("read")
                .concern
                .status,
            ConcernStatus::FedBack
        );
    })
    .await;
}

#[tokio::test]
async fn only_published_improvements_reach_the_public_page_with_their_easy_read_words() {
    each_db(|db| async move {
        let w = world(db).await;
        let draft = w.record(&w.waiting_area()).await;
        assert!(w
            .t
            .app
            .published_improvements()
            .await
            .expect("public")
            .is_empty());
        let needs_easy_read = w
            .change(draft, |i| {
                i.publish = true;
                i.we_did_easy.clear();
            })
            .await;
        assert_eq!(fields_refused(needs_easy_read)[0].0, "we_did_easy");
        w.change(draft, |i| i.publish = true)
            .await
            .expect("publish");
        let public = w.t.app.published_improvements().await.expect("public");
        assert_eq!(public.len(), 1);
        assert_eq!(public[0].service_name, "Learning Disabilities");
        assert_eq!(public[0].we_did_easy, "We made a quiet room.");
        w.change(draft, |i| i.publish = false)
            .await
            .expect("unpublish");
        assert!(
            w.t.app
                .published_improvements()
                .await
                .expect("public")
                .is_empty(),
            "taken off the page at once"
        );
    })
    .await;
}

#[tokio::test]
async fn a_quote_is_published_only_while_the_person_quoted_consents() {
    each_db(|db| async move {
        let w = world(db).await;
        let quoted = ImprovementInput {
            quote: "I can wait there without my headphones now.".into(),
            quote_person_id: w.person.to_string(),
            publish: true,
            ..w.waiting_area()
        };
        let refused = fields_refused(w.t.app.record_improvement(&w.lead, &quoted).await);
        assert_eq!(refused[0].0, "quote");
        assert!(refused[0].1.contains("has not consented"), "{refused:?}");
        let nobody = ImprovementInput {
            quote_person_id: String::new(),
            ..quoted.clone()
        };
        assert_eq!(
            fields_refused(w.t.app.record_improvement(&w.lead, &nobody).await)[0].0,
            "quote_person_id"
        );

        w.consent_to_quotes("yes").await;
        w.record(&quoted).await;
        let public = w.t.app.published_improvements().await.expect("public");
        assert_eq!(
            public[0].quote,
            "I can wait there without my headphones now."
        );

        w.consent_to_quotes("no").await;
        let public = w.t.app.published_improvements().await.expect("public");
        assert_eq!(public.len(), 1, "the improvement stays");
        assert_eq!(
            public[0].quote, "",
            "the quote goes as soon as consent is withdrawn"
        );
    })
    .await;
}

#[tokio::test]
async fn another_services_staff_neither_see_nor_change_an_improvement() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.record(&w.waiting_area()).await;
        assert!(matches!(
            w.t.app.improvement(&w.elsewhere, id).await,
            Err(AppError::NotFound)
        ));
        assert!(w
            .t
            .app
            .improvements(&w.elsewhere, None, 0)
            .await
            .expect("list")
            .is_empty());
        let input = ImprovementInput {
            version: 1,
            ..w.waiting_area()
        };
        let changed = w.t.app.change_improvement(&w.elsewhere, id, &input).await;
        assert!(matches!(changed, Err(AppError::NotFound)), "{changed:?}");
        let recorded =
            w.t.app
                .record_improvement(&w.elsewhere, &w.waiting_area())
                .await;
        assert!(matches!(recorded, Err(AppError::Forbidden)), "{recorded:?}");
        assert_eq!(
            w.t.app
                .improvements(&w.lead, None, 0)
                .await
                .expect("list")
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_change_from_a_stale_page_is_refused_and_what_led_to_it_must_be_visible() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.record(&w.waiting_area()).await;
        w.change(id, |i| i.evidence = "Photos of the new room.".into())
            .await
            .expect("change");
        let stale = ImprovementInput {
            version: 1,
            ..w.waiting_area()
        };
        let result = w.t.app.change_improvement(&w.lead, id, &stale).await;
        assert!(
            matches!(result, Err(AppError::Conflict { .. })),
            "{result:?}"
        );
        assert_eq!(
            w.t.app
                .improvement(&w.lead, id)
                .await
                .expect("read")
                .evidence,
            "Photos of the new room."
        );
        let unknown = ImprovementInput {
            led_by: vec!["group:999".into()],
            ..w.waiting_area()
        };
        assert_eq!(
            fields_refused(w.t.app.record_improvement(&w.lead, &unknown).await)[0].0,
            "led_by"
        );
        let empty = fields_refused(
            w.t.app
                .record_improvement(&w.lead, &ImprovementInput::default())
                .await,
        );
        let fields: Vec<&str> = empty.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["service_id", "you_said", "we_did", "changed_on"]);
    })
    .await;
}

#[tokio::test]
async fn merging_someone_who_raised_a_concern_and_was_quoted_keeps_both_on_the_one_kept() {
    each_db(|db| async move {
        let w = world(db).await;
        let concern = w.fed_back_concern().await;
        let id = w
            .record(&ImprovementInput {
                quote: "Better.".into(),
                quote_person_id: w.person.to_string(),
                ..w.waiting_area()
            })
            .await;
        let service = w.service;
        let keep =
            w.t.add_person(
                &PersonInput {
                    name: "Zoe Ni Bhriain".into(),
                    ..PersonInput::default()
                },
                service,
            )
            .await;
        w.t.app
            .merge_people(&Actor::Cli, keep, w.person)
            .await
            .expect("merge");
        let view = w.t.app.concern(&w.lead, concern).await.expect("read");
        assert_eq!(view.concern.raiser_name, "Zoe Ni Bhriain");
        let i = w.t.app.improvement(&w.lead, id).await.expect("read");
        assert_eq!(i.quote_person, Some(keep));
    })
    .await;
}

#[tokio::test]
async fn evidence_is_kept_only_as_a_pdf_or_picture_by_its_content_and_only_for_those_who_see_it() {
    each_db(|db| async move {
        let w = world(db).await;
        let id = w.record(&w.waiting_area()).await;
        let upload = |name: &str, bytes: &[u8]| coproduce_app::Upload {
            name: name.into(),
            bytes: bytes.to_vec(),
        };
        let photo = upload("quiet corner.jpg", b"\xff\xd8\xff\xe0 a photo");
        let file =
            w.t.app
                .add_improvement_file(&w.lead, id, &photo)
                .await
                .expect("add");
        let disguised = upload("leaflet.pdf", b"<html><script>alert(1)</script>");
        let refused = fields_refused(w.t.app.add_improvement_file(&w.lead, id, &disguised).await);
        assert_eq!(refused[0].0, "file");
        let huge = upload(
            "big.pdf",
            &[b"%PDF-".as_slice(), &vec![0; 10 * 1024 * 1024]].concat(),
        );
        let too_big = fields_refused(w.t.app.add_improvement_file(&w.lead, id, &huge).await);
        assert!(too_big[0].1.contains("10 MB"), "{too_big:?}");

        let (name, kind, bytes) = w.t.app.improvement_file(&w.lead, file).await.expect("file");
        assert_eq!(
            (name.as_str(), kind.as_str()),
            ("quiet corner.jpg", "image/jpeg")
        );
        assert_eq!(bytes, photo.bytes);
        let kept = w.t.app.improvement(&w.lead, id).await.expect("read").files;
        assert_eq!(kept.len(), 1, "only the photo was kept");
        assert!(matches!(
            w.t.app.improvement_file(&w.elsewhere, file).await,
            Err(AppError::NotFound)
        ));
        let removed =
            w.t.app
                .remove_improvement_file(&w.elsewhere, id, file)
                .await;
        assert!(matches!(removed, Err(AppError::NotFound)), "{removed:?}");

        w.t.app
            .remove_improvement_file(&w.lead, id, file)
            .await
            .expect("remove");
        assert!(w
            .t
            .app
            .improvement(&w.lead, id)
            .await
            .expect("read")
            .files
            .is_empty());
        assert!(matches!(
            w.t.app.improvement_file(&w.lead, file).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}
