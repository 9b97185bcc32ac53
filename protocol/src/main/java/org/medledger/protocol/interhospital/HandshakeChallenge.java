package org.medledger.protocol.interhospital;

import java.util.Arrays;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Hospital → initiator, step 2: {@code (ID_H, R_H, T_H, CHK)} (seed 002, eq. 15–20, 35–40, 51–56) with a timestamp.
 * <p>Wire form: labelled encoding, fields in this order; decoding is strict.
 */
public record HandshakeChallenge(byte[] responderId, byte[] rH, byte[] tH, byte[] chk, long ts) {

    static final String LABEL = "INTER-HOSPITAL/HandshakeChallenge";

    /** Upper bound on a ciphertext field. */
    static final int MAX_CIPHERTEXT = 8 * 1024 * 1024;

    public HandshakeChallenge {
        if (responderId == null || responderId.length == 0) {
            throw new IllegalArgumentException("ID_H is required.");
        }
        responderId = responderId.clone();
        if (rH == null || rH.length == 0) {
            throw new IllegalArgumentException("R_H is required.");
        }
        rH = rH.clone();
        if (tH == null || tH.length == 0) {
            throw new IllegalArgumentException("T_H is required.");
        }
        tH = tH.clone();
        if (chk == null || chk.length == 0) {
            throw new IllegalArgumentException("CHK is required.");
        }
        chk = chk.clone();
    }

    /** ID_H. */
    @Override
    public byte[] responderId() {
        return responderId.clone();
    }

    /** R_H. */
    @Override
    public byte[] rH() {
        return rH.clone();
    }

    /** T_H. */
    @Override
    public byte[] tH() {
        return tH.clone();
    }

    /** CHK. */
    @Override
    public byte[] chk() {
        return chk.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(responderId).bytes(rH).bytes(tH).bytes(chk).int64(ts).toByteArray();
    }

    public static HandshakeChallenge decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] responderId = d.boundedBytes(MAX_CIPHERTEXT);
        if (responderId.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "ID_H is empty");
        }
        byte[] rH = d.boundedBytes(MAX_CIPHERTEXT);
        if (rH.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "R_H is empty");
        }
        byte[] tH = d.boundedBytes(MAX_CIPHERTEXT);
        if (tH.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "T_H is empty");
        }
        byte[] chk = d.boundedBytes(MAX_CIPHERTEXT);
        if (chk.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "CHK is empty");
        }
        long ts = d.int64();
        d.finish();
        return new HandshakeChallenge(responderId, rH, tH, chk, ts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeChallenge && Arrays.equals(((HandshakeChallenge) o).encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "HandshakeChallenge[" + "ID_H=" + responderId.length + " bytes" + ", " + "R_H=" + rH.length + " bytes" + ", " + "T_H=" + tH.length + " bytes" + ", " + "CHK=" + chk.length + " bytes" + ", " + "T_s=" + ts + "]";
    }
}
