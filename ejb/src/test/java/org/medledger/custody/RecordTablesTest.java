package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.medledger.abe.AbeChainService;
import org.medledger.cloudchain.CloudServerService;
import org.medledger.emrauth.EmrRecordStore;
import org.medledger.interhospital.InterHospitalRecords;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * The envelope of each scheme's records at rest, as a rotation re-wraps them: a row sealed under
 * the hospital's old record key, re-wrapped from its table's bound columns, opens under the new key
 * only; a row whose bound columns were changed (moved to another patient, source, record or time)
 * is not re-wrapped. Every scheme's table is in the one list a rotation walks.
 */
class RecordTablesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] content = "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}".getBytes(StandardCharsets.UTF_8);

    private static SecretBytes key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return SecretBytes.copyOf(k);
    }

    /** Seals {@code content} as the store of {@code t} would for a row with {@code bound}, re-wraps it, opens it. */
    private void roundTrip(RecordTable t, Object[] bound, Object[] moved) throws ProtocolException {
        SecretBytes w0 = key();
        SecretBytes w1 = key();
        RecordTable.Binding b = t.binder().bind("hospital-a", bound);
        RecordEnvelope.Sealed s = b.envelope().seal(w0, b.holderId(), b.patientId(), b.at(), content);
        byte[] rewrapped = b.envelope().rewrap(w0, w1, b.holderId(), b.patientId(), b.at(), s.wrappedKey());
        assertArrayEquals(content, b.envelope().open(w1, b.holderId(), b.patientId(), b.at(), rewrapped, s.ciphertext()),
                t.scheme() + ": the content layer is untouched");
        assertThrows(ProtocolException.class, () -> b.envelope().open(w0, b.holderId(), b.patientId(), b.at(), rewrapped,
                s.ciphertext()), t.scheme() + ": the old key no longer opens the re-wrapped row");
        // the same row of another hospital, or with a changed bound column, does not re-wrap
        RecordTable.Binding other = t.binder().bind("hospital-b", bound);
        if (!other.holderId().equals(b.holderId())) {
            assertThrows(ProtocolException.class, () -> other.envelope().rewrap(w0, w1, other.holderId(), other.patientId(), other.at(),
                    s.wrappedKey()), t.scheme() + ": another hospital");
        }
        for (int i = 0; i < moved.length; i++) {
            Object[] changed = bound.clone();
            changed[i] = moved[i];
            RecordTable.Binding m = t.binder().bind("hospital-a", changed);
            assertThrows(ProtocolException.class, () -> m.envelope().rewrap(w0, w1, m.holderId(), m.patientId(), m.at(), s.wrappedKey()),
                    t.scheme() + ": bound column " + i + " changed");
        }
        assertEquals(bound.length, t.boundColumns().split(",").length, t.scheme() + ": one value per bound column");
    }

    @Test
    void emrAuthVersions() throws ProtocolException {
        roundTrip(EmrRecordStore.TABLE, new Object[] {"patient-1", 42L}, new Object[] {"patient-2", 43L});
    }

    @Test
    void interHospitalRecords() throws ProtocolException {
        roundTrip(InterHospitalRecords.TABLE, new Object[] {"hospital-a", "DX-1", "patient-1", 42L},
                new Object[] {"hospital-c", "DX-2", "patient-2", 43L});
    }

    @Test
    void cloudChainEhrs() throws ProtocolException {
        // bound columns pid (PID_j, the medical center: the envelope's holder), hid (HID_i, the patient), t_up
        roundTrip(CloudServerService.TABLE, new Object[] {"a1".repeat(32), "b2".repeat(32), 42L},
                new Object[] {"c3".repeat(32), "d4".repeat(32), 43L});
    }

    @Test
    void abeChainCloudRecords() throws ProtocolException {
        roundTrip(AbeChainService.TABLE, new Object[] {"e5".repeat(32), "patient-1", 42L}, new Object[] {"f6".repeat(32), "patient-2", 43L});
        assertEquals("submission", AbeChainService.TABLE.plainColumn(), "rows stored before sealing are sealed by the next re-wrap");
    }

    @Test
    void aRotationWalksEveryScheme() {
        List<RecordTable> tables = HospitalRecordKeys.TABLES;
        Set<String> schemes = tables.stream().map(RecordTable::scheme).collect(Collectors.toSet());
        assertEquals(Set.of("EMR-AUTH", "INTER-HOSPITAL", "CLOUD-CHAIN", "ABE-CHAIN"), schemes);
        assertEquals(tables.size(), tables.stream().map(RecordTable::table).distinct().count());
    }
}
