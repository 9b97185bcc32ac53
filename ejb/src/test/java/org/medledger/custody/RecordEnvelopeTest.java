package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

class RecordEnvelopeTest {

    private final RecordEnvelope envelope = new RecordEnvelope("MEDLEDGER/test/record");
    private final byte[] content = "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8);

    private static SecretBytes key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return SecretBytes.copyOf(k);
    }

    @Test
    void opensOnlyForTheSameHolderPatientTimeAndKey() throws ProtocolException {
        SecretBytes wrap = key();
        RecordEnvelope.Sealed s = envelope.seal(wrap, "holder-1", "patient-1", 42, content);
        assertFalse(new String(s.ciphertext(), StandardCharsets.ISO_8859_1).contains("Patient"), "content is not stored in clear");
        assertArrayEquals(content, envelope.open(wrap, "holder-1", "patient-1", 42, s.wrappedKey(), s.ciphertext()));
        // A row moved to another patient, holder or time, or opened under another holder's key, does not open.
        assertThrows(ProtocolException.class, () -> envelope.open(wrap, "holder-1", "patient-2", 42, s.wrappedKey(), s.ciphertext()));
        assertThrows(ProtocolException.class, () -> envelope.open(wrap, "holder-2", "patient-1", 42, s.wrappedKey(), s.ciphertext()));
        assertThrows(ProtocolException.class, () -> envelope.open(wrap, "holder-1", "patient-1", 43, s.wrappedKey(), s.ciphertext()));
        assertThrows(ProtocolException.class, () -> envelope.open(key(), "holder-1", "patient-1", 42, s.wrappedKey(), s.ciphertext()));
        // Another record's key does not open this content (each record has its own key).
        RecordEnvelope.Sealed t = envelope.seal(wrap, "holder-1", "patient-1", 42, content);
        assertThrows(ProtocolException.class, () -> envelope.open(wrap, "holder-1", "patient-1", 42, t.wrappedKey(), s.ciphertext()));
        // Another kind of record (label) does not open either.
        assertThrows(ProtocolException.class, () -> new RecordEnvelope("MEDLEDGER/other").open(wrap, "holder-1", "patient-1", 42,
                s.wrappedKey(), s.ciphertext()));
    }

    @Test
    void aRewrappedRecordOpensUnderTheNewKeyOnly() throws ProtocolException {
        SecureRandom random = new SecureRandom();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        random.nextBytes(a);
        random.nextBytes(b);
        SecretBytes oldKey = SecretBytes.copyOf(a);
        SecretBytes newKey = SecretBytes.copyOf(b);
        RecordEnvelope e = new RecordEnvelope("TEST/rewrap");
        byte[] content = "{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8);
        RecordEnvelope.Sealed sealed = e.seal(oldKey, "hpc-1", "p1", 7, content);
        byte[] rewrapped = e.rewrap(oldKey, newKey, "hpc-1", "p1", 7, sealed.wrappedKey());
        assertArrayEquals(content, e.open(newKey, "hpc-1", "p1", 7, rewrapped, sealed.ciphertext()), "the content layer is untouched");
        assertThrows(ProtocolException.class, () -> e.open(oldKey, "hpc-1", "p1", 7, rewrapped, sealed.ciphertext()));
        // a re-wrap is bound like a wrap: not under the wrong old key, not for another patient
        assertThrows(ProtocolException.class, () -> e.rewrap(newKey, oldKey, "hpc-1", "p1", 7, sealed.wrappedKey()));
        assertThrows(ProtocolException.class, () -> e.rewrap(oldKey, newKey, "hpc-1", "p2", 7, sealed.wrappedKey()));
    }
}
