package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * D → PC, EMR search step 1: {@code (C_D2, Sig_D2, T_D2)} (seed 000, eq. 25–26).
 * {@code C_D2 = E_PUK_PC(ID_P‖T_D2‖ID_D‖Cert_D‖ID_DE)}, {@code Sig_D2 = S_PRK_D(S_D‖T_D2‖ID_P‖ID_DE‖ID_D)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EmrSearchRequest(byte[] cD2, byte[] sigD2, long tD2) {

    static final String LABEL = "EMR-AUTH/EmrSearchRequest";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EmrSearchRequest {
        if (cD2 == null || cD2.length == 0) {
            throw new IllegalArgumentException("C_D2 is required.");
        }
        cD2 = cD2.clone();
        if (sigD2 == null || sigD2.length == 0) {
            throw new IllegalArgumentException("Sig_D2 is required.");
        }
        sigD2 = sigD2.clone();
    }

    /** C_D2. */
    @Override
    public byte[] cD2() {
        return cD2.clone();
    }

    /** Sig_D2. */
    @Override
    public byte[] sigD2() {
        return sigD2.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cD2).bytes(sigD2).int64(tD2).toByteArray();
    }

    public static EmrSearchRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cD2 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cD2.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_D2 is empty");
        }
        byte[] sigD2 = d.bytes(Ecdsa.signatureLength(curve));
        long tD2 = d.int64();
        d.finish();
        return new EmrSearchRequest(cD2, sigD2, tD2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmrSearchRequest && Arrays.equals(((EmrSearchRequest) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EmrSearchRequest[" + "C_D2=" + cD2.length + " bytes" + ", " + "Sig_D2=" + sigD2.length + " bytes" + ", " + "T_D2=" + tD2 + "]";
    }
}
