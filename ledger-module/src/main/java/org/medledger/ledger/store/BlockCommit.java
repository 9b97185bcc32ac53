package org.medledger.ledger.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medledger.ledger.block.Block;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;

/** Everything one block changes, appended atomically: the block, its leaves, state writes, the new tree head. */
public record BlockCommit(Block block, Digest blockHash, List<Digest> leafHashes, Map<StateKey, VersionedValue> stateWrites,
                          SignedTreeHead treeHead) {
    public BlockCommit {
        Objects.requireNonNull(block);
        Objects.requireNonNull(blockHash);
        Objects.requireNonNull(treeHead);
        leafHashes = List.copyOf(leafHashes);
        stateWrites = Map.copyOf(stateWrites);
        if (leafHashes.size() != block.transactions().size()) {
            throw new IllegalArgumentException("one leaf hash per transaction");
        }
    }
}
