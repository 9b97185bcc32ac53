package org.medledger.protocol.interhospital;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.VerificationKey;

/** INTER-HOSPITAL's parties in {@link PartialKeyRenewal}: their kinds and implicit key (seed 002, eq. 5, 13). */
public final class InterHospitalRenewal {

    public static final PartialKeyRenewal.Kind PATIENT = new PartialKeyRenewal.Kind(InterHospitalRoles.SCHEME,
            InterHospitalRoles.PATIENT);
    public static final PartialKeyRenewal.Kind HOSPITAL = new PartialKeyRenewal.Kind(InterHospitalRoles.SCHEME,
            InterHospitalRoles.HOSPITAL);

    private InterHospitalRenewal() {
    }

    /** A patient's or hospital's implicit key {@code R_X + H1(ID_X, R_X)·PK} (seed 002, eq. 5, 9, 13). */
    public static VerificationKey key(MasterPublicKey pk, String id, ECPoint rX) throws ProtocolException {
        pk.curve().requireValid(rX);
        return PartialKeyRenewal.implicitKey(pk, rX, InterHospitalHashes.h1(pk.curve(), id, rX));
    }

    /** Whether {@code (R_X, S_X)} was issued under {@code pk}: {@code S_X·P == R_X + H1(ID_X, R_X)·PK} (seed 002, eq. 5, 13). */
    public static boolean issuedUnder(MasterPublicKey pk, String id, ECPoint rX, SecretScalar sX) {
        try {
            PartialKey.verify(pk, rX, sX, InterHospitalHashes.h1(pk.curve(), id, rX));
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }
}
