package org.medledger.protocol.interhospital;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Initiator → hospital, step 3: {@code (c, CHK)} (seed 002, eq. 26–27, 46–47, 62–63) with a timestamp;
 * {@code ID_PAT} is not sent (erratum 2), the session binds it.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record HandshakeConfirm(byte[] c, byte[] chk, long ts) {

    static final String LABEL = "INTER-HOSPITAL/HandshakeConfirm";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public HandshakeConfirm {
        if (c == null || c.length == 0) {
            throw new IllegalArgumentException("c is required.");
        }
        c = c.clone();
        if (chk == null || chk.length == 0) {
            throw new IllegalArgumentException("CHK is required.");
        }
        chk = chk.clone();
    }

    /** c. */
    @Override
    public byte[] c() {
        return c.clone();
    }

    /** CHK. */
    @Override
    public byte[] chk() {
        return chk.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(c).bytes(chk).int64(ts).toByteArray();
    }

    public static HandshakeConfirm decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] c = d.boundedBytes(MAX_CIPHERTEXT);
        if (c.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "c is empty");
        }
        byte[] chk = d.boundedBytes(MAX_CIPHERTEXT);
        if (chk.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "CHK is empty");
        }
        long ts = d.int64();
        d.finish();
        return new HandshakeConfirm(c, chk, ts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeConfirm && Arrays.equals(((HandshakeConfirm) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "HandshakeConfirm[" + "c=" + c.length + " bytes" + ", " + "CHK=" + chk.length + " bytes" + ", " + "T_s=" + ts + "]";
    }
}
