package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * HPC → D, EMR search step 4: {@code (C_HPC1, Sig_HPC1, T_HPC1)} (seed 000, eq. 38–41; erratum 6).
 * {@code C_HPC1 = E_PUK_D(ID_HPC‖conf(SEK2)‖T_HPC1‖R_HPC2‖R_HPC1)}, {@code Sig_HPC1 = S_PRK_HPC(PK‖T_HPC1‖ID_HPC‖R_HPC2‖R_HPC1‖conf(SEK2))}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record HospitalAccessResponse(byte[] cHpc1, byte[] sigHpc1, long tHpc1) {

    static final String LABEL = "EMR-AUTH/HospitalAccessResponse";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public HospitalAccessResponse {
        if (cHpc1 == null || cHpc1.length == 0) {
            throw new IllegalArgumentException("C_HPC1 is required.");
        }
        cHpc1 = cHpc1.clone();
        if (sigHpc1 == null || sigHpc1.length == 0) {
            throw new IllegalArgumentException("Sig_HPC1 is required.");
        }
        sigHpc1 = sigHpc1.clone();
    }

    /** C_HPC1. */
    @Override
    public byte[] cHpc1() {
        return cHpc1.clone();
    }

    /** Sig_HPC1. */
    @Override
    public byte[] sigHpc1() {
        return sigHpc1.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cHpc1).bytes(sigHpc1).int64(tHpc1).toByteArray();
    }

    public static HospitalAccessResponse decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cHpc1 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cHpc1.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_HPC1 is empty");
        }
        byte[] sigHpc1 = d.bytes(Ecdsa.signatureLength(curve));
        long tHpc1 = d.int64();
        d.finish();
        return new HospitalAccessResponse(cHpc1, sigHpc1, tHpc1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HospitalAccessResponse && Arrays.equals(((HospitalAccessResponse) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "HospitalAccessResponse[" + "C_HPC1=" + cHpc1.length + " bytes" + ", " + "Sig_HPC1=" + sigHpc1.length + " bytes" + ", " + "T_HPC1=" + tHpc1 + "]";
    }
}
