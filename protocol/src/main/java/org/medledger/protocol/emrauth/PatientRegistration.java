package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * Patient → PC over the secure channel: {@code (ID_P, B_P)} (seed 000, registration step 1).
 * {@code B_P} is the device-bound biometric secret.
 */
public record PatientRegistration(String idP, SecretBytes bP) {

    static final String LABEL = "EMR-AUTH/PatientRegistration";

    public PatientRegistration {
        Objects.requireNonNull(idP, "ID_P is required.");
        Objects.requireNonNull(bP, "B_P is required.");
        if (idP.isEmpty()) {
            throw new IllegalArgumentException("ID_P must not be empty.");
        }
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).utf8(idP).secret(bP).toByteArray();
    }

    public static PatientRegistration decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String id = d.utf8();
        SecretBytes b = d.secretBytes();
        d.finish();
        if (id.isEmpty()) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "empty ID_P");
        }
        return new PatientRegistration(id, b);
    }

    @Override
    public String toString() {
        return "PatientRegistration[ID_P=" + idP + ", B_P=redacted]";
    }
}
