package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * P_i → MC_j, authentication step 1: {@code <M_1, M_ap, T_1>} (seed 001, §5.2 step 1).
 * {@code M_1} is HPKE to MC_j's KEM key over {@code (x_i‖HID_i‖T_1‖Q_i)} (errata 1 and 5), {@code M_ap = HMAC(x_i, HID_i‖T_1‖PID_j‖Q_i)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record AuthRequest(byte[] m1, byte[] mAp, long t1) {

    static final String LABEL = "CLOUD-CHAIN/AuthRequest";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public AuthRequest {
        if (m1 == null || m1.length == 0) {
            throw new IllegalArgumentException("M_1 is required.");
        }
        m1 = m1.clone();
        if (mAp == null || mAp.length == 0) {
            throw new IllegalArgumentException("M_ap is required.");
        }
        mAp = mAp.clone();
    }

    /** M_1. */
    @Override
    public byte[] m1() {
        return m1.clone();
    }

    /** M_ap. */
    @Override
    public byte[] mAp() {
        return mAp.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(m1).bytes(mAp).int64(t1).toByteArray();
    }

    public static AuthRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] m1 = d.boundedBytes(MAX_CIPHERTEXT);
        if (m1.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_1 is empty");
        }
        byte[] mAp = d.boundedBytes(MAX_CIPHERTEXT);
        if (mAp.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_ap is empty");
        }
        long t1 = d.int64();
        d.finish();
        return new AuthRequest(m1, mAp, t1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthRequest && Arrays.equals(((AuthRequest) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "AuthRequest[" + "M_1=" + m1.length + " bytes" + ", " + "M_ap=" + mAp.length + " bytes" + ", " + "T_1=" + t1 + "]";
    }
}
