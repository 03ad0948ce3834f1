//! Storage for coproduce: one [`Db`] over SQLite or PostgreSQL, and a repository module per
//! aggregate. Each repository function is written once with `$1`-style SQL and compiled for
//! both backends by the [`on!`] macro.

use coproduce_domain::Timestamp;
use sqlx::pool::{PoolConnection, PoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqliteSynchronous};
use sqlx::{Postgres, Sqlite};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

pub mod actions;
pub mod api_tokens;
pub mod attendance;
pub mod audit;
pub mod concerns;
pub mod contacts;
pub mod enquiries;
pub mod feedback;
pub mod feeds;
pub mod groups;
pub mod idempotency;
pub mod imports;
pub mod improvements;
pub mod meetings;
pub mod opportunities;
pub mod outbox;
pub mod papers;
pub mod people;
pub mod portal;
pub mod projects;
pub mod relationships;
pub mod reviews;
mod scope;
pub mod secrets;
pub mod services;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod throttle;

/// Runs `$body` with `$c` bound to the transaction's connection, whichever backend it is on.
/// The body is compiled once per backend, so the SQL in it must be valid on both.
#[macro_export]
macro_rules! on {
    ($tx:expr, $c:ident => $body:expr) => {
        match $crate::Tx::conn($tx) {
            $crate::Conn::Sqlite($c) => $body,
            $crate::Conn::Postgres($c) => $body,
        }
    };
}

/// Fetches every row of a query as one JSON array in one row, so that however many rows a page
/// shows, one crosses from the database (on SQLite every row is otherwise a hop between threads).
/// `$rows` is a [`JsonRows`]; `|q| …` binds its parameters. Evaluates to a `Vec` of the row
/// type, which derives `serde::Deserialize`.
#[macro_export]
macro_rules! json_rows {
    ($tx:expr, $rows:expr, |$q:ident| $binds:expr) => {{
        let sql = format!("SELECT {}", $rows.expr($tx.is_sqlite()));
        let text: String = $crate::on!($tx, c => {
            let $q = sqlx::query_scalar(&sql);
            $binds.fetch_one(c).await?
        });
        $crate::decode_json_rows(&text)?
    }};
}

/// `(name, expression)`: one field of a row fetched as JSON.
pub type Field = (&'static str, &'static str);

/// A query whose rows are fetched as one JSON array (see [`json_rows!`]): several can share one
/// statement, each as a column.
#[derive(Clone, Copy, Debug)]
pub struct JsonRows<'a> {
    /// The fields of each row.
    pub fields: &'a [Field],
    /// The rest of the query: `FROM … WHERE … ORDER BY … LIMIT …`.
    pub from: &'a str,
    /// The order of the array, by field names.
    pub order: &'a str,
}

impl JsonRows<'_> {
    /// A scalar SQL expression: the rows as a JSON array, as text.
    pub fn expr(&self, sqlite: bool) -> String {
        let select = select_list(self.fields);
        let pairs = self
            .fields
            .iter()
            .map(|(name, _)| format!("'{name}', {name}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (from, order) = (self.from, self.order);
        if sqlite {
            format!(
                "(SELECT coalesce(json_group_array(json_object({pairs}) ORDER BY {order}), '[]')
                  FROM (SELECT {select} {from}) AS found)"
            )
        } else {
            format!(
                "(SELECT coalesce(json_agg(json_build_object({pairs}) ORDER BY {order}), '[]'::json)::text
                  FROM (SELECT {select} {from}) AS found)"
            )
        }
    }
}

/// `($1, …, $n), (…)`: the placeholders of a multi-row `VALUES` for `rows` rows of `per_row`
/// values each. On SQLite they are plain `?`: sqlx looks up each numbered parameter's name by
/// a walk along the statement's list of names, so a statement of 2,000 `$n` cost 2,000,000 steps
/// to bind, two thirds of an import's time; a statement using this must use no other parameter.
pub fn placeholders(sqlite: bool, rows: usize, per_row: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=per_row)
                .map(|k| {
                    if sqlite {
                        "?".to_owned()
                    } else {
                        format!("${}", r * per_row + k)
                    }
                })
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `expression AS name, …` for a plain `SELECT` of the same fields.
pub fn select_list(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|(name, expr)| format!("{expr} AS {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the JSON array [`json_rows!`] fetched.
pub fn decode_json_rows<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
}

pub use coproduce_domain::json_bool;

/// Runs an `UPDATE … WHERE id = $1` that sets a moment (`$2`, `now`) on one row: when a session
/// or token was last used, or when it was revoked.
pub(crate) async fn stamp(tx: &mut Tx, sql: &str, id: i64, now: Timestamp) -> Result<()> {
    on!(tx, c => sqlx::query(sql).bind(id).bind(now.millis()).execute(c).await.map(|_| ())?);
    Ok(())
}

/// A connection on either backend, borrowed from a [`Tx`] for the length of one statement.
#[derive(Debug)]
pub enum Conn<'a> {
    /// SQLite.
    Sqlite(&'a mut sqlx::SqliteConnection),
    /// PostgreSQL.
    Postgres(&'a mut sqlx::PgConnection),
}

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database address could not be read.
    #[error("the database address is not valid: {0}")]
    BadUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot open the database: {0}")]
    Unreachable(String),
    /// A unique constraint refused the write; holds the constraint's column if known.
    #[error("that {0} is already in use")]
    Duplicate(&'static str),
    /// The migrations failed.
    #[error("migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Anything else the database said.
    #[error("database error: {0}")]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Db(e)
    }
}

/// Maps a unique violation to [`StoreError::Duplicate`] naming `what`, and anything else through.
pub(crate) fn unique_as(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate(what),
        _ => StoreError::Db(e),
    }
}

