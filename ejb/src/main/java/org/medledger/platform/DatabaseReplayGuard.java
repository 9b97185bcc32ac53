package org.medledger.platform;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.medledger.protocol.common.ReplayGuard;

/**
 * The protocol's {@link ReplayGuard} over the database (table {@code replay_record}, unique on
 * scope and digest): a message accepted once is refused again by every later request, also after
 * a restart of the server. Every scheme's server-side party uses this one guard.
 *
 * <p>Fails closed and says so: only the primary key's refusal of a concurrent copy is a replay;
 * any other database failure (a pool timeout, a lost connection) throws
 * {@link DatabaseUnavailable} ({@code 503 REPLAY_GUARD_UNAVAILABLE}), so the message is neither
 * accepted nor reported as a replay.
 */
@ApplicationScoped
public class DatabaseReplayGuard implements ReplayGuard {

    @EJB
    ReplayRecords records;

    private final NowAndThen purge = new NowAndThen(Duration.ofMinutes(1));

    @Override
    public boolean firstSeen(String scope, byte[] digest, Instant expiresAt) {
        Objects.requireNonNull(scope, "Scope is required.");
        Objects.requireNonNull(digest, "Digest is required.");
        try {
            purgeNowAndThen();
            return records.insert(scope, digest.clone(), expiresAt.toEpochMilli());
        } catch (RuntimeException e) {
            if (DatabaseUnavailable.isDuplicateKey(e)) {
                // The primary key refused a concurrent copy of the same message: it is a replay.
                return false;
            }
            throw DatabaseUnavailable.replayGuard(e);
        }
    }

    /**
     * A guard for one request whose replay rows are committed with its own write (see
     * {@link PendingReplays}); the same table, the same answers.
     */
    public PendingReplays pending() {
        try {
            purgeNowAndThen();
        } catch (RuntimeException e) {
            throw DatabaseUnavailable.replayGuard(e);
        }
        return new PendingReplays(records);
    }

    /** Drops expired rows at most once a minute (one request pays for it, not every one). */
    private void purgeNowAndThen() {
        long now = System.currentTimeMillis();
        if (purge.due(now)) {
            records.purgeBefore(now);
        }
    }
}
