package org.medledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJBException;
import jakarta.ejb.EJBTransactionRolledbackException;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Freshness;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The database replay guard answers "replay" only when the table's key says the message is there;
 * a database it cannot reach (a pool timeout, a lost connection) is {@code REPLAY_GUARD_UNAVAILABLE}
 * (503), and the message is not accepted either way.
 */
class ReplayGuardFailureTest {

    static final Instant LATER = Instant.now().plusSeconds(60);

    /** Replay rows whose next insert or read fails as {@code failure} says (null: works, in memory). */
    static final class Rows extends ReplayRecords {
        final List<String> stored = new ArrayList<>();
        Supplier<RuntimeException> failure;

        @Override
        public boolean insert(String scope, byte[] digest, long expiresAt) {
            if (failure != null) {
                throw failure.get();
            }
            String key = scope + "/" + java.util.HexFormat.of().formatHex(digest);
            if (stored.contains(key)) {
                return false;
            }
            stored.add(key);
            return true;
        }

        @Override
        public boolean seen(String scope, byte[] digest) {
            if (failure != null) {
                throw failure.get();
            }
            return stored.contains(scope + "/" + java.util.HexFormat.of().formatHex(digest));
        }

        @Override
        public int purgeBefore(long nowMillis) {
            return 0;
        }
    }

    static DatabaseReplayGuard guard(Rows rows) {
        DatabaseReplayGuard g = new DatabaseReplayGuard();
        g.records = rows;
        return g;
    }

    /** As WildFly reports a pool that gave no connection within its timeout. */
    static RuntimeException poolTimeout() {
        return new EJBException(new PersistenceException("could not prepare statement",
                new SQLException("IJ000453: Unable to get managed connection for java:jboss/datasources/MedLedgerDS", "08001")));
    }

    /** As the container reports an insert the primary key refused (H2 and PostgreSQL: SQLSTATE 23505). */
    static RuntimeException duplicateKey() {
        return new EJBTransactionRolledbackException("rolled back", new PersistenceException("could not execute statement",
                new SQLIntegrityConstraintViolationException("duplicate key value violates unique constraint \"pk_replay_record\"",
                        "23505")));
    }

    @Test
    void aDatabaseFailureIsUnavailableNotAReplay() {
        Rows rows = new Rows();
        rows.failure = ReplayGuardFailureTest::poolTimeout;
        DatabaseUnavailable e = assertThrows(DatabaseUnavailable.class,
                () -> guard(rows).firstSeen("scope", new byte[] {1}, LATER));
        assertEquals("REPLAY_GUARD_UNAVAILABLE", e.code());
        DomainException refusal = e.toDomain();
        assertEquals(DomainException.Kind.UNAVAILABLE, refusal.kind(), "answered 503");
        assertEquals("REPLAY_GUARD_UNAVAILABLE", refusal.code());
        assertFalse(refusal.getMessage().contains("IJ000453"), "no database internals in the answer");
    }

    @Test
    void theProtocolsCheckFailsClosedOnADatabaseFailureAndAcceptsTheMessageOnlyOnceAfterwards() throws Exception {
        Rows rows = new Rows();
        Freshness freshness = new Freshness(Clock.systemUTC(), Duration.ofSeconds(30), guard(rows));
        ContentId id = ContentId.ofAuthenticatedEncoding("message".getBytes());
        long t = System.currentTimeMillis();
        rows.failure = ReplayGuardFailureTest::poolTimeout;
        assertThrows(DatabaseUnavailable.class, () -> freshness.requireFirstSeen("EMR-AUTH/PC/EmrSearchRequest", id, t),
                "neither accepted nor refused as a replay");
        rows.failure = null;
        freshness.requireFirstSeen("EMR-AUTH/PC/EmrSearchRequest", id, t);
        ProtocolException again = assertThrows(ProtocolException.class,
                () -> freshness.requireFirstSeen("EMR-AUTH/PC/EmrSearchRequest", id, t));
        assertEquals(Reason.REPLAY, again.reason());
    }

    @Test
    void theKeyRefusingAConcurrentCopyIsAReplay() {
        Rows rows = new Rows();
        rows.failure = ReplayGuardFailureTest::duplicateKey;
        assertFalse(guard(rows).firstSeen("scope", new byte[] {1}, LATER));
        assertTrue(DatabaseUnavailable.isDuplicateKey(duplicateKey()));
        assertFalse(DatabaseUnavailable.isDuplicateKey(poolTimeout()));
        assertFalse(DatabaseUnavailable.isDuplicateKey(new EJBException(new PersistenceException("table not found",
                new SQLException("Table \"REPLAY_RECORD\" not found", "42S02")))));
    }

    @Test
    void aRequestsPendingRowsRefuseWhatIsRecordedOrAlreadyAcceptedAndFailClosed() {
        Rows rows = new Rows();
        rows.insert("s", new byte[] {9}, LATER.toEpochMilli());
        PendingReplays pending = guard(rows).pending();
        assertFalse(pending.firstSeen("s", new byte[] {9}, LATER), "recorded before: a replay");
        assertTrue(pending.firstSeen("s", new byte[] {1}, LATER));
        assertFalse(pending.firstSeen("s", new byte[] {1}, LATER), "twice in one request: a replay");
        assertTrue(pending.firstSeen("t", new byte[] {1}, LATER), "another scope");
        assertEquals(2, pending.rows().size(), "to be committed with the request's write");
        assertEquals(List.of("s/09"), rows.stored, "nothing written before that commit");
        rows.failure = ReplayGuardFailureTest::poolTimeout;
        assertEquals("REPLAY_GUARD_UNAVAILABLE",
                assertThrows(DatabaseUnavailable.class, () -> pending.firstSeen("s", new byte[] {2}, LATER)).code());
    }

    @Test
    void theSessionSweepRunsOncePerPeriodNotOnEveryPut() {
        AtomicLong last = new AtomicLong();
        long t = 1_000_000;
        assertTrue(SessionStore.sweepDue(last, t));
        assertFalse(SessionStore.sweepDue(last, t + 1));
        assertFalse(SessionStore.sweepDue(last, t + SessionStore.SWEEP_EVERY_MILLIS - 1));
        assertTrue(SessionStore.sweepDue(last, t + SessionStore.SWEEP_EVERY_MILLIS));
        assertFalse(SessionStore.sweepDue(last, t + SessionStore.SWEEP_EVERY_MILLIS + 5));
    }
}
