package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * {@code mrchk(diagnosis id, ...)} (seed 002, after eq. 69): does the record exist on the
 * ledger, held by {@code hospitalId} and mapped to {@code patientId}?
 */
public record MedicalRecordCheck(String diagnosisId, String hospitalId, String patientId) implements ContractQuery {

    public static final String CONTRACT = "mrchk";

    public MedicalRecordCheck {
        Objects.requireNonNull(diagnosisId, "Diagnosis id is required.");
        Objects.requireNonNull(hospitalId, "Hospital id is required.");
        Objects.requireNonNull(patientId, "Patient id is required.");
    }

    @Override
    public String contract() {
        return CONTRACT;
    }

    @Override
    public byte[] encode() {
        return Contracts.encoder(CONTRACT).utf8(diagnosisId).utf8(hospitalId).utf8(patientId).toByteArray();
    }

    public static MedicalRecordCheck decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, Contracts.PREFIX + CONTRACT);
        MedicalRecordCheck q = new MedicalRecordCheck(d.utf8(), d.utf8(), d.utf8());
        d.finish();
        return q;
    }
}
