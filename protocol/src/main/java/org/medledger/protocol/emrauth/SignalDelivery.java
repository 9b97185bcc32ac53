package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * P → D, consultation step 3: {@code (C_P2, T_P2)} with {@code C_P2 = E_SEK1(M_SD‖ID_P‖T_P2)} (seed 000, eq. 23).
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record SignalDelivery(byte[] cP2, long tP2) {

    static final String LABEL = "EMR-AUTH/SignalDelivery";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public SignalDelivery {
        if (cP2 == null || cP2.length == 0) {
            throw new IllegalArgumentException("C_P2 is required.");
        }
        cP2 = cP2.clone();
    }

    /** C_P2. */
    @Override
    public byte[] cP2() {
        return cP2.clone();
    }

    /** The ciphertext itself, not copied: for reading in this package only (never modify). */
    byte[] cP2View() {
        return cP2;
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cP2).int64(tP2).toByteArray();
    }

    public static SignalDelivery decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cP2 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cP2.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_P2 is empty");
        }
        long tP2 = d.int64();
        d.finish();
        return new SignalDelivery(cP2, tP2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalDelivery && Arrays.equals(((SignalDelivery) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "SignalDelivery[" + "C_P2=" + cP2.length + " bytes" + ", " + "T_P2=" + tP2 + "]";
    }
}
