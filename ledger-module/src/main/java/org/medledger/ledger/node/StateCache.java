package org.medledger.ledger.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.StateReader;
import org.medledger.ledger.state.VersionedValue;

/**
 * Read-through cache of committed world state. Sound because the node is the only writer: the
 * producer puts every committed write here right after the store commits it, and a reader's
 * value fetched from the store is only added if no newer entry exists and no clear happened
 * since the fetch began ({@link #generation()}). Bounded: cleared when large.
 *
 * <p>A {@link KeyFilter} of every committed key answers "absent" without a database read (new
 * records are the usual write). It is filled from the store when the cache is built, every
 * committed key is added to it before the cache publishes the write, and it is rebuilt from
 * the store at twice the size when it fills up.
 */
final class StateCache implements StateReader {
    private static final int LIMIT = 500_000;
    private static final int MIN_FILTER_CAPACITY = 1 << 20;
    private static final int MAX_FILTER_CAPACITY = 1 << 27;
    private static final int PAGE = 10_000;

    /** Pages through the store's keys: (after, limit) → keys; see {@code LedgerStore.stateKeys}. */
    interface KeyPages {
        List<StateKey> page(StateKey after, int limit);
    }

    private final StateReader store;
    private final KeyPages keys;
    private volatile KeyFilter filter;
    private final ConcurrentHashMap<StateKey, Optional<VersionedValue>> entries = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile long generation;

    StateCache(StateReader store, KeyPages keys) {
        this(store, keys, MIN_FILTER_CAPACITY);
    }

    /** {@code minFilterCapacity}: keys the filter holds before its first rebuild (tests use small ones). */
    StateCache(StateReader store, KeyPages keys, int minFilterCapacity) {
        this.store = store;
        this.keys = keys;
        this.filter = load(minFilterCapacity);
    }

    /** Whether {@code key} may have a committed value (false: it certainly has none). */
    boolean mayExist(StateKey key) {
        return filter.mightContain(key);
    }

    /** A filter holding every key now in the store, with room for at least as many again. */
    private KeyFilter load(int capacity) {
        KeyFilter f = new KeyFilter(capacity);
        for (List<StateKey> page = keys.page(null, PAGE); !page.isEmpty(); page = keys.page(page.get(page.size() - 1), PAGE)) {
            page.forEach(f::add);
            if (2L * f.added() > capacity && capacity < MAX_FILTER_CAPACITY) {
                return load((int) Math.min(MAX_FILTER_CAPACITY, 2L * capacity));
            }
        }
        return f;
    }

    /** Capacity of the key filter (for tests and diagnostics). */
    int filterCapacity() {
        return filter.capacity();
    }

    long generation() {
        return generation;
    }

    /** The cached entry, or null when unknown to the cache (it says nothing about the store). */
    Optional<VersionedValue> peek(StateKey key) {
        return entries.get(key);
    }

    @Override
    public Optional<VersionedValue> get(StateKey key) {
        Optional<VersionedValue> v = entries.get(key);
        if (v != null) {
            return v;
        }
        long g = generation;
        Optional<VersionedValue> fetched = filter.mightContain(key) ? store.get(key) : Optional.empty();
        lock.readLock().lock();
        try {
            if (g == generation && entries.size() < LIMIT) {
                Optional<VersionedValue> raced = entries.putIfAbsent(key, fetched);
                return raced != null ? raced : fetched;
            }
        } finally {
            lock.readLock().unlock();
        }
        return fetched;
    }

    /**
     * Called by the producer (only) after the store committed {@code writes}. A full key filter
     * is rebuilt from the store afterwards, outside the lock: readers keep using the old filter,
     * which holds every committed key, until the new one replaces it; if the rebuild fails the
     * old filter stays (it only answers "maybe" more often).
     */
    void committed(Map<StateKey, VersionedValue> writes) {
        KeyFilter f = filter;
        lock.writeLock().lock();
        try {
            if (entries.size() + writes.size() > LIMIT) {
                entries.clear();
                generation++;
            }
            writes.keySet().forEach(f::add);
            writes.forEach((k, v) -> entries.put(k, Optional.of(v)));
        } finally {
            lock.writeLock().unlock();
        }
        if (f.full() && f.capacity() < MAX_FILTER_CAPACITY) {
            try {
                // The store already holds these writes, so the new filter has them too.
                filter = load(2 * f.capacity());
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(StateCache.class.getName())
                        .log(java.util.logging.Level.WARNING, "key filter rebuild failed; keeping the full one", e);
            }
        }
    }
}
