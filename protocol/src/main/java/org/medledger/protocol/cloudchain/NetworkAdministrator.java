package org.medledger.protocol.cloudchain;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.SecretBytes;

/**
 * The network administrator NA of CLOUD-CHAIN (the KGC): holds {@code s_NA}
 * ({@code PK_NA = s_NA·G}), registers patients and certifies medical centers. Stateless:
 * the caller stores the verifiers it returns.
 */
public final class NetworkAdministrator {

    private final Environment env;
    private final MasterSecret sNa;
    private final KeyCertifier certifier;

    public NetworkAdministrator(Environment env, MasterSecret sNa, KeyCertifier certifier) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.sNa = Objects.requireNonNull(sNa, "s_NA is required.");
        this.certifier = Objects.requireNonNull(certifier, "Certifier is required.");
    }

    /** {@code PK_NA}. */
    public MasterPublicKey publicKey() {
        return sNa.publicKey();
    }

    /**
     * Patient registration step 2 (seed 001, §5.1.1 step 2): picks {@code K_NA} and issues
     * {@code x_i = h(HID_i‖K_NA)}; returns the verifier {@code V_i = h(x_i)} for the MCs.
     */
    public PatientRegistrationResult registerPatient(PatientEnrolment enrolment) {
        Objects.requireNonNull(enrolment, "Enrolment is required.");
        byte[] kNa = new byte[32];
        env.random().nextBytes(kNa);
        // x_i = h(HID_i‖K_NA)  (seed 001, §5.1.1 step 2)
        byte[] x = CloudChainHashes.h(LabelledEncoder.of("CLOUD-CHAIN/5.1.1/x_i").bytes(enrolment.hidI()).bytes(kNa));
        Arrays.fill(kNa, (byte) 0);
        try {
            return new PatientRegistrationResult(new CardIssuance(SecretBytes.copyOf(x)),
                    new PatientVerifier(enrolment.hidI(), verifierOf(x)));
        } finally {
            Arrays.fill(x, (byte) 0);
        }
    }

    /** {@code V_i = h(x_i)} (erratum 4). */
    static byte[] verifierOf(byte[] x) {
        return CloudChainHashes.h(LabelledEncoder.of("CLOUD-CHAIN/erratum4/V_i").bytes(x));
    }

    /**
     * Medical-center registration step 2 (seed 001, §5.1.2 step 2; erratum 2): certifies
     * {@code (PID_j, PK_j)} and hands over the verifiers of the registered patients.
     */
    public MedicalCenterCertificate registerMedicalCenter(MedicalCenterEnrolment enrolment, Collection<PatientVerifier> patients) {
        Objects.requireNonNull(enrolment, "Enrolment is required.");
        return new MedicalCenterCertificate(certifier.certify(CloudChainRoles.SCHEME, CloudChainRoles.MEDICAL_CENTER,
                enrolment.pidJ(), enrolment.signingKey(), enrolment.kemKey(), Optional.empty()), java.util.List.copyOf(patients));
    }
}
