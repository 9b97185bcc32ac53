package org.medledger.audit;

import java.util.List;

/**
 * A ledger entry with what a verifier needs to check it against a signed tree head on its own:
 * the leaf data (the transaction bound to its log index, RFC 6962 leaf input) and the audit path
 * to the tree of {@code treeSize} entries. Nothing here is trusted by the verifier: it hashes
 * the leaf, walks the path and compares with a tree head it checked itself. {@code transaction}
 * is the entry's transaction as the leaf encodes it, for verifiers that decode it themselves
 * (the patient's client over {@code /api/audit/accesses}).
 */
public record EntryProof(long logIndex, long treeSize, byte[] leafData, List<byte[]> path, byte[] transaction) {

    public EntryProof {
        leafData = leafData.clone();
        path = path.stream().map(byte[]::clone).toList();
        transaction = transaction.clone();
    }

    @Override
    public byte[] leafData() {
        return leafData.clone();
    }

    @Override
    public byte[] transaction() {
        return transaction.clone();
    }
}
