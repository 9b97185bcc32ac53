package org.medledger.protocol.interhospital;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Hospital A → hospital B: {@code (c_HPA2, Sig_HPA2)} with {@code c_HPA2 = E_SEK_AB(EMR)}, {@code Sig_HPA2 = S_SK_HPA(EMR)}
 * (seed 002, eq. 66–67), with a timestamp.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record RecordTransfer(byte[] cHpa2, byte[] sigHpa2, long ts) {

    static final String LABEL = "INTER-HOSPITAL/RecordTransfer";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public RecordTransfer {
        if (cHpa2 == null || cHpa2.length == 0) {
            throw new IllegalArgumentException("c_HPA2 is required.");
        }
        cHpa2 = cHpa2.clone();
        if (sigHpa2 == null || sigHpa2.length == 0) {
            throw new IllegalArgumentException("Sig_HPA2 is required.");
        }
        sigHpa2 = sigHpa2.clone();
    }

    /** c_HPA2. */
    @Override
    public byte[] cHpa2() {
        return cHpa2.clone();
    }

    /** Sig_HPA2. */
    @Override
    public byte[] sigHpa2() {
        return sigHpa2.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cHpa2).bytes(sigHpa2).int64(ts).toByteArray();
    }

    public static RecordTransfer decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cHpa2 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cHpa2.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "c_HPA2 is empty");
        }
        byte[] sigHpa2 = d.bytes(Ecdsa.signatureLength(curve));
        long ts = d.int64();
        d.finish();
        return new RecordTransfer(cHpa2, sigHpa2, ts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordTransfer && Arrays.equals(((RecordTransfer) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "RecordTransfer[" + "c_HPA2=" + cHpa2.length + " bytes" + ", " + "Sig_HPA2=" + sigHpa2.length + " bytes" + ", " + "T_s=" + ts + "]";
    }
}
