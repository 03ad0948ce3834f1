//! Lists anyone may ask for, as often as they like, that change rarely: the public
//! opportunities and "You said, we did". Each is kept for a moment for the UK date it was read
//! on; a change made on this server clears it at once, and one made on another server shows
//! within [`PUBLIC_CACHE_MS`].
//!
//! When the moment passes, one request reads the list again while the others are answered from
//! the list as it was, so a busy page never has every request read the database at once; and a
//! list read again that has not changed is kept as the same `Arc`, so what was drawn from it
//! (see the web layer's kept pages) stays good.

use coproduce_domain::Timestamp;
use std::sync::{Arc, Mutex};

/// How long a public list is kept before it is read again, in milliseconds.
pub const PUBLIC_CACHE_MS: i64 = 2_000;

/// A list as last read, and whether (since when) someone is reading it again.
struct Kept<T> {
    at: i64,
    day: String,
    rows: Arc<Vec<T>>,
    refreshing_since: Option<i64>,
}

/// One public list, as last read.
pub(crate) struct PublicCache<T>(Mutex<Option<Kept<T>>>);

impl<T> Default for PublicCache<T> {
    fn default() -> Self {
        PublicCache(Mutex::new(None))
    }
}

impl<T: PartialEq> PublicCache<T> {
    /// The list to answer with, if there is one: the list read on `today` within the time it is
    /// kept, or, while another request reads it again, the list as it was. `None` tells the
    /// caller to read it (and [`PublicCache::put`] it).
    pub(crate) fn get(&self, now: Timestamp, today: &str) -> Option<Arc<Vec<T>>> {
        let mut guard = self.0.lock().ok()?;
        let kept = guard.as_mut().filter(|k| k.day == today)?;
        let now = now.millis();
        if now - kept.at < PUBLIC_CACHE_MS {
            return Some(Arc::clone(&kept.rows));
        }
        match kept.refreshing_since {
            // Someone is reading it (and has not taken too long): answer with it as it was.
            Some(since) if now - since < PUBLIC_CACHE_MS => Some(Arc::clone(&kept.rows)),
            _ => {
                kept.refreshing_since = Some(now);
                None
            }
        }
    }

    /// Keeps the list just read, and answers the one to use: the one kept before when nothing
    /// in it changed.
    pub(crate) fn put(&self, now: Timestamp, today: String, rows: Vec<T>) -> Arc<Vec<T>> {
        let Ok(mut guard) = self.0.lock() else {
            return Arc::new(rows);
        };
        let rows = match guard.as_ref() {
            Some(k) if k.day == today && *k.rows == rows => Arc::clone(&k.rows),
            _ => Arc::new(rows),
        };
        *guard = Some(Kept {
            at: now.millis(),
            day: today,
            rows: Arc::clone(&rows),
            refreshing_since: None,
        });
        rows
    }

    /// Forgets it, after a change.
    pub(crate) fn clear(&self) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_caller_reads_a_list_again_while_the_others_have_it_as_it_was() {
        let cache = PublicCache::<i32>::default();
        let day = "2026-12-03";
        assert!(cache.get(Timestamp(0), day).is_none(), "nothing kept yet");
        let first = cache.put(Timestamp(0), day.into(), vec![1, 2]);
        assert!(Arc::ptr_eq(
            &cache.get(Timestamp(1_999), day).expect("kept"),
            &first
        ));
        assert!(
            cache.get(Timestamp(2_000), day).is_none(),
            "the first after it goes reads it"
        );
        let meanwhile = cache
            .get(Timestamp(2_001), day)
            .expect("the others have it as it was");
        assert!(Arc::ptr_eq(&meanwhile, &first));
        let again = cache.put(Timestamp(2_010), day.into(), vec![1, 2]);
        assert!(
            Arc::ptr_eq(&again, &first),
            "unchanged, it is the same list"
        );
        let changed = cache.put(Timestamp(2_020), day.into(), vec![3]);
        assert!(!Arc::ptr_eq(&changed, &first));
        assert!(
            cache.get(Timestamp(2_030), "2026-12-04").is_none(),
            "a new day reads it"
        );
        cache.clear();
        assert!(
            cache.get(Timestamp(2_040), day).is_none(),
            "a change clears it"
        );
    }

    #[test]
    fn a_reader_that_never_comes_back_holds_the_list_up_only_for_a_moment() {
        let cache = PublicCache::<i32>::default();
        let day = "2026-12-03";
        cache.put(Timestamp(0), day.into(), vec![1]);
        assert!(cache.get(Timestamp(2_000), day).is_none());
        assert!(cache.get(Timestamp(3_000), day).is_some());
        assert!(
            cache.get(Timestamp(4_000), day).is_none(),
            "another reads it after a while"
        );
    }
}
