package org.medledger.protocol.abe;

import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.GtElement;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * PP = (g1, g2, g1^a, g2^a, e(g1,g2)^α, H)  (seed 003 Setup, PROTOCOLS.md §4 group assignment).
 * g1 and g2 are the group's fixed generators; H is {@link AbeHashes} over the group.
 */
public record PublicParameters(PairingGroup group, G1Element g1A, G2Element g2A, GtElement eggAlpha) {

    public PublicParameters {
        Objects.requireNonNull(group, "group is required");
        Objects.requireNonNull(g1A, "g1^a is required");
        Objects.requireNonNull(g2A, "g2^a is required");
        Objects.requireNonNull(eggAlpha, "e(g1,g2)^alpha is required");
    }

    public G1Element g1() {
        return group.g1();
    }

    public G2Element g2() {
        return group.g2();
    }

    AbeHashes hashes() {
        return new AbeHashes(group);
    }

    static final String LABEL = "ABE-CHAIN/PublicParameters/v1";

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(group.name()).bytes(g1A.toBytes()).bytes(g2A.toBytes())
                .bytes(eggAlpha.toBytes()).toByteArray();
    }

    /**
     * Strict decoding over {@code group}; also checks that g1^a and g2^a share the exponent
     * (e(g1^a, g2) = e(g1, g2^a)) and that e(g1,g2)^α is not 1.
     */
    public static PublicParameters decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        if (!group.name().equals(d.utf8())) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "public parameters are for another curve");
        }
        G1Element g1A = group.decodeG1(d.bytes(group.g1Length()));
        G2Element g2A = group.decodeG2(d.bytes(group.g2Length()));
        GtElement eggAlpha = group.decodeGt(d.bytes(group.gtLength()));
        d.finish();
        if (!group.multiPair(List.of(g1A, group.g1().negate()), List.of(group.g2(), g2A)).isOne() || eggAlpha.isOne()) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "inconsistent public parameters");
        }
        return new PublicParameters(group, g1A, g2A, eggAlpha);
    }
}
