package org.medledger.ledger.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;

class KeyFilterTest {
    @Test
    void everyAddedKeyIsReportedAndFewAbsentOnesAre() {
        KeyFilter f = new KeyFilter(100_000, 42);
        for (int i = 0; i < 100_000; i++) {
            f.add(new StateKey("ga-upload", "rec-" + i));
        }
        for (int i = 0; i < 100_000; i++) {
            assertTrue(f.mightContain(new StateKey("ga-upload", "rec-" + i)), "false negative for rec-" + i);
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (f.mightContain(new StateKey("ga-upload", "other-" + i))) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 2_000, "false-positive rate above 2 %: " + falsePositives);
        assertTrue(f.added() > 99_000 && f.added() <= 100_000, "distinct count " + f.added());
        assertFalse(f.full());
    }

    @Test
    void namespaceAndKeyBoundaryMatters() {
        KeyFilter f = new KeyFilter(1_000, 7);
        f.add(new StateKey("ab", "c"));
        assertTrue(f.mightContain(new StateKey("ab", "c")));
        assertFalse(f.mightContain(new StateKey("a", "bc")));
        assertFalse(f.mightContain(new StateKey("abc", "")));
    }

    @Test
    void anEmptyFilterReportsNothing() {
        KeyFilter f = new KeyFilter(10, 1);
        assertFalse(f.mightContain(new StateKey("member", "kgc")));
        assertEquals(0, f.added());
    }

    /** A store that counts reads. */
    private static final class CountingStore {
        final Map<StateKey, VersionedValue> data = new java.util.TreeMap<>();
        final AtomicInteger reads = new AtomicInteger();

        Optional<VersionedValue> get(StateKey k) {
            reads.incrementAndGet();
            return Optional.ofNullable(data.get(k));
        }

        List<StateKey> page(StateKey after, int limit) {
            List<StateKey> out = new ArrayList<>();
            for (StateKey k : data.keySet()) {
                if ((after == null || k.compareTo(after) > 0) && out.size() < limit) {
                    out.add(k);
                }
            }
            return out;
        }
    }

    @Test
    void theStateCacheAsksTheStoreOnlyForKeysThatMayExist() {
        CountingStore store = new CountingStore();
        for (int i = 0; i < 25_000; i++) {
            store.data.put(new StateKey("ga-upload", "old-" + i), new VersionedValue(i + 1, Bytes.utf8("v")));
        }
        StateCache cache = new StateCache(store::get, store::page);
        // Keys already stored are found (through the store).
        assertEquals(1, cache.get(new StateKey("ga-upload", "old-7")).orElseThrow().version() - 7);
        assertTrue(cache.get(new StateKey("ga-upload", "old-24999")).isPresent());
        int before = store.reads.get();
        // New keys: answered "absent" without reading the store (allowing the filter's rare false positive).
        for (int i = 0; i < 1_000; i++) {
            assertTrue(cache.get(new StateKey("ga-upload", "new-" + i)).isEmpty());
        }
        assertTrue(store.reads.get() - before < 30, "store reads for new keys: " + (store.reads.get() - before));
        // A committed key is visible at once, from the cache.
        StateKey k = new StateKey("ga-upload", "new-1");
        store.data.put(k, new VersionedValue(99, Bytes.utf8("x")));
        cache.committed(Map.of(k, new VersionedValue(99, Bytes.utf8("x"))));
        assertEquals(99, cache.get(k).orElseThrow().version());
    }

    @Test
    void theFilterGrowsAndStillKnowsEveryCommittedKey() {
        CountingStore store = new CountingStore();
        StateCache cache = new StateCache(store::get, store::page, 64);
        int initial = cache.filterCapacity();
        for (int b = 0; b < 50; b++) {
            Map<StateKey, VersionedValue> writes = new java.util.HashMap<>();
            for (int i = 0; i < 20; i++) {
                StateKey k = new StateKey("ns", "k-" + b + "-" + i);
                writes.put(k, new VersionedValue(b * 20 + i + 1, Bytes.utf8("v")));
            }
            store.data.putAll(writes);
            cache.committed(writes);
        }
        assertTrue(cache.filterCapacity() >= 1_000 && cache.filterCapacity() > initial, "capacity " + cache.filterCapacity());
        for (StateKey k : store.data.keySet()) {
            assertTrue(cache.mayExist(k), "lost " + k);
        }
        // A new cache over the same store (a restart) loads every key too.
        StateCache reopened = new StateCache(store::get, store::page, 64);
        for (StateKey k : store.data.keySet()) {
            assertTrue(reopened.mayExist(k), "not loaded " + k);
        }
    }
}
