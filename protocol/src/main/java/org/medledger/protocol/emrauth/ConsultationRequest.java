package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * P → D, consultation step 1: {@code (C_P1, Sig_P1, T_P1)} (seed 000, eq. 11–13).
 * {@code C_P1 = E_PUK_D(ID_P‖B_P‖R_P1‖R_P2‖T_P1)}, {@code Sig_P1 = S_PRK_P(R_P1‖ID_P‖R_P2‖B_P‖PK‖T_P1)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record ConsultationRequest(byte[] cP1, byte[] sigP1, long tP1) {

    static final String LABEL = "EMR-AUTH/ConsultationRequest";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public ConsultationRequest {
        if (cP1 == null || cP1.length == 0) {
            throw new IllegalArgumentException("C_P1 is required.");
        }
        cP1 = cP1.clone();
        if (sigP1 == null || sigP1.length == 0) {
            throw new IllegalArgumentException("Sig_P1 is required.");
        }
        sigP1 = sigP1.clone();
    }

    /** C_P1. */
    @Override
    public byte[] cP1() {
        return cP1.clone();
    }

    /** Sig_P1. */
    @Override
    public byte[] sigP1() {
        return sigP1.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cP1).bytes(sigP1).int64(tP1).toByteArray();
    }

    public static ConsultationRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cP1 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cP1.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_P1 is empty");
        }
        byte[] sigP1 = d.bytes(Ecdsa.signatureLength(curve));
        long tP1 = d.int64();
        d.finish();
        return new ConsultationRequest(cP1, sigP1, tP1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsultationRequest && Arrays.equals(((ConsultationRequest) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "ConsultationRequest[" + "C_P1=" + cP1.length + " bytes" + ", " + "Sig_P1=" + sigP1.length + " bytes" + ", " + "T_P1=" + tP1 + "]";
    }
}
