//! People and relationships on both backends: scope, validation, stale writes, contacts and the
//! keep-in-touch queue, consents and the audit of every view.

use coproduce_app::people::{
    ContactInput, PersonInput, PersonPatch, PersonView, QueueInput, QueuePage, SearchInput,
    SearchPage,
};
use coproduce_app::{Actor, AppError};
use coproduce_domain::Role;
use coproduce_domain::{PersonId, StaffId};
use coproduce_store::audit::AuditRow;
use coproduce_store::Db;
use coproduce_testkit::{each_db_with, TestApp};

struct World {
    t: TestApp,
    admin: Actor,
    ld_staff: Actor,
    cft_staff: Actor,
    ld: i64,
    cft: i64,
}

async fn world(db: Db) -> World {
    let t = TestApp::new(db).await;
    let ld = t.add_service("Learning Disabilities", "14").await;
    let cft = t.add_service("Child and Family Therapy", "").await;
    let (_, admin) = t.staff_actor("admin@example.org", Role::Admin, &[]).await;
    let (_, ld_staff) = t.staff_actor("ld@example.org", Role::Staff, &[ld]).await;
    let (_, cft_staff) = t.staff_actor("cft@example.org", Role::Staff, &[cft]).await;
    World {
        admin,
        ld_staff,
        cft_staff,
        t,
        ld,
        cft,
    }
}

/// The use cases the tests call most, each expected to succeed.
impl World {
    /// Adds `p` to `service` as `actor`; their id.
    async fn add(&self, actor: &Actor, p: &PersonInput, service: i64) -> PersonId {
        let service = service.to_string();
        self.t
            .app
            .create_person(actor, p, &service)
            .await
            .expect("person added")
    }

    /// The person as `actor` sees them.
    async fn view(&self, actor: &Actor, id: i64) -> PersonView {
        self.t
            .app
            .view_person(actor, PersonId(id))
            .await
            .expect("person seen")
    }

    /// A page of the people the admin finds.
    async fn search(&self, input: &SearchInput) -> SearchPage {
        self.t
            .app
            .search_people(&self.admin, input)
            .await
            .expect("search")
    }

    /// The audit entries about a person, oldest first.
    async fn audited(&self, person: i64) -> Vec<AuditRow> {
        let page = self
            .t
            .app
            .audit_page(&Actor::Cli, None)
            .await
            .expect("audit");
        let object = format!("person:{person}");
        let mut rows: Vec<AuditRow> = (page.rows.into_iter())
            .filter(|r| r.object.as_deref() == Some(object.as_str()))
            .collect();
        rows.reverse();
        rows
    }

    /// `actor`'s keep-in-touch queue.
    async fn queue(&self, actor: &Actor, input: &QueueInput) -> QueuePage {
        self.t.app.keep_in_touch(actor, input).await.expect("queue")
    }
}

fn person(name: &str) -> PersonInput {
    PersonInput {
        name: name.to_owned(),
        email: format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
        phone: "07700 900 123".to_owned(),
        channels: vec!["video_call".to_owned(), "phone".to_owned()],
        needs: vec!["easy_read".to_owned()],
        ..PersonInput::default()
    }
}

