package org.medledger.custody;

import java.security.SecureRandom;
import java.util.Arrays;

import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * Records at rest, for every holder that stores them: the content is AES-GCM encrypted under a
 * fresh per-record key, and that key is wrapped (AES-GCM) by the holder's record key from its key
 * store. Both layers are bound to the holder, the patient and the record's time (associated data),
 * so rows cannot be swapped between holders or patients.
 */
public final class RecordEnvelope {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The two columns a record is stored as. */
    public record Sealed(byte[] wrappedKey, byte[] ciphertext) {
    }

    private final String contentLabel;
    private final String keyLabel;

    /** An envelope whose associated data start with {@code label} (one label per kind of record). */
    public RecordEnvelope(String label) {
        this.contentLabel = label;
        this.keyLabel = label + "-key";
    }

    public Sealed seal(SecretBytes wrapKey, String holderId, String patientId, long at, byte[] content) {
        byte[] k = new byte[Aead.KEY_LENGTH];
        RANDOM.nextBytes(k);
        SecretBytes recordKey = SecretBytes.copyOf(k);
        Arrays.fill(k, (byte) 0);
        try {
            byte[] ciphertext = Aead.seal(recordKey, new AssociatedData(contentLabel, holderId, patientId, at), content, RANDOM);
            byte[] raw = recordKey.reveal();
            try {
                return new Sealed(Aead.seal(wrapKey, new AssociatedData(keyLabel, holderId, patientId, at), raw, RANDOM), ciphertext);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } finally {
            recordKey.destroy();
        }
    }

    /** The content of a sealed record; refused if either layer does not open for this holder, patient and time. */
    public byte[] open(SecretBytes wrapKey, String holderId, String patientId, long at, byte[] wrappedKey, byte[] ciphertext)
            throws ProtocolException {
        byte[] raw = Aead.open(wrapKey, new AssociatedData(keyLabel, holderId, patientId, at), wrappedKey);
        SecretBytes recordKey = SecretBytes.copyOf(raw);
        Arrays.fill(raw, (byte) 0);
        try {
            return Aead.open(recordKey, new AssociatedData(contentLabel, holderId, patientId, at), ciphertext);
        } finally {
            recordKey.destroy();
        }
    }

    /**
     * The per-record key of a sealed record wrapped again, under {@code newKey} (rotation of the
     * holder's record key); the content layer is untouched. Refused if it does not open under
     * {@code oldKey} for this holder, patient and time.
     */
    public byte[] rewrap(SecretBytes oldKey, SecretBytes newKey, String holderId, String patientId, long at, byte[] wrappedKey)
            throws ProtocolException {
        AssociatedData ad = new AssociatedData(keyLabel, holderId, patientId, at);
        byte[] raw = Aead.open(oldKey, ad, wrappedKey);
        try {
            return Aead.seal(newKey, ad, raw, RANDOM);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
