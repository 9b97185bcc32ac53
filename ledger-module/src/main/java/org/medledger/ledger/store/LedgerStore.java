package org.medledger.ledger.store;

import java.util.List;
import java.util.Optional;

import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.StateReader;

/**
 * Storage of one ledger. Append-only: the only write is {@link #append}, which is atomic and
 * durable when it returns, and refuses a second block with an existing number
 * ({@link org.medledger.ledger.LedgerReason#FORK}). Implementations are thread-safe.
 */
public interface LedgerStore extends StateReader, AutoCloseable {
    /** Header of the last block, if any. */
    Optional<BlockHeader> head();

    /** Appends a block, its transactions, state writes and tree head in one transaction. */
    void append(BlockCommit commit);

    /** Up to {@code limit} blocks with number ≥ {@code fromNumber}, in number order. */
    List<StoredBlock> blocks(long fromNumber, int limit);

    /** The transaction at {@code logIndex}. */
    Optional<StoredTransaction> transaction(long logIndex);

    /** Whether a transaction with this id is on the ledger. */
    boolean containsTransaction(Digest txId);

    /**
     * Where the transaction with this id is on the ledger, if it is: its log index and the number
     * of its block (a resubmission after a leader change is answered with the first receipt).
     */
    Optional<TxPosition> position(Digest txId);

    /** A stored transaction's place: log index and block number. */
    record TxPosition(long logIndex, long blockNumber) {
    }

    /** The ids among {@code ids} that are already on the ledger (one query per block, not per submission). */
    java.util.Set<Digest> storedTransactions(java.util.Collection<Digest> ids);

    /**
     * Up to {@code limit} world-state keys after {@code after} ({@code null}: from the first), in
     * the store's own key order; paging with the last key returned visits every key once.
     */
    List<StateKey> stateKeys(StateKey after, int limit);

    /** Stored leaf hashes from {@code fromIndex}, in order (to rebuild the in-memory tree). */
    List<Digest> leafHashes(long fromIndex, int limit);

    /**
     * Up to {@code limit} transaction rows with log index ≥ {@code fromIndex}, in index order,
     * whatever block they name (the verifier looks here for rows no block accounts for).
     */
    default List<StoredTransaction> transactions(long fromIndex, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list transaction rows");
    }

    /**
     * Up to {@code limit} stored world-state rows after ({@code afterNamespace}, {@code afterKey})
     * ({@code null}: from the first), in the store's key order; the verifier compares them with its replay.
     */
    default List<StateEntry> stateEntries(String afterNamespace, String afterKey, int limit) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot list state rows");
    }

    /** Tree heads with size ≥ {@code fromSize}, in size order. */
    List<SignedTreeHead> treeHeads(long fromSize, int limit);

    Optional<SignedTreeHead> latestTreeHead();

    @Override
    void close();
}
