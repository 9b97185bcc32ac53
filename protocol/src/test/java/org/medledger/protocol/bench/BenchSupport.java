package org.medledger.protocol.bench;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Freshness;

/**
 * Benchmark environments: a fixed clock (timestamps never go stale) and a replay guard that
 * remembers nothing, so the same message can be processed in every invocation. The window
 * check itself still runs.
 */
final class BenchSupport {

    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private BenchSupport() {
    }

    static Environment env(long seed) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return Environment.of(CurveProfile.p256(), random(seed), new Freshness(clock, Duration.ofSeconds(30), (s, d, e) -> true));
    }

    static Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    static SecureRandom random(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
