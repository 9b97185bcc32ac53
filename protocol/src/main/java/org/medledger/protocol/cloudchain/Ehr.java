package org.medledger.protocol.cloudchain;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;

/** {@code EHR_i = {HID_i, PID_j, RI, T_up}} (seed 001, §5.4 step 1). */
public record Ehr(byte[] hidI, String pidJ, byte[] ri, long tUp) {

    static final String LABEL = "CLOUD-CHAIN/EHR_i";

    public Ehr {
        if (hidI == null || hidI.length != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("HID_i must be 32 bytes.");
        }
        Objects.requireNonNull(pidJ, "PID_j is required.");
        hidI = hidI.clone();
        ri = Objects.requireNonNull(ri, "RI is required.").clone();
    }

    @Override
    public byte[] hidI() {
        return hidI.clone();
    }

    @Override
    public byte[] ri() {
        return ri.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(hidI).utf8(pidJ).bytes(ri).int64(tUp).toByteArray();
    }

    public static Ehr decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] h = d.bytes(CloudChainHashes.LENGTH);
        String p = d.utf8();
        byte[] r = d.bytes();
        long t = d.int64();
        d.finish();
        return new Ehr(h, p, r, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ehr e && Arrays.equals(e.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "Ehr[" + pidJ + ", " + ri.length + " bytes, T_up=" + tUp + "]";
    }
}
