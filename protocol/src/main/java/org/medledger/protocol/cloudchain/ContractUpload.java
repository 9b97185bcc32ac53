package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * P_i → MC_j, smart-contract upload: {@code <M_sc, M_inf>} with a timestamp (seed 001, §5.3 step 1).
 * {@code M_sc = HMAC(SK_ij, HID_i‖PID_j‖T_3)}, {@code M_inf = E_SK_ij(HID_i‖PID_j)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record ContractUpload(byte[] mSc, byte[] mInf, long t3) {

    static final String LABEL = "CLOUD-CHAIN/ContractUpload";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public ContractUpload {
        if (mSc == null || mSc.length == 0) {
            throw new IllegalArgumentException("M_sc is required.");
        }
        mSc = mSc.clone();
        if (mInf == null || mInf.length == 0) {
            throw new IllegalArgumentException("M_inf is required.");
        }
        mInf = mInf.clone();
    }

    /** M_sc. */
    @Override
    public byte[] mSc() {
        return mSc.clone();
    }

    /** M_inf. */
    @Override
    public byte[] mInf() {
        return mInf.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(mSc).bytes(mInf).int64(t3).toByteArray();
    }

    public static ContractUpload decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] mSc = d.boundedBytes(MAX_CIPHERTEXT);
        if (mSc.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_sc is empty");
        }
        byte[] mInf = d.boundedBytes(MAX_CIPHERTEXT);
        if (mInf.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "M_inf is empty");
        }
        long t3 = d.int64();
        d.finish();
        return new ContractUpload(mSc, mInf, t3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractUpload && Arrays.equals(((ContractUpload) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "ContractUpload[" + "M_sc=" + mSc.length + " bytes" + ", " + "M_inf=" + mInf.length + " bytes" + ", " + "T_3=" + t3 + "]";
    }
}
