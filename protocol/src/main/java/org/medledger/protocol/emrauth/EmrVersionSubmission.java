package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * D → HPC after a diagnosis: the new EMR version, signed by the doctor (PROTOCOLS.md §1, diagnosis).
 * {@code C_V = E_PUK_HPC(ID_P‖ID_D‖ID_DE‖M_DINF‖T_V)}, {@code Sig_V = S_PRK_D(ID_P‖ID_D‖ID_DE‖M_DINF‖T_V‖ID_HPC)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EmrVersionSubmission(byte[] cV, byte[] sigV, long tV) {

    static final String LABEL = "EMR-AUTH/EmrVersionSubmission";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EmrVersionSubmission {
        if (cV == null || cV.length == 0) {
            throw new IllegalArgumentException("C_V is required.");
        }
        cV = cV.clone();
        if (sigV == null || sigV.length == 0) {
            throw new IllegalArgumentException("Sig_V is required.");
        }
        sigV = sigV.clone();
    }

    /** C_V. */
    @Override
    public byte[] cV() {
        return cV.clone();
    }

    /** Sig_V. */
    @Override
    public byte[] sigV() {
        return sigV.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cV).bytes(sigV).int64(tV).toByteArray();
    }

    public static EmrVersionSubmission decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cV = d.boundedBytes(MAX_CIPHERTEXT);
        if (cV.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_V is empty");
        }
        byte[] sigV = d.bytes(Ecdsa.signatureLength(curve));
        long tV = d.int64();
        d.finish();
        return new EmrVersionSubmission(cV, sigV, tV);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmrVersionSubmission && Arrays.equals(((EmrVersionSubmission) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EmrVersionSubmission[" + "C_V=" + cV.length + " bytes" + ", " + "Sig_V=" + sigV.length + " bytes" + ", " + "T_V=" + tV + "]";
    }
}
