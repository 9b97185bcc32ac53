package org.medledger.platform;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;

/**
 * The rows behind {@link DatabaseReplayGuard} and {@link PendingReplays}: each accepted message
 * digest is recorded in a transaction of its own ({@link #insert}) or in the transaction of the
 * write it comes with ({@link #insertAll}), and stays even if the request that carried the
 * message is refused later (a captured message is consumed once, whatever happened to it).
 */
@Stateless
public class ReplayRecords {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** Inserts {@code (scope, digest)}; {@code false} if it is already there and still current. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean insert(String scope, byte[] digest, long expiresAt) {
        if (seen(scope, digest)) {
            return false;
        }
        // A concurrent insert of the same digest fails on the primary key and rolls this back.
        insertRow(scope, digest, expiresAt);
        return true;
    }

    /** Whether {@code (scope, digest)} is recorded (a read; no transaction of its own). */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean seen(String scope, byte[] digest) {
        Number seen = (Number) em.createNativeQuery(
                        "SELECT COUNT(*) FROM replay_record WHERE scope = ?1 AND digest = ?2")
                .setParameter(1, scope).setParameter(2, digest).getSingleResult();
        return seen.longValue() > 0;
    }

    /**
     * Inserts {@code rows} in the caller's transaction: a row already there (a concurrent copy of
     * the message) fails on the primary key and rolls the caller's whole write back.
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void insertAll(List<PendingReplays.Row> rows) {
        for (PendingReplays.Row r : rows) {
            insertRow(r.scope(), r.digest(), r.expiresAt());
        }
    }

    /** Inserts those of {@code rows} not recorded yet, in a transaction of their own (a refused request's messages). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void insertNew(List<PendingReplays.Row> rows) {
        for (PendingReplays.Row r : rows) {
            if (!seen(r.scope(), r.digest())) {
                insertRow(r.scope(), r.digest(), r.expiresAt());
            }
        }
    }

    private void insertRow(String scope, byte[] digest, long expiresAt) {
        em.createNativeQuery("INSERT INTO replay_record (scope, digest, expires_at) VALUES (?1, ?2, ?3)")
                .setParameter(1, scope).setParameter(2, digest).setParameter(3, expiresAt).executeUpdate();
    }

    /** Drops records whose acceptance window has passed (a message that old is refused as stale). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int purgeBefore(long nowMillis) {
        return em.createNativeQuery("DELETE FROM replay_record WHERE expires_at < ?1")
                .setParameter(1, nowMillis).executeUpdate();
    }
}
