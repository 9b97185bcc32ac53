package org.medledger.consortium;

/** Stable reason codes for what a hospital node refuses at the node-to-node boundary. */
public enum ConsortiumReason {
    /** The message does not decode, or a field is missing or out of range. */
    MALFORMED,
    /** The named node is not a hospital of the consortium (or its certificate is not valid then). */
    UNKNOWN_NODE,
    /** A block, tree head or co-signature signature does not verify under the named node's key. */
    BAD_SIGNATURE,
    /** A block or tree head does not come from the node it names (producer, tree-head signer). */
    WRONG_SIGNER,
    /** The block's number, previous hash or first log index does not follow this node's last block. */
    OUT_OF_ORDER,
    /** The block's content does not match its header (transaction root, log root, times, tree head). */
    BLOCK_MISMATCH,
    /** A transaction in the block fails the ledger's rules (member, signature, endorsement, contract, duplicate). */
    INVALID_TRANSACTION,
    /** A node co-signed a tree head that differs from this node's log at the same size. */
    SPLIT_VIEW,
    /** A producer signed two different tree heads for the same size. */
    EQUIVOCATION,
    /** The node is refused as a witness (split view, equivocation, or its store failed an audit). */
    REFUSED_WITNESS,
    /** Fewer valid hospital co-signatures than the quorum. */
    NO_QUORUM,
    /** Only the current leader cuts blocks and accepts submissions. */
    NOT_LEADER,
    /** The consortium cannot commit now (no leader, no majority, node closed). */
    UNAVAILABLE
}
