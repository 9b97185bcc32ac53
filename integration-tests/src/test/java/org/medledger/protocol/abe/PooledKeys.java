package org.medledger.protocol.abe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The collusion attack of the integration tests: two data consumers put their issued attribute
 * keys together — one's (K0, K1) with both sets of K_x — without the receipt check that refuses
 * such a key, and try to open a record neither may read alone.
 */
public final class PooledKeys {

    private PooledKeys() {
    }

    /** {@code base}'s K0, K1 with the K_x of both keys. */
    public static AttributeKey pool(AttributeKey base, AttributeKey other) {
        Map<String, org.medledger.protocol.pairing.G1Element> kx = new LinkedHashMap<>();
        for (String x : base.attributes()) {
            kx.put(x, base.kx(x));
        }
        for (String x : other.attributes()) {
            kx.putIfAbsent(x, other.kx(x));
        }
        return new AttributeKey(base.k0(), base.k1(), kx);
    }
}