#[tokio::test]
async fn staff_see_only_their_own_services_people_and_admins_see_everyone() {
    each_db_with(world, |w| async move {
        let ana = w.add(&w.ld_staff, &person("Ana Lane"), w.ld).await;
        let cal = w.add(&w.cft_staff, &person("Cal Moss"), w.cft).await;
        let names = |page: coproduce_app::people::SearchPage| {
            page.people.into_iter().map(|p| p.name).collect::<Vec<_>>()
        };
        let all = SearchInput::default();
        assert_eq!(
            names(w.t.app.search_people(&w.ld_staff, &all).await.unwrap()),
            ["Ana Lane"]
        );
        assert_eq!(
            names(w.t.app.search_people(&w.cft_staff, &all).await.unwrap()),
            ["Cal Moss"]
        );
        assert_eq!(names(w.search(&all).await), ["Ana Lane", "Cal Moss"]);
        assert!(matches!(
            w.t.app.view_person(&w.ld_staff, PersonId(cal.0)).await,
            Err(AppError::NotFound)
        ));
        assert!(w
            .t
            .app
            .view_person(&w.ld_staff, PersonId(ana.0))
            .await
            .is_ok());
        let refused =
            w.t.app
                .create_person(&w.ld_staff, &person("Dee"), &w.cft.to_string())
                .await;
        assert!(
            matches!(refused, Err(AppError::Invalid(ref f)) if f[0].field == "service_id"),
            "{refused:?}"
        );
        let (_, finance) =
            w.t.staff_actor("finance@example.org", Role::Finance, &[])
                .await;
        assert!(matches!(
            w.t.app.search_people(&finance, &all).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn people_are_found_by_name_email_phone_tag_and_status_a_page_at_a_time() {
    each_db_with(world, |w| async move {
        for i in 0..30 {
            let mut p = person(&format!("Person {i:02}"));
            p.phone = format!("07700 900 {i:03}");
            p.interests = if i % 2 == 0 {
                "training".into()
            } else {
                "leaflets".into()
            };
            p.status = if i < 5 {
                "paused".into()
            } else {
                "active".into()
            };
            w.add(&w.admin, &p, w.ld).await;
        }
        let search = |q: &str| SearchInput {
            q: q.into(),
            ..SearchInput::default()
        };
        let first = w.search(&SearchInput::default()).await;
        assert_eq!(first.people.len(), 25);
        let cursor = first.next_cursor.expect("a second page");
        let second = w
            .search(&SearchInput {
                cursor,
                ..SearchInput::default()
            })
            .await;
        assert_eq!(second.people.len(), 5);
        assert_eq!(second.people[0].name, "Person 25");
        assert!(second.next_cursor.is_none());
        assert_eq!(w.search(&search("person 07")).await.people.len(), 1);
        assert_eq!(
            w.search(&search("+44 7700 900 012")).await.people[0].name,
            "Person 12"
        );
        assert_eq!(
            w.search(&search("person.03@")).await.people[0].name,
            "Person 03"
        );
        let tagged = SearchInput {
            tag: "Training".into(),
            ..SearchInput::default()
        };
        assert_eq!(w.search(&tagged).await.people.len(), 15);
        let paused = SearchInput {
            status: "paused".into(),
            ..SearchInput::default()
        };
        assert_eq!(w.search(&paused).await.people.len(), 5);
        let none = SearchInput {
            q: "%".into(),
            ..SearchInput::default()
        };
        assert_eq!(
            w.search(&none).await.people.len(),
            25,
            "% is not a wildcard"
        );
    })
    .await;
}

#[tokio::test]
async fn search_matches_the_start_of_any_word_of_a_name_in_any_order() {
    each_db_with(world, |w| async move {
        let mut amara = person("Amara Ashdown");
        amara.preferred_name = "Mara".into();
        amara.email = "amara.ashdown@example.org".into();
        for p in [amara, person("Ben Ashdown-Clarke"), person("Chloé Ashe")] {
            w.add(&w.admin, &p, w.ld).await;
        }
        let found = |q: &'static str| {
            let app = w.t.app.clone();
            let admin = w.admin.clone();
            async move {
                let input = SearchInput {
                    q: q.into(),
                    ..SearchInput::default()
                };
                let page = app.search_people(&admin, &input).await.unwrap();
                page.people.into_iter().map(|p| p.name).collect::<Vec<_>>()
            }
        };
        assert_eq!(found("ashd").await, ["Amara Ashdown", "Ben Ashdown-Clarke"]);
        assert_eq!(
            found("ASH").await,
            ["Amara Ashdown", "Ben Ashdown-Clarke", "Chloé Ashe"]
        );
        assert_eq!(found("ash am").await, ["Amara Ashdown"], "any order");
        assert_eq!(found("mara").await, ["Amara Ashdown"], "preferred name");
        assert_eq!(
            found("clarke").await,
            ["Ben Ashdown-Clarke"],
            "after a hyphen"
        );
        assert_eq!(found("chloé").await, ["Chloé Ashe"]);
        assert!(
            found("hdown").await.is_empty(),
            "words match from their start"
        );
        assert_eq!(
            found("amara.ash").await,
            ["Amara Ashdown"],
            "email from its start"
        );
        assert!(
            found("ashdown@").await.is_empty(),
            "an email is matched from its start"
        );
        assert!(
            found("ben \"ash").await.len() == 1,
            "quotes are not search syntax"
        );
    })
    .await;
}

#[tokio::test]
async fn every_field_is_checked_and_every_problem_reported() {
    each_db_with(world, |w| async move {
        let bad = PersonInput {
            name: " ".into(),
            email: "not an email".into(),
            phone: "123".into(),
            postcode: "nowhere".into(),
            date_of_birth: "2999-01-01".into(),
            needs: vec!["interpreter".into()],
            ..PersonInput::default()
        };
        let Err(AppError::Invalid(fields)) = w.t.app.create_person(&w.admin, &bad, "").await else {
            panic!()
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        assert_eq!(
            names,
            [
                "name",
                "date_of_birth",
                "email",
                "phone",
                "postcode",
                "interpreter_language",
                "service_id"
            ]
        );
        let page = w.search(&SearchInput::default()).await;
        assert!(page.people.is_empty(), "nothing was stored");
    })
    .await;
}

#[tokio::test]
async fn a_stale_save_is_refused_and_names_what_changed() {
    each_db_with(world, |w| async move {
        let id = w.add(&w.admin, &person("Ana Lane"), w.ld).await;
        let read = w.view(&w.admin, id.0).await.person.version;
        let mut first = person("Ana Lane");
        first.phone = "07700 900 999".into();
        w.t.app
            .update_person(&w.admin, PersonId(id.0), read, &first)
            .await
            .unwrap();
        let mut second = person("Ana Lane-Smith");
        second.status = "paused".into();
        let stale =
            w.t.app
                .update_person(&w.ld_staff, PersonId(id.0), read, &second)
                .await;
        let Err(AppError::Conflict { version, changed }) = stale else {
            panic!("{stale:?}")
        };
        assert_eq!(version, read + 1);
        assert!(
            changed.contains(&"phone") && changed.contains(&"name"),
            "{changed:?}"
        );
        let now = w.view(&w.admin, id.0).await;
        assert_eq!(
            now.person.name, "Ana Lane",
            "the stale save changed nothing"
        );
        w.t.app
            .update_person(&w.ld_staff, PersonId(id.0), version, &second)
            .await
            .unwrap();
        let after = w.view(&w.admin, id.0).await;
        assert_eq!(after.person.status.code(), "paused");
        assert_eq!(after.status_changes.len(), 2, "the status history is kept");
    })
    .await;
}

#[tokio::test]
async fn logging_a_contact_moves_the_person_down_the_queue_and_a_double_submit_logs_one() {
    each_db_with(world, |w| async move {
        let ana = w.add(&w.ld_staff, &person("Ana Lane"), w.ld).await;
        let ben = w.add(&w.ld_staff, &person("Ben Hill"), w.ld).await;
        w.t.app.clock().advance_minutes(60 * 24 * 3);
        let queue = w.queue(&w.ld_staff, &QueueInput::default()).await;
        assert_eq!(
            queue.rows.iter().map(|r| r.person_id).collect::<Vec<_>>(),
            [ana, ben]
        );
        assert!(queue.next_from.is_none());
        assert!(w
            .queue(&w.cft_staff, &QueueInput::default())
            .await
            .rows
            .is_empty());
        let call = ContactInput {
            channel: "phone".into(),
            direction: "outbound".into(),
            summary: "Weekly check-in".into(),
            submission_key: "form-1".into(),
            ..ContactInput::default()
        };
        let first =
            w.t.app
                .log_contact(&w.ld_staff, PersonId(ana.0), &call)
                .await
                .unwrap();
        let again =
            w.t.app
                .log_contact(&w.ld_staff, PersonId(ana.0), &call)
                .await
                .unwrap();
        assert_eq!(first, again);
        let view = w.view(&w.ld_staff, ana.0).await;
        assert_eq!(view.contacts.len(), 1);
        let queue = w.queue(&w.ld_staff, &QueueInput::default()).await;
        assert_eq!(
            queue.rows.iter().map(|r| r.person_id).collect::<Vec<_>>(),
            [ben],
            "Ana is not due for 14 days"
        );
        let mine = QueueInput {
            contact: "mine".into(),
            ..QueueInput::default()
        };
        assert_eq!(w.queue(&w.admin, &mine).await.rows.len(), 0);
        assert_eq!(w.queue(&w.ld_staff, &mine).await.rows.len(), 1);
        let bad = ContactInput {
            date: "1/1/2999".into(),
            ..ContactInput::default()
        };
        let Err(AppError::Invalid(fields)) =
            w.t.app
                .log_contact(&w.ld_staff, PersonId(ana.0), &bad)
                .await
        else {
            panic!()
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["channel", "direction", "summary", "date"]);
    })
    .await;
}

#[tokio::test]
async fn consent_is_a_dated_record_and_withdrawal_adds_one() {
    each_db_with(world, |w| async move {
        let ana = w.add(&w.admin, &person("Ana Lane"), w.ld).await;
        w.t.app
            .record_consent(
                &w.admin,
                PersonId(ana.0),
                "photos",
                "yes",
                "At the summer event",
            )
            .await
            .unwrap();
        w.t.app
            .record_consent(
                &w.admin,
                PersonId(ana.0),
                "photos",
                "no",
                "Changed their mind",
            )
            .await
            .unwrap();
        let view = w.view(&w.admin, ana.0).await;
        assert_eq!(
            view.consents.iter().map(|c| c.given).collect::<Vec<_>>(),
            [true, false]
        );
        assert!(view.consents.iter().all(|c| c.recorded_by_name.is_some()));
        assert!(matches!(
            w.t.app
                .record_consent(&w.admin, PersonId(ana.0), "cake", "maybe", "")
                .await,
            Err(AppError::Invalid(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn restricted_lived_experience_is_hidden_from_staff_who_are_not_named_contacts() {
    each_db_with(world, |w| async move {
        let mut p = person("Ana Lane");
        p.lived_experience = "psychosis".into();
        p.lived_experience_restricted = true;
        p.interests = "training".into();
        let ana = w.add(&w.admin, &p, w.ld).await;
        let as_staff = w.view(&w.ld_staff, ana.0).await;
        assert_eq!(
            as_staff
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>(),
            ["training"]
        );
        let as_admin = w.view(&w.admin, ana.0).await;
        assert_eq!(as_admin.tags.len(), 2);
        w.t.app
            .add_relationship(
                &w.admin,
                PersonId(ana.0),
                &w.cft.to_string(),
                Some(StaffId(w.cft_staff.staff().unwrap().id.0)),
                "7",
            )
            .await
            .unwrap();
        let as_named = w.view(&w.cft_staff, ana.0).await;
        assert_eq!(as_named.tags.len(), 2, "named contacts see it");
        let twice =
            w.t.app
                .add_relationship(&w.admin, PersonId(ana.0), &w.cft.to_string(), None, "")
                .await;
        assert!(matches!(twice, Err(AppError::Invalid(_))));
        let bad =
            w.t.app
                .add_relationship(&w.admin, PersonId(ana.0), &w.ld.to_string(), None, "400")
                .await;
        assert!(matches!(bad, Err(AppError::Invalid(ref f)) if f[0].field == "cadence_days"));
    })
    .await;
}

#[tokio::test]
async fn every_view_and_change_of_a_person_is_audited() {
    each_db_with(world, |w| async move {
        let ana = w.add(&w.ld_staff, &person("Ana Lane"), w.ld).await;
        w.view(&w.ld_staff, ana.0).await;
        w.view(&w.admin, ana.0).await;
        let rows = w.audited(ana.0).await;
        let about: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.action.as_str(), r.actor.as_str()))
            .collect();
        let ld = w.ld_staff.audit_name();
        let admin = w.admin.audit_name();
        assert_eq!(
            about,
            [
                ("person_add", ld.as_str()),
                ("person_view", ld.as_str()),
                ("person_view", admin.as_str())
            ]
        );
        assert!(matches!(
            w.t.app.verify_audit_chain(&Actor::Cli).await.unwrap(),
            coproduce_app::audit::ChainReport::Intact { .. }
        ));
    })
    .await;
}

#[tokio::test]
async fn adding_or_patching_a_person_answers_with_the_record_and_is_one_audit_entry_each() {
    each_db_with(world, |w| async move {
        let mut input = person("Ana Lane");
        input.lived_experience = "Carer".into();
        input.lived_experience_restricted = true;
        let added =
            w.t.app
                .create_person_view(&w.ld_staff, &input, &w.ld.to_string())
                .await
                .unwrap();
        let ana = added.person.id.0;
        let patch = PersonPatch {
            version: Some(added.person.version),
            pronouns: Some("she/her".into()),
            ..PersonPatch::default()
        };
        let patched =
            w.t.app
                .patch_person(&w.ld_staff, PersonId(ana), patch)
                .await
                .unwrap();
        assert_eq!(
            (
                patched.person.name.as_str(),
                patched.person.pronouns.as_str()
            ),
            ("Ana Lane", "she/her")
        );
        let unversioned =
            w.t.app
                .patch_person(&w.ld_staff, PersonId(ana), PersonPatch::default())
                .await;
        assert!(
            matches!(&unversioned, Err(AppError::Invalid(f)) if f[0].field == "version"),
            "{unversioned:?}"
        );
        let rows = w.audited(ana).await;
        let about: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.action.as_str(), r.detail.as_str()))
            .collect();
        let service = format!("service:{}", w.ld);
        assert_eq!(
            about,
            [
                ("person_add", service.as_str()),
                ("person_update", "pronouns")
            ]
        );
        let seen = w.view(&w.admin, ana).await;
        assert!(
            seen.tags.iter().any(|t| t.name == "Carer" && t.restricted),
            "a patch keeps the tags it does not send"
        );
    })
    .await;
}

#[tokio::test]
async fn two_records_of_one_person_are_found_and_merged_with_nothing_lost() {
    each_db_with(world, |w| async move {
        let mut first = person("Ana Lane");
        first.phone = String::new();
        first.interests = "training".into();
        let keep = w.add(&w.admin, &first, w.ld).await;
        let mut second = person("Ana Lane");
        second.email = "ana.lane@example.org".into();
        second.phone = "07700 900 321".into();
        second.pronouns = "she/her".into();
        second.interests = "leaflets".into();
        let remove = w.add(&w.admin, &second, w.cft).await;
        let call = ContactInput {
            channel: "phone".into(),
            direction: "inbound".into(),
            summary: "Asked about the next meeting".into(),
            ..ContactInput::default()
        };
        w.t.app
            .log_contact(&w.admin, PersonId(remove.0), &call)
            .await
            .unwrap();
        w.t.app
            .record_consent(&w.admin, PersonId(remove.0), "photos", "yes", "")
            .await
            .unwrap();

        let found = w.view(&w.admin, keep.0).await.duplicates;
        assert_eq!(
            found.iter().map(|p| p.id).collect::<Vec<_>>(),
            [remove],
            "same email"
        );
        assert!(
            w.view(&w.ld_staff, keep.0).await.duplicates.is_empty(),
            "scoped: the other is not theirs"
        );

        w.t.app.merge_people(&w.admin, keep, remove).await.unwrap();
        let merged = w.view(&w.admin, keep.0).await;
        assert_eq!(
            merged.person.phone.as_deref(),
            Some("07700900321"),
            "gaps filled from the other record"
        );
        assert_eq!(merged.person.pronouns, "she/her");
        assert_eq!(merged.contacts.len(), 1);
        assert_eq!(merged.consents.len(), 1);
        assert_eq!(merged.relationships.len(), 2, "both services");
        assert_eq!(merged.tags.len(), 2);
        assert!(matches!(
            w.t.app.view_person(&w.admin, PersonId(remove.0)).await,
            Err(AppError::NotFound)
        ));
        let page = w.t.app.audit_page(&Actor::Cli, None).await.unwrap();
        assert!(page
            .rows
            .iter()
            .any(|r| r.action == "person_merge" && r.detail.contains(&format!("person:{remove}"))));
        assert!(matches!(
            w.t.app.merge_people(&w.admin, keep, keep).await,
            Err(AppError::Invalid(_))
        ));
        let found = w
            .search(&SearchInput {
                q: "07700900321".into(),
                ..SearchInput::default()
            })
            .await;
        assert_eq!(
            found.people.len(),
            1,
            "search finds the merged record by the phone it took over"
        );
    })
    .await;
}

#[tokio::test]
async fn a_person_can_come_through_a_partner_that_exists() {
    each_db_with(world, |w| async move {
        let forum =
            w.t.app
                .create_partner(&Actor::Cli, "Parent Carer Forum")
                .await
                .unwrap();
        let mut input = person("Ana Lane");
        input.partner_id = "999".into();
        let refused =
            w.t.app
                .create_person(&w.admin, &input, &w.ld.to_string())
                .await;
        assert!(
            matches!(refused, Err(AppError::Invalid(ref f)) if f[0].field == "partner_id"),
            "{refused:?}"
        );
        input.partner_id = forum.to_string();
        let id = w.add(&w.admin, &input, w.ld).await;
        let view = w.view(&w.admin, id.0).await;
        assert_eq!(view.person.partner_id.map(|p| p.0), Some(forum));
        input.partner_id = String::new();
        w.t.app
            .update_person(&w.admin, PersonId(id.0), view.person.version, &input)
            .await
            .unwrap();
        assert_eq!(w.view(&w.admin, id.0).await.person.partner_id, None);
    })
    .await;
}

#[tokio::test]
async fn a_relationship_is_paused_reassigned_and_recadenced_with_stale_saves_refused() {
    use coproduce_app::people::RelationshipInput;
    each_db_with(world, |w| async move {
        let ana = w.add(&w.admin, &person("Ana Lane"), w.ld).await;
        let rel = w.view(&w.admin, ana.0).await.relationships[0].clone();
        let form =
            w.t.app
                .relationship_form(&w.ld_staff, PersonId(ana.0), rel.id)
                .await
                .unwrap();
        let names: Vec<&str> = form
            .possible_contacts
            .iter()
            .map(|(_, n)| n.as_str())
            .collect();
        assert_eq!(
            names.len(),
            2,
            "the service's staff and the participation team: {names:?}"
        );
        let ld_id = w.ld_staff.staff().unwrap().id.0;
        let change = RelationshipInput {
            version: rel.version,
            status: "paused".into(),
            staff_contact_id: ld_id.to_string(),
            cadence_days: "21".into(),
            next_review_on: "1/6/2027".into(),
        };
        w.t.app
            .update_relationship(&w.ld_staff, PersonId(ana.0), rel.id, &change)
            .await
            .unwrap();
        let after = w.view(&w.admin, ana.0).await.relationships[0].clone();
        assert_eq!(
            (
                after.status.code(),
                after.cadence_days,
                after.staff_contact_id
            ),
            ("paused", 21, Some(StaffId(ld_id)))
        );
        assert_eq!(after.next_review_on.as_deref(), Some("2027-06-01"));
        w.t.app.clock().advance_minutes(60 * 24);
        assert!(
            w.queue(&w.admin, &QueueInput::default())
                .await
                .rows
                .is_empty(),
            "paused is not due"
        );
        let stale =
            w.t.app
                .update_relationship(&w.ld_staff, PersonId(ana.0), rel.id, &change)
                .await;
        assert!(matches!(stale, Err(AppError::Conflict { .. })), "{stale:?}");
        let outsider =
            w.t.app
                .update_relationship(
                    &w.cft_staff,
                    PersonId(ana.0),
                    rel.id,
                    &RelationshipInput {
                        version: after.version,
                        ..change.clone()
                    },
                )
                .await;
        assert!(matches!(
            outsider,
            Err(AppError::NotFound) | Err(AppError::Forbidden)
        ));
        let cft_id = w.cft_staff.staff().unwrap().id.0;
        let bad = RelationshipInput {
            version: after.version,
            status: "gone".into(),
            staff_contact_id: cft_id.to_string(),
            cadence_days: "0".into(),
            next_review_on: "soon".into(),
        };
        let Err(AppError::Invalid(fields)) =
            w.t.app
                .update_relationship(&w.admin, PersonId(ana.0), rel.id, &bad)
                .await
        else {
            panic!()
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        assert_eq!(
            names,
            [
                "status",
                "cadence_days",
                "next_review_on",
                "staff_contact_id"
            ]
        );
    })
    .await;
}
