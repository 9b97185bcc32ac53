package org.medledger.protocol.cloudchain;

import java.util.Arrays;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;

/** P_i → NA over the secure channel: {@code HID_i = h(a_i‖ID_i)} (seed 001, §5.1.1 step 1). */
public record PatientEnrolment(byte[] hidI) {

    static final String LABEL = "CLOUD-CHAIN/PatientEnrolment";

    public PatientEnrolment {
        if (hidI == null || hidI.length != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("HID_i must be 32 bytes.");
        }
        hidI = hidI.clone();
    }

    @Override
    public byte[] hidI() {
        return hidI.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(hidI).toByteArray();
    }

    public static PatientEnrolment decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        byte[] h = d.bytes(CloudChainHashes.LENGTH);
        d.finish();
        return new PatientEnrolment(h);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatientEnrolment p && Arrays.equals(p.hidI, hidI);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidI);
    }
}
