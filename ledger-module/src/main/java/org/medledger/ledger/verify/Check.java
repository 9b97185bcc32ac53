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
    /** The transaction id appeared earlier in the chain. */
    TX_DUPLICATE,
    /** The transaction's timestamp is outside the acceptance window around its block's time. */
    TX_TIMESTAMP,
    /** A transaction row beyond the last block: no block accounts for it. */
    TX_DANGLING,
    /** Member, endorsement policy or contract refused the transaction on replay. */
    TX_REJECTED,
    TREE_HEAD_MISSING,
    TREE_HEAD_UNEXPECTED,
    TREE_HEAD_SIGNATURE,
    TREE_HEAD_ROOT,
    /** A tree head's time is not after the previous head's, or differs from its block's time. */
    TREE_HEAD_TIMESTAMP,
    /** A tree head names another log than the chain's (or the checkpoint's). */
    TREE_HEAD_LOG_ID,
    CHECKPOINT_SIGNATURE,
    CHECKPOINT_ROOT,
    /** A stored state row differs from the replayed value. */
    STATE_MISMATCH,
    /** A stored state row that no transaction wrote. */
    STATE_EXTRA,
    /** A replayed state value with no stored row (e.g. a deleted revocation). */
    STATE_MISSING
}
