package org.medledger.custody;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The record-wrapping keys of every holder of records at rest (issue 15), by key id: which key
 * wraps new records ({@code current}), which still open records not yet re-wrapped
 * ({@code previous}) and which are gone ({@code retired}). Key id {@link #INITIAL} is the key in
 * the holder's own key-store entry (every record before the first rotation); each rotation adds
 * {@code w<n>}, kept in the hospital key store under {@code wrap:<holder>:<key id>}. An envelope
 * naming a key id that is unknown or retired does not open: {@code WRAP_KEY_UNKNOWN} /
 * {@code WRAP_KEY_RETIRED}, nothing released.
 */
@Stateless
@LocalBean
public class RecordWrapKeys {

    public static final String INITIAL = "w0";
    public static final String CURRENT = "current";
    public static final String PREVIOUS = "previous";
    public static final String RETIRED = "retired";

    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Inject
    HospitalKeyStore keyStore;

    /** A key id with its key (a copy the holder destroys by closing it). */
    public record WrapKey(String keyId, SecretBytes key) implements AutoCloseable {
        @Override
        public void close() {
            key.destroy();
        }

        @Override
        public String toString() {
            return "WrapKey[" + keyId + ", redacted]";
        }
    }

    /** One key of a holder as listed (no key material). */
    public record KeyState(String keyId, String state, long createdAt, String createdBy, Long logIndex, Long retiredAt) {
    }

    /** The key new records of {@code holder} are wrapped under; {@code initial} is the key of its own entry (w0). */
    public WrapKey current(String holder, SecretBytes initial) throws DomainException {
        Optional<String> id = currentId(holder);
        if (id.isEmpty()) {
            return new WrapKey(INITIAL, initial.copy());
        }
        return new WrapKey(id.get(), key(holder, id.get(), initial));
    }

    /** The key under {@code keyId} ({@code null}: w0, records from before key ids); fails closed if unknown or retired. */
    public SecretBytes key(String holder, String keyId, SecretBytes initial) throws DomainException {
        String id = keyId == null ? INITIAL : keyId;
        Optional<KeyState> row = state(holder, id);
        if (row.isPresent() && RETIRED.equals(row.get().state())) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "WRAP_KEY_RETIRED",
                    "the record names a retired record key; it cannot be opened");
        }
        if (id.equals(INITIAL)) {
            if (initial == null) {
                throw unknown(); // the hospital has no entry (no key w0) in this record's scheme
            }
            return initial.copy();
        }
        if (row.isEmpty()) {
            throw unknown();
        }
        return keyStore.vault().secret(alias(holder, id)).orElseThrow(RecordWrapKeys::unknown);
    }

    private static DomainException unknown() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "WRAP_KEY_UNKNOWN",
                "the record names a record key this server does not hold; it cannot be opened");
    }

    public List<KeyState> keys(String holder) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT key_id, state, created_at, created_by, log_index, retired_at "
                + "FROM record_wrap_key WHERE holder_id = ?1 ORDER BY created_at, key_id").setParameter(1, holder).getResultList();
        return rows.stream().map(RecordWrapKeys::keyState).toList();
    }

    private Optional<KeyState> state(String holder, String keyId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT key_id, state, created_at, created_by, log_index, retired_at "
                + "FROM record_wrap_key WHERE holder_id = ?1 AND key_id = ?2").setParameter(1, holder).setParameter(2, keyId)
                .getResultList();
        return rows.stream().map(RecordWrapKeys::keyState).findFirst();
    }

    private Optional<String> currentId(String holder) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("SELECT key_id FROM record_wrap_key WHERE holder_id = ?1 AND state = ?2")
                .setParameter(1, holder).setParameter(2, CURRENT).getResultList();
        return rows.stream().map(Object::toString).findFirst();
    }

    private static KeyState keyState(Object[] r) {
        return new KeyState((String) r[0], (String) r[1], ((Number) r[2]).longValue(), (String) r[3],
                r[4] == null ? null : ((Number) r[4]).longValue(), r[5] == null ? null : ((Number) r[5]).longValue());
    }

    /**
     * A new current key for {@code holder}: generated here, written to the key store, recorded; the
     * key it replaces becomes {@code previous} (it still opens the records not yet re-wrapped).
     * Returns the key ids before and after.
     */
    public String[] rotate(String holder, String by, long now) throws DomainException {
        // one rotation at a time per holder: the row lock on the holder's keys (or the first insert) serializes
        em.createNativeQuery("SELECT key_id FROM record_wrap_key WHERE holder_id = ?1 FOR UPDATE").setParameter(1, holder)
                .getResultList();
        String old = currentId(holder).orElse(INITIAL);
        int next = keys(holder).stream().map(KeyState::keyId).mapToInt(RecordWrapKeys::generation).max().orElse(0) + 1;
        String id = "w" + next;
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        try {
            keyStore.vault().put(alias(holder, id), k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        if (state(holder, INITIAL).isEmpty()) {
            insert(holder, INITIAL, PREVIOUS, 0, "before key rotation");
        }
        em.createNativeQuery("UPDATE record_wrap_key SET state = ?1 WHERE holder_id = ?2 AND state = ?3")
                .setParameter(1, PREVIOUS).setParameter(2, holder).setParameter(3, CURRENT).executeUpdate();
        insert(holder, id, CURRENT, now, by);
        return new String[] {old, id};
    }

    public void recordLedgerEntry(String holder, String keyId, long logIndex) {
        em.createNativeQuery("UPDATE record_wrap_key SET log_index = ?1 WHERE holder_id = ?2 AND key_id = ?3")
                .setParameter(1, logIndex).setParameter(2, holder).setParameter(3, keyId).executeUpdate();
    }

    /**
     * Retires {@code keyId} of {@code holder}: it must be a previous key under which no record is
     * wrapped any more ({@code recordsUnder}); a rotated key is deleted from the key store, w0 is
     * refused from now on.
     */
    public void retire(String holder, String keyId, long recordsUnder, long now) throws DomainException {
        KeyState s = state(holder, keyId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "WRAP_KEY_UNKNOWN", "no record key " + keyId));
        if (!PREVIOUS.equals(s.state())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "WRAP_KEY_NOT_PREVIOUS",
                    "only a rotated-out key can be retired (this one is " + s.state() + ")");
        }
        if (recordsUnder > 0) {
            throw new DomainException(DomainException.Kind.CONFLICT, "WRAP_KEY_IN_USE",
                    recordsUnder + " records are still wrapped under " + keyId + "; re-wrap them first");
        }
        em.createNativeQuery("UPDATE record_wrap_key SET state = ?1, retired_at = ?2 WHERE holder_id = ?3 AND key_id = ?4")
                .setParameter(1, RETIRED).setParameter(2, now).setParameter(3, holder).setParameter(4, keyId).executeUpdate();
        if (!keyId.equals(INITIAL)) {
            keyStore.vault().remove(alias(holder, keyId));
        }
    }

    private void insert(String holder, String keyId, String state, long at, String by) {
        em.createNativeQuery("INSERT INTO record_wrap_key (holder_id, key_id, state, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, holder).setParameter(2, keyId).setParameter(3, state).setParameter(4, at).setParameter(5, by)
                .executeUpdate();
    }

    /** The holder id of hospital {@code hospitalId}'s record keys (one for every scheme it holds records in). */
    public static String holder(String hospitalId) {
        return "hpc:" + hospitalId;
    }

    /** How many of the hospital's rows of {@code t} are wrapped under {@code keyId}. */
    public long countUnder(RecordTable t, String hospitalId, String keyId) {
        boolean initial = keyId.equals(INITIAL);
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM " + t.table() + " WHERE " + t.hospitalWhere() + " AND "
                        + (initial ? "(wrap_key_id IS NULL OR wrap_key_id = ?2)" : "wrap_key_id = ?2"))
                .setParameter(1, hospitalId).setParameter(2, keyId).getSingleResult()).longValue();
    }

    /** How many of the hospital's rows of {@code t} are not under its current record key. */
    public long pending(RecordTable t, String hospitalId) {
        String id = currentId(holder(hospitalId)).orElse(INITIAL);
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM " + t.table() + " WHERE " + t.hospitalWhere() + " AND "
                        + (id.equals(INITIAL) ? "wrap_key_id IS NOT NULL AND wrap_key_id <> ?2" : "(wrap_key_id IS NULL OR wrap_key_id <> ?2)"))
                .setParameter(1, hospitalId).setParameter(2, id).getSingleResult()).longValue();
    }

    /**
     * Re-wraps up to {@code batch} of the hospital's rows of {@code t} not yet under its current
     * record key (in the caller's transaction; the content layer is untouched). {@code initial} is
     * the key w0 of the hospital's entry in that scheme (null if it has none: rows under w0 then
     * fail closed). A row changed meanwhile (another re-wrap) is skipped; readers see either the
     * old or the new (key id, wrapped key) pair, and both keys open until the old one is retired.
     * Returns how many rows were re-wrapped.
     */
    public long rewrapBatch(RecordTable t, String hospitalId, SecretBytes initial, int batch) throws DomainException {
        String holder = holder(hospitalId);
        Optional<String> currentId = currentId(holder);
        if (currentId.isEmpty()) {
            return 0; // never rotated: every row is under w0
        }
        long done = 0;
        try (WrapKey current = new WrapKey(currentId.get(), key(holder, currentId.get(), initial))) {
            String plain = t.plainColumn() == null ? "NULL" : t.plainColumn();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT " + t.idColumn() + ", wrapped_key, wrap_key_id, " + plain + ", "
                            + t.boundColumns() + " FROM " + t.table() + " WHERE " + t.hospitalWhere()
                            + " AND (wrap_key_id IS NULL OR wrap_key_id <> ?2) ORDER BY " + t.idColumn())
                    .setParameter(1, hospitalId).setParameter(2, current.keyId()).setMaxResults(batch).getResultList();
            for (Object[] r : rows) {
                String oldId = (String) r[2];
                RecordTable.Binding b = t.binder().bind(hospitalId, Arrays.copyOfRange(r, 4, r.length));
                if (r[1] == null && t.plainColumn() != null) {
                    // stored before sealing: sealed now, under the current key
                    RecordEnvelope.Sealed s = b.envelope().seal(current.key(), b.holderId(), b.patientId(), b.at(), (byte[]) r[3]);
                    done += em.createNativeQuery("UPDATE " + t.table() + " SET " + t.plainColumn() + " = ?1, wrapped_key = ?2, "
                                    + "wrap_key_id = ?3 WHERE " + t.idColumn() + " = ?4 AND wrapped_key IS NULL")
                            .setParameter(1, s.ciphertext()).setParameter(2, s.wrappedKey()).setParameter(3, current.keyId())
                            .setParameter(4, r[0]).executeUpdate();
                    continue;
                }
                byte[] rewrapped;
                try (WrapKey old = new WrapKey(oldId == null ? INITIAL : oldId, key(holder, oldId, initial))) {
                    rewrapped = b.envelope().rewrap(old.key(), current.key(), b.holderId(), b.patientId(), b.at(), (byte[]) r[1]);
                } catch (org.medledger.protocol.common.ProtocolException e) {
                    throw new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                            "a stored " + t.scheme() + " record does not open under the key it names; re-wrap stopped");
                }
                String sameKey = oldId == null ? "wrap_key_id IS NULL" : "wrap_key_id = ?4";
                jakarta.persistence.Query q = em.createNativeQuery("UPDATE " + t.table() + " SET wrapped_key = ?1, wrap_key_id = ?2 "
                                + "WHERE " + t.idColumn() + " = ?3 AND " + sameKey)
                        .setParameter(1, rewrapped).setParameter(2, current.keyId()).setParameter(3, r[0]);
                if (oldId != null) {
                    q.setParameter(4, oldId);
                }
                done += q.executeUpdate();
            }
        }
        return done;
    }

    static int generation(String keyId) {
        try {
            return keyId.startsWith("w") ? Integer.parseInt(keyId.substring(1)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String alias(String holder, String keyId) {
        return "wrap:" + holder + ":" + keyId;
    }
}
