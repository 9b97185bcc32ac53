package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * PC → D, EMR search step 2: {@code (C_C, Sig_C, T_C)} (seed 000, eq. 29–30; erratum 4).
 * {@code C_C = E_PUK_D(ID_HPC‖ID_DE‖T_C)}, {@code Sig_C = S_PRK_PC(ID_DE‖S_D‖ID_HPC‖T_C)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record EmrSearchResponse(byte[] cC, byte[] sigC, long tC) {

    static final String LABEL = "EMR-AUTH/EmrSearchResponse";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public EmrSearchResponse {
        if (cC == null || cC.length == 0) {
            throw new IllegalArgumentException("C_C is required.");
        }
        cC = cC.clone();
        if (sigC == null || sigC.length == 0) {
            throw new IllegalArgumentException("Sig_C is required.");
        }
        sigC = sigC.clone();
    }

    /** C_C. */
    @Override
    public byte[] cC() {
        return cC.clone();
    }

    /** Sig_C. */
    @Override
    public byte[] sigC() {
        return sigC.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cC).bytes(sigC).int64(tC).toByteArray();
    }

    public static EmrSearchResponse decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cC = d.boundedBytes(MAX_CIPHERTEXT);
        if (cC.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_C is empty");
        }
        byte[] sigC = d.bytes(Ecdsa.signatureLength(curve));
        long tC = d.int64();
        d.finish();
        return new EmrSearchResponse(cC, sigC, tC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmrSearchResponse && Arrays.equals(((EmrSearchResponse) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "EmrSearchResponse[" + "C_C=" + cC.length + " bytes" + ", " + "Sig_C=" + sigC.length + " bytes" + ", " + "T_C=" + tC + "]";
    }
}
