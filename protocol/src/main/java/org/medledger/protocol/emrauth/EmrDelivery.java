package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * HPC → D, EMR search step 6: {@code (C_HPC2, T_HPC2)} with {@code C_HPC2 = E_SEK2(M_EMR‖T_HPC2)} (seed 000, eq. 47).
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EmrDelivery(byte[] cHpc2, long tHpc2) {

    static final String LABEL = "EMR-AUTH/EmrDelivery";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EmrDelivery {
        if (cHpc2 == null || cHpc2.length == 0) {
            throw new IllegalArgumentException("C_HPC2 is required.");
        }
        cHpc2 = cHpc2.clone();
    }

    /** C_HPC2. */
    @Override
    public byte[] cHpc2() {
        return cHpc2.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cHpc2).int64(tHpc2).toByteArray();
    }

    public static EmrDelivery decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cHpc2 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cHpc2.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_HPC2 is empty");
        }
        long tHpc2 = d.int64();
        d.finish();
        return new EmrDelivery(cHpc2, tHpc2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmrDelivery && Arrays.equals(((EmrDelivery) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EmrDelivery[" + "C_HPC2=" + cHpc2.length + " bytes" + ", " + "T_HPC2=" + tHpc2 + "]";
    }
}
