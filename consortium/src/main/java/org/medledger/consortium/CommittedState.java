package org.medledger.consortium;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.StateReader;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.LedgerStore;

/**
 * The node's committed world state: the store, with a bounded cache in front. Only the thread
 * holding the replica's lock writes the store, so only it fills the cache from store reads;
 * other readers use the cache or the store without filling it (no stale entry can be cached).
 */
final class CommittedState implements StateReader {
    private static final int CAPACITY = 200_000;
    private final LedgerStore store;
    private final Map<StateKey, Optional<VersionedValue>> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<StateKey, Optional<VersionedValue>> e) {
            return size() > CAPACITY;
        }
    };

    CommittedState(LedgerStore store) {
        this.store = store;
    }

    /** Read without filling the cache (any thread). */
    @Override
    public Optional<VersionedValue> get(StateKey key) {
        Optional<VersionedValue> v;
        synchronized (cache) {
            v = cache.get(key);
        }
        return v != null ? v : store.get(key);
    }

    /** Read and cache (only under the replica's lock, the only writer). */
    Optional<VersionedValue> load(StateKey key) {
        synchronized (cache) {
            Optional<VersionedValue> v = cache.get(key);
            if (v != null) {
                return v;
            }
        }
        Optional<VersionedValue> v = store.get(key);
        synchronized (cache) {
            cache.put(key, v);
        }
        return v;
    }

    /** After a durable append (under the replica's lock). */
    void committed(Map<StateKey, VersionedValue> writes) {
        synchronized (cache) {
            writes.forEach((k, v) -> cache.put(k, Optional.of(v)));
        }
    }
}
