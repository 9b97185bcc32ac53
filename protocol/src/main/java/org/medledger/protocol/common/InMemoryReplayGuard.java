package org.medledger.protocol.common;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe in-memory {@link ReplayGuard}. Expired entries are purged lazily, bounded by
 * {@code maxEntries} (when full, new messages are refused — failing closed).
 */
public final class InMemoryReplayGuard implements ReplayGuard {

    private final Clock clock;
    private final int maxEntries;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    public InMemoryReplayGuard(Clock clock) {
        this(clock, 1_000_000);
    }

    public InMemoryReplayGuard(Clock clock, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public boolean firstSeen(String scope, byte[] digest, Instant expiresAt) {
        Objects.requireNonNull(scope, "Scope is required.");
        Objects.requireNonNull(digest, "Digest is required.");
        Objects.requireNonNull(expiresAt, "Expiry is required.");
        Instant now = clock.instant();
        if (seen.size() >= maxEntries) {
            seen.values().removeIf(exp -> exp.isBefore(now));
            if (seen.size() >= maxEntries) {
                return false;
            }
        }
        String key = scope + '|' + Base64.getEncoder().encodeToString(digest);
        boolean[] fresh = {false};
        seen.compute(key, (k, exp) -> {
            if (exp == null || exp.isBefore(now)) {
                fresh[0] = true;
                return expiresAt;
            }
            return exp;
        });
        return fresh[0];
    }

    /** Number of remembered entries (for tests and metrics). */
    public int size() {
        return seen.size();
    }
}
