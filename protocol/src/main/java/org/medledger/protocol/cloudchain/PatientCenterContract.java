package org.medledger.protocol.cloudchain;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.VerificationKey;

/**
 * The smart-contract payload {@code Sc(HID_i, PID_j, Cert_j)} the MC uploads to the ledger
 * (seed 001, §5.3 step 2): the patient ↔ medical-center relationship, with the patient's own
 * evidence — {@code PK_i} and {@code Sig_i}, its signature over {@link #patientStatement} —
 * besides the NA's endorsement. Plain data; the ledger module executes it (its {@code sc}
 * checks {@code Sig_i} under the key registered for {@code HID_i}). {@link #encode()} is the
 * canonical encoding.
 */
public record PatientCenterContract(byte[] hidI, String pidJ, byte[] certJ, byte[] patientKey, byte[] patientSig) {

    static final String LABEL = "CLOUD-CHAIN/Sc";

    public PatientCenterContract {
        if (hidI == null || hidI.length != CloudChainHashes.LENGTH) {
            throw new IllegalArgumentException("HID_i must be 32 bytes.");
        }
        Objects.requireNonNull(pidJ, "PID_j is required.");
        hidI = hidI.clone();
        certJ = Objects.requireNonNull(certJ, "Cert_j is required.").clone();
        patientKey = Objects.requireNonNull(patientKey, "PK_i is required.").clone();
        patientSig = Objects.requireNonNull(patientSig, "Sig_i is required.").clone();
    }

    /** What the patient signs with {@code r_i} to agree to {@code Sc(HID_i, PID_j, ·)}. */
    public static byte[] patientStatement(byte[] hidI, String pidJ) {
        return LabelledEncoder.of(LABEL + "/patient").bytes(hidI).utf8(pidJ).toByteArray();
    }

    /** Requires {@code Sig_i} over {@link #patientStatement} under {@code PK_i}. */
    static void requirePatientSignature(CurveProfile curve, byte[] hidI, String pidJ, byte[] patientKey, byte[] sig)
            throws ProtocolException {
        if (!Ecdsa.verifyRaw(VerificationKey.decode(curve, patientKey), patientStatement(hidI, pidJ), sig)) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "the patient did not sign this contract");
        }
    }

    @Override
    public byte[] patientKey() {
        return patientKey.clone();
    }

    @Override
    public byte[] patientSig() {
        return patientSig.clone();
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
        return LabelledEncoder.of(LABEL).bytes(hidI).utf8(pidJ).bytes(certJ).bytes(patientKey).bytes(patientSig).toByteArray();
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
