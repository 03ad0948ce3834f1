//! The `coproduce` program: serves the web app and API, and runs the admin commands.

use clap::{Args, Parser, Subcommand};
use coproduce_app::audit::ChainReport;
use coproduce_app::staff::NewStaffInput;
use coproduce_app::{Actor, App, AppError};
use coproduce_store::{Db, Location, StoreError};
use std::io::Read;
use std::process::ExitCode;

mod audit_key;
mod serve;
use audit_key::AuditKeyArg;

#[derive(Parser)]
#[command(
    name = "coproduce",
    version,
    about = "Co-production software: people, relationships, groups, meetings and more"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DatabaseArg {
    /// Where the data lives: a SQLite file path, or a postgres:// URL.
    #[arg(long, env = "COPRODUCE_DATABASE_URL", default_value = "coproduce.db")]
    database: String,
    #[command(flatten)]
    key: AuditKeyArg,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "COPRODUCE_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// The address people reach coproduce at, e.g. https://coproduce.example.nhs.uk (default:
    /// http:// and the bind address). An https:// address turns on secure cookies and HSTS.
    #[arg(long, env = "COPRODUCE_PUBLIC_URL")]
    public_url: Option<String>,
    /// Where reminders and notices go: file:FOLDER (each message a file, for trying things out),
    /// smtp://[user:password@]host[:port]?from=ADDRESS, or notify: (GOV.UK Notify, set up by the
    /// NOTIFY_* variables).
    #[arg(long, env = "COPRODUCE_OUTBOX", default_value = "file:outbox")]
    outbox: String,
    /// How many "get involved" forms one internet address may send in an hour (0: no limit).
    #[arg(long, env = "COPRODUCE_ENQUIRY_LIMIT", default_value_t = coproduce_app::enquiries::DEFAULT_ENQUIRIES_PER_HOUR)]
    enquiry_limit: i64,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and API (migrations run first).
    Serve {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Bring the database schema up to date, then exit.
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Make a fresh demo database from the founding story, then serve it.
    Demo {
        /// Where the demo data lives (a SQLite file is replaced; a PostgreSQL database must be empty).
        #[arg(
            long,
            env = "COPRODUCE_DEMO_DATABASE_URL",
            default_value = "coproduce-demo.db"
        )]
        database: String,
        #[command(flatten)]
        key: AuditKeyArg,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage the server secrets every server shares.
    Secrets {
        #[command(subcommand)]
        command: SecretsCommand,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff member. Prints a one-time set-password link unless --password-stdin is given.
    Add {
        /// Their email address (they sign in with it).
        #[arg(long)]
        email: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// admin (participation team), staff (scoped to their services), finance or auditor.
        #[arg(long)]
        role: String,
        /// A service they belong to, by name or id; repeat for several.
        #[arg(long = "service")]
        services: Vec<String>,
        /// Read their password from standard input instead of printing a set-password link.
        #[arg(long)]
        password_stdin: bool,
        /// The address people reach coproduce at, for the link.
        #[arg(
            long,
            env = "COPRODUCE_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Disable an account; every session it has ends at once.
    Disable {
        /// Their email address.
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a staff member; prints only the token.
    Create {
        /// The staff member's email address.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "API token")]
        name: String,
        /// Days until it stops working (default: never).
        #[arg(long)]
        expires_days: Option<i64>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Subcommand)]
enum SecretsCommand {
    /// Make a new secret for signing the public form's keys; every server uses it within a
    /// minute, and forms shown before keep working for their 24 hours.
    Rotate {
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every entry's hash and link with the audit key, and a checkpoint from the log if
    /// given; exit 1 if the chain is broken or the checkpoint's entries are not all there.
    Verify {
        /// A line of the server's log holding an audit checkpoint (the server writes one at
        /// start, every hour and on stopping).
        #[arg(long)]
        checkpoint: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

/// A failure to report in one line, with its exit code.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn config(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::config(e.to_string())
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        match e {
            AppError::Invalid(list) => Failure::config(
                list.iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            other => Failure {
                message: other.to_string(),
                code: 1,
            },
        }
    }
}

/// glibc's allocator raises the size it hands to the kernel with `mmap` to that of the largest
/// block freed, so once a large upload's buffers are freed, later ones come from the heap of
/// whichever thread asked, and each thread's heap keeps what it held: a 20 MB import left the
/// process at twice the memory it needed (218 MB against 112). A fixed threshold of 1 MiB is set
/// through the environment, since nothing else reaches glibc without unsafe code: the program
/// starts itself again with it, once, before anything else has run. (128 KiB bounded an import
/// as well, but every page's larger buffers then went to the kernel and back: a group's page
/// lost 15%.)
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_allocator_threshold() {
    use std::os::unix::process::CommandExt;
    const THRESHOLD: &str = "MALLOC_MMAP_THRESHOLD_";
    if std::env::var_os(THRESHOLD).is_some() {
        return;
    }
    if let Ok(me) = std::env::current_exe() {
        // `exec` returns only if it failed; the program then goes on as it is.
        let _failed = std::process::Command::new(me)
            .args(std::env::args_os().skip(1))
            .env(THRESHOLD, "1048576")
            .exec();
    }
}

/// Logs go to standard error: lines for a person at a terminal, JSON for a log collector
/// otherwise. Nothing personal is logged: requests are named by their route and reference.
fn start_logging() {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_env("COPRODUCE_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".into())
        .add_directive(
            format!("{}=info", serve::CHECKPOINTS)
                .parse()
                .unwrap_or_else(|_| unreachable!("a valid directive")),
        );
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::io::stderr().is_terminal() {
        logs.init();
    } else {
        logs.json().init();
    }
}

fn main() -> ExitCode {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fix_allocator_threshold();
    let cli = Cli::parse();
    start_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("coproduce: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("coproduce: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// Opens the database with its audit key, keying the trail if nothing has yet.
async fn open(address: &str, key: &AuditKeyArg) -> Result<App, Failure> {
    let app = open_unkeyed(address, key, true).await?;
    app.key_audit_chain().await?;
    Ok(app)
}

/// Opens the database with its audit key, making the key only if `may_make` and the trail is
/// not keyed yet.
async fn open_unkeyed(address: &str, key: &AuditKeyArg, may_make: bool) -> Result<App, Failure> {
    let location = Location::parse(address)?;
    let db = Db::open(&location).await?;
    db.migrate().await?;
    let keyed = App::audit_chain_keyed(&db).await?;
    let key = key
        .load(&location, may_make && !keyed)
        .map_err(Failure::config)?;
    Ok(App::new(db, key).await?)
}

async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Serve { db, serve } => {
            let app = open(&db.database, &db.key).await?;
            let listening = serve::listen(&serve).await?;
            serve::serve_app(app, &serve, listening, None).await
        }
        Command::Migrate { db } => {
            let location = Location::parse(&db.database)?;
            let opened = Db::open(&location).await?;
            opened.migrate().await?;
            opened.close().await;
            println!("The database at {} is up to date.", location.describe());
            Ok(())
        }
        Command::Demo {
            database,
            key,
            serve,
        } => serve::demo(&database, &key, &serve).await,
        Command::Staff { command } => staff(command).await,
        Command::Token {
            command:
                TokenCommand::Create {
                    email,
                    name,
                    expires_days,
                    db,
                },
        } => {
            let app = open(&db.database, &db.key).await?;
            let id = app.staff_id_by_email(&Actor::Cli, &email).await?;
            let token = app
                .create_api_token(&Actor::Cli, id, &name, expires_days)
                .await?;
            println!("{}", token.expose());
            app.db().close().await;
            Ok(())
        }
        Command::Secrets {
            command: SecretsCommand::Rotate { db },
        } => {
            let app = open(&db.database, &db.key).await?;
            let id = app.rotate_secrets(&Actor::Cli).await?;
            app.db().close().await;
            println!("Form keys are now signed with secret {id}; forms already open keep working for 24 hours.");
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify { checkpoint, db },
        } => {
            let app = open_unkeyed(&db.database, &db.key, false).await?;
            let mut report = app.verify_audit_chain(&Actor::Cli).await?;
            if let (ChainReport::Intact { .. }, Some(line)) = (&report, &checkpoint) {
                if let ChainReport::Broken { seq, reason } =
                    app.verify_audit_checkpoint(&Actor::Cli, line).await?
                {
                    report = ChainReport::Broken { seq, reason };
                } else {
                    println!("The checkpoint checks out: every entry it saw is there.");
                }
            }
            app.db().close().await;
            match report {
                ChainReport::Intact { entries } => {
                    println!("The audit trail is intact: {entries} entries check out.");
                    Ok(())
                }
                ChainReport::Broken { seq, reason } => Err(Failure {
                    message: format!("the audit trail is broken at entry {seq}: {reason}"),
                    code: 1,
                }),
            }
        }
    }
}

async fn staff(command: StaffCommand) -> Result<(), Failure> {
    match command {
        StaffCommand::Add {
            email,
            name,
            role,
            services,
            password_stdin,
            public_url,
            db,
        } => {
            let password = if password_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).map_err(|e| {
                    Failure::config(format!("cannot read the password from standard input: {e}"))
                })?;
                Some(text.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let app = open(&db.database, &db.key).await?;
            let added = app
                .add_staff(
                    &Actor::Cli,
                    NewStaffInput {
                        email,
                        name,
                        role,
                        services,
                        password,
                    },
                )
                .await?;
            match added.password_link {
                Some(token) => println!(
                    "Added staff member {}. Send them this link to choose a password (it works once, within 24 hours):\n{}/set-password/{}",
                    added.id,
                    public_url.trim_end_matches('/'),
                    token.expose()
                ),
                None => println!("Added staff member {}.", added.id),
            }
            app.db().close().await;
            Ok(())
        }
        StaffCommand::Disable { email, db } => {
            let app = open(&db.database, &db.key).await?;
            let id = app.staff_id_by_email(&Actor::Cli, &email).await?;
            app.set_staff_disabled(&Actor::Cli, id, true).await?;
            println!("Disabled {email}; every session they had has ended.");
            app.db().close().await;
            Ok(())
        }
    }
}
