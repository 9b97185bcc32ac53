package org.medledger.protocol.interhospital;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Initiator → hospital, step 1: {@code (ID_X, R_X, T_X)} (seed 002, eq. 14, 34, 50), HPKE-encrypted to the
 * hospital's KEM key so that no identity travels in clear (erratum 2), with a timestamp {@code T_s}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record HandshakeHello(byte[] cHello, long ts) {

    static final String LABEL = "INTER-HOSPITAL/HandshakeHello";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public HandshakeHello {
        if (cHello == null || cHello.length == 0) {
            throw new IllegalArgumentException("C_hello is required.");
        }
        cHello = cHello.clone();
    }

    /** C_hello. */
    @Override
    public byte[] cHello() {
        return cHello.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cHello).int64(ts).toByteArray();
    }

    public static HandshakeHello decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cHello = d.boundedBytes(MAX_CIPHERTEXT);
        if (cHello.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_hello is empty");
        }
        long ts = d.int64();
        d.finish();
        return new HandshakeHello(cHello, ts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeHello && Arrays.equals(((HandshakeHello) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "HandshakeHello[" + "C_hello=" + cHello.length + " bytes" + ", " + "T_s=" + ts + "]";
    }
}
