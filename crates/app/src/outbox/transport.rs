//! How messages leave: a file per message (development), SMTP, or GOV.UK Notify.

use super::delivery::{Delivery, SendError};
use super::notify::Notify;
use super::smtp::Smtp;
use coproduce_store::outbox::Claimed;
use std::path::PathBuf;

/// Where messages go.
#[derive(Clone, Debug)]
pub enum Transport {
    /// Each message written to its own file in a folder (for development and tests).
    File(PathBuf),
    /// Email through an SMTP server.
    Smtp(Smtp),
    /// Email, text messages and letters through GOV.UK Notify.
    Notify(Notify),
}

impl Transport {
    /// Reads a transport from its setting: `file:FOLDER`, `smtp://[user:password@]host[:port]?from=ADDRESS[&tls=starttls|tls|none]`,
    /// or `notify:` (configured by the `NOTIFY_*` variables, see the README).
    pub fn from_setting(
        setting: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Transport, String> {
        if let Some(dir) = setting.strip_prefix("file:") {
            if dir.is_empty() {
                return Err("file: needs a folder, e.g. file:outbox".into());
            }
            return Ok(Transport::File(PathBuf::from(dir)));
        }
        if setting.starts_with("smtp://") {
            return Smtp::from_url(setting).map(Transport::Smtp);
        }
        if setting == "notify:" || setting == "notify" {
            return Notify::from_env(env).map(Transport::Notify);
        }
        Err(format!(
            "unknown outbox transport {setting:?}: use file:FOLDER, smtp://host:port?from=ADDRESS, or notify:"
        ))
    }

    /// Sends one message. The provider's id for it, if it gives one.
    pub async fn send(&self, m: &Claimed, id: i64) -> Result<Option<String>, SendError> {
        match self {
            Transport::File(dir) => write_file(dir, m, id).await.map(|()| None),
            Transport::Smtp(s) => s.send(m, id).await.map(|()| None),
            Transport::Notify(n) => n.send(m, id).await,
        }
    }

    /// Asks the provider what became of a message it accepted (only Notify can say).
    pub async fn delivery(&self, provider_id: &str) -> Delivery {
        match self {
            Transport::Notify(n) => n.status(provider_id).await,
            _ => Delivery::Pending,
        }
    }

    /// The channels it can send.
    pub fn channels(&self) -> &'static [&'static str] {
        match self {
            Transport::Smtp(_) => &["email"],
            _ => super::ALL_CHANNELS,
        }
    }

    /// Whether the provider reports delivery.
    pub fn reports_delivery(&self) -> bool {
        matches!(self, Transport::Notify(_))
    }
}

/// Writes the message to `DIR/ID.txt`, refusing to write one twice: a second file for the same
/// message would be a message sent twice.
async fn write_file(dir: &std::path::Path, m: &Claimed, id: i64) -> Result<(), SendError> {
    use tokio::io::AsyncWriteExt;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| SendError::Retry(format!("cannot make the outbox folder: {e}")))?;
    let path = dir.join(format!("{id}.txt"));
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                SendError::Permanent(format!("{} was already written", path.display()))
            }
            _ => SendError::Retry(format!("cannot write {}: {e}", path.display())),
        })?;
    let text = format!(
        "Channel: {}\nTo: {} <{}>\nSubject: {}\nEasy Read: {}\n\n{}\n",
        m.channel,
        m.recipient_name,
        m.recipient,
        m.subject,
        if m.easy_read { "yes" } else { "no" },
        m.body
    );
    file.write_all(text.as_bytes())
        .await
        .map_err(|e| SendError::Retry(format!("cannot write {}: {e}", path.display())))?;
    Ok(())
}
