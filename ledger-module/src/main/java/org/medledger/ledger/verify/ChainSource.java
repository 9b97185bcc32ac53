package org.medledger.ledger.verify;

import java.util.List;

import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StoredBlock;

/** Where the verifier reads a chain from: a store, or an export file (no database). */
public interface ChainSource {
    List<StoredBlock> blocks(long fromNumber, int limit);

    List<SignedTreeHead> treeHeads(long fromSize, int limit);

    static ChainSource of(LedgerStore store) {
        return new ChainSource() {
            @Override
            public List<StoredBlock> blocks(long fromNumber, int limit) {
                return store.blocks(fromNumber, limit);
            }

            @Override
            public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
                return store.treeHeads(fromSize, limit);
            }
        };
    }
}
