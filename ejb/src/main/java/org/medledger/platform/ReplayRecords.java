package org.medledger.platform;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The rows behind {@link DatabaseReplayGuard}: each accepted message digest is recorded in a
 * transaction of its own, so the record stays even if the request that carried the message is
 * refused later (a captured message is consumed once, whatever happened to it).
 */
@Stateless
public class ReplayRecords {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** Inserts {@code (scope, digest)}; {@code false} if it is already there and still current. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean insert(String scope, byte[] digest, long expiresAt) {
        Number seen = (Number) em.createNativeQuery(
                        "SELECT COUNT(*) FROM replay_record WHERE scope = ?1 AND digest = ?2")
                .setParameter(1, scope).setParameter(2, digest).getSingleResult();
        if (seen.longValue() > 0) {
            return false;
        }
        // A concurrent insert of the same digest fails on the primary key and rolls this back.
        em.createNativeQuery("INSERT INTO replay_record (scope, digest, expires_at) VALUES (?1, ?2, ?3)")
                .setParameter(1, scope).setParameter(2, digest).setParameter(3, expiresAt).executeUpdate();
        return true;
    }

    /** Drops records whose acceptance window has passed (a message that old is refused as stale). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int purgeBefore(long nowMillis) {
        return em.createNativeQuery("DELETE FROM replay_record WHERE expires_at < ?1")
                .setParameter(1, nowMillis).executeUpdate();
    }
}
