package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * D → HPC, EMR search step 3: {@code (C_D3, Sig_D3, T_D3)} (seed 000, eq. 33–35; erratum 5).
 * {@code C_D3 = E_PUK_HPC(Cert_D‖T_D3‖ID_D‖R_D3‖R_D1‖ID_P)}, {@code Sig_D3 = S_PRK_D(PK‖T_D3‖ID_P‖R_D3‖R_D1)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record HospitalAccessRequest(byte[] cD3, byte[] sigD3, long tD3) {

    static final String LABEL = "EMR-AUTH/HospitalAccessRequest";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public HospitalAccessRequest {
        if (cD3 == null || cD3.length == 0) {
            throw new IllegalArgumentException("C_D3 is required.");
        }
        cD3 = cD3.clone();
        if (sigD3 == null || sigD3.length == 0) {
            throw new IllegalArgumentException("Sig_D3 is required.");
        }
        sigD3 = sigD3.clone();
    }

    /** C_D3. */
    @Override
    public byte[] cD3() {
        return cD3.clone();
    }

    /** Sig_D3. */
    @Override
    public byte[] sigD3() {
        return sigD3.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cD3).bytes(sigD3).int64(tD3).toByteArray();
    }

    public static HospitalAccessRequest decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cD3 = d.boundedBytes(MAX_CIPHERTEXT);
        if (cD3.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_D3 is empty");
        }
        byte[] sigD3 = d.bytes(Ecdsa.signatureLength(curve));
        long tD3 = d.int64();
        d.finish();
        return new HospitalAccessRequest(cD3, sigD3, tD3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HospitalAccessRequest && Arrays.equals(((HospitalAccessRequest) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "HospitalAccessRequest[" + "C_D3=" + cD3.length + " bytes" + ", " + "Sig_D3=" + sigD3.length + " bytes" + ", " + "T_D3=" + tD3 + "]";
    }
}
