package org.medledger.kgc;

import java.util.Objects;

/** The KGC master public key {@code PK = s·P} as published: curve, SEC1 compressed point, key id. */
public record KgcPublicKey(String curve, byte[] encoded, String keyId) {

    public KgcPublicKey {
        Objects.requireNonNull(curve, "Curve is required.");
        encoded = encoded.clone();
        Objects.requireNonNull(keyId, "Key id is required.");
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }
}
