package org.medledger.protocol.abe;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;

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

    @Override
    public String toString() {
        return "AttributeKey" + attributes;
    }
}
