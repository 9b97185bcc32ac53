package org.medledger.ledger.verify;

/** The first thing found wrong. */
public record VerificationFailure(Location location, long index, Check check, String detail) {
    @Override
    public String toString() {
        return location + " " + index + ": " + check + " (" + detail + ")";
    }
}
