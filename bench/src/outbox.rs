//! The outbox's rate: `outbox DATABASE MESSAGES`. Queues MESSAGES messages, then two workers, each
//! with its own connection pool as two servers would have, send them to the file transport at
//! once. Prints the messages sent per second, and fails if any message was written twice, lost,
//! or failed.

use coproduce_app::outbox::Transport;
use coproduce_app::App;
use coproduce_domain::Timestamp;
use coproduce_store::outbox::NewMessage;
use coproduce_store::{Db, Location};
use std::sync::Arc;

async fn worker(app: App, transport: Arc<Transport>, name: &'static str) -> Result<usize, String> {
    let mut sent = 0;
    loop {
        match app.send_outbox(&transport, name, 200).await {
            Ok(0) => return Ok(sent),
            Ok(n) => sent += n,
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let database = args.get(1).ok_or("usage: outbox DATABASE MESSAGES")?;
    let count: usize = args.get(2).map_or(Ok(20_000), |a| a.parse())?;
    let location = Location::parse(database)?;
    let first = Db::open(&location).await?;
    first.migrate().await?;
    let now = Timestamp(Timestamp::now().millis() - 1000);
    let keys: Vec<String> = (0..count)
        .map(|i| format!("bench:{i}:{}", now.millis()))
        .collect();
    let messages: Vec<NewMessage> = keys
        .iter()
        .map(|k| NewMessage {
            dedupe_key: k,
            kind: "reminder",
            channel: "email",
            person_id: None,
            meeting_id: None,
            recipient: "someone@example.org",
            recipient_name: "Someone",
            subject: "Reminder: Parent carer forum on Wednesday 4 March at 7pm",
            body: "Dear Someone,\n\nThis is a reminder of the Parent carer forum meeting on Wednesday 4 March at 7pm.\n\nJoin online: https://zoom.us/j/81234567890\n",
            easy_read: false,
            send_after: now,
        })
        .collect();
    let mut tx = first.write().await?;
    coproduce_store::outbox::enqueue(&mut tx, &messages, now).await?;
    tx.commit().await?;

    let dir = std::env::temp_dir().join(format!("coproduce-outbox-bench-{}", std::process::id()));
    let transport = Arc::new(Transport::File(dir.clone()));
    let second = Db::open(&location).await?;
    let key = coproduce_domain::audit::AuditKey::generate();
    let (one, two) = (
        App::new(first, key.clone()).await?,
        App::new(second, key).await?,
    );
    let started = std::time::Instant::now();
    let (a, b) = tokio::join!(
        worker(one.clone(), transport.clone(), "one"),
        worker(two, transport, "two")
    );
    let elapsed = started.elapsed().as_secs_f64();
    let (a, b) = (a?, b?);
    let files = std::fs::read_dir(&dir)?.count();
    let counts = one.outbox_counts().await?;
    std::fs::remove_dir_all(&dir)?;
    let sent = counts
        .iter()
        .find(|(s, _)| s == "sent")
        .map_or(0, |(_, n)| *n);
    println!(
        "{count} messages in {elapsed:.2} s: {:.0} messages/s (worker one {a}, worker two {b}; {files} files; statuses {counts:?})",
        count as f64 / elapsed
    );
    if files != count || sent as usize != count || a + b != count {
        return Err("a message was lost, failed or sent twice".into());
    }
    Ok(())
}
