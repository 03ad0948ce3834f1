//! Storage on both backends: migrations, constraints and the append-only audit trail.

use coproduce_domain::audit::{chain_mac, Entry, GENESIS};
use coproduce_domain::{Email, Role, Timestamp};
use coproduce_store::{audit, on, staff, throttle, StoreError};
use coproduce_testkit::{each_db, test_audit_key};

#[test]
fn both_backends_have_the_same_migrations() {
    let (sqlite, postgres) = coproduce_store::migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must have the same versions"
    );
}

#[tokio::test]
async fn a_second_account_with_the_same_email_is_refused() {
    each_db(|db| async move {
        let email = Email::parse("sam@example.org").unwrap();
        let new = staff::NewStaff {
            email: &email,
            name: "Sam",
            role: Role::Staff,
            password_hash: None,
        };
        let mut tx = db.write().await.unwrap();
        staff::insert(&mut tx, &new, Timestamp::now())
            .await
            .unwrap();
        let again = staff::insert(&mut tx, &new, Timestamp::now()).await;
        assert!(
            matches!(again, Err(StoreError::Duplicate("email address"))),
            "{again:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_audit_trail_chains_and_refuses_edits_and_deletes() {
    each_db(|db| async move {
        let mut tx = db.write().await.unwrap();
        for action in ["one", "two", "three"] {
            let e = Entry { at: 5, actor: "cli", action, object: None, detail: "" };
            audit::append(&mut tx, &test_audit_key(), &e).await.unwrap();
        }
        tx.commit().await.unwrap();

        let mut tx = db.read().await.unwrap();
        let rows = audit::oldest_after(&mut tx, 0, 10).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(rows[0].prev_hash, GENESIS);
        assert_eq!(rows[1].prev_hash, rows[0].hash);
        assert_eq!(rows[2].prev_hash, rows[1].hash);
        assert_eq!(audit::head(&mut tx).await.unwrap(), (3, rows[2].hash.clone()));
        tx.commit().await.unwrap();

        let mut tx = db.write().await.unwrap();
        let edit: Result<_, sqlx::Error> =
            on!(&mut tx, c => sqlx::query("UPDATE audit_log SET detail = 'x' WHERE seq = 1").execute(c).await.map(|_| ()));
        assert!(edit.unwrap_err().to_string().contains("append-only"));
        drop(tx);
        let mut tx = db.write().await.unwrap();
        let delete: Result<_, sqlx::Error> =
            on!(&mut tx, c => sqlx::query("DELETE FROM audit_log WHERE seq = 3").execute(c).await.map(|_| ()));
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    })
    .await;
}

#[tokio::test]
async fn many_entries_appended_at_once_continue_one_chain() {
    each_db(|db| async move {
        let mut tx = db.write().await.unwrap();
        let first = Entry {
            at: 1,
            actor: "cli",
            action: "first",
            object: None,
            detail: "",
        };
        audit::append(&mut tx, &test_audit_key(), &first)
            .await
            .unwrap();
        let objects: Vec<String> = (0..250).map(|i| format!("person:{i}")).collect();
        let batch: Vec<Entry> = objects
            .iter()
            .map(|o| Entry {
                at: 2,
                actor: "staff:1",
                action: "person_view",
                object: Some(o),
                detail: "",
            })
            .collect();
        assert_eq!(
            audit::append_all(&mut tx, &test_audit_key(), &batch)
                .await
                .unwrap(),
            251
        );
        tx.commit().await.unwrap();

        let mut tx = db.read().await.unwrap();
        let rows = audit::oldest_after(&mut tx, 0, 300).await.unwrap();
        assert_eq!(rows.len(), 251);
        let mut prev = GENESIS.to_owned();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row.seq, i as i64 + 1);
            assert_eq!(
                row.prev_hash, prev,
                "entry {} follows the one before",
                row.seq
            );
            assert_eq!(
                row.hash,
                chain_mac(&test_audit_key(), &prev, row.seq, &row.entry()),
                "entry {} hashes its content with the key",
                row.seq
            );
            prev = row.hash.clone();
        }
        assert_eq!(
            rows[250].object.as_deref(),
            Some("person:249"),
            "in the order given"
        );
        assert_eq!(audit::head(&mut tx).await.unwrap(), (251, prev));
    })
    .await;
}

#[tokio::test]
async fn failed_attempts_are_counted_per_key_within_the_window() {
    each_db(|db| async move {
        let now = Timestamp::now();
        let mut tx = db.write().await.unwrap();
        for (key, at) in [
            ("account:a", now.plus_minutes(-20)),
            ("account:a", now),
            ("account:a", now),
            ("account:b", now),
        ] {
            throttle::record_failure(&mut tx, key, at).await.unwrap();
        }
        let since = now.plus_minutes(-15);
        // Each account's failures since then, a then b.
        async fn counts(tx: &mut coproduce_store::Tx, since: Timestamp) -> [i64; 2] {
            let a = throttle::failures_since(tx, "account:a", since).await;
            let b = throttle::failures_since(tx, "account:b", since).await;
            [a.expect("account a"), b.expect("account b")]
        }
        assert_eq!(counts(&mut tx, since).await, [2, 1]);
        throttle::clear(&mut tx, "account:a", now.plus_days(-1))
            .await
            .unwrap();
        assert_eq!(counts(&mut tx, since).await, [0, 1]);
    })
    .await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync_and_foreign_keys() {
    let test = coproduce_testkit::TestDb::sqlite().await;
    let mut tx = test.db.write().await.unwrap();
    let (mode, sync, fk): (String, i64, i64) = on!(&mut tx, c => {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *c).await.unwrap();
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *c).await.unwrap();
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *c).await.unwrap();
        (mode, sync, fk)
    });
    drop(tx);
    assert_eq!(mode, "wal");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fk, 1);
    test.cleanup().await;
}

