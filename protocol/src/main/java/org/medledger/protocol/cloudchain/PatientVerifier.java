package org.medledger.protocol.cloudchain;

import java.util.Arrays;

/**
 * What the NA provisions to each medical center for a registered patient (erratum 4):
 * {@code HID_i} and the verifier {@code V_i = h(x_i)}, so that the MC can check that the
 * {@code x_i} presented in {@code M_1} is the one the NA issued.
 */
public record PatientVerifier(byte[] hidI, byte[] vI) {

    public PatientVerifier {
        if (hidI == null || hidI.length != CloudChainHashes.LENGTH || vI == null || vI.length != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("HID_i and V_i must be 32 bytes.");
        }
        hidI = hidI.clone();
        vI = vI.clone();
    }

    @Override
    public byte[] hidI() {
        return hidI.clone();
    }

    @Override
    public byte[] vI() {
        return vI.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatientVerifier p && Arrays.equals(p.hidI, hidI) && Arrays.equals(p.vI, vI);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidI);
    }

    @Override
    public String toString() {
        return "PatientVerifier[" + org.bouncycastle.util.encoders.Hex.toHexString(hidI) + "]";
    }
}
