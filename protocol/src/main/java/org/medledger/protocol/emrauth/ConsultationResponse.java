package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * D → P, consultation step 2: {@code (C_D1, Sig_D1, T_D1)} (seed 000, eq. 16–19).
 * {@code C_D1 = E_PUK_P(ID_D‖Cert_D‖R_D1‖R_D2‖conf(SEK1)‖T_D1)} (key confirmation instead of the raw key, see docs).
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record ConsultationResponse(byte[] cD1, byte[] sigD1, long tD1) {

    static final String LABEL = "EMR-AUTH/ConsultationResponse";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public ConsultationResponse {
        if (cD1 == null || cD1.length == 0) {
            throw new IllegalArgumentException("C_D1 is required.");
        }
        cD1 = cD1.clone();
        if (sigD1 == null || sigD1.length == 0) {
            throw new IllegalArgumentException("Sig_D1 is required.");
        }
        sigD1 = sigD1.clone();
    }

    /** C_D1. */
    @Override
    public byte[] cD1() {
        return cD1.clone();
    }

    /** Sig_D1. */
    @Override
    public byte[] sigD1() {
        return sigD1.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cD1).bytes(sigD1).int64(tD1).toByteArray();
    }

    public static ConsultationResponse decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cD1 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cD1.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_D1 is empty");
        }
        byte[] sigD1 = d.bytes(Ecdsa.signatureLength(curve));
        long tD1 = d.int64();
        d.finish();
        return new ConsultationResponse(cD1, sigD1, tD1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsultationResponse && Arrays.equals(((ConsultationResponse) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "ConsultationResponse[" + "C_D1=" + cD1.length + " bytes" + ", " + "Sig_D1=" + sigD1.length + " bytes" + ", " + "T_D1=" + tD1 + "]";
    }
}
