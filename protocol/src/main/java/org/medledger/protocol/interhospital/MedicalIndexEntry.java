package org.medledger.protocol.interhospital;

import java.util.Objects;

/** One line of the patient's medical index: which hospital holds which record (seed 002, step 5). */
public record MedicalIndexEntry(String hospitalId, String diagnosisId) {

    public MedicalIndexEntry {
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
        Objects.requireNonNull(diagnosisId, "Diagnosis id is required.");
    }
}
