//! The audit trail against someone who can write the database but not read the audit key, on
//! both backends: a rewrite with every later hash recomputed, the newest entries cut away with
//! the head moved back, and the wrong key. Each is caught, naming the first bad entry.

use coproduce_app::audit::ChainReport;
use coproduce_app::{Actor, App};
use coproduce_domain::audit::{chain_hash, AuditKey, Entry};
use coproduce_store::audit::AuditRow;
use coproduce_store::{audit, on, Db};
use coproduce_testkit::{each_db, each_db_migrated_to, test_audit_key, TestApp};

/// A trail of the chain's key and five services added.
async fn trail(db: Db) -> TestApp {
    let t = TestApp::new(db).await;
    for n in 1..=5 {
        t.app
            .create_service(&Actor::Cli, &format!("Service {n}"), "")
            .await
            .expect("service");
    }
    t
}

/// What someone with write access to the database can do: lift the append-only guard.
async fn lift_the_guard(db: &Db) {
    let mut tx = db.write().await.expect("tx");
    let statements: &[&str] = if tx.is_sqlite() {
        &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    } else {
        &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
    };
    for sql in statements {
        on!(&mut tx, c => sqlx::query(sql).execute(c).await.map(|_| ())).expect("lift");
    }
    tx.commit().await.expect("commit");
}

async fn run(db: &Db, sql: &str, binds: &[&str], seq: i64) {
    let mut tx = db.write().await.expect("tx");
    on!(&mut tx, c => {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.bind(seq).execute(c).await.map(|_| ())
    })
    .expect("tamper");
    tx.commit().await.expect("commit");
}

/// Recomputes the hashes of `rows` from `prev` on the only way someone without the key can, as
/// plain SHA-256, with the detail `changed` gives an entry instead of its own, and moves the
/// head's hash to the last.
async fn rehash_plainly(
    db: &Db,
    rows: &[AuditRow],
    mut prev: String,
    changed: impl Fn(i64) -> Option<&'static str>,
) {
    for row in rows {
        let detail = changed(row.seq).unwrap_or(row.detail.as_str());
        let entry = Entry {
            detail,
            ..row.entry()
        };
        let hash = chain_hash(&prev, row.seq, &entry);
        run(
            db,
            "UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
            &[detail, &prev, &hash],
            row.seq,
        )
        .await;
        prev = hash;
    }
    run(
        db,
        "UPDATE audit_head SET hash = $1 WHERE id = $2",
        &[&prev],
        1,
    )
    .await;
}

fn broken_at(report: ChainReport) -> (i64, String) {
    match report {
        ChainReport::Broken { seq, reason } => (seq, reason),
        ChainReport::Intact { entries } => panic!("{entries} entries passed as intact"),
    }
}

#[tokio::test]
async fn an_entry_rewritten_with_every_later_hash_recomputed_is_caught_where_it_was_changed() {
    each_db(|db| async move {
        let t = trail(db.clone()).await;
        assert!(matches!(
            t.app.verify_audit_chain(&Actor::Cli).await.unwrap(),
            ChainReport::Intact { entries: 6 }
        ));
        lift_the_guard(&db).await;
        let mut tx = db.read().await.unwrap();
        let rows = audit::oldest_after(&mut tx, 0, 100).await.unwrap();
        tx.commit().await.unwrap();
        // Entry 4 is made to say something else, and from it on every hash is recomputed the
        // only way someone without the key can: as plain SHA-256.
        let changed = |seq| (seq == 4).then_some("Nothing happened");
        rehash_plainly(&db, &rows[3..], rows[2].hash.clone(), changed).await;
        let (seq, reason) = broken_at(t.app.verify_audit_chain(&Actor::Cli).await.unwrap());
        assert_eq!(seq, 4);
        assert!(reason.contains("changed"), "{reason}");
    })
    .await;
}

#[tokio::test]
async fn a_trail_passed_off_as_never_keyed_is_caught_at_the_entry_that_keyed_it() {
    each_db(|db| async move {
        let t = trail(db.clone()).await;
        lift_the_guard(&db).await;
        let mut tx = db.read().await.unwrap();
        let rows = audit::oldest_after(&mut tx, 0, 100).await.unwrap();
        tx.commit().await.unwrap();
        // Every hash recomputed as plain SHA-256, and the chain said to be keyed from an entry
        // beyond the head, so that no entry would be checked with the key.
        let genesis = coproduce_domain::audit::GENESIS.to_owned();
        rehash_plainly(&db, &rows, genesis, |_| None).await;
        let mut tx = db.write().await.unwrap();
        audit::set_keyed_from(&mut tx, 99).await.unwrap();
        tx.commit().await.unwrap();
        let (seq, reason) = broken_at(t.app.verify_audit_chain(&Actor::Cli).await.unwrap());
        assert_eq!(seq, 1, "{reason}");
        assert!(reason.contains("keyed at this entry"), "{reason}");
        assert!(
            t.app.key_audit_chain().await.is_err(),
            "a server will not write on a trail keyed from nowhere"
        );
    })
    .await;
}

