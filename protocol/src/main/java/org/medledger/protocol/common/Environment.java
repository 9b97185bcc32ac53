package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * What every party is given rather than reaching for globals: the curve profile, the
 * clock, the randomness and the freshness policy (window + replay guard). Tests pass
 * fixed clocks and seeded DRBGs.
 */
public final class Environment {

    private final CurveProfile curve;
    private final Clock clock;
    private final SecureRandom random;
    private final Freshness freshness;

    private Environment(CurveProfile curve, Clock clock, SecureRandom random, Freshness freshness) {
        this.curve = Objects.requireNonNull(curve, "Curve is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.random = Objects.requireNonNull(random, "Randomness is required.");
        this.freshness = Objects.requireNonNull(freshness, "Freshness policy is required.");
    }

    /** Default window (30 s) and an in-memory replay guard on {@code clock}. */
    public static Environment of(CurveProfile curve, Clock clock, SecureRandom random) {
        return new Environment(curve, clock, random, Freshness.withDefaults(clock));
    }

    public static Environment of(CurveProfile curve, SecureRandom random, Freshness freshness) {
        return new Environment(curve, freshness.clock(), random, freshness);
    }

    public CurveProfile curve() {
        return curve;
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    public Freshness freshness() {
        return freshness;
    }

    @Override
    public String toString() {
        return "Environment[" + curve.name() + ", window=" + freshness.window() + "]";
    }
}
