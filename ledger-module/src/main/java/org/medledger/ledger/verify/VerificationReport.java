package org.medledger.ledger.verify;

import java.util.Optional;

import org.medledger.ledger.codec.Digest;

/** Outcome of a full verification: how far it got and the first failure, if any. */
public record VerificationReport(long blocks, long transactions, Digest logRoot, Optional<VerificationFailure> failure) {
    public boolean ok() {
        return failure.isEmpty();
    }
}
