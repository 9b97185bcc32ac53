package org.medledger.ledger.log;

import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.merkle.MerkleHash;
import org.medledger.ledger.tx.Transaction;

/**
 * The log leaf of a transaction: its full encoding bound to its log index, so a row moved to
 * another position no longer matches its leaf.
 */
public final class LogLeaf {
    private LogLeaf() {
    }

    private static final String LABEL = "MEDLEDGER/leaf/v1";

    public static byte[] data(long logIndex, Transaction tx) {
        return Canonical.label(LABEL).u64(logIndex).bytes(tx.encode()).toBytes();
    }

    public static Digest hash(long logIndex, Transaction tx) {
        return MerkleHash.leaf(data(logIndex, tx));
    }
}
