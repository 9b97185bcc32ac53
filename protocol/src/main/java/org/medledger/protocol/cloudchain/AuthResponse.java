package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * MC_j → P_i, authentication step 2: {@code <E_i, M_amc, T_2>} plus the ephemeral share {@code Q_j} (seed 001, §5.2 step 2; erratum 5).
 * {@code E_i = b_j ⊕ x_i}, {@code M_amc = HMAC(x_i, PID_j‖b_j‖T_2‖Q_i‖Q_j)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record AuthResponse(byte[] eI, byte[] mAmc, long t2, byte[] qJ) {

    static final String LABEL = "CLOUD-CHAIN/AuthResponse";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public AuthResponse {
        if (eI == null || eI.length == 0) {
            throw new IllegalArgumentException("E_i is required.");
        }
        eI = eI.clone();
        if (mAmc == null || mAmc.length == 0) {
            throw new IllegalArgumentException("M_amc is required.");
        }
        mAmc = mAmc.clone();
        if (qJ == null || qJ.length == 0) {
            throw new IllegalArgumentException("Q_j is required.");
        }
        qJ = qJ.clone();
    }

    /** E_i. */
    @Override
    public byte[] eI() {
        return eI.clone();
    }

    /** M_amc. */
    @Override
    public byte[] mAmc() {
        return mAmc.clone();
    }

    /** Q_j. */
    @Override
    public byte[] qJ() {
        return qJ.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(eI).bytes(mAmc).int64(t2).bytes(qJ).toByteArray();
    }

    public static AuthResponse decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] eI = d.boundedBytes(MAX_CIPHERTEXT);
        if (eI.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "E_i is empty");
        }
        byte[] mAmc = d.boundedBytes(MAX_CIPHERTEXT);
        if (mAmc.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_amc is empty");
        }
        long t2 = d.int64();
        byte[] qJ = d.boundedBytes(MAX_CIPHERTEXT);
        if (qJ.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "Q_j is empty");
        }
        d.finish();
        return new AuthResponse(eI, mAmc, t2, qJ);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthResponse && Arrays.equals(((AuthResponse) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "AuthResponse[" + "E_i=" + eI.length + " bytes" + ", " + "M_amc=" + mAmc.length + " bytes" + ", " + "T_2=" + t2 + ", " + "Q_j=" + qJ.length + " bytes" + "]";
    }
}
