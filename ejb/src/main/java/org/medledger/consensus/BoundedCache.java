package org.medledger.consensus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A small least-recently-used cache of at most {@code capacity} entries, thread-safe: what a
 * consortium node keeps of the authority's answers (directory entries) between lookups.
 */
public final class BoundedCache<K, V> {

    private final int capacity;
    private final LinkedHashMap<K, V> map;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.capacity;
            }
        };
    }

    public synchronized Optional<V> get(K key) {
        return Optional.ofNullable(map.get(key));
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    public synchronized void remove(K key) {
        map.remove(key);
    }

    /** Drops every entry whose key matches. */
    public synchronized void removeIf(Predicate<K> matches) {
        map.keySet().removeIf(matches);
    }

    public synchronized void clear() {
        map.clear();
    }

    public synchronized int size() {
        return map.size();
    }
}
