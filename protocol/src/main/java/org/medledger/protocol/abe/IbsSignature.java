package org.medledger.protocol.abe;

import java.util.Objects;

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
}
