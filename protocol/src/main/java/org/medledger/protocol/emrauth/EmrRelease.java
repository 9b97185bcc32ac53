package org.medledger.protocol.emrauth;

import java.util.Objects;

/** The HPC's answer to {@link EmrRequest}: the message for the doctor and the ledger record. */
public record EmrRelease(EmrDelivery delivery, EmrAccessRecord accessRecord) {

    public EmrRelease {
        Objects.requireNonNull(delivery, "Delivery is required.");
        Objects.requireNonNull(accessRecord, "Access record is required.");
    }
}
