package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.ProtocolException;

/**
 * The public cloud PC of EMR-AUTH: the KGC holding {@code s} ({@code PK = s·P}) and the
 * record index. This class holds no per-request state; the caller persists what it issues.
 */
public final class PublicCloud {

    private final Environment env;
    private final CurveProfile curve;
    private final MasterSecret master;
    private final CertificateVerifier certificates;

    public PublicCloud(Environment env, MasterSecret master, CertificateVerifier certificates) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.master = Objects.requireNonNull(master, "Master secret is required.");
        this.certificates = Objects.requireNonNull(certificates, "Certificate verifier is required.");
        this.curve = env.curve();
        if (!master.curve().equals(curve)) {
            throw new IllegalArgumentException("Master secret is on another curve.");
        }
    }

    /** {@code PK}, published to every party. */
    public MasterPublicKey masterPublicKey() {
        return master.publicKey();
    }

    /** Patient registration, step 2 (seed 000, eq. 2–3). */
    public RegistrationResponse registerPatient(PatientRegistration request) {
        Objects.requireNonNull(request, "Request is required.");
        // R_P1 = r1·P  (seed 000, eq. 2)
        // S_P = r1 + H(ID_P‖B_P‖R_P1)·s mod n  (seed 000, eq. 3)
        PartialKey key = master.issuePartialKey(env.random(),
                rP1 -> EmrAuthHashes.patient(curve, request.idP(), request.bP(), rP1));
        return RegistrationResponse.of(key);
    }

    /** HPC registration, step 2 (seed 000, eq. 5–6). */
    public RegistrationResponse registerHospitalCloud(HospitalCloudRegistration request) {
        Objects.requireNonNull(request, "Request is required.");
        // R_HPC1 = r2·P  (seed 000, eq. 5)
        // S_HPC = r2 + h(ID_HPC‖R_HPC1)·s mod n  (seed 000, eq. 6)
        PartialKey key = master.issuePartialKey(env.random(),
                rHpc1 -> EmrAuthHashes.hospitalCloud(curve, request.idHpc(), rHpc1));
        return RegistrationResponse.of(key);
    }

    /**
     * Doctor registration, step 2 (seed 000, eq. 8–9): stops unless {@code Cert_D} is legal
     * for {@code ID_D}.
     *
     * @throws ProtocolException a certificate reason from the {@link CertificateVerifier}
     */
    public RegistrationResponse registerDoctor(DoctorRegistration request) throws ProtocolException {
        Objects.requireNonNull(request, "Request is required.");
        byte[] certD = request.certD();
        certificates.requireLegal(certD, request.idD());
        // R_D1 = r3·P  (seed 000, eq. 8)
        // S_D = r3 + H(ID_D‖Cert_D‖R_D1)·s mod n  (seed 000, eq. 9)
        PartialKey key = master.issuePartialKey(env.random(),
                rD1 -> EmrAuthHashes.doctor(curve, request.idD(), certD, rD1));
        return RegistrationResponse.of(key);
    }
}
