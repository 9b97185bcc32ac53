package org.medledger.ledger.verify;

/** The check that failed. */
public enum Check {
    BLOCK_MISSING,
    BLOCK_MALFORMED,
    BLOCK_NUMBER,
    BLOCK_HASH,
    PREVIOUS_HASH,
    DIFFICULTY,
    PRODUCER,
    PRODUCER_SIGNATURE,
    FIRST_LOG_INDEX,
    TX_ROOT,
    LOG_ROOT,
    BLOCK_TIMESTAMPS,
    LOG_TRUNCATED,
    TX_MISSING,
    TX_EXTRA,
    TX_LOG_INDEX,
    TX_MALFORMED,
    TX_ID,
    LEAF_HASH,
    TX_SIGNATURE,
    /** Member, endorsement policy or contract refused the transaction on replay. */
    TX_REJECTED,
    TREE_HEAD_MISSING,
    TREE_HEAD_UNEXPECTED,
    TREE_HEAD_SIGNATURE,
    TREE_HEAD_ROOT,
    CHECKPOINT_SIGNATURE,
    CHECKPOINT_ROOT
}
