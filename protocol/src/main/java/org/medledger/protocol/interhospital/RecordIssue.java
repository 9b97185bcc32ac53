package org.medledger.protocol.interhospital;

import java.util.List;
import java.util.Objects;

/**
 * A hospital's record for the patient: the delivery message and the contract calls
 * {@code mrins} (the record) and {@code ptins} (patient ↦ record mapping) (seed 002, eq. 30–31).
 */
public record RecordIssue(RecordDelivery delivery, MedicalRecordInsert mrins, PatientInsert ptins) {

    public RecordIssue {
        Objects.requireNonNull(delivery, "Delivery is required.");
        Objects.requireNonNull(mrins, "mrins is required.");
        Objects.requireNonNull(ptins, "ptins is required.");
    }

    public List<ContractPayload> contractCalls() {
        return List.of(mrins, ptins);
    }
}
