//! Serving: the web app with its background jobs (the outbox, audit checkpoints) and the demo.

use crate::audit_key::AuditKeyArg;
use crate::{open, Failure, ServeArgs};
use coproduce_app::{App, AppError};
use coproduce_store::{Location, StoreError};
use std::net::SocketAddr;

pub(crate) async fn demo(
    database: &str,
    key: &AuditKeyArg,
    serve: &ServeArgs,
) -> Result<(), Failure> {
    let location = Location::parse(database)?;
    if let Location::Sqlite(path) = &location {
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Failure::config(format!(
                        "cannot replace {}: {e}",
                        path.display()
                    )))
                }
            }
        }
    }
    let app = open(database, key).await?;
    // Listening first, so the links the demo's messages carry point at this server.
    let listening = listen(serve).await?;
    app.set_public_origin(&listening.public_origin);
    let accounts = coproduce_app::demo::seed(&app).await.map_err(|e| match e {
        AppError::Store(StoreError::Duplicate(_)) => {
            Failure::config("the demo needs an empty database; this one already has data in it")
        }
        other => Failure::from(other),
    })?;
    let mut intro = format!(
        "\nDemo sign-in details. Everyone's password is: {}\n  role     email                                   authenticator key (add it to an authenticator app)\n",
        coproduce_app::demo::DEMO_PASSWORD
    );
    for a in &accounts {
        intro.push_str(&format!(
            "  {:<8} {:<39} {}\n",
            a.role.as_str(),
            a.email,
            a.totp_secret.as_deref().unwrap_or("-")
        ));
    }
    serve_app(app, serve, listening, Some(intro)).await
}

/// The outbox's jobs: send what is due every second (each server is a worker; several on one
/// database share the work without sending anything twice), queue reminders every five minutes,
/// ask those confirmed for activities just ended for feedback, and ask the provider about
/// deliveries every five minutes.
fn spawn_outbox(app: App, transport: std::sync::Arc<coproduce_app::outbox::Transport>) {
    let worker = format!("{}-{}", std::process::id(), rand::random::<u32>());
    let sender = app.clone();
    let sending = transport.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            loop {
                match sender.send_outbox(&sending, &worker, 200).await {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::error!(error = %e, "sending the outbox failed");
                        break;
                    }
                }
            }
        }
    });
    let reminders = app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5 * 60));
        loop {
            tick.tick().await;
            if let Err(e) = reminders.queue_reminders().await {
                tracing::error!(error = %e, "queueing reminders failed");
            }
            if let Err(e) = reminders.queue_activity_feedback().await {
                tracing::error!(error = %e, "asking for feedback on activities failed");
            }
        }
    });
    // Apart from reminders, so a slow provider never holds them up.
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5 * 60));
        loop {
            tick.tick().await;
            if let Err(e) = app.check_deliveries(&transport).await {
                tracing::error!(error = %e, "checking deliveries failed");
            }
        }
    });
}

/// A listening socket and the origin people reach it at.
pub(crate) struct Listening {
    listener: tokio::net::TcpListener,
    public_origin: String,
}

/// Listens where the settings say, and works out the public origin (the public URL's, else the
/// address listened on).
pub(crate) async fn listen(serve: &ServeArgs) -> Result<Listening, Failure> {
    let listener = tokio::net::TcpListener::bind(&serve.bind)
        .await
        .map_err(|e| Failure::config(format!("cannot listen on {}: {e}", serve.bind)))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::config(e.to_string()))?;
    let public_origin = match &serve.public_url {
        Some(u) => {
            let parsed = url::Url::parse(u)
                .map_err(|e| Failure::config(format!("the public URL is not valid: {e}")))?;
            parsed.origin().ascii_serialization()
        }
        None => format!("http://{local}"),
    };
    Ok(Listening {
        listener,
        public_origin,
    })
}

pub(crate) async fn serve_app(
    app: App,
    serve: &ServeArgs,
    listening: Listening,
    intro: Option<String>,
) -> Result<(), Failure> {
    let Listening {
        listener,
        public_origin,
    } = listening;
    let config = coproduce_web::WebConfig {
        public_origin: public_origin.clone(),
    };
    let router = coproduce_web::router(app.clone(), config);
    let transport = std::sync::Arc::new(
        coproduce_app::outbox::Transport::from_setting(&serve.outbox, &|name| {
            std::env::var(name).ok()
        })
        .map_err(Failure::config)?,
    );
    app.set_channels(transport.channels());
    app.set_public_origin(&public_origin);
    app.set_enquiry_limit(serve.enquiry_limit);
    spawn_outbox(app.clone(), transport);
    // Another server's change to the organisation's details shows here within a minute.
    let org = app.clone();
    tokio::spawn(async move {
        let mut minutely = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            minutely.tick().await;
            if let Err(e) = org.refresh_organisation().await {
                tracing::error!(error = %e, "reading the organisation's details failed");
            }
        }
    });
    // Groups' meetings stay materialised a year ahead: at start, then daily.
    let jobs = app.clone();
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            daily.tick().await;
            if let Err(e) = jobs.extend_meetings().await {
                tracing::error!(error = %e, "extending the meetings failed");
            }
            if let Err(e) = jobs.forget_idempotency_keys().await {
                tracing::error!(error = %e, "forgetting old idempotency keys failed");
            }
        }
    });
    println!(
        "coproduce is running at {public_origin} ({} database)",
        app.db().backend()
    );
    if let Some(intro) = intro {
        println!("{intro}");
    }
    spawn_checkpoints(app.clone());
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| Failure {
        message: format!("the server stopped: {e}"),
        code: 1,
    })?;
    app.flush_audit().await;
    log_checkpoint(&app).await;
    app.db().close().await;
    tracing::info!("stopped after finishing the requests in flight");
    Ok(())
}

/// The log target audit checkpoints are written to, always at `info` whatever the filter.
pub(crate) const CHECKPOINTS: &str = "coproduce_audit";

/// Writes a signed checkpoint of the audit trail's head to the log.
async fn log_checkpoint(app: &App) {
    match app.audit_checkpoint().await {
        Ok(line) => tracing::info!(target: CHECKPOINTS, checkpoint = %line, "audit checkpoint"),
        Err(e) => tracing::error!(error = %e, "writing an audit checkpoint failed"),
    }
}

/// A checkpoint at start, then every hour (and one more on stopping, in `serve_app`).
fn spawn_checkpoints(app: App) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
        loop {
            hourly.tick().await;
            log_checkpoint(&app).await;
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
