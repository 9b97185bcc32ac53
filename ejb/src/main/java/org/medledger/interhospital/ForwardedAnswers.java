package org.medledger.interhospital;

import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.platform.NowAndThen;
import org.medledger.protocol.common.KeyPossessionProof;
import org.medledger.protocol.common.PartialKeyRenewal;

/**
 * The authority's answers to forwarded registrations and renewals (table {@code consortium_forwarded}),
 * by the request's signed content, kept only while a retry of that content can still be accepted:
 * the party's proof must lie within its freshness window of the authority's clock (2 minutes for a
 * registration, {@link KeyPossessionProof#MAX_SKEW}; 5 for a renewal, {@link PartialKeyRenewal#MAX_SKEW}),
 * checked when the answer is made and again for every retry before its answer is looked up, so an
 * answer serves retries for at most twice the window. Older rows are never read and are deleted by
 * a request at most once a minute; a retry after that is refused as stale ({@code STALE_PROOF}), never run again.
 */
final class ForwardedAnswers {

    private static final Logger LOG = Logger.getLogger(ForwardedAnswers.class.getName());
    /** Twice the longest freshness window of a forwarded proof, and a minute. */
    static final Duration RETENTION = (KeyPossessionProof.MAX_SKEW.compareTo(PartialKeyRenewal.MAX_SKEW) > 0
            ? KeyPossessionProof.MAX_SKEW : PartialKeyRenewal.MAX_SKEW).multipliedBy(2).plusMinutes(1);

    private final EntityManager em;
    private final NowAndThen purge;

    ForwardedAnswers(EntityManager em, NowAndThen purge) {
        this.em = em;
        this.purge = purge;
    }

    /** The answer kept for {@code key} within {@link #RETENTION} of {@code now}; older answers dropped now and then. */
    Optional<byte[]> earlier(String key, long now) {
        long cutoff = now - RETENTION.toMillis();
        if (purge.due(now)) {
            int dropped = em.createNativeQuery("DELETE FROM consortium_forwarded WHERE created_at < ?1").setParameter(1, cutoff)
                    .executeUpdate();
            if (dropped > 0) {
                LOG.fine(() -> "authority: " + dropped + " forwarded answers past their retries dropped");
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT answer FROM consortium_forwarded WHERE content_hash = ?1 AND created_at >= ?2")
                .setParameter(1, key).setParameter(2, cutoff).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((byte[]) rows.get(0));
    }

    /** Keeps {@code answer} for {@code key}, made at {@code now}. */
    void keep(String key, String node, String purpose, byte[] answer, long now) {
        em.createNativeQuery("INSERT INTO consortium_forwarded (content_hash, node_id, purpose, answer, created_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5)").setParameter(1, key).setParameter(2, node).setParameter(3, purpose)
                .setParameter(4, answer).setParameter(5, now).executeUpdate();
    }
}
