package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.PairingGroup;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;

/** σ = (id, S0, S1, S2, S3) with S0, S1, S2 ∈ G2 and S3 ∈ G1  (seed 003, Sign). */
public record IbsSignature(String identity, G2Element s0, G2Element s1, G2Element s2, G1Element s3) {

    public IbsSignature {
        identity = AccessPolicy.foldAttribute(identity);
        Objects.requireNonNull(s0, "S0 is required");
        Objects.requireNonNull(s1, "S1 is required");
        Objects.requireNonNull(s2, "S2 is required");
        Objects.requireNonNull(s3, "S3 is required");
    }

    static final String LABEL = "ABE-CHAIN/IbsSignature/v1";

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(identity).bytes(s0.toBytes()).bytes(s1.toBytes())
                .bytes(s2.toBytes()).bytes(s3.toBytes()).toByteArray();
    }

    /**
     * Strict decoding: every component must be a non-identity element of its prime-order
     * subgroup ({@link Reason#BAD_POINT} otherwise), nothing may follow.
     */
    public static IbsSignature decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String id = d.utf8();
        if (id.isBlank()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "signer identity is empty");
        }
        var s0 = group.decodeG2(d.bytes(group.g2Length()));
        var s1 = group.decodeG2(d.bytes(group.g2Length()));
        var s2 = group.decodeG2(d.bytes(group.g2Length()));
        var s3 = group.decodeG1(d.bytes(group.g1Length()));
        d.finish();
        if (id.isBlank() || !AccessPolicy.foldAttribute(id).equals(id)) {
            throw new org.medledger.protocol.common.ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE,
                    "signer identity is empty or not in canonical (folded) form");
        }
        return new IbsSignature(id, s0, s1, s2, s3);
    }
}
