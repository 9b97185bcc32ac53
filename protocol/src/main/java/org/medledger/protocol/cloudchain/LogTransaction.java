package org.medledger.protocol.cloudchain;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.VerificationKey;

/**
 * The log transaction {@code Tx = {HID_i, PID_j, T_access, Sig_j}} appended to the ledger for
 * every EHR access (seed 001, §5.6). {@code Sig_j} is the MC's ECDSA signature over the
 * other three fields.
 */
public record LogTransaction(byte[] hidI, String pidJ, long tAccess, byte[] sigJ) {

    static final String LABEL = "CLOUD-CHAIN/Tx";

    public LogTransaction {
        if (hidI == null || hidI.length != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("HID_i must be 32 bytes.");
        }
        Objects.requireNonNull(pidJ, "PID_j is required.");
        hidI = hidI.clone();
        sigJ = Objects.requireNonNull(sigJ, "Sig_j is required.").clone();
    }

    /** The bytes {@code Sig_j} signs (the ledger's {@code access-log} verifies them too). */
    public static byte[] signedStatement(byte[] hidI, String pidJ, long tAccess) {
        return signed(hidI, pidJ, tAccess).toByteArray();
    }

    static LabelledEncoder signed(byte[] hidI, String pidJ, long tAccess) {
        return LabelledEncoder.of(LABEL + "/signed").bytes(hidI).utf8(pidJ).int64(tAccess);
    }

    @Override
    public byte[] hidI() {
        return hidI.clone();
    }

    @Override
    public byte[] sigJ() {
        return sigJ.clone();
    }

    /**
     * Checks {@code Sig_j} under the MC's certified signing key.
     *
     * @return the transaction's identity for de-duplication: its signed fields, never {@code Sig_j}
     */
    public ContentId verify(VerificationKey mcKey) throws ProtocolException {
        return Ecdsa.verify(mcKey, signed(hidI, pidJ, tAccess), sigJ);
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(hidI).utf8(pidJ).int64(tAccess).bytes(sigJ).toByteArray();
    }

    public static LogTransaction decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] h = d.bytes(CloudChainHashes.LENGTH);
        String p = d.utf8();
        long t = d.int64();
        byte[] s = d.bytes(Ecdsa.signatureLength(curve));
        d.finish();
        return new LogTransaction(h, p, t, s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogTransaction x && Arrays.equals(x.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
