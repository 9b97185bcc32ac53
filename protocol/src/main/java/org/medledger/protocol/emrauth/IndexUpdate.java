package org.medledger.protocol.emrauth;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * HPC → PC: adds or updates the record index entry for {@code (ID_P, ID_DE)} (erratum 8).
 * {@code C_IX = E_PUK_PC(ID_HPC‖ID_P‖ID_DE‖ID_D‖T_IX)}, {@code Sig_IX = S_PRK_HPC(ID_HPC‖ID_P‖ID_DE‖ID_D‖T_IX)}.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record IndexUpdate(byte[] cIx, byte[] sigIx, long tIx) {

    static final String LABEL = "EMR-AUTH/IndexUpdate";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public IndexUpdate {
        if (cIx == null || cIx.length == 0) {
            throw new IllegalArgumentException("C_IX is required.");
        }
        cIx = cIx.clone();
        if (sigIx == null || sigIx.length == 0) {
            throw new IllegalArgumentException("Sig_IX is required.");
        }
        sigIx = sigIx.clone();
    }

    /** C_IX. */
    @Override
    public byte[] cIx() {
        return cIx.clone();
    }

    /** Sig_IX. */
    @Override
    public byte[] sigIx() {
        return sigIx.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(cIx).bytes(sigIx).int64(tIx).toByteArray();
    }

    public static IndexUpdate decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] cIx = d.boundedBytes(MAX_CIPHERTEXT);
        if (cIx.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "C_IX is empty");
        }
        byte[] sigIx = d.bytes(Ecdsa.signatureLength(curve));
        long tIx = d.int64();
        d.finish();
        return new IndexUpdate(cIx, sigIx, tIx);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexUpdate && Arrays.equals(((IndexUpdate) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "IndexUpdate[" + "C_IX=" + cIx.length + " bytes" + ", " + "Sig_IX=" + sigIx.length + " bytes" + ", " + "T_IX=" + tIx + "]";
    }
}
