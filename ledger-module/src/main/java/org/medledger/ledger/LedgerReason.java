package org.medledger.ledger;

/** Stable reason codes for every ledger refusal; clients see them in problem responses. */
public enum LedgerReason {
    /** A field is missing, too long or badly encoded. */
    MALFORMED,
    /** No contract or function of that name is registered. */
    UNKNOWN_CONTRACT,
    /** The submitter or endorser has no KGC-certified key on the ledger. */
    UNKNOWN_MEMBER,
    /** The member's certificate is revoked, expired or not yet valid. */
    MEMBER_NOT_ACTIVE,
    /** The member's role does not allow this call. */
    WRONG_ROLE,
    /** A submitter, endorser, KGC, producer or tree-head signature does not verify. */
    BAD_SIGNATURE,
    /** The contract's endorsement policy is not satisfied. */
    MISSING_ENDORSEMENT,
    /** The transaction id is already on the ledger or pending. */
    DUPLICATE_TRANSACTION,
    /** The transaction timestamp is outside the acceptance window. */
    STALE_TIMESTAMP,
    /** The contract refuses: the id already exists. */
    ALREADY_EXISTS,
    /** The contract refuses: the id does not exist. */
    NOT_FOUND,
    /** The contract refuses: the caller is not authorized (no consent, no letter, not the owner). */
    NOT_AUTHORIZED,
    /** A second writer appended a block with the same number: the store refused a fork. */
    FORK,
    /** The store failed; nothing was acknowledged. */
    STORE_FAILURE,
    /**
     * The commit could not be confirmed either way in time (the store stopped answering): the
     * transaction may still be on the ledger; look it up by id before submitting anew.
     */
    OUTCOME_UNKNOWN,
    /** The stored ledger does not verify (tampered or damaged); the node refuses to serve it. */
    CORRUPT,
    /** The ledger is closed. */
    CLOSED
}
