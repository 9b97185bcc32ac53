package org.medledger.platform;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.medledger.protocol.common.ReplayGuard;

/**
 * The protocol's {@link ReplayGuard} over the database (table {@code replay_record}, unique on
 * scope and digest): a message accepted once is refused again by every later request, also after
 * a restart of the server. Every scheme's server-side party uses this one guard.
 */
@ApplicationScoped
public class DatabaseReplayGuard implements ReplayGuard {

    private static final long PURGE_EVERY_MILLIS = 60_000;

    @EJB
    ReplayRecords records;

    private final AtomicLong lastPurge = new AtomicLong();

    @Override
    public boolean firstSeen(String scope, byte[] digest, Instant expiresAt) {
        Objects.requireNonNull(scope, "Scope is required.");
        Objects.requireNonNull(digest, "Digest is required.");
        long now = System.currentTimeMillis();
        long last = lastPurge.get();
        if (now - last > PURGE_EVERY_MILLIS && lastPurge.compareAndSet(last, now)) {
            records.purgeBefore(now);
        }
        try {
            return records.insert(scope, digest.clone(), expiresAt.toEpochMilli());
        } catch (EJBException e) {
            // The primary key refused a concurrent copy of the same message: it is a replay.
            return false;
        }
    }
}