/// Shorthand for storage results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database: an embedded SQLite file, or a PostgreSQL server.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite: one writer connection (SQLite allows one writer at a time; queuing in-process is
    /// cheaper than busy-waiting) and a pool of readers, all in WAL mode.
    Sqlite {
        /// The single writer.
        write: SqlitePool,
        /// The readers.
        read: SqlitePool,
    },
    /// PostgreSQL: one pool for reads and writes.
    Postgres(PgPool),
}

/// A unit of work on either backend. Repository functions take `&mut Tx`.
///
/// Writes run in a transaction. Reads run on a pooled connection without one: each statement
/// sees its own consistent snapshot, as under PostgreSQL's default read committed, and a read
/// costs no `BEGIN` and `COMMIT` round trips.
#[derive(Debug)]
pub enum Tx {
    /// A transaction on SQLite.
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    /// A transaction on PostgreSQL.
    Postgres(sqlx::Transaction<'static, Postgres>),
    /// Reads on SQLite.
    SqliteRead(PoolConnection<Sqlite>),
    /// Reads on PostgreSQL.
    PostgresRead(PoolConnection<Postgres>),
}

impl Tx {
    /// Makes the transaction's writes durable (for reads, gives the connection back).
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
            Tx::SqliteRead(_) | Tx::PostgresRead(_) => {}
        }
        Ok(())
    }

    /// The connection, for one statement.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(&mut *t),
            Tx::Postgres(t) => Conn::Postgres(&mut *t),
            Tx::SqliteRead(c) => Conn::Sqlite(&mut *c),
            Tx::PostgresRead(c) => Conn::Postgres(&mut *c),
        }
    }

    /// Whether this is on SQLite, for the few statements spelt differently per backend.
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Tx::Sqlite(_) | Tx::SqliteRead(_))
    }
}

/// How many times a SQLite writer asks again for the write lock after waiting the whole busy
/// timeout for it (another process writing without pause).
const BUSY_RETRIES: u32 = 5;

async fn begin_immediate(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, Sqlite>> {
    let mut tries = 0;
    loop {
        match pool.begin_with("BEGIN IMMEDIATE").await {
            Err(sqlx::Error::Database(e))
                if tries < BUSY_RETRIES && e.code().as_deref() == Some("5") =>
            {
                tries += 1;
                tracing::warn!("the SQLite file stayed locked by another writer; asking again");
            }
            other => return Ok(other?),
        }
    }
}

/// Where the data lives, as read from `--database`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (kept whole; it may carry a password, so never print it).
    Postgres(String),
}

impl Location {
    /// Reads a database address: `postgres://…` or `postgresql://…` selects PostgreSQL;
    /// `sqlite://path` or a plain path selects a SQLite file.
    pub fn parse(address: &str) -> Result<Location> {
        let address = address.trim();
        if address.is_empty() {
            return Err(StoreError::BadUrl("it is empty".into()));
        }
        if address.starts_with("postgres://") || address.starts_with("postgresql://") {
            let parsed = url::Url::parse(address)
                .map_err(|e| StoreError::BadUrl(format!("{e} in the PostgreSQL URL")))?;
            if parsed.host_str().unwrap_or("").is_empty() {
                return Err(StoreError::BadUrl(
                    "the PostgreSQL URL names no host".into(),
                ));
            }
            return Ok(Location::Postgres(address.to_owned()));
        }
        if let Some(path) = address
            .strip_prefix("sqlite://")
            .or_else(|| address.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or("");
            if path.is_empty() {
                return Err(StoreError::BadUrl("the SQLite URL names no file".into()));
            }
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        if address.contains("://") {
            return Err(StoreError::BadUrl(
                "use postgres://… for PostgreSQL, or a file path for SQLite".into(),
            ));
        }
        Ok(Location::Sqlite(PathBuf::from(address)))
    }

    /// A description that is safe to print: the SQLite path, or the PostgreSQL host and database
    /// without user or password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(p) => format!("SQLite file {}", p.display()),
            Location::Postgres(u) => match url::Url::parse(u) {
                Ok(u) => format!(
                    "PostgreSQL at {}:{}{}",
                    u.host_str().unwrap_or("?"),
                    u.port().unwrap_or(5432),
                    u.path()
                ),
                Err(_) => "PostgreSQL".into(),
            },
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// The versions of each backend's migrations, for the test that they match.
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    let v = |m: &sqlx::migrate::Migrator| m.iter().map(|m| m.version).collect();
    (v(&SQLITE_MIGRATIONS), v(&POSTGRES_MIGRATIONS))
}

impl Db {
    /// Opens the database at `location`, without running migrations.
    pub async fn open(location: &Location) -> Result<Db> {
        match location {
            Location::Sqlite(path) => Db::open_sqlite(path).await,
            Location::Postgres(url) => {
                let options = PgConnectOptions::from_str(url)
                    .map_err(|e| StoreError::BadUrl(e.to_string()))?;
                Db::open_postgres(options).await
            }
        }
    }

