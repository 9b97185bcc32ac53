package org.medledger.ledger.verify;

/** What a verification failure points at; the index is a block number, log index or tree size. */
public enum Location {
    BLOCK,
    TRANSACTION,
    TREE_HEAD
}
