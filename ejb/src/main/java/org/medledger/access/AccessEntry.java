package org.medledger.access;

import java.util.Objects;

/**
 * One release attempt of a record, as written to the ledger before anything is released:
 * which scheme, which holder (the member that signs the entry), whose record, who asked, whether
 * it was released or refused, why, and when.
 */
public record AccessEntry(String scheme, String holderId, String patientId, String accessorId, Outcome outcome,
                          String reason, long at) {

    public enum Outcome {
        RELEASED, REFUSED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AccessEntry {
        Objects.requireNonNull(scheme, "Scheme is required.");
        Objects.requireNonNull(holderId, "Holder is required.");
        Objects.requireNonNull(patientId, "Patient is required.");
        Objects.requireNonNull(accessorId, "Accessor is required.");
        Objects.requireNonNull(outcome, "Outcome is required.");
        Objects.requireNonNull(reason, "Reason is required.");
    }

    public static AccessEntry released(String scheme, String holderId, String patientId, String accessorId, long at) {
        return new AccessEntry(scheme, holderId, patientId, accessorId, Outcome.RELEASED, "CONSENTED", at);
    }

    public static AccessEntry refused(String scheme, String holderId, String patientId, String accessorId, String reason,
                                      long at) {
        return new AccessEntry(scheme, holderId, patientId, accessorId, Outcome.REFUSED, reason, at);
    }
}
