package org.medledger.ledger.node;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.medledger.ledger.state.StateKey;

/**
 * A Bloom filter over the committed world-state keys. "Absent" is exact (no false negatives:
 * every committed key is added before anyone can be told it is absent), "maybe present" is
 * wrong for about 1 % of absent keys at capacity. Lets a submission that creates a new key (the
 * common case: a new record, a new consent) skip the database read that would only confirm
 * the key is free. Seeded per node from {@link SecureRandom}, so nobody can choose keys that
 * collide on purpose; a collision only costs a database read.
 */
final class KeyFilter {
    /** 10 bits and 7 probes per key: about 0.8 % false positives at capacity. */
    private static final int BITS_PER_KEY = 10;
    private static final int PROBES = 7;

    private final AtomicLongArray words;
    private final long bits;
    private final int capacity;
    private final long seed;
    private final AtomicInteger added = new AtomicInteger();

    KeyFilter(int capacity) {
        this(capacity, new SecureRandom().nextLong());
    }

    KeyFilter(int capacity, long seed) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.bits = Math.max(64, (long) capacity * BITS_PER_KEY);
        this.words = new AtomicLongArray((int) ((bits + 63) / 64));
        this.seed = seed;
    }

    int capacity() {
        return capacity;
    }

    /** Distinct keys added so far (counted when a key was not already reported present). */
    int added() {
        return added.get();
    }

    boolean full() {
        return added.get() > capacity;
    }

    boolean mightContain(StateKey key) {
        long h1 = hash(key, seed);
        long h2 = hash(key, ~seed) | 1;
        for (int i = 0; i < PROBES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bits);
            if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    void add(StateKey key) {
        long h1 = hash(key, seed);
        long h2 = hash(key, ~seed) | 1;
        boolean fresh = false;
        for (int i = 0; i < PROBES; i++) {
            long bit = Long.remainderUnsigned(h1 + i * h2, bits);
            int w = (int) (bit >>> 6);
            long mask = 1L << bit;
            long old = words.getAndAccumulate(w, mask, (a, b) -> a | b);
            fresh |= (old & mask) == 0;
        }
        if (fresh) {
            added.incrementAndGet();
        }
    }

    private static long hash(StateKey key, long seed) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = absorb(h, key.namespace());
        h = mix(h ^ 0xFF51AFD7ED558CCDL); // separator: ("a", "bc") and ("ab", "c") differ
        h = absorb(h, key.key());
        return mix(h ^ key.key().length());
    }

    private static long absorb(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
