package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * CS → MC_j, EHR requesting: {@code <M_E, M_CE>} (seed 001, §5.5 step 2).
 * {@code M_E = E_KMS_j(EHR_i)}, {@code M_CE = h(RE‖EHR_i‖PID_j)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EhrResponse(byte[] mE, byte[] mCe, long tE) {

    static final String LABEL = "CLOUD-CHAIN/EhrResponse";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EhrResponse {
        if (mE == null || mE.length == 0) {
            throw new IllegalArgumentException("M_E is required.");
        }
        mE = mE.clone();
        if (mCe == null || mCe.length == 0) {
            throw new IllegalArgumentException("M_CE is required.");
        }
        mCe = mCe.clone();
    }

    /** M_E. */
    @Override
    public byte[] mE() {
        return mE.clone();
    }

    /** M_CE. */
    @Override
    public byte[] mCe() {
        return mCe.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(mE).bytes(mCe).int64(tE).toByteArray();
    }

    public static EhrResponse decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] mE = d.boundedBytes(MAX_CIPHERTEXT);
        if (mE.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_E is empty");
        }
        byte[] mCe = d.boundedBytes(MAX_CIPHERTEXT);
        if (mCe.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_CE is empty");
        }
        long tE = d.int64();
        d.finish();
        return new EhrResponse(mE, mCe, tE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EhrResponse && Arrays.equals(((EhrResponse) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EhrResponse[" + "M_E=" + mE.length + " bytes" + ", " + "M_CE=" + mCe.length + " bytes" + ", " + "T_E=" + tE + "]";
    }
}
