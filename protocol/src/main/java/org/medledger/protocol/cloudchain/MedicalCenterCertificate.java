package org.medledger.protocol.cloudchain;

import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.DirectoryEntry;

/**
 * NA → MC_j: {@code {Cert_j, HID_i}} (seed 001, §5.1.2 step 2), with {@code Cert_j} an
 * NA-signed certificate over {@code (PID_j, PK_j, validity)} (erratum 2) and, per
 * registered patient, the verifier of erratum 4.
 */
public record MedicalCenterCertificate(DirectoryEntry certJ, List<PatientVerifier> patients) {

    public MedicalCenterCertificate {
        Objects.requireNonNull(certJ, "Cert_j is required.");
        patients = List.copyOf(Objects.requireNonNull(patients, "Patients are required."));
    }
}
