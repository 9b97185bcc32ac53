package org.medledger.platform;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Protocol state between two HTTP calls, in the database (table {@code session_state}) rather
 * than in a stateful bean: the owning party seals the state itself (the store never sees it in
 * clear), the row expires, and {@link #take} hands it out exactly once.
 *
 * <p>A step that accepted protocol messages stores or takes its session together with their
 * replay rows ({@link PendingReplays}): one commit for both. Expired rows are swept by
 * {@link #put} at most every {@link #SWEEP_EVERY_MILLIS} (an expired row is refused by
 * {@link #take} anyway; the sweep only keeps the table small).
 */
@Stateless
public class SessionStore {

    public static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();
    static final long SWEEP_EVERY_MILLIS = 30_000;
    /** When expired rows were last swept (shared by the pooled instances). */
    private static final AtomicLong LAST_SWEEP = new AtomicLong();

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @EJB
    ReplayRecords replays;

    /** A stored session as {@link #read} finds it. */
    public record Stored(byte[] sealed, long expiresAt) {
        public boolean expired(long nowMillis) {
            return expiresAt < nowMillis;
        }
    }

    /** Whether this call should sweep expired rows: at most once per period, by one caller. */
    static boolean sweepDue(AtomicLong last, long now) {
        long l = last.get();
        return now - l >= SWEEP_EVERY_MILLIS && last.compareAndSet(l, now);
    }

    /** A fresh unguessable session id (128 bits, hex). */
    public static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Keeps {@code sealed} under {@code id} for {@code ownerId} until {@code expiresAt}. */
    public void put(String id, String kind, String ownerId, byte[] sealed, Instant expiresAt) {
        long now = System.currentTimeMillis();
        if (sweepDue(LAST_SWEEP, now)) {
            em.createNativeQuery("DELETE FROM session_state WHERE expires_at < ?1").setParameter(1, now).executeUpdate();
        }
        em.createNativeQuery("INSERT INTO session_state (id, kind, owner_id, sealed, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, ownerId).setParameter(4, sealed)
                .setParameter(5, expiresAt.toEpochMilli()).executeUpdate();
    }

    /**
     * As {@link #put}, with the replay rows of the messages that opened the session, in one
     * transaction: a row already there (a concurrent copy of a message) stores nothing.
     */
    public void put(String id, String kind, String ownerId, byte[] sealed, Instant expiresAt,
                    List<PendingReplays.Row> replayRows) {
        replays.insertAll(replayRows);
        put(id, kind, ownerId, sealed, expiresAt);
    }

    /** The session's row ({@code sealed}, {@code expires_at}) of this kind and owner; {@code SESSION_UNKNOWN} if none. */
    @SuppressWarnings("unchecked")
    private List<Object[]> rows(String id, String kind, String ownerId) throws DomainException {
        requireId(id);
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT sealed, expires_at FROM session_state WHERE id = ?1 AND kind = ?2 AND owner_id = ?3")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, ownerId).getResultList();
        if (rows.isEmpty()) {
            throw unknown();
        }
        return rows;
    }

    /**
     * The sealed state of session {@code id}, of this kind and owner, without taking it (a read):
     * the caller opens it, then {@link #take(String, String, String, List) takes} it with the
     * replay rows of what it accepted, or {@link #discard}s it.
     *
     * @throws DomainException {@code INVALID_SESSION_ID} or {@code SESSION_UNKNOWN}
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Stored read(String id, String kind, String ownerId) throws DomainException {
        List<Object[]> rows = rows(id, kind, ownerId);
        return new Stored((byte[]) rows.get(0)[0], ((Number) rows.get(0)[1]).longValue());
    }

    /**
     * Takes session {@code id} (read before with {@link #read}) and records {@code replayRows}, in
     * one transaction of its own: the session is used once (a concurrent taker finds it gone) and
     * the messages once (a concurrent copy fails on the replay table's primary key and takes nothing).
     *
     * @throws DomainException {@code SESSION_UNKNOWN} if another request took it first
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void take(String id, String kind, String ownerId, List<PendingReplays.Row> replayRows) throws DomainException {
        int deleted = em.createNativeQuery("DELETE FROM session_state WHERE id = ?1 AND kind = ?2 AND owner_id = ?3")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, ownerId).executeUpdate();
        if (deleted != 1) {
            throw unknown();
        }
        replays.insertAll(replayRows);
    }

    /**
     * Uses session {@code id} up without handing it out (its step was refused), recording the
     * replay rows of the messages it accepted that are not recorded yet, in one transaction.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void discard(String id, String kind, String ownerId, List<PendingReplays.Row> replayRows) {
        em.createNativeQuery("DELETE FROM session_state WHERE id = ?1 AND kind = ?2 AND owner_id = ?3")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, ownerId).executeUpdate();
        replays.insertAll(replayRows.stream().filter(r -> !replays.seen(r.scope(), r.digest())).toList());
    }

    /**
     * Removes and returns the sealed state of session {@code id}, of this kind and owner, in a
     * transaction of its own: whatever the caller does next, the state is used once.
     *
     * @throws DomainException {@code SESSION_UNKNOWN} (absent, already used, of another kind or
     *         owner) or {@code SESSION_EXPIRED}
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public byte[] take(String id, String kind, String ownerId) throws DomainException {
        List<Object[]> rows = rows(id, kind, ownerId);
        int deleted = em.createNativeQuery("DELETE FROM session_state WHERE id = ?1").setParameter(1, id).executeUpdate();
        if (deleted != 1) {
            throw unknown();
        }
        if (((Number) rows.get(0)[1]).longValue() < System.currentTimeMillis()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "SESSION_EXPIRED", "the session has expired");
        }
        return (byte[]) rows.get(0)[0];
    }

    private static void requireId(String id) throws DomainException {
        if (id == null || !SESSION_ID.matcher(id).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_SESSION_ID", "session id must be 32 hex digits");
        }
    }

    private static DomainException unknown() {
        return new DomainException(DomainException.Kind.NOT_FOUND, "SESSION_UNKNOWN",
                "no open session with this id for the caller (sessions are used once)");
    }
}
