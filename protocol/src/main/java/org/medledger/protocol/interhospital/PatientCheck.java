package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/** {@code ptchk(patient id, ...)} (seed 002, after eq. 28 and 48): does the patient exist on the ledger? */
public record PatientCheck(String patientId) implements ContractQuery {

    public static final String CONTRACT = "ptchk";

    public PatientCheck {
        Objects.requireNonNull(patientId, "Patient id is required.");
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.encoder(CONTRACT).utf8(patientId).toByteArray();
    }

    public static PatientCheck decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        PatientCheck q = new PatientCheck(d.utf8());
        d.finish();
        return q;
    }
}
