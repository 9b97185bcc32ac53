package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * SK_id = {K0, K1, K_id} (seed 003 KeyGen_ID): decrypts identity ciphertexts and signs (IBS).
 * Secret: {@link #toString()} names only the identity.
 */
public final class IdentityKey {

    private final String identity;
    private final G2Element k0;
    private final G2Element k1;
    private final G1Element kId;

    IdentityKey(String identity, G2Element k0, G2Element k1, G1Element kId) {
        this.identity = Objects.requireNonNull(identity);
        this.k0 = Objects.requireNonNull(k0);
        this.k1 = Objects.requireNonNull(k1);
        this.kId = Objects.requireNonNull(kId);
    }

    /** The (folded) identity. */
    public String identity() {
        return identity;
    }

    G2Element k0() {
        return k0;
    }

    G2Element k1() {
        return k1;
    }

    G1Element kId() {
        return kId;
    }

    static final String LABEL = "ABE-CHAIN/IdentityKey/v1";

    /** Secret encoding for a key store (the caller wraps and wipes it): id ‖ K0 ‖ K1 ‖ K_id. */
    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(identity).bytes(k0.toBytes()).bytes(k1.toBytes()).bytes(kId.toBytes())
                .toByteArray();
    }

    /** Strict decoding, then {@link CombinedScheme#requireWellFormed(IdentityKey)} under {@code pp}. */
    public static IdentityKey decode(PublicParameters pp, byte[] encoded) throws ProtocolException {
        PairingGroup group = pp.group();
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String id = d.utf8();
        if (id.isBlank() || !AccessPolicy.foldAttribute(id).equals(id)) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "identity not in canonical form");
        }
        G2Element k0 = group.decodeG2(d.bytes(group.g2Length()));
        G2Element k1 = group.decodeG2(d.bytes(group.g2Length()));
        G1Element kId = group.decodeG1(d.bytes(group.g1Length()));
        d.finish();
        IdentityKey key = new IdentityKey(id, k0, k1, kId);
        CombinedScheme.forVerification(pp).requireWellFormed(key);
        return key;
    }

    @Override
    public String toString() {
        return "IdentityKey[" + identity + "]";
    }
}
