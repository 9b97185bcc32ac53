package org.medledger.protocol.abe;

import java.util.List;
import java.util.Objects;

import org.medledger.protocol.pairing.G1Element;
import org.medledger.protocol.pairing.G2Element;
import org.medledger.protocol.pairing.GtElement;

/**
 * CT = {(M, ρ), C0, C1, {(C2_i, C3_i)}_{i∈[1,l]}}  (seed 003, Encrypt_ATT). The matrix is not
 * carried: it is rebuilt deterministically from the canonical policy text, so the policy the
 * endorser compares is exactly the one the ciphertext is bound to.
 */
public record PolicyCiphertext(AccessPolicy policy, GtElement c0, G1Element c1, List<Row> rows) {

    /** (C2_i ∈ G1, C3_i ∈ G2) for LSSS row i. */
    public record Row(G1Element c2, G2Element c3) {
        public Row {
            Objects.requireNonNull(c2, "C2_i is required");
            Objects.requireNonNull(c3, "C3_i is required");
        }
    }

    public PolicyCiphertext {
        Objects.requireNonNull(policy, "policy is required");
        Objects.requireNonNull(c0, "C0 is required");
        Objects.requireNonNull(c1, "C1 is required");
        rows = List.copyOf(rows);
        if (rows.size() != policy.leaves().size()) {
            throw new IllegalArgumentException("one (C2, C3) pair per policy leaf is required");
        }
    }
}
