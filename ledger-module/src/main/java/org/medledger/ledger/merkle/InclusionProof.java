package org.medledger.ledger.merkle;

import java.util.List;

import org.medledger.ledger.codec.Digest;

/** Audit path for leaf {@code leafIndex} in the tree of {@code treeSize} leaves (RFC 6962 §2.1.1). */
public record InclusionProof(long leafIndex, long treeSize, List<Digest> path) {
    public InclusionProof {
        path = List.copyOf(path);
    }
}
