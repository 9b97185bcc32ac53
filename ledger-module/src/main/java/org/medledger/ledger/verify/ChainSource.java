package org.medledger.ledger.verify;

import java.util.List;

import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StateEntry;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;

/** Where the verifier reads a chain from: a store, or an export file (no database). */
public interface ChainSource {
    List<StoredBlock> blocks(long fromNumber, int limit);

    List<SignedTreeHead> treeHeads(long fromSize, int limit);

    /** Transaction rows with log index ≥ {@code fromIndex}, whatever block they name. */
    List<StoredTransaction> transactions(long fromIndex, int limit);

    /**
     * Whether this source holds a world state to compare with the replay (stores and exports do;
     * a chain served by a peer is blocks only).
     */
    default boolean holdsState() {
        return true;
    }

    /** Stored world state after the given key ({@code null}: from the first), in the source's key order. */
    List<StateEntry> state(String afterNamespace, String afterKey, int limit);

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

            @Override
            public List<StoredTransaction> transactions(long fromIndex, int limit) {
                return store.transactions(fromIndex, limit);
            }

            @Override
            public List<StateEntry> state(String afterNamespace, String afterKey, int limit) {
                return store.stateEntries(afterNamespace, afterKey, limit);
            }
        };
    }
}
