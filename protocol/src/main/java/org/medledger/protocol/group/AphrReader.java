package org.medledger.protocol.group;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;

/**
 * A group member in its retrieval role (seed 004 §III-E): finds the group's APHR blocks,
 * decrypts s_G with GSK and verifies Sig_G and the three source signatures Sig_H, Sig_D,
 * Sig_P against the blocks they came from.
 */
public final class AphrReader {

    private final Map<String, VerificationKey> producers;

    public AphrReader(Map<String, VerificationKey> producers) {
        this.producers = Map.copyOf(producers);
    }

    public AggregatedRecord read(Block aphr, GroupSessionKey gsk, Function<byte[], Optional<Block>> lookup)
            throws ProtocolException {
        Objects.requireNonNull(aphr, "block is required");
        Objects.requireNonNull(gsk, "group key is required");
        UploadRecord c = aphr.record();
        String group = "group:" + gsk.groupId();
        AphrAggregator.requireKind(aphr, RecordKind.APHR, group);
        // V_PK_P(Sig_G) = (m_G, s_G)
        AphrAggregator.verifyInner(producers, c);
        // (SI_G, Sig_H, Sig_D, Sig_P) = D_GSK(s_G)  (seed 004 §III-E)
        byte[] plain = Aead.open(gsk.key(), new AssociatedData(AphrAggregator.S_G_LABEL, c.producer(), group, c.timestamp()),
                c.sensitive());
        LabelledDecoder d = LabelledDecoder.open(plain, AphrAggregator.S_G_PLAIN);
        SecretBytes si = SecretBytes.copyOf(d.bytes());
        byte[] r = d.bytes(32);
        byte[] ehrId = d.bytes(32);
        byte[] emrId = d.bytes(32);
        byte[] phrId = d.bytes(32);
        byte[] sigH = d.bytes();
        byte[] sigD = d.bytes();
        byte[] sigP = d.bytes();
        d.finish();
        java.util.Arrays.fill(plain, (byte) 0);
        CheckValues.requireEqual(SensitiveInformation.rHash(r), c.rHash());
        // Each source block is the aggregating patient's: EHR and EMR addressed to it, the PHR to this group
        String patient = "patient:" + c.producer();
        Block ehr = source(lookup, ehrId, RecordKind.EHR, patient, sigH);
        Block emr = source(lookup, emrId, RecordKind.EMR, patient, sigD);
        Block phr = source(lookup, phrId, RecordKind.PHR, group, sigP);
        if (!phr.record().producer().equals(c.producer())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "the PHR is not the aggregating patient's");
        }
        return new AggregatedRecord(si, c.brief(), ehr, emr, phr);
    }

    private Block source(Function<byte[], Optional<Block>> lookup, byte[] id, RecordKind kind, String receiver, byte[] sig)
            throws ProtocolException {
        Block b = lookup.apply(id).orElseThrow(
                () -> new ProtocolException(Reason.UNKNOWN_PARTY, "referenced " + kind + " block is not on the chain"));
        AphrAggregator.requireKind(b, kind, receiver);
        // the signature inside s_G must be the one on the chain ...
        if (!java.security.MessageDigest.isEqual(sig, b.record().signature())) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, kind + " signature differs from the chain's");
        }
        // ... and verify: V_PK_X(Sig_X) = (m_X, s_X)  (seed 004 §III-E)
        AphrAggregator.verifyInner(producers, b.record());
        return b;
    }
}
