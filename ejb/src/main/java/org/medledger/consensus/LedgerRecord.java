package org.medledger.consensus;

import org.medledger.ledger.node.Receipt;

/** Where a transaction landed: its log index and id, and the signed tree head that includes it. */
public record LedgerRecord(long logIndex, String txId, long treeSize, String rootHash, long treeHeadTimestamp) {

    public static LedgerRecord of(Receipt r) {
        return new LedgerRecord(r.logIndex(), r.txId().hex(), r.treeHead().treeSize(), r.treeHead().rootHash().hex(),
                r.treeHead().timestamp());
    }
}
