package org.medledger.protocol.interhospital;

import java.util.Objects;

/** Hospital A's release to hospital B: the transfer message and the ledger log of it (erratum 3). */
public record RecordRelease(RecordTransfer transfer, RecordTransferLog log) {

    public RecordRelease {
        Objects.requireNonNull(transfer, "Transfer is required.");
        Objects.requireNonNull(log, "Log is required.");
    }
}
