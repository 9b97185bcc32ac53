package org.medledger.protocol.group;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.VerificationKey;

/**
 * The patient P in its aggregating role (seed 004 §III-C4): takes the latest EHR, EMR and
 * PHR blocks, decrypts s_H and s_D, verifies Sig_H, Sig_D (and its own Sig_P), and uploads
 * the APHR whose sensitive part s_G = E_GSK(SI_G, Sig_H, Sig_D, Sig_P) only the group reads.
 */
public final class AphrAggregator {

    static final String S_G_LABEL = "GROUP-AGG/APHR/s";
    static final String S_G_PLAIN = "GROUP-AGG/APHR/SI/v1";

    private final String patientId;
    private final PartyKeys keys;
    private final Map<String, VerificationKey> producers;
    private final Clock clock;
    private final SecureRandom random;

    public AphrAggregator(String patientId, PartyKeys keys, Map<String, VerificationKey> producers, Clock clock,
                          SecureRandom random) {
        this.patientId = GroupRoster.requireId(patientId);
        this.keys = Objects.requireNonNull(keys, "keys are required");
        this.producers = Map.copyOf(producers);
        this.clock = Objects.requireNonNull(clock, "clock is required");
        this.random = Objects.requireNonNull(random, "random is required");
    }

    /** Decrypts the sensitive part of an EHR or EMR addressed to this patient, checking H(r_X). */
    public SensitiveInformation openSensitive(UploadRecord record) throws ProtocolException {
        if (record.kind() == RecordKind.APHR) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "the APHR is read with the group key");
        }
        // (SI_X, H(r_X)) = D_SK_P(s_X)  (seed 004 §III-C4)
        byte[] plain = Hpke.open(keys.kem(), RecordProducer.sealLabel(record.kind()),
                RecordProducer.sealAad(record.kind(), record.producer(), record.receiver()), record.sensitive());
        SensitiveInformation si = SensitiveInformation.decode(plain);
        java.util.Arrays.fill(plain, (byte) 0);
        CheckValues.requireEqual(si.rHash(), record.rHash());
        return si;
    }

    /** Builds C_4 for the group {@code gsk.groupId()}. */
    public UploadRecord aggregate(Block ehr, Block emr, Block phr, GroupSessionKey gsk, byte[] brief, byte[] sensitive)
            throws ProtocolException {
        String group = "group:" + gsk.groupId();
        requireKind(ehr, RecordKind.EHR, "patient:" + patientId);
        requireKind(emr, RecordKind.EMR, "patient:" + patientId);
        requireKind(phr, RecordKind.PHR, group);
        if (!phr.record().producer().equals(patientId)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "the PHR is not this patient's");
        }
        // D_SK_P(s_H), D_SK_P(s_D): decrypt and check H(r)  (seed 004 §III-C4)
        openSensitive(ehr.record());
        openSensitive(emr.record());
        // V_PK_H(Sig_H) = (m_H, s_H), V_PK_D(Sig_D) = (m_D, s_D)  (seed 004 §III-C4)
        verifyInner(producers, ehr.record());
        verifyInner(producers, emr.record());
        Ecdsa.verify(keys.signingPublic(), phr.record().innerSigned(), phr.record().signature());
        byte[] r = new byte[32];
        random.nextBytes(r);
        long now = clock.millis();
        // s_G = E_GSK(SI_G, Sig_H, Sig_D, Sig_P), with r_G stored in SI_G  (seed 004 §III-C4)
        byte[] plain = LabelledEncoder.of(S_G_PLAIN).bytes(sensitive).bytes(r)
                .bytes(ehr.blockId()).bytes(emr.blockId()).bytes(phr.blockId())
                .bytes(ehr.record().signature()).bytes(emr.record().signature()).bytes(phr.record().signature())
                .toByteArray();
        byte[] sG = Aead.seal(gsk.key(), new AssociatedData(S_G_LABEL, patientId, group, now), plain, random);
        java.util.Arrays.fill(plain, (byte) 0);
        byte[] rHash = SensitiveInformation.rHash(r);
        java.util.Arrays.fill(r, (byte) 0);
        // Sig_G = S_SK_P(m_G, s_G); C_4 = S_SK_P(m_G, Sig_G, s_G, T_P, H(r_G))  (seed 004 §III-C4)
        return RecordProducer.sign(keys, RecordKind.APHR, patientId, group, brief, sG, rHash, now);
    }

    static void requireKind(Block b, RecordKind kind, String receiver) throws ProtocolException {
        Objects.requireNonNull(b, "block is required");
        if (b.record().kind() != kind || !b.record().receiver().equals(receiver)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "expected the " + kind + " of " + receiver);
        }
    }

    static void verifyInner(Map<String, VerificationKey> producers, UploadRecord r) throws ProtocolException {
        VerificationKey pk = producers.get(r.producer());
        if (pk == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "unknown producer " + r.producer());
        }
        Ecdsa.verify(pk, r.innerSigned(), r.signature());
    }

    @Override
    public String toString() {
        return "AphrAggregator[" + patientId + "]";
    }
}
