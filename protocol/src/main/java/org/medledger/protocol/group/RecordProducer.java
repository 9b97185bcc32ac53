package org.medledger.protocol.group;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;

/**
 * A record producer of GROUP-AGG: the healthcare center (EHR), the doctor (EMR) or the
 * patient (PHR) (seed 004 §III-C1–3). Encrypts the sensitive part to the patient, signs,
 * and wraps everything in the outer signature for the block transformation system.
 */
public final class RecordProducer {

    private final String id;
    private final PartyKeys keys;
    private final Clock clock;
    private final SecureRandom random;

    public RecordProducer(String id, PartyKeys keys, Clock clock, SecureRandom random) {
        this.id = GroupRoster.requireId(id);
        this.keys = Objects.requireNonNull(keys, "keys are required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
        this.random = Objects.requireNonNull(random, "random is required");
    }

    public String id() {
        return id;
    }

    /**
     * Produces C for an EHR, EMR or PHR.
     *
     * @param receiver   {@code patient:<id>} (EHR, EMR) or {@code group:<GID>} (PHR)
     * @param patientKem PK_P, the patient's HPKE key
     * @param brief      m_X, public
     * @param sensitive  SI_X, encrypted to the patient
     */
    public UploadRecord produce(RecordKind kind, String receiver, KemPublicKey patientKem, byte[] brief, byte[] sensitive) {
        if (kind == RecordKind.APHR) {
            throw new IllegalArgumentException("the APHR is made by the patient's AphrAggregator");
        }
        Objects.requireNonNull(patientKem, "PK_P is required");
        byte[] r = new byte[32];
        random.nextBytes(r);
        SensitiveInformation si = new SensitiveInformation(sensitive, r);
        java.util.Arrays.fill(r, (byte) 0);
        // s_X = E_PK_P(SI_X, H(r_X))  (seed 004 §III-C)
        byte[] s = Hpke.seal(patientKem, sealLabel(kind), sealAad(kind, id, receiver), si.encode(), random);
        return sign(keys, kind, id, receiver, brief, s, si.rHash(), clock.millis());
    }

    static String sealLabel(RecordKind kind) {
        return "GROUP-AGG/" + kind + "/s";
    }

    static byte[] sealAad(RecordKind kind, String producer, String receiver) {
        return LabelledEncoder.of("GROUP-AGG/" + kind + "/s/aad").utf8(producer).utf8(receiver).toByteArray();
    }

    static UploadRecord sign(PartyKeys keys, RecordKind kind, String producer, String receiver, byte[] brief, byte[] s,
                             byte[] rHash, long timestamp) {
        // Sig_X = S_SK_X(m_X, s_X)  (seed 004 §III-C)
        byte[] sig = Ecdsa.sign(keys.signing(), UploadRecord.innerSigned(kind, producer, receiver, brief, s));
        // C = S_SK_X(m_X, Sig_X, s_X, T_X, H(r_X))  (seed 004 §III-C)
        byte[] outer = Ecdsa.sign(keys.signing(),
                UploadRecord.outerSigned(kind, producer, receiver, brief, sig, s, timestamp, rHash));
        return new UploadRecord(kind, producer, receiver, brief, s, sig, timestamp, rHash, outer);
    }

    @Override
    public String toString() {
        return "RecordProducer[" + id + "]";
    }
}
