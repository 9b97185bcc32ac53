package org.medledger.protocol.testkit;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;

/** Deterministic randomness and clocks for tests. Each call returns fresh, unshared objects. */
public final class Fixtures {

    public static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private Fixtures() {
    }

    /** A deterministic DRBG: same seed, same stream. */
    public static SecureRandom seededRandom(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MutableClock clockAt(Instant t) {
        return new MutableClock(t);
    }

    public static Environment env(long seed, Clock clock) {
        return Environment.of(CurveProfile.p256(), clock, seededRandom(seed));
    }

    /** A clock tests can move forward. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        public void advanceMillis(long ms) {
            now = now.plusMillis(ms);
        }

        public void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
