package org.medledger.protocol.interhospital;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Hospital → patient, step 4: {@code (c_H, Sig_H)} with {@code c_H = E_SEK(EMR, Cert_H)}, {@code Sig_H = S_SK_H(EMR, Cert_H)}
 * (seed 002, eq. 30–31 and 70–71), with a timestamp.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record RecordDelivery(byte[] cH, byte[] sigH, long ts) {

    static final String LABEL = "INTER-HOSPITAL/RecordDelivery";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public RecordDelivery {
        if (cH == null || cH.length == 0) {
            throw new IllegalArgumentException("c_H is required.");
        }
        cH = cH.clone();
        if (sigH == null || sigH.length == 0) {
            throw new IllegalArgumentException("Sig_H is required.");
        }
        sigH = sigH.clone();
    }

    /** c_H. */
    @Override
    public byte[] cH() {
        return cH.clone();
    }

    /** Sig_H. */
    @Override
    public byte[] sigH() {
        return sigH.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cH).bytes(sigH).int64(ts).toByteArray();
    }

    public static RecordDelivery decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cH = d.boundedBytes(MAX_CIPHERTEXT);
        if (cH.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "c_H is empty");
        }
        byte[] sigH = d.bytes(Ecdsa.signatureLength(curve));
        long ts = d.int64();
        d.finish();
        return new RecordDelivery(cH, sigH, ts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordDelivery && Arrays.equals(((RecordDelivery) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "RecordDelivery[" + "c_H=" + cH.length + " bytes" + ", " + "Sig_H=" + sigH.length + " bytes" + ", " + "T_s=" + ts + "]";
    }
}
