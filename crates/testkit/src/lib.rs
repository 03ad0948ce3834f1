//! Test helpers: a fresh, migrated database on each backend, and the real router.
//!
//! Every storage test runs on SQLite and, when `TEST_DATABASE_URL` names a PostgreSQL server,
//! on PostgreSQL too, each in a database (SQLite) or schema (PostgreSQL) of its own.

pub mod calendar;
pub mod fakes;
pub mod files;
mod web;

pub use web::{
    each_app, forum_group, json_of, test_audit_key, ward_walk, Response, TestApp, PASSWORD,
};

use coproduce_store::Db;
use rand::Rng;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::future::Future;
use std::path::PathBuf;
use std::str::FromStr;

/// A fresh database for one test, removed again by [`TestDb::cleanup`].
pub struct TestDb {
    /// The migrated database.
    pub db: Db,
    place: Place,
}

enum Place {
    Sqlite(PathBuf),
    Postgres {
        admin: Box<PgConnectOptions>,
        schema: String,
    },
}

fn unique_name() -> String {
    let n: u64 = rand::thread_rng().gen();
    format!("t{}_{n:016x}", std::process::id())
}

impl TestDb {
    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> TestDb {
        let t = TestDb::sqlite_unmigrated().await;
        t.db.migrate().await.expect("migrate SQLite");
        t
    }

    /// A fresh SQLite file with no tables yet.
    async fn sqlite_unmigrated() -> TestDb {
        let dir = std::env::temp_dir().join(format!("coproduce-{}", unique_name()));
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let location = coproduce_store::Location::Sqlite(dir.join("test.db"));
        let db = Db::open(&location).await.expect("open SQLite");
        TestDb {
            db,
            place: Place::Sqlite(dir),
        }
    }

    /// A fresh schema on the PostgreSQL server that `url` names.
    pub async fn postgres(url: &str) -> TestDb {
        let t = TestDb::postgres_unmigrated(url).await;
        t.db.migrate().await.expect("migrate PostgreSQL");
        t
    }

    /// A fresh, empty schema on the PostgreSQL server that `url` names.
    async fn postgres_unmigrated(url: &str) -> TestDb {
        let admin = PgConnectOptions::from_str(url).expect("TEST_DATABASE_URL is a PostgreSQL URL");
        let schema = unique_name();
        let mut conn = admin.connect().await.expect("connect to TEST_DATABASE_URL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .expect("create test schema");
        conn.close().await.ok();
        let options = admin.clone().options([("search_path", schema.as_str())]);
        let db = Db::open_postgres(options).await.expect("open PostgreSQL");
        TestDb {
            db,
            place: Place::Postgres {
                admin: Box::new(admin),
                schema,
            },
        }
    }

    /// Closes the database and removes what the test made.
    pub async fn cleanup(self) {
        self.db.close().await;
        match self.place {
            Place::Sqlite(dir) => {
                std::fs::remove_dir_all(dir).ok();
            }
            Place::Postgres { admin, schema } => {
                if let Ok(mut conn) = admin.connect().await {
                    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                        .execute(&mut conn)
                        .await
                        .ok();
                    conn.close().await.ok();
                }
            }
        }
    }
}

/// Runs `test` on a fresh SQLite database and (as [`each_db`]) a fresh PostgreSQL schema,
/// each migrated only up to and including `version`, so a test can store data the way an older
/// release did and then check that `Db::migrate` keeps it.
pub async fn each_db_migrated_to<F, Fut>(version: i64, test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let sqlite = TestDb::sqlite_unmigrated().await;
    migrate_to(&sqlite.db, version).await;
    test(sqlite.db.clone()).await;
    sqlite.cleanup().await;
    if let Some(url) = postgres_url() {
        let pg = TestDb::postgres_unmigrated(&url).await;
        migrate_to(&pg.db, version).await;
        test(pg.db.clone()).await;
        pg.cleanup().await;
    }
}

/// Runs the backend's migrations up to and including `version`, from a copy of their folder.
async fn migrate_to(db: &Db, version: i64) {
    let backend = match db {
        Db::Sqlite { .. } => "sqlite",
        Db::Postgres(_) => "postgres",
    };
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../store/migrations")
        .join(backend);
    let dir = std::env::temp_dir().join(format!("coproduce-migrations-{}", unique_name()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    for entry in std::fs::read_dir(&source).expect("the migrations folder") {
        let path = entry.expect("a migration").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let number: i64 = name
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(i64::MAX);
        if number <= version {
            std::fs::copy(&path, dir.join(&name)).expect("copy a migration");
        }
    }
    let migrator = sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .expect("read the migrations");
    match db {
        Db::Sqlite { write, .. } => migrator.run(write).await.expect("migrate SQLite"),
        Db::Postgres(pool) => migrator.run(pool).await.expect("migrate PostgreSQL"),
    }
    std::fs::remove_dir_all(dir).ok();
}

/// The PostgreSQL server tests should also run on, if any. Under CI (`CI` set) a missing
/// `TEST_DATABASE_URL` is an error, so the PostgreSQL half can never be skipped silently.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests would be skipped"
            );
            None
        }
    }
}

/// Runs `test` once on a fresh SQLite database and, when `TEST_DATABASE_URL` is set, once on a
/// fresh PostgreSQL schema.
pub async fn each_db<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let sqlite = TestDb::sqlite().await;
    test(sqlite.db.clone()).await;
    sqlite.cleanup().await;
    if let Some(url) = postgres_url() {
        let pg = TestDb::postgres(&url).await;
        test(pg.db.clone()).await;
        pg.cleanup().await;
    }
}

/// Runs `test` on what `setup` makes of a fresh database, on each backend as [`each_db`] does:
/// for tests that all start from the same fixture.
pub async fn each_db_with<S, SetUp, W, F, Fut>(setup: S, test: F)
where
    S: Fn(Db) -> SetUp,
    SetUp: Future<Output = W>,
    F: Fn(W) -> Fut,
    Fut: Future<Output = ()>,
{
    each_db(|db| {
        let (setup, test) = (&setup, &test);
        async move { test(setup(db).await).await }
    })
    .await;
}
