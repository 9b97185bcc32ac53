package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroup;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.GtElement;

/** CT = {C0, C1, C2, C3} for identity {@code id}  (seed 003, Encrypt_ID). */
public record IdentityCiphertext(String identity, GtElement c0, G1Element c1, G1Element c2, G2Element c3) {

    public IdentityCiphertext {
        identity = AccessPolicy.foldAttribute(identity);
        Objects.requireNonNull(c0, "C0 is required");
        Objects.requireNonNull(c1, "C1 is required");
        Objects.requireNonNull(c2, "C2 is required");
        Objects.requireNonNull(c3, "C3 is required");
    }

    static final String LABEL = "ABE-CHAIN/IdentityCiphertext/v1";

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(identity).bytes(c0.toBytes()).bytes(c1.toBytes())
                .bytes(c2.toBytes()).bytes(c3.toBytes()).toByteArray();
    }

    /** Strict decoding (lengths, subgroup membership, no trailing bytes). */
    public static IdentityCiphertext decode(PairingGroup group, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String id = d.utf8();
        var c0 = group.decodeGt(d.bytes(group.gtLength()));
        var c1 = group.decodeG1(d.bytes(group.g1Length()));
        var c2 = group.decodeG1(d.bytes(group.g1Length()));
        var c3 = group.decodeG2(d.bytes(group.g2Length()));
        d.finish();
        if (id.isBlank() || !AccessPolicy.foldAttribute(id).equals(id)) {
            throw new org.medledger.protocol.common.ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE,
                    "identity is empty or not in canonical (folded) form");
        }
        return new IdentityCiphertext(id, c0, c1, c2, c3);
    }
}
