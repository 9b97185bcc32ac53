package org.medledger.protocol.cloudchain;

import java.util.Objects;

/**
 * The NA's outcome of a patient registration: the card issuance for the patient and the
 * verifier the NA stores ("stores HID_i in secure database") and provisions to medical centers.
 */
public record PatientRegistrationResult(CardIssuance issuance, PatientVerifier verifier) {

    public PatientRegistrationResult {
        Objects.requireNonNull(issuance, "Issuance is required.");
        Objects.requireNonNull(verifier, "Verifier is required.");
    }
}
