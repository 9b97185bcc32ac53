package org.medledger.protocol.cloudchain;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.LabelledEncoder;

/**
 * The smart-contract payload {@code Sc(HID_i, PID_j, Cert_j)} the MC uploads to the ledger
 * (seed 001, §5.3 step 2): the patient ↔ medical-center relationship. Plain data; the
 * ledger module executes it. {@link #encode()} is the canonical encoding.
 */
public record PatientCenterContract(byte[] hidI, String pidJ, byte[] certJ) {

    static final String LABEL = "CLOUD-CHAIN/Sc";

    public PatientCenterContract {
        if (hidI == null || hidI.length != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("HID_i must be 32 bytes.");
        }
        Objects.requireNonNull(pidJ, "PID_j is required.");
        hidI = hidI.clone();
        certJ = Objects.requireNonNull(certJ, "Cert_j is required.").clone();
    }

    @Override
    public byte[] hidI() {
        return hidI.clone();
    }

    @Override
    public byte[] certJ() {
        return certJ.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).bytes(hidI).utf8(pidJ).bytes(certJ).toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatientCenterContract c && Arrays.equals(c.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
