package org.medledger.relay;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;
import org.medledger.platform.SessionStore;

/**
 * The consultation relay: a mailbox of opaque messages between two parties (EMR-AUTH's P and D
 * talk through the hospital server). The server stores bytes it cannot read or forge — every
 * consultation message is encrypted to its recipient and signed or MACed by its sender under
 * keys the server never holds — and hands each one out once, to its recipient only.
 */
@Stateless
public class Mailbox {

    public static final int MAX_MESSAGE = 64 * 1024;
    public static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final Duration LIFETIME = Duration.ofHours(1);
    static final int MAX_PENDING_PER_RECIPIENT = 1000;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public String send(String senderId, String recipientId, String kind, byte[] body) throws DomainException {
        requireId(recipientId, "INVALID_RECIPIENT");
        requireKind(kind);
        if (body == null || body.length == 0 || body.length > MAX_MESSAGE) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_MESSAGE", "body must be 1 to " + MAX_MESSAGE + " bytes");
        }
        if (senderId.equals(recipientId)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_RECIPIENT", "a party does not write to itself");
        }
        long now = System.currentTimeMillis();
        em.createNativeQuery("DELETE FROM relay_message WHERE expires_at < ?1").setParameter(1, now).executeUpdate();
        Number pending = (Number) em.createNativeQuery("SELECT COUNT(*) FROM relay_message WHERE recipient_id = ?1")
                .setParameter(1, recipientId).getSingleResult();
        if (pending.longValue() >= MAX_PENDING_PER_RECIPIENT) {
            throw new DomainException(DomainException.Kind.CONFLICT, "MAILBOX_FULL", "the recipient's mailbox is full");
        }
        String id = SessionStore.newId();
        em.createNativeQuery("INSERT INTO relay_message (id, sender_id, recipient_id, kind, body, created_at, expires_at) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, id).setParameter(2, senderId).setParameter(3, recipientId).setParameter(4, kind)
                .setParameter(5, body).setParameter(6, now).setParameter(7, now + LIFETIME.toMillis()).executeUpdate();
        return id;
    }

    /** Removes and returns the oldest unexpired message of {@code kind} from {@code senderId} to {@code recipientId}. */
    public Optional<byte[]> take(String recipientId, String senderId, String kind) throws DomainException {
        requireId(senderId, "INVALID_SENDER");
        requireKind(kind);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, body FROM relay_message WHERE recipient_id = ?1 AND sender_id = ?2 "
                        + "AND kind = ?3 AND expires_at >= ?4 ORDER BY created_at, id")
                .setParameter(1, recipientId).setParameter(2, senderId).setParameter(3, kind)
                .setParameter(4, System.currentTimeMillis()).setMaxResults(1).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        int n = em.createNativeQuery("DELETE FROM relay_message WHERE id = ?1").setParameter(1, rows.get(0)[0]).executeUpdate();
        return n == 1 ? Optional.of((byte[]) rows.get(0)[1]) : Optional.empty();
    }

    private static void requireId(String id, String code) throws DomainException {
        if (id == null || !KgcRegistrationService.PARTY_ID.matcher(id).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, code, "malformed party id");
        }
    }

    private static void requireKind(String kind) throws DomainException {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KIND", "kind must be 1-40 of a-z, 0-9, '-'");
        }
    }
}
