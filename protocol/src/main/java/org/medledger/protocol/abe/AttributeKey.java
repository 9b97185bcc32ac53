package org.medledger.protocol.abe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * SK_S = {K0, K1, {K_x}_{x∈S}} (seed 003 KeyGen_ATT): a data consumer's decryption key.
 * Secret: {@link #toString()} names only the attributes.
 */
public final class AttributeKey {

    private final Set<String> attributes;
    private final G2Element k0;
    private final G2Element k1;
    private final Map<String, G1Element> kx;

    AttributeKey(G2Element k0, G2Element k1, Map<String, G1Element> kx) {
        this.k0 = Objects.requireNonNull(k0);
        this.k1 = Objects.requireNonNull(k1);
        this.kx = Map.copyOf(kx);
        this.attributes = Set.copyOf(kx.keySet());
    }

    /** The (folded) attributes this key holds. */
    public Set<String> attributes() {
        return attributes;
    }

    G2Element k0() {
        return k0;
    }

    G2Element k1() {
        return k1;
    }

    G1Element kx(String attribute) {
        return kx.get(attribute);
    }

    static final String LABEL = "ABE-CHAIN/AttributeKey/v1";

    /**
     * Secret encoding for a key store (the caller wraps and wipes it): K0 ‖ K1 ‖ count ‖
     * (x ‖ K_x)*, attributes in sorted order.
     */
    public byte[] toBytes() {
        LabelledEncoder e = LabelledEncoder.of(LABEL).bytes(k0.toBytes()).bytes(k1.toBytes()).int32(kx.size());
        List<String> names = new ArrayList<>(kx.keySet());
        names.sort(null);
        for (String x : names) {
            e.utf8(x).bytes(kx.get(x).toBytes());
        }
        return e.toByteArray();
    }

    /**
     * Strict decoding, then {@link CombinedScheme#requireWellFormed(AttributeKey)} under
     * {@code pp}: a stored or issued key that does not match the public parameters is refused.
     */
    public static AttributeKey decode(PublicParameters pp, byte[] encoded) throws ProtocolException {
        PairingGroup group = pp.group();
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        G2Element k0 = group.decodeG2(d.bytes(group.g2Length()));
        G2Element k1 = group.decodeG2(d.bytes(group.g2Length()));
        int count = d.int32();
        if (count < 1 || count > AccessPolicy.MAX_LEAVES * 4) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "attribute count out of range");
        }
        Map<String, G1Element> kx = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String x = d.utf8();
            if (x.isBlank() || !AccessPolicy.foldAttribute(x).equals(x) || kx.containsKey(x)) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "attribute not canonical or repeated");
            }
            kx.put(x, group.decodeG1(d.bytes(group.g1Length())));
        }
        d.finish();
        AttributeKey key = new AttributeKey(k0, k1, kx);
        CombinedScheme.forVerification(pp).requireWellFormed(key);
        return key;
    }

    @Override
    public String toString() {
        return "AttributeKey" + attributes;
    }
}
