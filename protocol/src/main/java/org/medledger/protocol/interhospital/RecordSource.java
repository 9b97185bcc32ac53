package org.medledger.protocol.interhospital;

import java.util.Optional;

/** Where a hospital reads its own EMRs (the server: its encrypted record store). */
@FunctionalInterface
public interface RecordSource {

    /** The EMR {@code diagnosisId} if this hospital holds it for {@code patientId}. */
    Optional<byte[]> find(String patientId, String diagnosisId);
}
