package org.medledger.ledger.testing;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StateEntry;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;

/**
 * A store whose connection breaks on demand: an append that commits and then reports an error
 * (the reply was lost), an append that fails before writing, and block reads that fail a number
 * of times (the database is unreachable for a while).
 */
public final class FlakyStore implements LedgerStore {
    private final LedgerStore delegate;
    /** Appends that commit, then throw. */
    public final AtomicInteger lostReplies = new AtomicInteger();
    /** Appends that throw without writing. */
    public final AtomicInteger refusedAppends = new AtomicInteger();
    /** Block reads that throw. */
    public final AtomicInteger failedReads = new AtomicInteger();

    public FlakyStore(LedgerStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void append(BlockCommit commit) {
        if (refusedAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("connection refused");
        }
        delegate.append(commit);
        if (lostReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("connection reset while committing");
        }
    }

    @Override
    public List<StoredBlock> blocks(long fromNumber, int limit) {
        if (failedReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("connection refused");
        }
        return delegate.blocks(fromNumber, limit);
    }

    @Override
    public Optional<BlockHeader> head() {
        return delegate.head();
    }

    @Override
    public Optional<StoredTransaction> transaction(long logIndex) {
        return delegate.transaction(logIndex);
    }

    @Override
    public boolean containsTransaction(Digest txId) {
        return delegate.containsTransaction(txId);
    }

    @Override
    public Optional<TxPosition> position(Digest txId) {
        return delegate.position(txId);
    }

    @Override
    public Set<Digest> storedTransactions(Collection<Digest> ids) {
        return delegate.storedTransactions(ids);
    }

    @Override
    public List<StateKey> stateKeys(StateKey after, int limit) {
        return delegate.stateKeys(after, limit);
    }

    @Override
    public List<Digest> leafHashes(long fromIndex, int limit) {
        return delegate.leafHashes(fromIndex, limit);
    }

    @Override
    public List<StoredTransaction> transactions(long fromIndex, int limit) {
        return delegate.transactions(fromIndex, limit);
    }

    @Override
    public List<StateEntry> stateEntries(String afterNamespace, String afterKey, int limit) {
        return delegate.stateEntries(afterNamespace, afterKey, limit);
    }

    @Override
    public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
        return delegate.treeHeads(fromSize, limit);
    }

    @Override
    public Optional<SignedTreeHead> latestTreeHead() {
        return delegate.latestTreeHead();
    }

    @Override
    public Optional<VersionedValue> get(StateKey key) {
        return delegate.get(key);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
