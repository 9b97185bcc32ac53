package org.medledger.ledger.merkle;

import java.util.Objects;

/** A Merkle proof did not verify; {@link #error()} says why. */
public final class ProofException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ProofError error;

    public ProofException(ProofError error, String detail) {
        super(Objects.requireNonNull(error) + ": " + detail);
        this.error = error;
    }

    public ProofError error() {
        return error;
    }
}
