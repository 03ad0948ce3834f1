//! Lists anyone may ask for, as often as they like, that change rarely: the public
//! opportunities and "You said, we did". Each is kept for a moment for the UK date it was read
//! on; a change made on this server clears it at once, and one made on another server shows
//! within [`PUBLIC_CACHE_MS`].

use coproduce_domain::Timestamp;
use std::sync::{Arc, Mutex};

/// How long a public list is kept before it is read again, in milliseconds.
pub const PUBLIC_CACHE_MS: i64 = 2_000;

/// A list as last read: when (milliseconds), for which UK date, and the rows.
type Kept<T> = (i64, String, Arc<Vec<T>>);

/// One public list, as last read.
pub(crate) struct PublicCache<T>(Mutex<Option<Kept<T>>>);

impl<T> Default for PublicCache<T> {
    fn default() -> Self {
        PublicCache(Mutex::new(None))
    }
}

impl<T> PublicCache<T> {
    /// The list, if it was read on `today` within the time it is kept.
    pub(crate) fn get(&self, now: Timestamp, today: &str) -> Option<Arc<Vec<T>>> {
        let guard = self.0.lock().ok()?;
        match guard.as_ref() {
            Some((at, day, rows)) if day == today && now.millis() - at < PUBLIC_CACHE_MS => {
                Some(Arc::clone(rows))
            }
            _ => None,
        }
    }

    /// Keeps the list just read.
    pub(crate) fn put(&self, now: Timestamp, today: String, rows: Arc<Vec<T>>) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((now.millis(), today, rows));
        }
    }

    /// Forgets it, after a change.
    pub(crate) fn clear(&self) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = None;
        }
    }
}
