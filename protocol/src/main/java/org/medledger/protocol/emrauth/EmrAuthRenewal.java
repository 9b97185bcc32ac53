package org.medledger.protocol.emrauth;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;

/** EMR-AUTH's parties in {@link PartialKeyRenewal}: their kinds and implicit keys (seed 000, eq. 4, 7, 10). */
public final class EmrAuthRenewal {

    public static final PartialKeyRenewal.Kind PATIENT = new PartialKeyRenewal.Kind(EmrAuthRoles.SCHEME, EmrAuthRoles.PATIENT);
    public static final PartialKeyRenewal.Kind DOCTOR = new PartialKeyRenewal.Kind(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR);
    public static final PartialKeyRenewal.Kind HOSPITAL_CLOUD = new PartialKeyRenewal.Kind(EmrAuthRoles.SCHEME,
            EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD);

    private EmrAuthRenewal() {
    }

    /** The kind of {@code role} ({@code patient}, {@code doctor} or the hospital private cloud's). */
    public static PartialKeyRenewal.Kind kind(String role) {
        return switch (role) {
            case EmrAuthRoles.PATIENT -> PATIENT;
            case EmrAuthRoles.DOCTOR -> DOCTOR;
            case EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD -> HOSPITAL_CLOUD;
            default -> throw new IllegalArgumentException("no EMR-AUTH partial key for role " + role);
        };
    }

    /** A patient's implicit key {@code R_P1 + H(ID_P‖B_P‖R_P1)·PK} (seed 000, eq. 4). */
    public static VerificationKey patientKey(MasterPublicKey pk, String idP, SecretBytes bP, ECPoint rP1)
            throws ProtocolException {
        pk.curve().requireValid(rP1);
        return PartialKeyRenewal.implicitKey(pk, rP1, EmrAuthHashes.patient(pk.curve(), idP, bP, rP1));
    }

    /** A doctor's implicit key {@code R_D1 + H(ID_D‖Cert_D‖R_D1)·PK} (seed 000, eq. 10). */
    public static VerificationKey doctorKey(MasterPublicKey pk, String idD, byte[] certD, ECPoint rD1)
            throws ProtocolException {
        pk.curve().requireValid(rD1);
        return PartialKeyRenewal.implicitKey(pk, rD1, EmrAuthHashes.doctor(pk.curve(), idD, certD, rD1));
    }

    /** A hospital private cloud's implicit key {@code R_HPC1 + h(ID_HPC‖R_HPC1)·PK} (seed 000, eq. 7). */
    public static VerificationKey hospitalCloudKey(MasterPublicKey pk, String idHpc, ECPoint rHpc1) throws ProtocolException {
        pk.curve().requireValid(rHpc1);
        return PartialKeyRenewal.implicitKey(pk, rHpc1, EmrAuthHashes.hospitalCloud(pk.curve(), idHpc, rHpc1));
    }
}
