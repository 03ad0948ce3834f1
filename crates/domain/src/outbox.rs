//! Messages waiting to go, or gone: reminders and changes of meeting, as stored.

use serde::Deserialize;

/// A message as the meeting page shows it.
#[derive(Clone, Debug, Deserialize)]
pub struct Message {
    /// Id.
    pub id: i64,
    /// `reminder` or `meeting_changed`.
    pub kind: String,
    /// `email`, `sms` or `letter`.
    pub channel: String,
    /// Their name.
    pub recipient_name: String,
    /// Whether it is in Easy Read.
    #[serde(deserialize_with = "crate::json_bool")]
    pub easy_read: bool,
    /// `pending`, `sending`, `sent`, `delivered` or `failed`.
    pub status: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it goes (or went) next.
    pub next_attempt_at: i64,
    /// When it was sent.
    pub sent_at: Option<i64>,
}
