package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * D → P, diagnosis: {@code (C_D5, T_D5)} with {@code C_D5 = E_SEK1(M_DINF‖Cert_D‖T_D5)} (seed 000, eq. 49).
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record DiagnosisDelivery(byte[] cD5, long tD5) {

    static final String LABEL = "EMR-AUTH/DiagnosisDelivery";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public DiagnosisDelivery {
        if (cD5 == null || cD5.length == 0) {
            throw new IllegalArgumentException("C_D5 is required.");
        }
        cD5 = cD5.clone();
    }

    /** C_D5. */
    @Override
    public byte[] cD5() {
        return cD5.clone();
    }

    /** The ciphertext itself, not copied: for reading in this package only (never modify). */
    byte[] cD5View() {
        return cD5;
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cD5).int64(tD5).toByteArray();
    }

    public static DiagnosisDelivery decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cD5 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cD5.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_D5 is empty");
        }
        long tD5 = d.int64();
        d.finish();
        return new DiagnosisDelivery(cD5, tD5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiagnosisDelivery && Arrays.equals(((DiagnosisDelivery) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DiagnosisDelivery[" + "C_D5=" + cD5.length + " bytes" + ", " + "T_D5=" + tD5 + "]";
    }
}
