package org.medledger.custody;

import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.SecretBytes;

/**
 * One table of records a hospital holds at rest, each row sealed with {@link RecordEnvelope} and
 * naming the record key its per-record key is wrapped under (column {@code wrap_key_id}; NULL is
 * w0, the record key of the scheme's own key-store entry). One type, one named instance per scheme
 * (EMR-AUTH {@code hpc_emr_version}, INTER-HOSPITAL {@code ih_record}, CLOUD-CHAIN {@code cc_ehr},
 * ABE-CHAIN {@code abe_cloud_record}):
 * {@link RecordWrapKeys} counts and re-wraps the rows of every instance the same way, so one
 * rotation of a hospital's record key covers all its records of every scheme.
 *
 * @param scheme         the scheme whose records these are (listing, logs)
 * @param table          the table; it has columns {@code wrapped_key} and {@code wrap_key_id}
 * @param idColumn       the table's key column
 * @param hospitalWhere  the condition selecting the hospital's rows, its id as parameter {@code ?1}
 * @param boundColumns   the columns the envelope's associated data are made from, as given to {@code binder}
 * @param plainColumn    the content column, if rows stored before sealing hold it in clear (no wrapped key):
 *                       the next re-wrap seals them; null if every row is sealed
 * @param initialKey     the key w0 of the hospital's records in this scheme (a copy), if it has any
 * @param binder         the envelope and its associated data of a row, from the hospital id and {@code boundColumns}
 */
public record RecordTable(String scheme, String table, String idColumn, String hospitalWhere, String boundColumns,
                          String plainColumn, InitialKey initialKey, Binder binder) {

    /** The associated data a row's per-record key is wrapped with. */
    public record Binding(RecordEnvelope envelope, String holderId, String patientId, long at) {
    }

    @FunctionalInterface
    public interface Binder {
        Binding bind(String hospitalId, Object[] bound);
    }

    @FunctionalInterface
    public interface InitialKey {
        Optional<SecretBytes> find(HospitalKeyStore keyStore, String hospitalId) throws DomainException;
    }

    @FunctionalInterface
    public interface EntryLookup {
        Optional<SecretBytes> find(HospitalKeyStore keyStore, String hospitalId) throws DomainException;
    }

    /** Key w0 of a scheme whose hospitals have a {@link KeyEntry} of {@code kind}: its record-wrapping key. */
    public static InitialKey ofEntry(KeyEntry.Kind kind, EntryLookup entry) {
        return (keyStore, hospitalId) -> {
            Optional<SecretBytes> raw = entry.find(keyStore, hospitalId);
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            try (KeyEntry e = KeyEntry.open(kind, raw.get())) {
                return Optional.of(e.recordWrapKey.copy());
            }
        };
    }
}
