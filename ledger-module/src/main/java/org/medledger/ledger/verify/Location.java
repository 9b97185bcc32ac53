package org.medledger.ledger.verify;

/**
 * What a verification failure points at; the index is a block number, log index or tree size,
 * for {@link #STATE} the log index of the transaction that wrote the replayed value (or the
 * stored row's version − 1 when the replay has no such key).
 */
public enum Location {
    BLOCK,
    TRANSACTION,
    TREE_HEAD,
    STATE
}