/// Stores rows as an older release stored them, in one transaction: service 1 (Therapy) with
/// its group 5 (Forum), then `rows`.
async fn older_rows(db: &coproduce_store::Db, rows: &[&str]) {
    let service_and_group = [
        "INSERT INTO services (id, name, created_at) VALUES (1, 'Therapy', 0)",
        "INSERT INTO groups (id, name, service_id, created_at, updated_at) VALUES (5, 'Forum', 1, 0, 0)",
    ];
    let mut tx = db.write().await.expect("a transaction");
    for sql in service_and_group.iter().chain(rows) {
        on!(&mut tx, c => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected())).expect(sql);
    }
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn relationships_rebuilt_for_groups_keep_every_contact_linked() {
    coproduce_testkit::each_db_migrated_to(9, |db| async move {
        older_rows(
            &db,
            &[
                "INSERT INTO people (id, name, status, search_text, created_at, updated_at) VALUES (1, 'Ana Lane', 'active', 'ana lane', 0, 0)",
                "INSERT INTO relationships (id, person_id, service_id, started_on, status, cadence_days, due_at, created_at)
                 VALUES (7, 1, 1, '2026-01-01', 'active', 28, 0, 0)",
                "INSERT INTO contacts (id, person_id, relationship_id, occurred_at, channel, direction, summary, created_at)
                 VALUES (3, 1, 7, 0, 'phone', 'outbound', 'A call', 0)",
            ],
        )
        .await;

        db.migrate().await.unwrap();

        let mut tx = db.write().await.unwrap();
        let linked: Option<i64> = on!(&mut tx, c => sqlx::query_scalar("SELECT relationship_id FROM contacts WHERE id = 3")
            .fetch_one(c).await).unwrap();
        assert_eq!(linked, Some(7), "the contact still counts towards its relationship");
        let group: i64 = on!(&mut tx, c => sqlx::query_scalar(
            "INSERT INTO relationships (person_id, service_id, group_id, started_on, status, cadence_days, due_at, created_at)
             VALUES (1, 1, 5, '2026-01-01', 'active', 28, 0, 0) RETURNING id").fetch_one(c).await).unwrap();
        assert_ne!(group, 7, "a relationship with the service's group beside the one with the service");
        let second: Result<i64, sqlx::Error> = on!(&mut tx, c => sqlx::query_scalar(
            "INSERT INTO relationships (person_id, service_id, started_on, status, cadence_days, due_at, created_at)
             VALUES (1, 1, '2026-01-01', 'active', 28, 0, 0) RETURNING id").fetch_one(c).await);
        assert!(second.is_err(), "still one relationship per service");
    })
    .await;
}

#[tokio::test]
async fn meetings_keep_their_records_when_projects_and_registers_arrive() {
    coproduce_testkit::each_db_migrated_to(11, |db| async move {
        // 2026-03-04 19:00 London is 19:00 UTC; the moved one is 2026-07-01 00:30 London (BST),
        // which is 23:30 UTC the day before.
        older_rows(
            &db,
            &[
                "INSERT INTO meetings (id, group_id, occurrence, starts_at, ends_at, status, created_at, updated_at)
                 VALUES (8, 5, '2026-03-04T19:00', 1772650800000, 1772654400000, 'scheduled', 0, 0)",
                "INSERT INTO meetings (id, group_id, occurrence, starts_at, ends_at, status, changed_at, agenda, created_at, updated_at)
                 VALUES (9, 5, '2026-06-24T19:00', 1782862200000, 1782865800000, 'cancelled', 1, 'Moved', 0, 0)",
            ],
        )
        .await;

        db.migrate().await.unwrap();

        let mut tx = db.write().await.unwrap();
        let kept: Vec<(i64, String, String, String)> = on!(&mut tx, c => sqlx::query_as(
            "SELECT id, starts_on, status, agenda FROM meetings ORDER BY id").fetch_all(c).await).unwrap();
        assert_eq!(kept[0], (8, "2026-03-04".into(), "scheduled".into(), String::new()));
        assert_eq!((kept[1].2.as_str(), kept[1].3.as_str()), ("cancelled", "Moved"));
        assert!(
            kept[1].1 == "2026-06-30" || kept[1].1 == "2026-07-01",
            "a moved meeting takes its own date: {}",
            kept[1].1
        );
        let neither: Result<i64, sqlx::Error> = on!(&mut tx, c => sqlx::query_scalar(
            "INSERT INTO meetings (starts_on, starts_at, ends_at, status, created_at, updated_at)
             VALUES ('2026-01-01', 1, 2, 'scheduled', 0, 0) RETURNING id").fetch_one(c).await);
        assert!(neither.is_err(), "a meeting belongs to a group or a project");
    })
    .await;
}

#[tokio::test]
async fn every_group_project_and_relationship_is_due_a_review_once_reviews_arrive() {
    coproduce_testkit::each_db_migrated_to(23, |db| async move {
        // Group 5 was made at the epoch and has no review date; group 6 has one. 1772323200000
        // is 2026-03-01 00:00 UTC.
        older_rows(
            &db,
            &[
                "INSERT INTO groups (id, name, service_id, next_review_on, created_at, updated_at) VALUES (6, 'Panel', 1, '2026-09-01', 1772323200000, 0)",
                "INSERT INTO projects (id, name, service_id, starts_on, stage, ladder, created_at, updated_at)
                 VALUES (2, 'Leaflets', 1, '2026-08-31', 'under_way', 'co_design', 0, 0)",
                "INSERT INTO people (id, name, status, search_text, created_at, updated_at) VALUES (1, 'Ana Lane', 'active', 'ana lane', 0, 0)",
                "INSERT INTO relationships (id, person_id, service_id, started_on, status, cadence_days, due_at, created_at)
                 VALUES (7, 1, 1, '2024-02-29', 'active', 28, 0, 0)",
                "INSERT INTO meetings (id, group_id, starts_on, starts_at, ends_at, status, created_at, updated_at)
                 VALUES (8, 5, '2026-03-04', 1772650800000, 1772654400000, 'scheduled', 0, 0)",
                "INSERT INTO actions (id, meeting_id, group_id, raised_at, description, status, created_at, updated_at)
                 VALUES (4, 8, 5, 1772650800000, 'Book the room', 'open', 0, 0)",
            ],
        )
        .await;

        db.migrate().await.unwrap();

        let mut tx = db.write().await.unwrap();
        let due: Vec<(String, Option<String>)> = on!(&mut tx, c => sqlx::query_as(
            "SELECT 'group ' || id, next_review_on FROM groups
             UNION ALL SELECT 'project ' || id, next_review_on FROM projects
             UNION ALL SELECT 'relationship ' || id, next_review_on FROM relationships
             ORDER BY 1").fetch_all(c).await).unwrap();
        let due: Vec<(&str, Option<&str>)> =
            due.iter().map(|(k, d)| (k.as_str(), d.as_deref())).collect();
        assert_eq!(
            due,
            [
                ("group 5", Some("1970-07-01")),
                ("group 6", Some("2026-09-01")),
                ("project 2", Some("2027-02-28")),
                ("relationship 7", Some("2025-02-28")),
            ],
            "the recorded date kept; the rest a cadence on, a month's end as PostgreSQL counts it"
        );
        let kept: (i64, Option<i64>, String) = on!(&mut tx, c => sqlx::query_as(
            "SELECT meeting_id, review_id, description FROM actions WHERE id = 4").fetch_one(c).await).unwrap();
        assert_eq!(kept, (8, None, "Book the room".to_owned()), "a meeting's action is kept");
    })
    .await;
}
