package org.medledger.protocol.emrauth;

import java.util.Objects;

/**
 * What the HPC appends to the ledger when it releases an EMR (seed 000 step 6: "writes an
 * access transaction to the ledger"). Plain data; the ledger module signs and stores it.
 */
public record EmrAccessRecord(String idHpc, String idP, String idD, long accessedAt) {

    public EmrAccessRecord {
        Objects.requireNonNull(idHpc, "ID_HPC is required.");
        Objects.requireNonNull(idP, "ID_P is required.");
        Objects.requireNonNull(idD, "ID_D is required.");
    }
}
