package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * D → HPC, EMR search step 5: {@code (C_D4, T_D4)} with {@code C_D4 = E_SEK2(ID_P‖ID_D‖T_D4‖Cert_D)} (seed 000, eq. 45).
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EmrRequest(byte[] cD4, long tD4) {

    static final String LABEL = "EMR-AUTH/EmrRequest";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EmrRequest {
        if (cD4 == null || cD4.length == 0) {
            throw new IllegalArgumentException("C_D4 is required.");
        }
        cD4 = cD4.clone();
    }

    /** C_D4. */
    @Override
    public byte[] cD4() {
        return cD4.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cD4).int64(tD4).toByteArray();
    }

    public static EmrRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cD4 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cD4.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_D4 is empty");
        }
        long tD4 = d.int64();
        d.finish();
        return new EmrRequest(cD4, tD4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmrRequest && Arrays.equals(((EmrRequest) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EmrRequest[" + "C_D4=" + cD4.length + " bytes" + ", " + "T_D4=" + tD4 + "]";
    }
}
