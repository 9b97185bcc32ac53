package org.medledger.protocol.abe;

import java.util.Objects;

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
}
