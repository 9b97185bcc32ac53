package org.medledger.protocol.cloudchain;

import java.util.Objects;

import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.VerificationKey;

/**
 * MC_j → NA over the secure channel: the masked identity {@code PID_j = h(ID_j‖r_j)} and
 * the MC's own public keys ({@code PK_j}: signing and KEM) (seed 001, §5.1.2 step 1).
 */
public record MedicalCenterEnrolment(String pidJ, VerificationKey signingKey, KemPublicKey kemKey) {

    public MedicalCenterEnrolment {
        Objects.requireNonNull(pidJ, "PID_j is required.");
        Objects.requireNonNull(signingKey, "Signing key is required.");
        Objects.requireNonNull(kemKey, "KEM key is required.");
    }
}
