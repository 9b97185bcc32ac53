package org.medledger.ledger.store.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;

/** Thread-safe in-memory store; same contract as the JPA store (same conformance suite). */
public final class InMemoryLedgerStore implements LedgerStore {
    private final List<BlockCommit> blocks = new ArrayList<>();
    private final List<Digest> leaves = new ArrayList<>();
    private final List<Transaction> txs = new ArrayList<>();
    private final Set<Digest> txIds = new HashSet<>();
    private final Map<Digest, TxPosition> positions = new HashMap<>();
    private final Map<StateKey, VersionedValue> state = new HashMap<>();
    private final TreeMap<Long, SignedTreeHead> heads = new TreeMap<>();

    @Override
    public synchronized Optional<BlockHeader> head() {
        return blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(blocks.size() - 1).block().header());
    }

    @Override
    public synchronized void append(BlockCommit commit) {
        BlockHeader h = commit.block().header();
        if (h.number() != blocks.size() || h.firstLogIndex() != txs.size() || heads.containsKey(commit.treeHead().treeSize())) {
            throw new LedgerException(LedgerReason.FORK, "block " + h.number() + " does not extend the stored chain");
        }
        for (Transaction t : commit.block().transactions()) {
            if (txIds.contains(t.id())) {
                throw new LedgerException(LedgerReason.DUPLICATE_TRANSACTION, "transaction " + t.id() + " already stored");
            }
        }
        blocks.add(commit);
        for (Transaction t : commit.block().transactions()) {
            positions.put(t.id(), new TxPosition(txs.size(), h.number()));
            txs.add(t);
            txIds.add(t.id());
        }
        leaves.addAll(commit.leafHashes());
        state.putAll(commit.stateWrites());
        heads.put(commit.treeHead().treeSize(), commit.treeHead());
    }

    @Override
    public synchronized List<StoredBlock> blocks(long fromNumber, int limit) {
        List<StoredBlock> out = new ArrayList<>();
        for (long n = Math.max(0, fromNumber); n < blocks.size() && out.size() < limit; n++) {
            BlockCommit c = blocks.get((int) n);
            Block b = c.block();
            List<StoredTransaction> rows = new ArrayList<>();
            for (int i = 0; i < b.transactions().size(); i++) {
                rows.add(row(b.header().firstLogIndex() + i));
            }
            out.add(new StoredBlock(n, Optional.of(b.header()), Optional.of(b.producerSignature()), Optional.of(c.blockHash()), rows, null));
        }
        return out;
    }

    private StoredTransaction row(long index) {
        Transaction t = txs.get((int) index);
        return new StoredTransaction(index, Optional.of(t), Optional.of(t.id()), Optional.of(leaves.get((int) index)), null);
    }

    @Override
    public synchronized Optional<StoredTransaction> transaction(long logIndex) {
        return logIndex < 0 || logIndex >= txs.size() ? Optional.empty() : Optional.of(row(logIndex));
    }

    @Override
    public synchronized boolean containsTransaction(Digest txId) {
        return txIds.contains(txId);
    }

    @Override
    public synchronized Optional<TxPosition> position(Digest txId) {
        return Optional.ofNullable(positions.get(txId));
    }

    @Override
    public synchronized Set<Digest> storedTransactions(java.util.Collection<Digest> ids) {
        Set<Digest> out = new HashSet<>();
        for (Digest d : ids) {
            if (txIds.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public synchronized List<Digest> leafHashes(long fromIndex, int limit) {
        int from = (int) Math.min(Math.max(0, fromIndex), leaves.size());
        return List.copyOf(leaves.subList(from, Math.min(leaves.size(), from + limit)));
    }

    @Override
    public synchronized List<StoredTransaction> transactions(long fromIndex, int limit) {
        List<StoredTransaction> out = new ArrayList<>();
        for (long i = Math.max(0, fromIndex); i < txs.size() && out.size() < limit; i++) {
            out.add(row(i));
        }
        return out;
    }

    @Override
    public synchronized List<org.medledger.ledger.store.StateEntry> stateEntries(String afterNamespace, String afterKey, int limit) {
        StateKey after = afterNamespace == null ? null : new StateKey(afterNamespace, afterKey);
        return state.entrySet().stream().filter(e -> after == null || e.getKey().compareTo(after) > 0)
                .sorted(Map.Entry.comparingByKey()).limit(limit)
                .map(e -> new org.medledger.ledger.store.StateEntry(e.getKey().namespace(), e.getKey().key(), e.getValue().version(),
                        e.getValue().value()))
                .toList();
    }

    @Override
    public synchronized List<SignedTreeHead> treeHeads(long fromSize, int limit) {
        return heads.tailMap(fromSize, true).values().stream().limit(limit).toList();
    }

    @Override
    public synchronized Optional<SignedTreeHead> latestTreeHead() {
        return heads.isEmpty() ? Optional.empty() : Optional.of(heads.lastEntry().getValue());
    }

    @Override
    public synchronized List<StateKey> stateKeys(StateKey after, int limit) {
        return state.keySet().stream().filter(k -> after == null || k.compareTo(after) > 0).sorted().limit(limit).toList();
    }

    @Override
    public synchronized Optional<VersionedValue> get(StateKey key) {
        return Optional.ofNullable(state.get(key));
    }

    @Override
    public void close() {
        // nothing to release
    }
}
