package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * MC_j → CS, EHR storing: {@code <M_up, M_CU>} with the sender's {@code PID_j} (seed 001, §5.4 step 1; erratum 3).
 * {@code M_up = E_KMS_j(EHR_i)}, {@code M_CU = h(EHR_i‖PID_j)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EhrUpload(byte[] pidJ, byte[] mUp, byte[] mCu, long tUp) {

    static final String LABEL = "CLOUD-CHAIN/EhrUpload";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EhrUpload {
        if (pidJ == null || pidJ.length == 0) {
            throw new IllegalArgumentException("PID_j is required.");
        }
        pidJ = pidJ.clone();
        if (mUp == null || mUp.length == 0) {
            throw new IllegalArgumentException("M_up is required.");
        }
        mUp = mUp.clone();
        if (mCu == null || mCu.length == 0) {
            throw new IllegalArgumentException("M_CU is required.");
        }
        mCu = mCu.clone();
    }

    /** PID_j. */
    @Override
    public byte[] pidJ() {
        return pidJ.clone();
    }

    /** M_up. */
    @Override
    public byte[] mUp() {
        return mUp.clone();
    }

    /** M_CU. */
    @Override
    public byte[] mCu() {
        return mCu.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(pidJ).bytes(mUp).bytes(mCu).int64(tUp).toByteArray();
    }

    public static EhrUpload decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] pidJ = d.boundedBytes(MAX_CIPHERTEXT);
        if (pidJ.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "PID_j is empty");
        }
        byte[] mUp = d.boundedBytes(MAX_CIPHERTEXT);
        if (mUp.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_up is empty");
        }
        byte[] mCu = d.boundedBytes(MAX_CIPHERTEXT);
        if (mCu.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_CU is empty");
        }
        long tUp = d.int64();
        d.finish();
        return new EhrUpload(pidJ, mUp, mCu, tUp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EhrUpload && Arrays.equals(((EhrUpload) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EhrUpload[" + "PID_j=" + pidJ.length + " bytes" + ", " + "M_up=" + mUp.length + " bytes" + ", " + "M_CU=" + mCu.length + " bytes" + ", " + "T_up=" + tUp + "]";
    }
}
