package org.medledger.ledger.merkle;

/** Why a Merkle proof was rejected. */
public enum ProofError {
    /** Leaf index not below the tree size, sizes out of order, or a negative size. */
    BAD_SIZES,
    /** The proof is for other tree sizes than the trusted tree heads it is checked against. */
    SIZE_MISMATCH,
    /** The proof has more or fewer hashes than the sizes require. */
    WRONG_PATH_LENGTH,
    /** The recomputed root differs from the expected root. */
    ROOT_MISMATCH,
    /** The recomputed root of the older tree differs from its expected root. */
    OLD_ROOT_MISMATCH
}
