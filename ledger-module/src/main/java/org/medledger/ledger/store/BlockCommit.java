package org.medledger.ledger.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.medledger.ledger.block.Block;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;

/**
 * Everything one block changes, appended atomically: the block, its leaves, state writes, the
 * new tree head. {@code createdKeys} are the written keys that had no committed value before
 * this block (a store may insert them without looking them up).
 */
public record BlockCommit(Block block, Digest blockHash, List<Digest> leafHashes, Map<StateKey, VersionedValue> stateWrites,
                          java.util.Set<StateKey> createdKeys, SignedTreeHead treeHead) {
    public BlockCommit {
        createdKeys = java.util.Set.copyOf(createdKeys);
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
