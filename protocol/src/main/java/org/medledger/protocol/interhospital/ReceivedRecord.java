package org.medledger.protocol.interhospital;

import java.util.Objects;

/** A record received and verified by a patient or a hospital. */
public record ReceivedRecord(String hospitalId, String diagnosisId, byte[] emr) {

    public ReceivedRecord {
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
        Objects.requireNonNull(diagnosisId, "Diagnosis id is required.");
        emr = Objects.requireNonNull(emr, "EMR is required.").clone();
    }

    @Override
    public byte[] emr() {
        return emr.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedRecord r && r.hospitalId.equals(hospitalId) && r.diagnosisId.equals(diagnosisId)
                && java.util.Arrays.equals(r.emr, emr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hospitalId, diagnosisId, java.util.Arrays.hashCode(emr));
    }
}