    async fn open_sqlite(path: &std::path::Path) -> Result<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");
        let unreachable =
            |e: sqlx::Error| StoreError::Unreachable(format!("{}: {e}", path.display()));
        // A SQLite connection is a file handle on this machine, not a socket that can drop, so
        // the pool does not ping it before lending it (each ping is a hop to its thread).
        let write = PoolOptions::<Sqlite>::new()
            .test_before_acquire(false)
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(unreachable)?;
        // Readers wait on the disk as well as the processor, so keep a few more than the cores.
        let readers = std::thread::available_parallelism()
            .map_or(8, |n| n.get() * 4)
            .max(8);
        // Each connection keeps a page cache of its own, never shared: eight readers of 32 MB
        // each held the same pages eight times over (a large import read by several readers in
        // turn took a process past 300 MB). The writer keeps 32 MB and each reader 8 MB, and
        // readers map the file (up to 1 GB), so they read the operating system's cache, which
        // they all share, without a copy or a system call a page: searches, which read many
        // pages of the words' index, went from 2,600 to 4,800 requests/s.
        let read = PoolOptions::<Sqlite>::new()
            .test_before_acquire(false)
            .max_connections(u32::try_from(readers).unwrap_or(8))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(
                options
                    .pragma("cache_size", "-8000")
                    .pragma("mmap_size", "1073741824"),
            )
            .await
            .map_err(unreachable)?;
        Ok(Db::Sqlite { write, read })
    }

    /// Opens a PostgreSQL pool with these options (tests use it to pick a schema).
    pub async fn open_postgres(options: PgConnectOptions) -> Result<Db> {
        // One direct connection first: a pool retries until its timeout, but an operator who
        // mistyped the host should hear at once.
        let probe = sqlx::ConnectOptions::connect(&options)
            .await
            .map_err(|e| StoreError::Unreachable(e.to_string()))?;
        sqlx::Connection::close(probe).await.ok();
        let pool = PoolOptions::<Postgres>::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unreachable(e.to_string()))?;
        Ok(Db::Postgres(pool))
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Starts a transaction that may write.
    ///
    /// On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`). A deferred transaction
    /// that reads and then writes cannot wait for another process's writer: SQLite answers
    /// "database is locked" at once, since its snapshot is stale, and the busy timeout never
    /// applies. Taking the lock first waits its turn, so `coproduce staff add` and the server
    /// can write to one file at the same time.
    pub async fn write(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite { write, .. } => Tx::Sqlite(begin_immediate(write).await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A connection that only reads (on SQLite, from the reader pool, so reads never wait for
    /// the writer), with no transaction: see [`Tx`].
    pub async fn read(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite { read, .. } => Tx::SqliteRead(read.acquire().await?),
            Db::Postgres(pool) => Tx::PostgresRead(pool.acquire().await?),
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        let answer = match self {
            Db::Sqlite { read, .. } => {
                sqlx::query_scalar::<_, i64>("SELECT 1")
                    .fetch_one(read)
                    .await
            }
            Db::Postgres(pool) => sqlx::query_scalar::<_, i32>("SELECT 1")
                .fetch_one(pool)
                .await
                .map(i64::from),
        };
        answer.is_ok()
    }

    /// Closes every connection, waiting for those in use to come back.
    pub async fn close(&self) {
        match self {
            Db::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Which backend this is, for messages and logs.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite { .. } => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_select_the_backend() {
        assert_eq!(
            Location::parse("coproduce.db").unwrap(),
            Location::Sqlite("coproduce.db".into())
        );
        assert_eq!(
            Location::parse("sqlite:///tmp/x.db").unwrap(),
            Location::Sqlite("/tmp/x.db".into())
        );
        assert!(matches!(
            Location::parse("postgres://u:secret@db.example:5433/cp").unwrap(),
            Location::Postgres(_)
        ));
        assert!(matches!(
            Location::parse("mysql://x/y"),
            Err(StoreError::BadUrl(_))
        ));
        assert!(matches!(
            Location::parse("postgres://"),
            Err(StoreError::BadUrl(_))
        ));
        assert!(matches!(Location::parse("  "), Err(StoreError::BadUrl(_))));
    }

    #[test]
    fn descriptions_never_show_the_password() {
        let l = Location::parse("postgres://u:secret@db.example:5433/cp").unwrap();
        let d = l.describe();
        assert!(!d.contains("secret"), "{d}");
        assert!(d.contains("db.example:5433/cp"), "{d}");
    }
}
