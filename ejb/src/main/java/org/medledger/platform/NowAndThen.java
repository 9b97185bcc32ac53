package org.medledger.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Housekeeping on a request path at most once per period: the one caller that finds the period
 * over does it, the others skip (e.g. dropping expired rows; one request pays for it, not every one).
 */
public final class NowAndThen {

    private final long periodMillis;
    private final AtomicLong last = new AtomicLong();

    public NowAndThen(Duration period) {
        this.periodMillis = period.toMillis();
    }

    /** Whether the caller at {@code nowMillis} has the turn (then the next turn is a period later). */
    public boolean due(long nowMillis) {
        long l = last.get();
        return nowMillis - l > periodMillis && last.compareAndSet(l, nowMillis);
    }
}
