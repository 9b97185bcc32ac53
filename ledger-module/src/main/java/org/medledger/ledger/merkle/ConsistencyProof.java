package org.medledger.ledger.merkle;

import java.util.List;

import org.medledger.ledger.codec.Digest;

/** Proof that the tree of {@code secondSize} extends the tree of {@code firstSize} (RFC 6962 §2.1.2). */
public record ConsistencyProof(long firstSize, long secondSize, List<Digest> path) {
    public ConsistencyProof {
        path = List.copyOf(path);
    }
}
