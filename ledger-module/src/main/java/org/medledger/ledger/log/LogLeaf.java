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
        return Canonical.label(LABEL).u64(logIndex).bytes(tx.encodedView()).toBytes();
    }

    /** {@code MerkleHash.leaf(data(logIndex, tx))}, hashed without assembling the leaf data. */
    public static Digest hash(long logIndex, Transaction tx) {
        byte[] body = tx.encodedView();
        byte[] prefix = Canonical.label(LABEL).u64(logIndex).toBytes();
        java.security.MessageDigest md = Digest.sha256();
        md.update((byte) 0x00);
        md.update(prefix);
        md.update(new byte[] {(byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length});
        md.update(body);
        return Digest.finish(md);
    }
}
