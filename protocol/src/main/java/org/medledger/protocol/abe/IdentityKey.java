package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;

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

    @Override
    public String toString() {
        return "IdentityKey[" + identity + "]";
    }
}
