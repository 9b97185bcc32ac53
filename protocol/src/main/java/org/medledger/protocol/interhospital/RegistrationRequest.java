package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.VerificationKey;

/**
 * X → center over the secure channel: {@code ID_X} (seed 002, §3.4–3.5 step 1) and X's own
 * signing and KEM public keys (erratum 1: the center never sees {@code SK_X}).
 */
public record RegistrationRequest(String id, String role, String detail, VerificationKey signingKey, KemPublicKey kemKey) {

    public RegistrationRequest {
        Objects.requireNonNull(id, "ID_X is required.");
        Objects.requireNonNull(role, "Role is required.");
        Objects.requireNonNull(detail, "Detail is required.");
        Objects.requireNonNull(signingKey, "Signing key is required.");
        Objects.requireNonNull(kemKey, "KEM key is required.");
        if (!role.equals(InterHospitalRoles.PATIENT) && !role.equals(InterHospitalRoles.HOSPITAL)) {
            throw new IllegalArgumentException("Unknown role.");
        }
    }
}
