package org.medledger.ledger.node;

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
 */
final class StateCache implements StateReader {
    private static final int LIMIT = 500_000;

    private final StateReader store;
    private final ConcurrentHashMap<StateKey, Optional<VersionedValue>> entries = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile long generation;

    StateCache(StateReader store) {
        this.store = store;
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
        Optional<VersionedValue> fetched = store.get(key);
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

    /** Called by the producer after the store committed {@code writes}. */
    void committed(Map<StateKey, VersionedValue> writes) {
        lock.writeLock().lock();
        try {
            if (entries.size() + writes.size() > LIMIT) {
                entries.clear();
                generation++;
            }
            writes.forEach((k, v) -> entries.put(k, Optional.of(v)));
        } finally {
            lock.writeLock().unlock();
        }
    }
}
