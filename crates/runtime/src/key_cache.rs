//! A small bounded cache of derived signing keys, shared by the SigV4 and SigV4a signers:
//! lookups by a predicate over the stored key material (no allocation on a hit), the
//! oldest entry dropped when full, hit and miss counters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Counters of a signing-key cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that derived a key.
    pub misses: u64,
    /// Keys held now.
    pub len: usize,
}

/// At most `capacity` entries of what a key was derived from (`K`) and the key (`V`).
pub(crate) struct KeyCache<K, V> {
    capacity: usize,
    entries: Mutex<Vec<(K, V)>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<K, V: Clone> KeyCache<K, V> {
    /// An empty cache holding at most `capacity` entries (at least one).
    pub(crate) const fn new(capacity: usize) -> Self {
        KeyCache {
            capacity: if capacity == 0 { 1 } else { capacity },
            entries: Mutex::new(Vec::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// The value of the entry `matches` picks, else `derive`d (without the lock held, so
    /// other threads keep signing meanwhile) and stored under `material()`.
    pub(crate) fn get_or_derive<E>(
        &self,
        matches: impl Fn(&K) -> bool,
        material: impl FnOnce() -> K,
        derive: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some((_, value)) = self.lock().iter().find(|(k, _)| matches(k)) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(value.clone());
        }
        let value = derive()?;
        self.misses.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.lock();
        if !entries.iter().any(|(k, _)| matches(k)) {
            if entries.len() >= self.capacity {
                entries.remove(0);
            }
            entries.push((material(), value.clone()));
        }
        Ok(value)
    }

    /// Hits, misses and size so far.
    pub(crate) fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            len: self.lock().len(),
        }
    }

    /// Forgets every entry (the counters stay).
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(K, V)>> {
        // Nothing panics while the lock is held, and the entries are valid even if
        // something did.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
