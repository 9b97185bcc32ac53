package org.medledger.platform;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Protocol state between two HTTP calls, in the database (table {@code session_state}) rather
 * than in a stateful bean: the owning party seals the state itself (the store never sees it in
 * clear), the row expires, and {@link #take} hands it out exactly once.
 */
@Stateless
public class SessionStore {

    public static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** A fresh unguessable session id (128 bits, hex). */
    public static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Keeps {@code sealed} under {@code id} for {@code ownerId} until {@code expiresAt}. */
    public void put(String id, String kind, String ownerId, byte[] sealed, Instant expiresAt) {
        em.createNativeQuery("DELETE FROM session_state WHERE expires_at < ?1")
                .setParameter(1, System.currentTimeMillis()).executeUpdate();
        em.createNativeQuery("INSERT INTO session_state (id, kind, owner_id, sealed, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, ownerId).setParameter(4, sealed)
                .setParameter(5, expiresAt.toEpochMilli()).executeUpdate();
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
        if (id == null || !SESSION_ID.matcher(id).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_SESSION_ID", "session id must be 32 hex digits");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT sealed, expires_at FROM session_state WHERE id = ?1 AND kind = ?2 AND owner_id = ?3")
                .setParameter(1, id).setParameter(2, kind).setParameter(3, ownerId).getResultList();
        if (rows.isEmpty()) {
            throw unknown();
        }
        int deleted = em.createNativeQuery("DELETE FROM session_state WHERE id = ?1").setParameter(1, id).executeUpdate();
        if (deleted != 1) {
            throw unknown();
        }
        if (((Number) rows.get(0)[1]).longValue() < System.currentTimeMillis()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "SESSION_EXPIRED", "the session has expired");
        }
        return (byte[]) rows.get(0)[0];
    }

    private static DomainException unknown() {
        return new DomainException(DomainException.Kind.NOT_FOUND, "SESSION_UNKNOWN",
                "no open session with this id for the caller (sessions are used once)");
    }
}