#[tokio::test]
async fn the_newest_entries_cut_away_with_the_head_moved_back_are_caught_by_a_checkpoint() {
    each_db(|db| async move {
        let t = trail(db.clone()).await;
        let checkpoint = format!("INFO audit checkpoint checkpoint={}", t.app.audit_checkpoint().await.unwrap());
        assert!(matches!(
            t.app.verify_audit_checkpoint(&Actor::Cli, &checkpoint).await.unwrap(),
            ChainReport::Intact { entries: 6 }
        ));
        lift_the_guard(&db).await;
        let mut tx = db.read().await.unwrap();
        let fourth = audit::entry(&mut tx, 4).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        run(&db, "DELETE FROM audit_log WHERE seq > $1", &[], 4).await;
        let mut tx = db.write().await.unwrap();
        on!(&mut tx, c => sqlx::query("UPDATE audit_head SET seq = 4, hash = $1 WHERE id = 1").bind(&fourth.hash).execute(c).await.map(|_| ())).unwrap();
        tx.commit().await.unwrap();
        // The chain alone cannot tell: what is left is a good chain.
        assert!(matches!(
            t.app.verify_audit_chain(&Actor::Cli).await.unwrap(),
            ChainReport::Intact { entries: 4 }
        ));
        let (seq, reason) = broken_at(t.app.verify_audit_checkpoint(&Actor::Cli, &checkpoint).await.unwrap());
        assert_eq!(seq, 5, "the first entry cut away");
        assert!(reason.contains("cut away"), "{reason}");
        // A checkpoint altered to match, or signed with another key, is not accepted.
        let altered = checkpoint.replacen(":6:", ":4:", 1);
        assert!(t.app.verify_audit_checkpoint(&Actor::Cli, &altered).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn the_wrong_key_checks_nothing_and_writes_nothing() {
    each_db(|db| async move {
        let t = trail(db.clone()).await;
        let other = App::new(db.clone(), AuditKey::generate()).await.unwrap();
        let (seq, reason) = broken_at(other.verify_audit_chain(&Actor::Cli).await.unwrap());
        assert_eq!(seq, 1, "the entry that keyed the chain");
        assert!(reason.contains("key given"), "{reason}");
        assert!(
            other.key_audit_chain().await.is_err(),
            "a server with the wrong key does not start"
        );
        assert!(matches!(
            t.app.verify_audit_chain(&Actor::Cli).await.unwrap(),
            ChainReport::Intact { entries: 6 }
        ));
    })
    .await;
}

#[tokio::test]
async fn a_trail_from_before_the_key_is_kept_and_keyed_from_where_the_key_arrived() {
    each_db_migrated_to(15, |db| async move {
        let mut tx = db.write().await.unwrap();
        let entry = Entry { at: 1, actor: "cli", action: "staff_add", object: Some("staff:1"), detail: "" };
        let hash = chain_hash(coproduce_domain::audit::GENESIS, 1, &entry);
        on!(&mut tx, c => sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash) VALUES (1, 1, 'cli', 'staff_add', 'staff:1', '', $1, $2)")
            .bind(coproduce_domain::audit::GENESIS).bind(&hash).execute(c).await.map(|_| ())).unwrap();
        on!(&mut tx, c => sqlx::query("UPDATE audit_head SET seq = 1, hash = $1 WHERE id = 1").bind(&hash).execute(c).await.map(|_| ())).unwrap();
        tx.commit().await.unwrap();
        db.migrate().await.unwrap();
        let app = App::new(db.clone(), test_audit_key()).await.unwrap();
        let (seq, reason) = broken_at(app.verify_audit_chain(&Actor::Cli).await.unwrap());
        assert_eq!(seq, 1);
        assert!(reason.contains("never keyed"), "{reason}");
        app.key_audit_chain().await.unwrap();
        app.create_service(&Actor::Cli, "Therapy", "").await.unwrap();
        assert!(matches!(
            app.verify_audit_chain(&Actor::Cli).await.unwrap(),
            ChainReport::Intact { entries: 3 }
        ));
    })
    .await;
}
