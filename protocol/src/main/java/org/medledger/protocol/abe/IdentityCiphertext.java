package org.medledger.protocol.abe;

import java.util.Objects;

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
}
