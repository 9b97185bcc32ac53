package org.medledger.platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.ReplayGuard;

/**
 * The replay guard of one request whose replay rows are committed together with its other write
 * (the search session stored at step 4, taken at step 6), in one transaction instead of one each.
 * {@link #firstSeen} refuses a message already recorded (a read) and remembers the new one; the
 * request then writes {@link #rows()} with its own write ({@link SessionStore}), where the
 * table's primary key refuses a concurrent copy that passed the same read. Until that commit
 * nothing is released, so a message is still accepted once. A request refused after a message
 * was remembered still records it ({@link SessionStore#discard}): a captured message is consumed
 * whatever happened to it.
 */
public final class PendingReplays implements ReplayGuard {

    /** One row of {@code replay_record}. */
    public record Row(String scope, byte[] digest, long expiresAt) {
        public Row {
            Objects.requireNonNull(scope, "Scope is required.");
            digest = digest.clone();
        }

        boolean sameAs(String otherScope, byte[] otherDigest) {
            return scope.equals(otherScope) && Arrays.equals(digest, otherDigest);
        }
    }

    private final ReplayRecords records;
    private final List<Row> rows = new ArrayList<>();

    public PendingReplays(ReplayRecords records) {
        this.records = Objects.requireNonNull(records, "Replay records are required.");
    }

    @Override
    public boolean firstSeen(String scope, byte[] digest, Instant expiresAt) {
        Objects.requireNonNull(scope, "Scope is required.");
        Objects.requireNonNull(digest, "Digest is required.");
        if (rows.stream().anyMatch(r -> r.sameAs(scope, digest))) {
            return false;
        }
        boolean seen;
        try {
            seen = records.seen(scope, digest);
        } catch (RuntimeException e) {
            throw DatabaseUnavailable.replayGuard(e);
        }
        if (seen) {
            return false;
        }
        rows.add(new Row(scope, digest, expiresAt.toEpochMilli()));
        return true;
    }

    /** The messages accepted so far, to be recorded with the request's write. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }
}
