package org.medledger.protocol.emrauth;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.HashToScalar;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.SecretBytes;

/**
 * The hash-to-scalar functions of EMR-AUTH. Erratum 1: the doctor's hash is
 * {@code H(ID_D‖Cert_D‖R_D1)} everywhere (eq. 9, 10, 22, 39).
 */
final class EmrAuthHashes {

    static final String H_PATIENT = "EMR-AUTH/eq3/H";
    static final String H_HPC = "EMR-AUTH/eq6/h";
    static final String H_DOCTOR = "EMR-AUTH/eq9/H";

    private EmrAuthHashes() {
    }

    /** {@code H(ID_P‖B_P‖R_P1)}  (seed 000, eq. 3, 4, 16, 17). */
    static BigInteger patient(CurveProfile curve, String idP, SecretBytes bP, ECPoint rP1) {
        return HashToScalar.hash(curve, LabelledEncoder.of(H_PATIENT).utf8(idP).secret(bP).point(curve, rP1));
    }

    /** {@code h(ID_HPC‖R_HPC1)}  (seed 000, eq. 6, 7, 44). */
    static BigInteger hospitalCloud(CurveProfile curve, String idHpc, ECPoint rHpc1) {
        return HashToScalar.hash(curve, LabelledEncoder.of(H_HPC).utf8(idHpc).point(curve, rHpc1));
    }

    /** {@code H(ID_D‖Cert_D‖R_D1)}  (seed 000, eq. 9, 10, 22, 39; erratum 1). */
    static BigInteger doctor(CurveProfile curve, String idD, byte[] certD, ECPoint rD1) {
        return HashToScalar.hash(curve, LabelledEncoder.of(H_DOCTOR).utf8(idD).bytes(certD).point(curve, rD1));
    }
}
