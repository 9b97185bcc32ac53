package org.medledger.ledger.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.merkle.MerkleTree;
import org.medledger.ledger.node.LedgerConfig;
import org.medledger.ledger.node.TransactionProcessor;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StateEntry;
import org.medledger.ledger.tx.Transaction;

/**
 * Appends pre-built blocks straight to a store, as the producer would write them (contracts
 * executed for the state writes, block times increasing, tree heads of the fixture's log), but
 * without the node's checks, so tests can plant bad signatures or roots and benchmarks can build
 * large chains fast.
 */
public final class ChainBuilder {
    private final Fixture fx;
    private final LedgerStore store;
    private final TransactionProcessor processor;
    private final MerkleTree tree = new MerkleTree();
    private final Map<StateKey, VersionedValue> state = new HashMap<>();
    private final String logId;
    private BlockHeader head;
    private Long nextTime;
    private Long nextHeadTime;
    private String nextLogId;

    public ChainBuilder(Fixture fx, LedgerStore store) {
        this.fx = fx;
        this.store = store;
        this.processor = new TransactionProcessor(fx.contracts, new MemberDirectory(fx.anchors), org.medledger.ledger.crypto.P256SignatureScheme.INSTANCE);
        this.logId = fx.config().logId();
        this.head = store.head().orElse(null);
        store.leafHashes(0, Integer.MAX_VALUE).forEach(tree::append);
        String ns = null;
        String key = null;
        for (List<StateEntry> page = store.stateEntries(null, null, 1000); !page.isEmpty(); page = store.stateEntries(ns, key, 1000)) {
            for (StateEntry e : page) {
                state.put(new StateKey(e.namespace(), e.key()), new VersionedValue(e.version(), e.value()));
                ns = e.namespace();
                key = e.key();
            }
        }
    }

    /** Appends one block of {@code txs}; {@code badTxRoot} stores a wrong transaction root. */
    public BlockHeader append(List<Transaction> txs, boolean badTxRoot) {
        long first = tree.size();
        List<Digest> leaves = new ArrayList<>();
        Map<StateKey, VersionedValue> writes = new HashMap<>();
        java.util.Set<StateKey> created = new java.util.HashSet<>();
        for (int i = 0; i < txs.size(); i++) {
            Transaction t = txs.get(i);
            Digest leaf = LogLeaf.hash(first + i, t);
            leaves.add(leaf);
            tree.append(leaf);
            long version = first + i + 1;
            processor.prepare(t, k -> Optional.ofNullable(state.get(k))).readWriteSet().writes().forEach((k, v) -> {
                if (!state.containsKey(k)) {
                    created.add(k);
                }
                state.put(k, new VersionedValue(version, v));
                writes.put(k, new VersionedValue(version, v));
            });
        }
        long time = nextTime != null ? nextTime : head == null ? Fixture.NOW : head.createdAt() + 1;
        nextTime = null;
        long minTs = txs.stream().mapToLong(t -> t.body().timestamp()).min().orElseThrow();
        long maxTs = txs.stream().mapToLong(t -> t.body().timestamp()).max().orElseThrow();
        Digest txRoot = badTxRoot ? Digest.sha256(new byte[] {1}) : MerkleAccumulator.rootOf(leaves);
        BlockHeader h = new BlockHeader(head == null ? 0 : head.number() + 1, head == null ? Digest.ZERO : head.hash(), txRoot, first,
                txs.size(), tree.root(), time, minTs, maxTs, Fixture.PRODUCER, 0, 0);
        Block blk = new Block(h, Bytes.of(fx.producerKey.sign(Block.signingBytes(h.hash()))), txs);
        long headTime = nextHeadTime != null ? nextHeadTime : time;
        String headLog = nextLogId != null ? nextLogId : logId;
        nextHeadTime = null;
        nextLogId = null;
        store.append(new BlockCommit(blk, h.hash(), leaves, writes, created,
                SignedTreeHead.sign(headLog, tree.size(), tree.root(), headTime, Fixture.PRODUCER, fx.producerKey)));
        head = h;
        return h;
    }

    /** The next block (and its tree head) gets this time instead of the previous block's time + 1. */
    public ChainBuilder at(long blockTime) {
        nextTime = blockTime;
        return this;
    }

    /** The next tree head gets this time (its block keeps its own). */
    public ChainBuilder headAt(long headTime) {
        nextHeadTime = headTime;
        return this;
    }

    /** The next tree head names this log. */
    public ChainBuilder headOfLog(String id) {
        nextLogId = id;
        return this;
    }

    public long lastBlockTime() {
        return head.createdAt();
    }

    public long size() {
        return tree.size();
    }

    public static String logIdOf(LedgerConfig config) {
        return config.logId();
    }
}
