package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * MC_j → CS, EHR requesting: {@code <M_req, M_CR>} with the sender's {@code PID_j} (seed 001, §5.5 step 1; erratum 3).
 * {@code M_req = E_KMS_j(RE‖PID_j)}, {@code M_CR = h(RE‖PID_j)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EhrRequest(byte[] pidJ, byte[] mReq, byte[] mCr, long tReq) {

    static final String LABEL = "CLOUD-CHAIN/EhrRequest";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EhrRequest {
        if (pidJ == null || pidJ.length == 0) {
            throw new IllegalArgumentException("PID_j is required.");
        }
        pidJ = pidJ.clone();
        if (mReq == null || mReq.length == 0) {
            throw new IllegalArgumentException("M_req is required.");
        }
        mReq = mReq.clone();
        if (mCr == null || mCr.length == 0) {
            throw new IllegalArgumentException("M_CR is required.");
        }
        mCr = mCr.clone();
    }

    /** PID_j. */
    @Override
    public byte[] pidJ() {
        return pidJ.clone();
    }

    /** M_req. */
    @Override
    public byte[] mReq() {
        return mReq.clone();
    }

    /** M_CR. */
    @Override
    public byte[] mCr() {
        return mCr.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(pidJ).bytes(mReq).bytes(mCr).int64(tReq).toByteArray();
    }

    public static EhrRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] pidJ = d.boundedBytes(MAX_CIPHERTEXT);
        if (pidJ.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "PID_j is empty");
        }
        byte[] mReq = d.boundedBytes(MAX_CIPHERTEXT);
        if (mReq.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_req is empty");
        }
        byte[] mCr = d.boundedBytes(MAX_CIPHERTEXT);
        if (mCr.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_CR is empty");
        }
        long tReq = d.int64();
        d.finish();
        return new EhrRequest(pidJ, mReq, mCr, tReq);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EhrRequest && Arrays.equals(((EhrRequest) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EhrRequest[" + "PID_j=" + pidJ.length + " bytes" + ", " + "M_req=" + mReq.length + " bytes" + ", " + "M_CR=" + mCr.length + " bytes" + ", " + "T_req=" + tReq + "]";
    }
}
